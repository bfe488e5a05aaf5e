//! [`Timestamp`]: a `date-time` value that keeps the server's text and reads
//! as a [`SystemTime`]; [`EpochMillis`]: a param sent as milliseconds since
//! the Unix epoch.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::IntoParam;

/// A point in time as the API writes it: RFC 3339 text such as
/// `2016-06-13T04:00:00.000Z`.
///
/// It keeps the exact text it was decoded from and sends that text back, so
/// a read-modify-write never changes a value the caller did not touch, and a
/// value this client cannot parse still decodes. [`to_system_time`](Self::to_system_time)
/// reads it; a [`SystemTime`] converts into one (written with milliseconds,
/// in UTC, as the API writes them). With the `chrono` or `time` feature it
/// also converts to and from those crates' types.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use losant_rest::Timestamp;
///
/// let at = Timestamp::from_text("2016-06-13T04:00:00.250+01:00");
/// assert_eq!(at.as_str(), "2016-06-13T04:00:00.250+01:00");
/// assert_eq!(at.to_system_time(), Some(UNIX_EPOCH + Duration::from_millis(1_465_786_800_250)));
/// assert_eq!(Timestamp::from(UNIX_EPOCH + Duration::from_millis(1_465_786_800_250)).as_str(), "2016-06-13T03:00:00.250Z");
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Timestamp(String);

impl Timestamp {
    /// A timestamp holding `text` exactly (it is not checked: the API decides).
    pub fn from_text(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    /// The text, as the server sent it or as it will be sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The text, taken out.
    pub fn into_string(self) -> String {
        self.0
    }

    /// The point in time, or `None` when the text is not RFC 3339
    /// (`YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`).
    pub fn to_system_time(&self) -> Option<SystemTime> {
        let (seconds, nanos) = rfc3339::parse(&self.0)?;
        let since = Duration::new(seconds.unsigned_abs(), 0);
        let whole = if seconds >= 0 { UNIX_EPOCH.checked_add(since)? } else { UNIX_EPOCH.checked_sub(since)? };
        whole.checked_add(Duration::from_nanos(u64::from(nanos)))
    }

    /// Milliseconds since the Unix epoch (negative before it), or `None` when
    /// the text is not RFC 3339.
    pub fn to_epoch_millis(&self) -> Option<i64> {
        let (seconds, nanos) = rfc3339::parse(&self.0)?;
        seconds.checked_mul(1000)?.checked_add(i64::from(nanos / 1_000_000))
    }
}

impl From<SystemTime> for Timestamp {
    /// `2016-06-13T04:00:00.000Z`: UTC, milliseconds, as the API writes times.
    fn from(time: SystemTime) -> Self {
        let (seconds, millis) = match time.duration_since(UNIX_EPOCH) {
            Ok(after) => (after.as_secs() as i64, after.subsec_millis()),
            Err(before) => {
                let before = before.duration();
                let (mut seconds, mut millis) = (-(before.as_secs() as i64), before.subsec_millis());
                if millis > 0 || before.subsec_nanos() > 0 {
                    // Round down to the millisecond, as after the epoch.
                    seconds -= 1;
                    millis = 1000 - before.subsec_nanos().div_ceil(1_000_000);
                }
                (seconds, millis)
            }
        };
        Self(rfc3339::format(seconds, millis))
    }
}

/// Text, sent exactly as given (as [`Timestamp::from_text`]).
impl From<String> for Timestamp {
    fn from(text: String) -> Self {
        Self(text)
    }
}

/// Text, sent exactly as given (as [`Timestamp::from_text`]).
impl From<&str> for Timestamp {
    fn from(text: &str) -> Self {
        Self(text.to_owned())
    }
}

impl From<Timestamp> for String {
    fn from(time: Timestamp) -> Self {
        time.0
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({:?})", self.0)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self)
    }
}

#[cfg(feature = "chrono")]
mod with_chrono {
    use super::Timestamp;

    impl Timestamp {
        /// The point in time as a `chrono` UTC time, or `None` when the text is not RFC 3339.
        pub fn to_chrono(&self) -> Option<chrono::DateTime<chrono::Utc>> {
            chrono::DateTime::parse_from_rfc3339(&self.0).ok().map(|t| t.with_timezone(&chrono::Utc))
        }
    }

    impl<Tz: chrono::TimeZone> From<chrono::DateTime<Tz>> for Timestamp {
        /// UTC, milliseconds, as the API writes times.
        fn from(time: chrono::DateTime<Tz>) -> Self {
            Self(time.with_timezone(&chrono::Utc).to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        }
    }
}

#[cfg(feature = "time")]
mod with_time {
    use super::Timestamp;

    impl Timestamp {
        /// The point in time as a `time` offset date-time (in the offset the
        /// text gives), or `None` when the text is not RFC 3339.
        pub fn to_offset_date_time(&self) -> Option<time::OffsetDateTime> {
            time::OffsetDateTime::parse(&self.0, &time::format_description::well_known::Rfc3339).ok()
        }
    }

    impl From<time::OffsetDateTime> for Timestamp {
        /// UTC, milliseconds, as the API writes times.
        fn from(time: time::OffsetDateTime) -> Self {
            let utc = time.to_offset(time::UtcOffset::UTC);
            let seconds = utc.unix_timestamp();
            Self(super::rfc3339::format(seconds, u32::from(utc.millisecond())))
        }
    }
}

/// The Rust type of a param documented as milliseconds since the Unix epoch
/// (`start`, `end`, `since`, ...): its setter takes a [`SystemTime`], a
/// [`Timestamp`], a [`Duration`] since the epoch, an integer of milliseconds
/// (negative ones too: some actions read them as relative to now), or text
/// sent as it is.
///
/// ```no_run
/// # use std::time::{Duration, SystemTime};
/// # let client = losant_rest::Client::new("token");
/// let day_ago = SystemTime::now() - Duration::from_secs(86_400);
/// let counts = client.org().device_counts("575ed6e87ae143cd83dc4aa8").start(day_ago).end(SystemTime::now());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EpochMillis(pub i64);

impl IntoParam<EpochMillis> for EpochMillis {
    fn into_param_text(self) -> String {
        self.0.to_string()
    }
}

impl IntoParam<EpochMillis> for SystemTime {
    fn into_param_text(self) -> String {
        let millis = match self.duration_since(UNIX_EPOCH) {
            Ok(after) => after.as_millis() as i64,
            Err(before) => -(before.duration().as_millis() as i64),
        };
        millis.to_string()
    }
}

impl IntoParam<EpochMillis> for Duration {
    /// The milliseconds of a duration since the epoch.
    fn into_param_text(self) -> String {
        self.as_millis().to_string()
    }
}

impl IntoParam<EpochMillis> for &Timestamp {
    /// Its milliseconds since the epoch; its text when that is not RFC 3339.
    fn into_param_text(self) -> String {
        self.to_epoch_millis().map_or_else(|| self.0.clone(), |millis| millis.to_string())
    }
}

impl IntoParam<EpochMillis> for Timestamp {
    fn into_param_text(self) -> String {
        (&self).into_param_text()
    }
}

macro_rules! millis_integers {
    ($($int:ty),*) => {$(
        impl IntoParam<EpochMillis> for $int {
            fn into_param_text(self) -> String {
                self.to_string()
            }
        }
    )*};
}

millis_integers!(i32, i64, u32, u64);

/// RFC 3339 without a dependency: what the API sends, nothing more.
mod rfc3339 {
    /// `(seconds since the epoch, nanoseconds)` of RFC 3339 text.
    pub(super) fn parse(text: &str) -> Option<(i64, u32)> {
        let b = text.as_bytes();
        let digits = |range: std::ops::Range<usize>| -> Option<i64> {
            let part = b.get(range)?;
            part.iter().all(u8::is_ascii_digit).then(|| part.iter().fold(0, |n, d| n * 10 + i64::from(d - b'0')))
        };
        if b.len() < 20
            || b[4] != b'-'
            || b[7] != b'-'
            || !matches!(b[10], b'T' | b't' | b' ')
            || b[13] != b':'
            || b[16] != b':'
        {
            return None;
        }
        let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
        let (hour, minute, second) = (digits(11..13)?, digits(14..16)?, digits(17..19)?);
        if !(1..=12).contains(&month)
            || day < 1
            || day > days_in_month(year, month)
            || hour > 23
            || minute > 59
            || second > 60
        {
            return None;
        }
        let mut at = 19;
        let mut nanos: u32 = 0;
        if b[at] == b'.' {
            let start = at + 1;
            at = start;
            while at < b.len() && b[at].is_ascii_digit() {
                if at - start < 9 {
                    nanos = nanos * 10 + u32::from(b[at] - b'0');
                }
                at += 1;
            }
            if at == start {
                return None;
            }
            for _ in (at - start).min(9)..9 {
                nanos *= 10;
            }
        }
        let offset = match b.get(at..)? {
            [b'Z' | b'z'] => 0,
            [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
                let (hours, minutes) = (digits(at + 1..at + 3)?, digits(at + 4..at + 6)?);
                if hours > 23 || minutes > 59 {
                    return None;
                }
                let offset = hours * 3600 + minutes * 60;
                if *sign == b'-' {
                    -offset
                } else {
                    offset
                }
            }
            _ => return None,
        };
        let days = days_from_civil(year, month, day);
        Some((days * 86_400 + hour * 3600 + minute * 60 + second.min(59) - offset, nanos))
    }

    /// `2016-06-13T04:00:00.000Z`.
    pub(super) fn format(seconds: i64, millis: u32) -> String {
        let (days, rest) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
        let (year, month, day) = civil_from_days(days);
        format!(
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{millis:03}Z",
            rest / 3600,
            rest % 3600 / 60,
            rest % 60
        )
    }

    fn days_in_month(year: i64, month: i64) -> i64 {
        match month {
            2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
        let year = if month <= 2 { year - 1 } else { year };
        let era = year.div_euclid(400);
        let year_of_era = year - era * 400;
        let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    /// The date of a day since 1970-01-01.
    fn civil_from_days(days: i64) -> (i64, i64, i64) {
        let days = days + 719_468;
        let era = days.div_euclid(146_097);
        let day_of_era = days - era * 146_097;
        let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let mp = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        (year_of_era + era * 400 + i64::from(month <= 2), month, day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn millis(value: impl IntoParam<EpochMillis>) -> String {
        value.into_param_text()
    }

    #[test]
    fn the_text_in_is_the_text_out_whatever_it_is() {
        for text in
            ["2016-06-13T04:00:00.000Z", "2016-06-13T04:00:00Z", "2016-06-13T04:00:00.123456+05:30", "not a time", ""]
        {
            let json = serde_json::to_string(text).unwrap();
            let time: Timestamp = serde_json::from_str(&json).unwrap();
            assert_eq!(time.as_str(), text);
            assert_eq!(serde_json::to_string(&time).unwrap(), json);
        }
        assert_eq!(Timestamp::from_text("not a time").to_system_time(), None);
        assert_eq!(Timestamp::from_text("2016-02-30T00:00:00Z").to_system_time(), None);
        assert_eq!(Timestamp::from_text("2016-06-13T04:00:00.Z").to_system_time(), None);
    }

    #[test]
    fn system_times_convert_both_ways() {
        let cases = [
            ("1970-01-01T00:00:00.000Z", 0),
            ("2016-06-13T04:00:00.000Z", 1_465_790_400_000),
            ("2000-02-29T23:59:59.999Z", 951_868_799_999),
            ("1969-12-31T23:59:59.500Z", -500),
            ("1901-01-01T00:00:00.000Z", -2_177_452_800_000),
        ];
        for (text, ms) in cases {
            let time = Timestamp::from_text(text);
            assert_eq!(time.to_epoch_millis(), Some(ms), "{text}");
            let system = time.to_system_time().unwrap();
            assert_eq!(Timestamp::from(system).as_str(), text);
            assert_eq!(millis(system), ms.to_string());
            assert_eq!(millis(&time), ms.to_string());
        }
        let offset = Timestamp::from_text("2016-06-13T09:30:00.000+05:30");
        assert_eq!(offset.to_epoch_millis(), Some(1_465_790_400_000));
        let nanos = Timestamp::from_text("2016-06-13T04:00:00.123456789Z").to_system_time().unwrap();
        assert_eq!(nanos.duration_since(UNIX_EPOCH).unwrap().subsec_nanos(), 123_456_789);
    }

    #[test]
    fn millisecond_params_take_times_durations_integers_and_text() {
        assert_eq!(millis(UNIX_EPOCH + Duration::from_millis(1_465_790_400_000)), "1465790400000");
        assert_eq!(millis(Duration::from_secs(86_400)), "86400000");
        assert_eq!(millis(-86_400_000_i64), "-86400000");
        assert_eq!(millis(EpochMillis(5)), "5");
        assert_eq!(millis("now"), "now");
        assert_eq!(millis(Timestamp::from_text("yesterday")), "yesterday");
    }

    #[cfg(feature = "chrono")]
    #[test]
    fn chrono_times_convert_both_ways() {
        let time = Timestamp::from_text("2016-06-13T09:30:00.250+05:30");
        let chrono = time.to_chrono().unwrap();
        assert_eq!(chrono.timestamp_millis(), 1_465_790_400_250);
        assert_eq!(Timestamp::from(chrono).as_str(), "2016-06-13T04:00:00.250Z");
        assert_eq!(Timestamp::from_text("nope").to_chrono(), None);
    }

    #[cfg(feature = "time")]
    #[test]
    fn time_crate_times_convert_both_ways() {
        let time = Timestamp::from_text("2016-06-13T09:30:00.250+05:30");
        let offset = time.to_offset_date_time().unwrap();
        assert_eq!(offset.unix_timestamp(), 1_465_790_400);
        assert_eq!(Timestamp::from(offset).as_str(), "2016-06-13T04:00:00.250Z");
        assert_eq!(Timestamp::from_text("nope").to_offset_date_time(), None);
    }
}
