//! The calendar of rounds: what one round stands for (`1 month`) and the date of round 1
//! (`2023-07-01`), so reports can speak of dates.
//!
//! Dates are proleptic Gregorian: a year is a leap year when it is divisible by 4 and not by 100,
//! or divisible by 400. Round r (1-based) starts (r − 1) round lengths after round 1. Adding
//! months or years keeps the day of the month, clamped to the last day of a shorter month
//! (2024-01-31 + 1 month = 2024-02-29).

/// The calendar of rounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Calendar {
    /// How many units one round lasts.
    pub count: u32,
    /// The unit of a round.
    pub unit: TimeUnit,
    /// The date of round 1, if the scenario gives one.
    pub start: Option<Date>,
}

/// A calendar unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeUnit {
    /// Days.
    Day,
    /// Weeks.
    Week,
    /// Months.
    Month,
    /// Years.
    Year,
}

/// A calendar date (proleptic Gregorian).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    /// Year.
    pub year: i32,
    /// Month, 1..=12.
    pub month: u8,
    /// Day, 1..=31.
    pub day: u8,
}

/// Whether `year` is a leap year.
pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// The number of days in `month` (1..=12) of `year`.
pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Parses a date `YYYY-MM-DD` (years 1..=9999), checking that the day exists.
/// On failure, returns what would be allowed.
pub fn parse_date(text: &str) -> Result<Date, &'static str> {
    const ALLOWED: &str = "a real date written YYYY-MM-DD, e.g. \"2023-07-01\"";
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' || !digits(0..4) || !digits(5..7) {
        return Err(ALLOWED);
    }
    if !digits(8..10) {
        return Err(ALLOWED);
    }
    let year: i32 = text[0..4].parse().map_err(|_| ALLOWED)?;
    let month: u8 = text[5..7].parse().map_err(|_| ALLOWED)?;
    let day: u8 = text[8..10].parse().map_err(|_| ALLOWED)?;
    if year < 1 || !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return Err(ALLOWED);
    }
    Ok(Date { year, month, day })
}

/// Days from 1970-01-01 to a date (Hinnant's `days_from_civil`, exact for the proleptic
/// Gregorian calendar).
fn days_from_civil(d: Date) -> i64 {
    let y = i64::from(d.year) - i64::from(d.month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(d.month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d.day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date `z` days after 1970-01-01 (Hinnant's `civil_from_days`); `None` outside years
/// 1..=9999.
fn civil_from_days(z: i64) -> Option<Date> {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    if !(1..=9999).contains(&year) {
        return None;
    }
    Some(Date {
        year: i32::try_from(year).ok()?,
        month: u8::try_from(month).ok()?,
        day: u8::try_from(day).ok()?,
    })
}

impl Date {
    /// The date `days` days later; `None` after the year 9999.
    pub fn plus_days(self, days: u64) -> Option<Date> {
        let days = i64::try_from(days).ok()?;
        civil_from_days(days_from_civil(self).checked_add(days)?)
    }

    /// The date `months` months later, the day clamped to the end of a shorter month; `None`
    /// after the year 9999.
    pub fn plus_months(self, months: u64) -> Option<Date> {
        let total = u64::from(self.month - 1).checked_add(months)?;
        let year = i64::from(self.year).checked_add(i64::try_from(total / 12).ok()?)?;
        if year > 9999 {
            return None;
        }
        let year = i32::try_from(year).ok()?;
        let month = u8::try_from(total % 12).ok()? + 1;
        let day = self.day.min(days_in_month(year, month));
        Some(Date { year, month, day })
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl std::fmt::Display for TimeUnit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            TimeUnit::Day => "day",
            TimeUnit::Week => "week",
            TimeUnit::Month => "month",
            TimeUnit::Year => "year",
        })
    }
}

impl Calendar {
    /// The date on which round `round` (1-based) starts: `None` if the scenario gives no start
    /// date, or the date would fall after 9999-12-31. Round 0 is taken as round 1.
    pub fn date_of_round(&self, round: u32) -> Option<Date> {
        let start = self.start?;
        let steps = u64::from(round.saturating_sub(1)) * u64::from(self.count);
        match self.unit {
            TimeUnit::Day => start.plus_days(steps),
            TimeUnit::Week => start.plus_days(7 * steps),
            TimeUnit::Month => start.plus_months(steps),
            TimeUnit::Year => start.plus_months(12 * steps),
        }
    }

    /// The length of one round in words, e.g. `"1 month"`, `"2 weeks"`.
    pub fn round_length(&self) -> String {
        let s = if self.count == 1 { "" } else { "s" };
        format!("{} {}{s}", self.count, self.unit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(year: i32, month: u8, day: u8) -> Date {
        Date { year, month, day }
    }

    #[test]
    fn dates_must_exist() {
        assert_eq!(parse_date("2023-07-01"), Ok(date(2023, 7, 1)));
        assert_eq!(parse_date("2024-02-29"), Ok(date(2024, 2, 29)));
        assert_eq!(parse_date("2000-02-29"), Ok(date(2000, 2, 29)));
        for bad in [
            "2023-02-29",
            "1900-02-29",
            "2023-13-01",
            "2023-00-10",
            "2023-04-31",
            "2023-07-00",
            "0000-01-01",
            "2023-7-1",
            "2023/07/01",
            "23-07-01",
            "2023-07-01T00",
            "२०२३-07-01",
            "",
        ] {
            assert!(parse_date(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn leap_years_follow_the_gregorian_rule() {
        assert!(is_leap_year(2024));
        assert!(is_leap_year(2000));
        assert!(!is_leap_year(1900));
        assert!(!is_leap_year(2023));
    }

    #[test]
    fn round_dates_step_by_the_round_length() {
        let monthly = Calendar {
            count: 1,
            unit: TimeUnit::Month,
            start: Some(date(2023, 7, 1)),
        };
        assert_eq!(monthly.date_of_round(1), Some(date(2023, 7, 1)));
        assert_eq!(monthly.date_of_round(7), Some(date(2024, 1, 1)));
        let end_of_month = Calendar {
            start: Some(date(2024, 1, 31)),
            ..monthly
        };
        assert_eq!(end_of_month.date_of_round(2), Some(date(2024, 2, 29)));
        let weekly = Calendar {
            count: 2,
            unit: TimeUnit::Week,
            start: Some(date(2023, 12, 25)),
        };
        assert_eq!(weekly.date_of_round(2), Some(date(2024, 1, 8)));
        let daily = Calendar {
            count: 1,
            unit: TimeUnit::Day,
            start: Some(date(2024, 2, 28)),
        };
        assert_eq!(daily.date_of_round(2), Some(date(2024, 2, 29)));
        assert_eq!(daily.date_of_round(3), Some(date(2024, 3, 1)));
        assert_eq!(daily.date_of_round(368), Some(date(2025, 3, 1)));
        // 1970-01-01 is day 0; 2000-03-01 is day 11,017.
        assert_eq!(days_from_civil(date(1970, 1, 1)), 0);
        assert_eq!(days_from_civil(date(2000, 3, 1)), 11_017);
        for z in [-719_162, -1, 0, 1, 11_016, 11_017, 2_932_896] {
            assert_eq!(civil_from_days(z).map(days_from_civil), Some(z));
        }
        let yearly = Calendar {
            count: 1,
            unit: TimeUnit::Year,
            start: Some(date(2024, 2, 29)),
        };
        assert_eq!(yearly.date_of_round(2), Some(date(2025, 2, 28)));
        assert_eq!(
            Calendar {
                start: None,
                ..yearly
            }
            .date_of_round(2),
            None
        );
        let long = Calendar {
            count: u32::MAX,
            unit: TimeUnit::Day,
            start: Some(date(2023, 7, 1)),
        };
        assert_eq!(long.date_of_round(100_000), None);
        assert_eq!(yearly.date_of_round(7976), Some(date(9999, 2, 28)));
        assert_eq!(yearly.date_of_round(7977), None);
        assert_eq!(weekly.round_length(), "2 weeks");
        assert_eq!(monthly.round_length(), "1 month");
        assert_eq!(date(2023, 7, 1).to_string(), "2023-07-01");
    }
}
