//! The shop's clock: times are kept in UTC and shown, numbered and summed by day in
//! Vietnam's time zone.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Tz;

pub const SHOP_TIME_ZONE: Tz = chrono_tz::Asia::Ho_Chi_Minh;

/// The shop's calendar day at a moment.
pub fn local_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&SHOP_TIME_ZONE).date_naive()
}

/// The year document numbers restart in.
pub fn local_year(at: DateTime<Utc>) -> i32 {
    local_date(at).year()
}

/// How the screens show a day and take one typed: `26/11/2026`.
const DAY_FORMAT: &str = "%d/%m/%Y";

pub fn format_day(day: NaiveDate) -> String {
    day.format(DAY_FORMAT).to_string()
}

/// A day typed as `26/11/2026` (spaces around it ignored).
pub fn parse_typed_day(input: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(input.trim(), DAY_FORMAT).ok()
}

/// `26/11/2026 14:05`, as printed on documents.
pub fn format_local(at: DateTime<Utc>) -> String {
    at.with_timezone(&SHOP_TIME_ZONE)
        .format("%d/%m/%Y %H:%M")
        .to_string()
}

/// The first moment of a local day, in UTC.
pub fn start_of_local_day(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(0, 0, 0)
        .expect("midnight exists")
        .and_local_timezone(SHOP_TIME_ZONE)
        .single()
        .expect("Vietnam has no daylight saving")
        .with_timezone(&Utc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_day_is_shown_and_typed_the_vietnamese_way() {
        let day = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
        assert_eq!(format_day(day), "01/01/2027");
        assert_eq!(parse_typed_day(" 01/01/2027 "), Some(day));
        assert_eq!(parse_typed_day("1/1/2027"), Some(day));
        assert_eq!(parse_typed_day("2027-01-01"), None);
        assert_eq!(parse_typed_day("31/02/2027"), None);
    }

    #[test]
    fn local_day_turns_at_local_midnight() {
        let before = Utc.with_ymd_and_hms(2026, 12, 31, 16, 59, 59).unwrap();
        let after = Utc.with_ymd_and_hms(2026, 12, 31, 17, 0, 0).unwrap();
        assert_eq!(local_year(before), 2026);
        assert_eq!(local_year(after), 2027);
        assert_eq!(
            start_of_local_day(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()),
            after
        );
        assert_eq!(format_local(after), "01/01/2027 00:00");
    }
}
