//! The round length as scenario files write it: `"N day(s)"`, `"N week(s)"`, `"N month(s)"` or
//! `"N year(s)"`.

use crate::model::TimeUnit;

/// Parses a round length: `"N day(s)"`, `"N week(s)"`, `"N month(s)"` or `"N year(s)"`, N ≥ 1.
/// On failure, returns what would be allowed.
pub fn parse_round(text: &str) -> Result<(u32, TimeUnit), &'static str> {
    const ALLOWED: &str = "\"N day(s)\", \"N week(s)\", \"N month(s)\" or \"N year(s)\" with a whole N ≥ 1, e.g. \"1 month\"";
    let mut words = text.split_whitespace();
    let (Some(n), Some(unit), None) = (words.next(), words.next(), words.next()) else {
        return Err(ALLOWED);
    };
    if !n.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ALLOWED);
    }
    let n: u32 = n.parse().map_err(|_| ALLOWED)?;
    if n == 0 {
        return Err(ALLOWED);
    }
    let unit = match unit.to_ascii_lowercase().as_str() {
        "day" | "days" => TimeUnit::Day,
        "week" | "weeks" => TimeUnit::Week,
        "month" | "months" => TimeUnit::Month,
        "year" | "years" => TimeUnit::Year,
        _ => return Err(ALLOWED),
    };
    Ok((n, unit))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_parse_in_every_unit() {
        assert_eq!(parse_round("1 month"), Ok((1, TimeUnit::Month)));
        assert_eq!(parse_round("2 weeks"), Ok((2, TimeUnit::Week)));
        assert_eq!(parse_round(" 10  days "), Ok((10, TimeUnit::Day)));
        assert_eq!(parse_round("1 Year"), Ok((1, TimeUnit::Year)));
        for bad in [
            "",
            "month",
            "0 months",
            "-1 month",
            "1.5 months",
            "1 fortnight",
            "1 month later",
            "+1 month",
            "99999999999 days",
        ] {
            assert!(parse_round(bad).is_err(), "{bad:?} accepted");
        }
    }
}
