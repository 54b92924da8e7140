//! Reading experiments from the command line: variants (`NAME: PATH=VALUE ...`) and sweep axes
//! (`PATH=LO..HI:STEPS`).
//!
//! # Variants
//!
//! `--variant "NAME: PATH=VALUE PATH=VALUE; PATH=VALUE"`: an optional name, then overrides.
//!
//! - The name is everything before the first `:` when that `:` comes before the first `=`
//!   (values such as `Boulware(beta: 0.3)` hold colons of their own). Without a name the
//!   variant is called by its overrides.
//! - Overrides are separated by `;`, or by white space before a token of the form `PATH=`
//!   (`PATH` made of letters, digits, `_`, `-` and `.`). Separators count only outside
//!   brackets and double quotes, so `Uniform(0.5, 0.7)`, `Order(["EU", "ARM"])` and
//!   `"two words"` stay whole: `actors.RUS.capability=Uniform(0.2, 0.3) protocol.max_rounds=40`
//!   is two overrides.
//!
//! # Sweep axes
//!
//! `--set PATH=LO..HI:STEPS` (a value that starts like a number and holds `..`) is an axis of
//! STEPS ≥ 2 evenly spaced points from LO to HI inclusive: point i (0-based) is
//! LO + (HI − LO) · i / (STEPS − 1), written with at most 12 decimals and no trailing zeros (so
//! `10..40:4` gives the whole numbers 10, 20, 30, 40 that integer fields need). Any other
//! `--set` is an ordinary override applied at every point.

use crate::scenario::overrides::Override;

use super::ExperimentError;

/// The most points a sweep may have.
pub const MAX_POINTS: usize = 10_000;

/// A variant as written on the command line: an optional name and its overrides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariantSpec {
    /// The name before the colon, if given.
    pub name: Option<String>,
    /// The overrides, in order.
    pub overrides: Vec<Override>,
}

impl VariantSpec {
    /// Reads `NAME: PATH=VALUE ...` (module docs).
    pub fn parse(arg: &str) -> Result<VariantSpec, ExperimentError> {
        let bad = |message: String| ExperimentError::Spec {
            arg: arg.to_string(),
            message,
        };
        let colon = arg.find(':');
        let equals = arg.find('=');
        let (name, rest) = match colon {
            Some(c) if equals.is_none_or(|e| c < e) => {
                let name = arg[..c].trim();
                if name.is_empty() {
                    return Err(bad("the name before `:` is empty".into()));
                }
                (Some(name.to_string()), &arg[c + 1..])
            }
            _ => (None, arg),
        };
        let pieces = split_overrides(rest).map_err(bad)?;
        if pieces.is_empty() {
            return Err(bad(
                "no override: write NAME: PATH=VALUE ..., e.g. \"weak-russia: actors.RUS.capability=0.25\""
                    .into(),
            ));
        }
        let overrides = pieces
            .iter()
            .map(|p| Override::parse(p))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| bad(e.to_string()))?;
        Ok(VariantSpec { name, overrides })
    }
}

/// Whether `c` may be part of a path.
fn path_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')
}

/// Whether `s` starts with `PATH=` (white space allowed before the `=`).
fn starts_with_path(s: &str) -> bool {
    let path_len: usize = s
        .chars()
        .take_while(|&c| path_char(c))
        .map(char::len_utf8)
        .sum();
    path_len > 0 && s[path_len..].trim_start().starts_with('=')
}

/// Splits overrides at `;` and at white space before `PATH=`, outside brackets and strings
/// (module docs). Returns the trimmed, non-empty pieces.
pub fn split_overrides(text: &str) -> Result<Vec<String>, String> {
    let mut pieces = Vec::new();
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => {
                depth = depth
                    .checked_sub(1)
                    .ok_or_else(|| format!("`{c}` closes nothing"))?;
            }
            ';' if depth == 0 => {
                pieces.push(&text[start..i]);
                start = i + 1;
            }
            c if c.is_whitespace() && depth == 0 && starts_with_path(text[i..].trim_start()) => {
                pieces.push(&text[start..i]);
                start = i;
            }
            _ => {}
        }
    }
    if in_string {
        return Err("a string is not closed (a `\"` is missing)".into());
    }
    if depth > 0 {
        return Err("a bracket is not closed".into());
    }
    pieces.push(&text[start..]);
    Ok(pieces
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect())
}

/// One axis of a sweep: a path and the values it takes.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Axis {
    /// The path, as for an override.
    pub path: String,
    /// The first value.
    pub from: f64,
    /// The last value.
    pub to: f64,
    /// How many points.
    pub steps: u32,
    /// The values as written into the overrides, in order.
    pub values: Vec<String>,
}

impl Axis {
    /// Reads `PATH=LO..HI:STEPS`; `Ok(None)` if the value is not a range (an ordinary
    /// override).
    pub fn parse(arg: &str) -> Result<Option<Axis>, ExperimentError> {
        let o = Override::parse(arg).map_err(|e| ExperimentError::Spec {
            arg: arg.to_string(),
            message: e.to_string(),
        })?;
        let numeric = o
            .value
            .starts_with(|c: char| c.is_ascii_digit() || matches!(c, '-' | '+' | '.'));
        let Some((lo, rest)) = o.value.split_once("..").filter(|_| numeric) else {
            return Ok(None);
        };
        let bad = |message: String| ExperimentError::Spec {
            arg: arg.to_string(),
            message,
        };
        let (hi, steps) = rest.split_once(':').ok_or_else(|| {
            bad("a range is written LO..HI:STEPS, e.g. actors.RUS.capability=0.1..0.9:5".into())
        })?;
        let number = |s: &str| -> Result<f64, ExperimentError> {
            let x: f64 = s
                .trim()
                .parse()
                .map_err(|_| bad(format!("`{}` is not a number", s.trim())))?;
            if x.is_finite() {
                Ok(x)
            } else {
                Err(bad(format!("`{}` is not a finite number", s.trim())))
            }
        };
        let (from, to) = (number(lo)?, number(hi)?);
        let steps: u32 = steps.trim().parse().map_err(|_| {
            bad(format!(
                "`{}` is not a number of points (a whole number ≥ 2)",
                steps.trim()
            ))
        })?;
        if steps < 2 || steps as usize > MAX_POINTS {
            return Err(bad(format!(
                "{steps} points: a range needs from 2 to {MAX_POINTS} (a single value is an \
                 ordinary --set PATH=VALUE)"
            )));
        }
        let last = f64::from(steps - 1);
        let values = (0..steps)
            .map(|i| {
                let x = match i {
                    0 => from,
                    i if i == steps - 1 => to,
                    i => from + (to - from) * f64::from(i) / last,
                };
                decimal(x)
            })
            .collect();
        Ok(Some(Axis {
            path: o.path,
            from,
            to,
            steps,
            values,
        }))
    }

    /// The override of point `i` of this axis.
    pub fn at(&self, i: usize) -> Override {
        Override {
            path: self.path.clone(),
            value: self.values[i].clone(),
        }
    }
}

/// `x` with at most 12 decimals and no trailing zeros: `0.30000000000000004` → `0.3`,
/// `20.0` → `20`.
fn decimal(x: f64) -> String {
    let s = format!("{x:.12}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// The points of the grid of `axes` (their product; the first axis varies slowest), each as the
/// index of every axis's value. Refuses more than [`MAX_POINTS`].
pub fn grid(axes: &[Axis]) -> Result<Vec<Vec<usize>>, ExperimentError> {
    let count = axes
        .iter()
        .try_fold(1usize, |n, a| n.checked_mul(a.steps as usize))
        .filter(|&n| n <= MAX_POINTS)
        .ok_or_else(|| ExperimentError::TooManyPoints {
            axes: axes
                .iter()
                .map(|a| format!("{} ({} points)", a.path, a.steps))
                .collect::<Vec<_>>()
                .join(" × "),
            limit: MAX_POINTS,
        })?;
    let mut points = Vec::with_capacity(count);
    for mut k in 0..count {
        let mut point = vec![0; axes.len()];
        for (slot, a) in point.iter_mut().zip(axes).rev() {
            *slot = k % a.steps as usize;
            k /= a.steps as usize;
        }
        points.push(point);
    }
    Ok(points)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(s: &str) -> Vec<String> {
        split_overrides(s).unwrap()
    }

    #[test]
    fn variants_split_between_overrides_only() {
        assert_eq!(
            split("actors.RUS.capability=Uniform(0.2, 0.3) protocol.max_rounds=40"),
            [
                "actors.RUS.capability=Uniform(0.2, 0.3)",
                "protocol.max_rounds=40"
            ]
        );
        assert_eq!(
            split(" a.b=1 ;c.d = 2;; e=Order([\"EU\", \"ARM\"])  "),
            ["a.b=1", "c.d = 2", "e=Order([\"EU\", \"ARM\"])"]
        );
        assert_eq!(
            split("metadata.name=\"x y=z; w\" relations.ARM-AZE=-0.5"),
            ["metadata.name=\"x y=z; w\"", "relations.ARM-AZE=-0.5"]
        );
        assert_eq!(
            split("actors.AZE.strategy=Boulware(beta: 0.3)"),
            ["actors.AZE.strategy=Boulware(beta: 0.3)"]
        );
        assert!(split_overrides("a=Uniform(0.1, 0.2").is_err());
        assert!(split_overrides("a=\"open").is_err());
        assert!(split_overrides("a=0.1)").is_err());
    }

    #[test]
    fn names_come_before_the_first_colon_ahead_of_any_equals() {
        let v = VariantSpec::parse("weak-russia: actors.RUS.capability=0.25").unwrap();
        assert_eq!(v.name.as_deref(), Some("weak-russia"));
        assert_eq!(v.overrides[0].to_string(), "actors.RUS.capability=0.25");
        let v = VariantSpec::parse("actors.AZE.strategy=Boulware(beta: 0.3)").unwrap();
        assert_eq!(v.name, None);
        assert_eq!(v.overrides[0].value, "Boulware(beta: 0.3)");
        let v = VariantSpec::parse("soft: actors.AZE.strategy=Conceder(beta: 2.0); x.y=1").unwrap();
        assert_eq!(v.name.as_deref(), Some("soft"));
        assert_eq!(v.overrides.len(), 2);
        for bad in ["weak:", ": a=1", "name: nothing", "n: =3"] {
            let err = VariantSpec::parse(bad).unwrap_err().to_string();
            assert!(err.contains(bad.trim()), "{bad}: {err}");
        }
    }

    #[test]
    fn ranges_give_evenly_spaced_tidy_values() {
        let a = Axis::parse("actors.RUS.capability=0.1..0.5:5")
            .unwrap()
            .unwrap();
        assert_eq!(a.path, "actors.RUS.capability");
        assert_eq!(a.values, ["0.1", "0.2", "0.3", "0.4", "0.5"]);
        let a = Axis::parse("protocol.max_rounds = 10..40:4")
            .unwrap()
            .unwrap();
        assert_eq!(a.values, ["10", "20", "30", "40"]);
        let a = Axis::parse("relations.ARM-AZE=-1..1:3").unwrap().unwrap();
        assert_eq!(a.values, ["-1", "0", "1"]);
        assert_eq!(a.at(2).to_string(), "relations.ARM-AZE=1");
        let a = Axis::parse("x=0..1:4").unwrap().unwrap();
        assert_eq!(a.values, ["0", "0.333333333333", "0.666666666667", "1"]);
        assert_eq!(Axis::parse("x=Uniform(0.1, 0.2)").unwrap(), None);
        assert_eq!(Axis::parse("x=0.3").unwrap(), None);
        assert_eq!(Axis::parse("metadata.name=\"a..b:3\"").unwrap(), None);
        for bad in ["x=0..1", "x=0..b:3", "x=0..1:1", "x=0..1:two", "x=0..inf:3"] {
            let err = Axis::parse(bad).unwrap_err().to_string();
            assert!(err.contains(bad), "{bad}: {err}");
        }
    }

    #[test]
    fn the_grid_is_the_product_first_axis_slowest() {
        let a = Axis::parse("a=0..1:2").unwrap().unwrap();
        let b = Axis::parse("b=0..2:3").unwrap().unwrap();
        let g = grid(&[a.clone(), b.clone()]).unwrap();
        assert_eq!(
            g,
            [[0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [1, 2]].map(|p| p.to_vec())
        );
        assert_eq!(grid(&[]).unwrap(), vec![Vec::<usize>::new()]);
        let big = Axis::parse("c=0..1:200").unwrap().unwrap();
        let err = grid(&[big.clone(), big]).unwrap_err().to_string();
        assert!(err.contains("c (200 points) × c (200 points)"), "{err}");
    }
}
