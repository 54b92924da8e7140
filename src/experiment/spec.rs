//! Sweep axes (`PATH=LO..HI:STEPS`) and their grid.
//!
//! # Sweep axes
//!
//! `--set PATH=LO..HI:STEPS` (a value that starts like a number and holds `..`) is an axis of
//! STEPS ≥ 2 evenly spaced points from LO to HI inclusive: point i (0-based) is
//! LO + (HI − LO) · i / (STEPS − 1), written with at most 12 decimals and no trailing zeros (so
//! `10..40:4` gives the whole numbers 10, 20, 30, 40 that integer fields need). Any other
//! `--set` is an ordinary override applied at every point.

use super::ExperimentError;

/// The most points a sweep may have.
pub const MAX_POINTS: usize = 10_000;

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
    /// Reads the setting `path=value` as an axis if its value is a range `LO..HI:STEPS`;
    /// `Ok(None)` if the value is not a range (an ordinary setting).
    pub fn from_setting(path: &str, value: &str) -> Result<Option<Axis>, ExperimentError> {
        let numeric =
            value.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '-' | '+' | '.'));
        let Some((lo, rest)) = value.split_once("..").filter(|_| numeric) else {
            return Ok(None);
        };
        let bad = |message: String| ExperimentError::Spec {
            arg: format!("{path}={value}"),
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
            path: path.to_string(),
            from,
            to,
            steps,
            values,
        }))
    }

    /// The setting `PATH=VALUE` of point `i` of this axis.
    pub fn at(&self, i: usize) -> String {
        format!("{}={}", self.path, self.values[i])
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

    /// `PATH=VALUE` read as an axis.
    fn axis(arg: &str) -> Result<Option<Axis>, ExperimentError> {
        let (path, value) = arg.split_once('=').expect("PATH=VALUE");
        Axis::from_setting(path.trim(), value.trim())
    }

    #[test]
    fn ranges_give_evenly_spaced_tidy_values() {
        let a = axis("actors.RUS.capability=0.1..0.5:5").unwrap().unwrap();
        assert_eq!(a.path, "actors.RUS.capability");
        assert_eq!(a.values, ["0.1", "0.2", "0.3", "0.4", "0.5"]);
        let a = axis("protocol.max_rounds = 10..40:4").unwrap().unwrap();
        assert_eq!(a.values, ["10", "20", "30", "40"]);
        let a = axis("relations.ARM-AZE=-1..1:3").unwrap().unwrap();
        assert_eq!(a.values, ["-1", "0", "1"]);
        assert_eq!(a.at(2), "relations.ARM-AZE=1");
        let a = axis("x=0..1:4").unwrap().unwrap();
        assert_eq!(a.values, ["0", "0.333333333333", "0.666666666667", "1"]);
        assert_eq!(axis("x=Uniform(0.1, 0.2)").unwrap(), None);
        assert_eq!(axis("x=0.3").unwrap(), None);
        assert_eq!(axis("metadata.name=\"a..b:3\"").unwrap(), None);
        for bad in ["x=0..1", "x=0..b:3", "x=0..1:1", "x=0..1:two", "x=0..inf:3"] {
            let err = axis(bad).unwrap_err().to_string();
            assert!(err.contains(bad), "{bad}: {err}");
        }
    }

    #[test]
    fn the_grid_is_the_product_first_axis_slowest() {
        let a = axis("a=0..1:2").unwrap().unwrap();
        let b = axis("b=0..2:3").unwrap().unwrap();
        let g = grid(&[a.clone(), b.clone()]).unwrap();
        assert_eq!(
            g,
            [[0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [1, 2]].map(|p| p.to_vec())
        );
        assert_eq!(grid(&[]).unwrap(), vec![Vec::<usize>::new()]);
        let big = axis("c=0..1:200").unwrap().unwrap();
        let err = grid(&[big.clone(), big]).unwrap_err().to_string();
        assert!(err.contains("c (200 points) × c (200 points)"), "{err}");
    }
}
