#[allow(unused_imports)]
use super::*;

/// The members set in a flags enum value, written as `"a,b,c"`.
///
/// The order in which members were read is kept, so a value serializes as it was received.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Flags<T>(Vec<T>);

impl<T> Default for Flags<T> {
    fn default() -> Self {
        Flags(Vec::new())
    }
}

impl<T: PartialEq> Flags<T> {
    /// No members set.
    pub fn new() -> Self {
        Flags(Vec::new())
    }

    /// Sets a member; returns false if it was set already.
    pub fn insert(&mut self, member: T) -> bool {
        if self.0.contains(&member) {
            return false;
        }
        self.0.push(member);
        true
    }

    /// Clears a member; returns whether it was set.
    pub fn remove(&mut self, member: &T) -> bool {
        let before = self.0.len();
        self.0.retain(|m| m != member);
        self.0.len() != before
    }

    /// Whether a member is set.
    pub fn contains(&self, member: &T) -> bool {
        self.0.contains(member)
    }

    /// The members set, in order.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.0.iter()
    }

    /// How many members are set.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether no member is set.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<T: PartialEq> FromIterator<T> for Flags<T> {
    fn from_iter<I: IntoIterator<Item = T>>(members: I) -> Self {
        let mut flags = Flags::new();
        for member in members {
            flags.insert(member);
        }
        flags
    }
}

impl<T> IntoIterator for Flags<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<T: fmt::Display> fmt::Display for Flags<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, member) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            member.fmt(f)?;
        }
        Ok(())
    }
}

impl<T: fmt::Display> Serialize for Flags<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de, T: EnumType + PartialEq> Deserialize<'de> for Flags<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        let mut flags = Flags::new();
        for part in text.split(',').map(str::trim).filter(|member| !member.is_empty()) {
            for member in parse_flags_part::<T>(part) {
                flags.insert(member);
            }
        }
        Ok(flags)
    }
}

/// One part of a flags value: a member's name, or a number (OData ABNF `enumMemberValue`), the
/// member of that value or, when no member has it, the members whose bits make it up (`"3"` is
/// `read,write` when those are 1 and 2); a number they do not make up is kept as read.
fn parse_flags_part<T: EnumType>(part: &str) -> Vec<T> {
    let Ok(number) = part.parse::<i64>() else {
        return vec![parse_enum(part)];
    };
    if let Some(index) = T::MEMBERS.iter().position(|(_, value)| *value == number) {
        return vec![T::member(index)];
    }
    let bits: Vec<usize> = (0..T::MEMBERS.len())
        .filter(|&i| {
            let value = T::MEMBERS[i].1;
            value > 0 && value & (value - 1) == 0 && number & value == value
        })
        .collect();
    let covered = bits.iter().fold(0, |all, &i| all | T::MEMBERS[i].1);
    if number > 0 && covered == number {
        bits.into_iter().map(T::member).collect()
    } else {
        vec![T::other(part.to_owned())]
    }
}

/// A generated enumeration type: its members as the metadata declares them (wire name and
/// numeric value, in order), and the values the crate does not know, kept as read. Every
/// generated enum implements it; its `as_str`, `value`, parsing and serde go through it.
pub trait EnumType: Sized + Clone + 'static {
    /// The members' wire names and values, in the metadata's order.
    const MEMBERS: &'static [(&'static str, i64)];

    /// The known members, in the order of [`EnumType::MEMBERS`].
    const ALL: &'static [Self];

    /// The member at `index` of [`EnumType::MEMBERS`].
    fn member(index: usize) -> Self {
        Self::ALL[index].clone()
    }

    /// A value the crate does not know, kept as `text`.
    fn other(text: String) -> Self;

    /// The value's index in [`EnumType::MEMBERS`], or the text of a value the crate does not
    /// know.
    fn index(&self) -> Result<usize, &str>;
}

/// The wire name of an enum value: its member's, or the text it was read with.
#[doc(hidden)]
pub fn enum_as_str<E: EnumType>(value: &E) -> &str {
    match value.index() {
        Ok(index) => E::MEMBERS[index].0,
        Err(text) => text,
    }
}

/// The numeric value of a known member.
#[doc(hidden)]
pub fn enum_value<E: EnumType>(value: &E) -> Option<i64> {
    value.index().ok().map(|index| E::MEMBERS[index].1)
}

/// An enum value from its text: a member's name; else a number, the member of that value
/// (OData ABNF `enumMemberValue`, which JSON Format 4.01 §7.1 allows: `"2"`); else a value the
/// crate does not know, kept as read.
#[doc(hidden)]
pub fn parse_enum<E: EnumType>(text: &str) -> E {
    if let Some(index) = E::MEMBERS.iter().position(|(name, _)| *name == text) {
        return E::member(index);
    }
    let by_value = text
        .parse::<i64>()
        .ok()
        .and_then(|number| E::MEMBERS.iter().position(|(_, value)| *value == number));
    match by_value {
        Some(index) => E::member(index),
        None => E::other(text.to_owned()),
    }
}

/// Reads an enum value from its JSON string (see [`parse_enum`]).
#[doc(hidden)]
pub fn deserialize_enum<'de, E: EnumType, D: Deserializer<'de>>(deserializer: D) -> Result<E, D::Error> {
    struct Text<E>(std::marker::PhantomData<E>);

    impl<E: EnumType> de::Visitor<'_> for Text<E> {
        type Value = E;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an enumeration member as a string")
        }

        fn visit_str<X: de::Error>(self, text: &str) -> Result<E, X> {
            Ok(parse_enum(text))
        }
    }

    deserializer.deserialize_str(Text(std::marker::PhantomData))
}

impl<T: EnumType + PartialEq + fmt::Display> Json for Flags<T> {
    fn read_json(text: &str) -> Result<Self, JsonError> {
        let text = String::read_json(text).map_err(|_| expected("a flags value as a string", text))?;
        let mut flags = Flags::new();
        for part in text.split(',').map(str::trim).filter(|member| !member.is_empty()) {
            for member in parse_flags_part::<T>(part) {
                flags.insert(member);
            }
        }
        Ok(flags)
    }

    fn write_json(&self, out: &mut Writer) {
        out.string(&self.to_string());
    }
}

/// Reads an enum value from its JSON string (see [`parse_enum`]).
///
/// # Errors
/// A [`JsonError`] for a value that is no string.
#[doc(hidden)]
pub fn read_enum<E: EnumType>(text: &str) -> Result<E, JsonError> {
    let text = String::read_json(text).map_err(|_| expected("an enumeration member as a string", text))?;
    Ok(parse_enum(&text))
}
