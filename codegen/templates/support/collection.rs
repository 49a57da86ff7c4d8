#[allow(unused_imports)]
use super::*;

/// The items of a collection property whose items may be `null` (CSDL: a collection without
/// `Nullable="false"`).
///
/// It is used as the `Vec<T>` of the items that are not null (it derefs to one, and converts
/// from one with `.into()`); the nulls are kept where they were, each before the item it
/// preceded, so writing gives back the array that was read. [`Collection::with_nulls`] walks
/// the array as it is written, nulls included.
#[derive(Clone, Debug, PartialEq)]
pub struct Collection<T> {
    items: Vec<T>,
    /// For each null, how many items precede it; ascending.
    nulls: Vec<usize>,
}

impl<T> Default for Collection<T> {
    fn default() -> Self {
        Collection { items: Vec::new(), nulls: Vec::new() }
    }
}

impl<T> Collection<T> {
    /// The items of an array, `None` for each null.
    pub fn from_wire(array: Vec<Option<T>>) -> Self {
        let mut collection = Collection::default();
        for item in array {
            match item {
                Some(item) => collection.items.push(item),
                None => collection.nulls.push(collection.items.len()),
            }
        }
        collection
    }

    /// The array as it is written: items, and `None` for each null.
    pub fn with_nulls(&self) -> impl Iterator<Item = Option<&T>> + '_ {
        let mut nulls = self.nulls.iter().copied().peekable();
        let mut items = self.items.iter().enumerate().peekable();
        std::iter::from_fn(move || match (nulls.peek(), items.peek()) {
            (Some(&before), Some(&(index, _))) if before <= index => nulls.next().map(|_| None),
            (_, Some(_)) => items.next().map(|(_, item)| Some(item)),
            (Some(_), None) => nulls.next().map(|_| None),
            (None, None) => None,
        })
    }

    /// How many nulls the array has.
    pub fn null_count(&self) -> usize {
        self.nulls.len()
    }

    /// Removes the nulls, so that the array is written with the items only.
    pub fn clear_nulls(&mut self) {
        self.nulls.clear();
    }

    /// The items that are not null.
    pub fn into_vec(self) -> Vec<T> {
        self.items
    }
}

impl<T> std::ops::Deref for Collection<T> {
    type Target = Vec<T>;

    fn deref(&self) -> &Vec<T> {
        &self.items
    }
}

impl<T> std::ops::DerefMut for Collection<T> {
    fn deref_mut(&mut self) -> &mut Vec<T> {
        &mut self.items
    }
}

impl<T> From<Vec<T>> for Collection<T> {
    fn from(items: Vec<T>) -> Self {
        Collection { items, nulls: Vec::new() }
    }
}

/// `vec![...].into()` where a nullable collection field is expected.
impl<T> From<Vec<T>> for Nullable<Collection<T>> {
    fn from(items: Vec<T>) -> Self {
        Nullable::Value(items.into())
    }
}

impl<T> FromIterator<T> for Collection<T> {
    fn from_iter<I: IntoIterator<Item = T>>(items: I) -> Self {
        Vec::from_iter(items).into()
    }
}

impl<T> IntoIterator for Collection<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a, T> IntoIterator for &'a Collection<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

impl<T: Serialize> Serialize for Collection<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.with_nulls())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Collection<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<Option<T>>::deserialize(deserializer).map(Collection::from_wire)
    }
}

impl<T: Json> Json for Collection<T> {
    fn read_json(text: &str) -> Result<Self, JsonError> {
        let mut collection = Collection::default();
        for (index, item) in items(text)?.into_iter().enumerate() {
            match item {
                "null" => collection.nulls.push(collection.items.len()),
                item => collection.items.push(T::read_json(item).map_err(|e| e.in_item(index))?),
            }
        }
        Ok(collection)
    }

    fn write_json(&self, out: &mut Writer) {
        out.array(self.with_nulls());
    }
}
