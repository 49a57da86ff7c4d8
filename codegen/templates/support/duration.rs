#[allow(unused_imports)]
use super::*;

/// An `Edm.Duration`, written in the ISO 8601 form OData uses: `[-]P[nD][T[nH][nM][n[.n]S]]`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Duration(pub chrono::TimeDelta);

impl From<chrono::TimeDelta> for Duration {
    fn from(value: chrono::TimeDelta) -> Self {
        Duration(value)
    }
}

/// Why a text is not an OData duration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DurationError(String);

impl fmt::Display for DurationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not an ISO 8601 duration of the form [-]P[nD][T[nH][nM][n[.n]S]]", self.0)
    }
}

impl std::error::Error for DurationError {}

impl FromStr for Duration {
    type Err = DurationError;

    fn from_str(text: &str) -> Result<Self, DurationError> {
        let error = || DurationError(text.to_owned());
        let (negative, rest) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.strip_prefix('+').unwrap_or(text)),
        };
        let rest = rest.strip_prefix('P').ok_or_else(error)?;
        let (date, time) = match rest.split_once('T') {
            Some((_, "")) => return Err(error()),
            Some((date, time)) => (date, time),
            None => (rest, ""),
        };
        if date.is_empty() && time.is_empty() {
            return Err(error());
        }
        let mut total = chrono::TimeDelta::zero();
        let mut add = |amount: chrono::TimeDelta| -> Result<(), DurationError> {
            total = total.checked_add(&amount).ok_or_else(error)?;
            Ok(())
        };
        for (number, unit) in components(date).ok_or_else(error)? {
            match unit {
                'D' => add(whole(number, 86_400).ok_or_else(error)?)?,
                _ => return Err(error()),
            }
        }
        let mut previous = 0;
        for (number, unit) in components(time).ok_or_else(error)? {
            let (rank, seconds) = match unit {
                'H' => (1, 3_600),
                'M' => (2, 60),
                'S' => (3, 1),
                _ => return Err(error()),
            };
            if rank <= previous || (unit != 'S' && number.contains('.')) {
                return Err(error());
            }
            previous = rank;
            add(if unit == 'S' {
                fractional_seconds(number).ok_or_else(error)?
            } else {
                whole(number, seconds).ok_or_else(error)?
            })?;
        }
        Ok(Duration(if negative { -total } else { total }))
    }
}

/// Splits `1D` or `2H30M1.5S` into numbers and unit letters.
fn components(text: &str) -> Option<Vec<(&str, char)>> {
    let mut parts = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if c.is_ascii_alphabetic() {
            let number = &text[start..i];
            if number.is_empty() || !number.chars().all(|c| c.is_ascii_digit() || c == '.') {
                return None;
            }
            parts.push((number, c));
            start = i + 1;
        }
    }
    (start == text.len()).then_some(parts)
}

fn whole(number: &str, unit_seconds: i64) -> Option<chrono::TimeDelta> {
    chrono::TimeDelta::try_seconds(number.parse::<i64>().ok()?.checked_mul(unit_seconds)?)
}

fn fractional_seconds(number: &str) -> Option<chrono::TimeDelta> {
    let (seconds, fraction) = number.split_once('.').unwrap_or((number, ""));
    if seconds.is_empty() || fraction.contains('.') {
        return None;
    }
    let mut nanos = 0u32;
    for (i, digit) in fraction.chars().take(9).enumerate() {
        nanos += digit.to_digit(10)? * 10u32.pow(8 - i as u32);
    }
    chrono::TimeDelta::try_seconds(seconds.parse().ok()?)?
        .checked_add(&chrono::TimeDelta::nanoseconds(nanos.into()))
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let value = self.0;
        if value < chrono::TimeDelta::zero() {
            f.write_str("-")?;
        }
        let magnitude = value.abs();
        let seconds = magnitude.num_seconds();
        let nanos = magnitude.subsec_nanos();
        let (days, hours, minutes, secs) =
            (seconds / 86_400, seconds / 3_600 % 24, seconds / 60 % 60, seconds % 60);
        f.write_str("P")?;
        if days > 0 {
            write!(f, "{days}D")?;
        }
        if hours == 0 && minutes == 0 && secs == 0 && nanos == 0 {
            return if days == 0 { f.write_str("T0S") } else { Ok(()) };
        }
        f.write_str("T")?;
        if hours > 0 {
            write!(f, "{hours}H")?;
        }
        if minutes > 0 {
            write!(f, "{minutes}M")?;
        }
        if secs > 0 || nanos > 0 {
            write!(f, "{secs}")?;
            if nanos > 0 {
                let digits = format!("{nanos:09}");
                write!(f, ".{}", digits.trim_end_matches('0'))?;
            }
            f.write_str("S")?;
        }
        Ok(())
    }
}

impl Serialize for Duration {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(de::Error::custom)
    }
}

impl Json for Duration {
    fn read_json(text: &str) -> Result<Self, JsonError> {
        let text = String::read_json(text).map_err(|_| expected("an Edm.Duration string", text))?;
        text.parse().map_err(|e: DurationError| JsonError::new(e.to_string()))
    }

    fn write_json(&self, out: &mut Writer) {
        out.string(&self.to_string());
    }
}
