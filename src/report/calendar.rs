//! Dates of rounds.
//!
//! Round r (r ≥ 1) starts (r − 1) · count units after the scenario's start date. Months and years
//! are added on the calendar (31 January + 1 month = 29 February in a leap year: the day is
//! clamped to the month's length); days and weeks are added as days, with the civil-date
//! conversions of Hinnant ("chrono-compatible low-level date algorithms").

use super::outline::{CalendarOutline, UnitName};
use crate::model::Date;

/// The date round `round` starts, if the calendar has a start date.
pub fn round_date(calendar: &CalendarOutline, round: u32) -> Option<Date> {
    let start = calendar.start?;
    let steps = i64::from(round.max(1) - 1) * i64::from(calendar.count);
    match calendar.unit {
        UnitName::Day => add_days(start, steps),
        UnitName::Week => add_days(start, steps * 7),
        UnitName::Month => add_months(start, steps),
        UnitName::Year => add_months(start, steps * 12),
    }
}

/// `YYYY-MM-DD`.
pub fn format_date(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year, d.month, d.day)
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn month_length(y: i64, m: u8) -> u8 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn add_months(d: Date, n: i64) -> Option<Date> {
    let months = i64::from(d.year) * 12 + i64::from(d.month) - 1 + n;
    let year = months.div_euclid(12);
    let month = (months.rem_euclid(12) + 1) as u8;
    Some(Date {
        year: i32::try_from(year).ok()?,
        month,
        day: d.day.min(month_length(year, month)),
    })
}

/// Days since 1970-01-01 of a civil date (Hinnant's `days_from_civil`).
fn days_from_civil(d: Date) -> i64 {
    let m = i64::from(d.month);
    let y = i64::from(d.year) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d.day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count since 1970-01-01 (Hinnant's `civil_from_days`).
fn civil_from_days(z: i64) -> Option<Date> {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = (if mp < 10 { mp + 3 } else { mp - 9 }) as u8;
    let year = yoe + era * 400 + i64::from(month <= 2);
    Some(Date {
        year: i32::try_from(year).ok()?,
        month,
        day,
    })
}

fn add_days(d: Date, n: i64) -> Option<Date> {
    civil_from_days(days_from_civil(d) + n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(year: i32, month: u8, day: u8) -> Date {
        Date { year, month, day }
    }

    fn cal(count: u32, unit: UnitName, start: Date) -> CalendarOutline {
        CalendarOutline {
            count,
            unit,
            start: Some(start),
        }
    }

    #[test]
    fn months_roll_over_years_and_clamp_days() {
        let c = cal(1, UnitName::Month, date(2023, 7, 1));
        assert_eq!(round_date(&c, 1), Some(date(2023, 7, 1)));
        assert_eq!(round_date(&c, 7), Some(date(2024, 1, 1)));
        assert_eq!(round_date(&c, 19), Some(date(2025, 1, 1)));
        let c = cal(1, UnitName::Month, date(2023, 1, 31));
        assert_eq!(round_date(&c, 2), Some(date(2023, 2, 28)));
        assert_eq!(round_date(&c, 14), Some(date(2024, 2, 29)));
        let c = cal(2, UnitName::Year, date(2020, 2, 29));
        assert_eq!(round_date(&c, 2), Some(date(2022, 2, 28)));
    }

    #[test]
    fn days_and_weeks_follow_the_civil_calendar() {
        assert_eq!(days_from_civil(date(1970, 1, 1)), 0);
        assert_eq!(days_from_civil(date(2000, 3, 1)), 11_017);
        for z in [-800_000, -1, 0, 59, 11_016, 19_000, 2_000_000] {
            assert_eq!(days_from_civil(civil_from_days(z).unwrap()), z);
        }
        let c = cal(1, UnitName::Week, date(2023, 12, 25));
        assert_eq!(round_date(&c, 2), Some(date(2024, 1, 1)));
        let c = cal(10, UnitName::Day, date(2024, 2, 25));
        assert_eq!(round_date(&c, 2), Some(date(2024, 3, 6)));
        assert_eq!(format_date(date(2024, 3, 6)), "2024-03-06");
    }

    #[test]
    fn no_start_no_date() {
        let c = CalendarOutline {
            count: 1,
            unit: UnitName::Month,
            start: None,
        };
        assert_eq!(round_date(&c, 3), None);
    }
}
