#[allow(unused_imports)]
use super::*;

/// An `Edm.DateTimeOffset`, kept as the text it was read with.
///
/// Every form of the OData ABNF reads: with or without seconds (`2024-02-14T07:37Z`), with 0
/// to 12 fractional digits, with `Z` or an offset. A value a service sent without an offset
/// (`2024-02-14T07:37:32`, not valid OData but common) is kept as a local date and time rather
/// than failing the whole object: [`DateTimeOffset::value`] is `None` for it and
/// [`DateTimeOffset::local`] has it. A value is written back as the text it was read with;
/// values made from a chrono `DateTime` are written in RFC 3339 with `Z` for UTC and as many
/// fractional digits as they need (0, 3, 6 or 9). Two values are equal when they are the same
/// instant (or, without an offset, the same local time).
#[derive(Clone, Debug)]
pub struct DateTimeOffset {
    text: Box<str>,
    local: chrono::NaiveDateTime,
    offset: Option<chrono::FixedOffset>,
}

/// Why a text is not an `Edm.DateTimeOffset` or `Edm.TimeOfDay`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateTimeError(String);

impl fmt::Display for DateTimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not an OData date and time (YYYY-MM-DDThh:mm[:ss[.fffffffff]][Z|±hh:mm]) or time of day (hh:mm[:ss[.fffffffff]])", self.0)
    }
}

impl std::error::Error for DateTimeError {}

impl DateTimeOffset {
    /// The instant, when the text has an offset (as OData requires).
    pub fn value(&self) -> Option<chrono::DateTime<chrono::FixedOffset>> {
        let offset = self.offset?;
        self.local.and_local_timezone(offset).single()
    }

    /// The date and time as written, without its offset.
    pub fn local(&self) -> chrono::NaiveDateTime {
        self.local
    }

    /// The offset, when the text has one.
    pub fn offset(&self) -> Option<chrono::FixedOffset> {
        self.offset
    }

    /// The text, exactly as it was read (or made).
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// Splits an offset (`Z`, `z`, `+hh:mm`, `-hh:mm`) off the end of a date and time.
fn split_offset(text: &str) -> Option<(&str, Option<chrono::FixedOffset>)> {
    if let Some(local) = text.strip_suffix(['Z', 'z']) {
        return Some((local, chrono::FixedOffset::east_opt(0)));
    }
    let bytes = text.as_bytes();
    let at = bytes.len().checked_sub(6)?;
    if !matches!(bytes[at], b'+' | b'-') || bytes[at + 3] != b':' {
        return Some((text, None));
    }
    let two = |from: usize| -> Option<i32> {
        let digits = text.get(from..from + 2)?;
        digits.bytes().all(|b| b.is_ascii_digit()).then(|| digits.parse().ok())?
    };
    let (hours, minutes) = (two(at + 1)?, two(at + 4)?);
    if hours > 23 || minutes > 59 {
        return None;
    }
    let seconds = (hours * 60 + minutes) * 60;
    let offset = if bytes[at] == b'-' {
        chrono::FixedOffset::west_opt(seconds)
    } else {
        chrono::FixedOffset::east_opt(seconds)
    };
    Some((&text[..at], offset))
}

/// Reads `hh:mm`, `hh:mm:ss` or `hh:mm:ss.f` (up to 12 fractional digits; nanoseconds kept).
fn parse_time_of_day(text: &str) -> Option<chrono::NaiveTime> {
    let digits = |part: &str, len: usize| part.len() == len && part.bytes().all(|b| b.is_ascii_digit());
    let mut parts = text.splitn(3, ':');
    let (hour, minute) = (parts.next()?, parts.next()?);
    let (second, fraction) = match parts.next() {
        Some(rest) => rest.split_once('.').map_or((rest, None), |(s, f)| (s, Some(f))),
        None => ("00", None),
    };
    if !digits(hour, 2) || !digits(minute, 2) || !digits(second, 2) {
        return None;
    }
    let nanos = match fraction {
        None => 0,
        Some(f) if (1..=12).contains(&f.len()) && f.bytes().all(|b| b.is_ascii_digit()) => {
            format!("{:0<9}", &f[..f.len().min(9)]).parse().ok()?
        }
        Some(_) => return None,
    };
    let (second, nanos) = match second.parse().ok()? {
        // A leap second (the ABNF allows `60`): chrono keeps it as second 59 past 10⁹ ns.
        60 => (59, nanos + 1_000_000_000),
        second => (second, nanos),
    };
    chrono::NaiveTime::from_hms_nano_opt(hour.parse().ok()?, minute.parse().ok()?, second, nanos)
}

/// A date as the OData ABNF writes it: `[-]YYYY-MM-DD`, with four or more year digits.
fn parse_date(text: &str) -> Option<chrono::NaiveDate> {
    let negative = text.starts_with('-');
    let (year, rest) = text.strip_prefix('-').unwrap_or(text).split_once('-')?;
    let (month, day) = rest.split_once('-')?;
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    if year.len() < 4 || !digits(year) || month.len() != 2 || !digits(month) || day.len() != 2 || !digits(day) {
        return None;
    }
    let year: i32 = year.parse().ok()?;
    chrono::NaiveDate::from_ymd_opt(if negative { -year } else { year }, month.parse().ok()?, day.parse().ok()?)
}

impl FromStr for DateTimeOffset {
    type Err = DateTimeError;

    fn from_str(text: &str) -> Result<Self, DateTimeError> {
        let error = || DateTimeError(text.to_owned());
        let (local, offset) = split_offset(text).ok_or_else(error)?;
        let (date, time) = local.split_once(['T', 't']).ok_or_else(error)?;
        let date = parse_date(date).ok_or_else(error)?;
        let time = parse_time_of_day(time).ok_or_else(error)?;
        Ok(DateTimeOffset {
            text: text.into(),
            local: date.and_time(time),
            offset,
        })
    }
}

impl<Tz: chrono::TimeZone> From<chrono::DateTime<Tz>> for DateTimeOffset
where
    Tz::Offset: fmt::Display,
{
    fn from(value: chrono::DateTime<Tz>) -> Self {
        let value = value.fixed_offset();
        DateTimeOffset {
            text: value.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true).into(),
            local: value.naive_local(),
            offset: Some(*value.offset()),
        }
    }
}

impl PartialEq for DateTimeOffset {
    fn eq(&self, other: &Self) -> bool {
        match (self.value(), other.value()) {
            (Some(a), Some(b)) => a == b,
            (None, None) => self.local == other.local,
            _ => false,
        }
    }
}

/// By instant; values without an offset by their local time among themselves, and not
/// against values with one (there is no instant to compare).
impl PartialOrd for DateTimeOffset {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        match (self.value(), other.value()) {
            (Some(a), Some(b)) => Some(a.cmp(&b)),
            (None, None) => Some(self.local.cmp(&other.local)),
            _ => None,
        }
    }
}

impl fmt::Display for DateTimeOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for DateTimeOffset {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for DateTimeOffset {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(de::Error::custom)
    }
}

impl Json for DateTimeOffset {
    fn read_json(text: &str) -> Result<Self, JsonError> {
        let text = String::read_json(text).map_err(|_| expected("an Edm.DateTimeOffset string", text))?;
        text.parse().map_err(|e: DateTimeError| JsonError::new(e.to_string()))
    }

    fn write_json(&self, out: &mut Writer) {
        out.string(&self.to_string());
    }
}

/// An `Edm.TimeOfDay`, kept as the text it was read with: `hh:mm`, `hh:mm:ss` or with up to
/// 12 fractional digits (nanoseconds are kept in the value). Values made from a
/// `chrono::NaiveTime` are written `hh:mm:ss` with the fractional digits they need. It derefs to
/// the `NaiveTime`, and compares by value.
#[derive(Clone, Debug)]
pub struct TimeOfDay {
    text: Box<str>,
    value: chrono::NaiveTime,
}

impl TimeOfDay {
    /// The time.
    pub fn value(&self) -> chrono::NaiveTime {
        self.value
    }

    /// The text, exactly as it was read (or made).
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl std::ops::Deref for TimeOfDay {
    type Target = chrono::NaiveTime;

    fn deref(&self) -> &chrono::NaiveTime {
        &self.value
    }
}

impl From<chrono::NaiveTime> for TimeOfDay {
    fn from(value: chrono::NaiveTime) -> Self {
        TimeOfDay {
            text: value.format("%H:%M:%S%.f").to_string().into(),
            value,
        }
    }
}

impl FromStr for TimeOfDay {
    type Err = DateTimeError;

    fn from_str(text: &str) -> Result<Self, DateTimeError> {
        let value = parse_time_of_day(text).ok_or_else(|| DateTimeError(text.to_owned()))?;
        Ok(TimeOfDay { text: text.into(), value })
    }
}

impl PartialEq for TimeOfDay {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl Eq for TimeOfDay {}

/// By time.
impl PartialOrd for TimeOfDay {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for TimeOfDay {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.value.cmp(&other.value)
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for TimeOfDay {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for TimeOfDay {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(de::Error::custom)
    }
}

impl Json for TimeOfDay {
    fn read_json(text: &str) -> Result<Self, JsonError> {
        let text = String::read_json(text).map_err(|_| expected("an Edm.TimeOfDay string", text))?;
        text.parse().map_err(|e: DateTimeError| JsonError::new(e.to_string()))
    }

    fn write_json(&self, out: &mut Writer) {
        out.string(&self.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_and_write_the_odata_form() {
        for text in ["P1D", "PT1H", "PT1H30M", "P2DT3H4M5.25S", "-PT0.0000001S", "PT0S"] {
            let parsed: Duration = text.parse().unwrap();
            assert_eq!(parsed.to_string(), text);
        }
        assert_eq!("PT90M".parse::<Duration>().unwrap().to_string(), "PT1H30M");
        for bad in ["", "P", "PT", "1D", "P1H", "PT1D", "PT1M1H", "PT1.5H", "P1Y", "PTS"] {
            assert!(bad.parse::<Duration>().is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn collections_keep_nulls_before_the_items_they_preceded() {
        let mut items = Collection::from_wire(vec![None, Some(1), None, Some(2), None]);
        assert_eq!(items.as_slice(), [1, 2]);
        items.insert(1, 9);
        items.remove(0);
        let wire: Vec<Option<i32>> = items.with_nulls().map(|i| i.copied()).collect();
        assert_eq!(wire, [None, Some(9), None, Some(2), None]);
        items.clear();
        assert_eq!(items.with_nulls().count(), 3, "nulls past the end stay at the end");
    }

    #[test]
    fn date_time_offsets_split_their_offset() {
        let offset = |text: &str| split_offset(text).map(|(local, o)| (local.to_owned(), o.map(|o| o.local_minus_utc())));
        assert_eq!(offset("2024-02-14T07:37Z"), Some(("2024-02-14T07:37".to_owned(), Some(0))));
        assert_eq!(offset("2024-02-14T07:37-05:30"), Some(("2024-02-14T07:37".to_owned(), Some(-19_800))));
        assert_eq!(offset("2024-02-14T07:37:32"), Some(("2024-02-14T07:37:32".to_owned(), None)));
        assert_eq!(offset("2024-02-14T07:37+24:00"), None);
        assert_eq!(parse_time_of_day("23:59:59.9999999999999"), None, "at most 12 digits");
        assert_eq!(
            parse_time_of_day("23:59:59.999999999999"),
            chrono::NaiveTime::from_hms_nano_opt(23, 59, 59, 999_999_999)
        );
    }
}
