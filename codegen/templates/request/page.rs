use std::fmt;

use serde::de::{self, DeserializeOwned, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::links::{resolve_against, Link, Links};
use super::{DecodeError, Operation};

/// One page of a collection: `{"value": [...], "@odata.nextLink": ...}` (OData JSON Format
/// 4.01 §12, §4.5.5), as a list, a function or an action returning entities answers.
///
/// A page of changes (a delta round: `@odata.deltaLink`, §15) may also hold entries that say
/// an entity left the collection: `{"id": "…", "@removed": {"reason": "deleted"}}`
/// (Microsoft Graph), `@odata.removed` (§15.3), or an OData 4.0 `$deletedEntity`. Those are
/// [`Page::removed`], not entities with every field empty; [`Page::changes`] gives every
/// entry in the order the service sent them, and a page is written back in that order.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Page<T> {
    /// The entities of this page (added or changed ones, in a delta round).
    pub value: Vec<T>,
    /// The entries that say an entity was removed from the collection (in a delta round),
    /// each with its place among the page's entries. Empty in a plain list.
    pub removed: Vec<Removed>,
    /// Where the next page is; `None` on the last page. Read from `@odata.nextLink`, or
    /// `@nextLink` (OData 4.01 lets the `odata.` prefix be left out, JSON Format §4.5.1).
    /// Relative to the page's context URL (§4.3): [`Page::next_url`] and
    /// [`Operation::next_page`] resolve it.
    pub next_link: Option<String>,
    /// On the last page of a change-tracking round (`Prefer: odata.track-changes`, or a
    /// `delta` function), where the changes since are (`@odata.deltaLink`, §4.5.6): save
    /// [`Page::delta_url`] and read it later ([`Operation::with_url`], [`Operation::delta`]).
    pub delta_link: Option<String>,
    /// The total count, when `$count=true` was asked for (a number, or a string under
    /// `IEEE754Compatible=true`).
    pub count: Option<crate::support::Int64>,
    /// Other annotations of the collection (`@odata.context`, ...).
    pub additional_properties: serde_json::Map<String, serde_json::Value>,
    /// The URL that answered, when known (the client always knows it).
    url: Option<String>,
}

/// An entry of a page of changes that says an entity left the collection (OData JSON Format
/// 4.01 §15.3, "deleted entity"): deleted, or no longer a member (`changed`). Every member is
/// kept as it was read, and written back in its place.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Removed {
    /// The entry's members as the service sent them (`id` or `@odata.id`, `@removed`, and any
    /// other).
    pub entry: serde_json::Map<String, serde_json::Value>,
    /// Its place among the page's entries (0 is the first), which [`Page::changes`] and
    /// writing the page keep.
    pub position: usize,
}

/// Why an entity left a collection (OData JSON Format 4.01 §15.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RemovalReason {
    /// `deleted`: the entity no longer exists.
    Deleted,
    /// `changed`: the entity exists, but is no longer a member of the collection (Microsoft
    /// Graph: also a soft-deleted item, or one whose change moved it out of the results).
    Changed,
    /// No reason, or one OData does not name.
    Other,
}

impl Removed {
    /// The removed entity's `id` (Microsoft Graph's key; an OData 4.0 `$deletedEntity`'s
    /// entity id), else its `@odata.id` (or `@id`): the entity-id URL of OData 4.01.
    pub fn id(&self) -> Option<&str> {
        ["id", "@odata.id", "@id"]
            .iter()
            .find_map(|name| self.entry.get(*name).and_then(|v| v.as_str()))
    }

    /// The reason as the service wrote it (`deleted`, `changed`): `@removed.reason`,
    /// `@odata.removed.reason`, or an OData 4.0 deleted entity's `reason`.
    pub fn reason_text(&self) -> Option<&str> {
        ["@removed", "@odata.removed"]
            .iter()
            .find_map(|name| self.entry.get(*name))
            .and_then(|removed| removed.get("reason"))
            .or_else(|| self.entry.get("reason"))
            .and_then(|v| v.as_str())
    }

    /// Why the entity left the collection.
    pub fn reason(&self) -> RemovalReason {
        match self.reason_text() {
            Some(reason) if reason.eq_ignore_ascii_case("deleted") => RemovalReason::Deleted,
            Some(reason) if reason.eq_ignore_ascii_case("changed") => RemovalReason::Changed,
            _ => RemovalReason::Other,
        }
    }

    /// Whether `entry` (one item of a page's `value`) is a removal rather than an entity:
    /// `@removed` or `@odata.removed` control information, or an OData 4.0 context URL ending
    /// in `$deletedEntity`.
    fn is_removal(entry: &serde_json::Map<String, serde_json::Value>) -> bool {
        entry.contains_key("@removed")
            || entry.contains_key("@odata.removed")
            || ["@odata.context", "@context"].iter().any(|name| {
                entry
                    .get(*name)
                    .and_then(|v| v.as_str())
                    .is_some_and(|context| context.ends_with("$deletedEntity"))
            })
    }
}

/// One entry of a page of changes, in the order the service sent it: an entity added or
/// changed, or one removed. [`Page::changes`] borrows them (`Change<&T, &Removed>`),
/// [`Page::into_changes`] and the client's `changes()` stream own them.
#[derive(Clone, Debug, PartialEq)]
pub enum Change<T, R = Removed> {
    /// An entity added to the collection or changed (with the properties that changed, or
    /// all of them; Microsoft Graph sends the changed ones).
    Changed(T),
    /// An entity that left the collection.
    Removed(R),
}

impl<T> Page<T> {
    /// A page without items or links.
    pub fn empty() -> Self {
        Page {
            value: Vec::new(),
            removed: Vec::new(),
            next_link: None,
            delta_link: None,
            count: None,
            additional_properties: serde_json::Map::new(),
            url: None,
        }
    }

    /// The page's context URL (`@odata.context`), against which its links resolve.
    pub fn context(&self) -> Option<&str> {
        self.additional_properties
            .get("@odata.context")
            .or_else(|| self.additional_properties.get("@context"))
            .and_then(|v| v.as_str())
    }

    /// The URL that answered with this page, when known (the client always knows it; with
    /// another HTTP stack, put a [`RequestUrl`](super::RequestUrl) in the response's
    /// extensions).
    pub fn url(&self) -> Option<&str> {
        self.url.as_deref()
    }

    /// The next link as an absolute URL, resolved against the page's context URL, itself
    /// against the URL that answered (JSON Format 4.01 §4.3); as written when that URL is not
    /// known.
    pub fn next_url(&self) -> Option<String> {
        self.next_link.as_deref().map(|link| self.resolve(link))
    }

    /// The delta link as an absolute URL, resolved as [`Page::next_url`] resolves the next
    /// link: what to save to read the changes since this round, later and elsewhere
    /// ([`Operation::with_url`]).
    pub fn delta_url(&self) -> Option<String> {
        self.delta_link.as_deref().map(|link| self.resolve(link))
    }

    fn resolve(&self, link: &str) -> String {
        let Some(url) = &self.url else {
            return link.to_owned();
        };
        let base = match self.context() {
            Some(context) => resolve_against(url, context).unwrap_or_else(|_| url.clone()),
            None => url.clone(),
        };
        resolve_against(&base, link).unwrap_or_else(|_| link.to_owned())
    }

    /// Every entry of the page in the order the service sent it: entities and removals.
    pub fn changes(&self) -> impl Iterator<Item = Change<&T, &Removed>> + '_ {
        let mut items = self.value.iter();
        let mut removed = self.removed.iter().peekable();
        let mut position = 0;
        std::iter::from_fn(move || {
            let change = match removed.peek() {
                Some(r) if r.position <= position => removed.next().map(Change::Removed),
                _ => items.next().map(Change::Changed).or_else(|| removed.next().map(Change::Removed)),
            };
            position += 1;
            change
        })
    }

    /// Every entry of the page in the order the service sent it, owned.
    pub fn into_changes(self) -> Vec<Change<T>> {
        let mut changes = Vec::with_capacity(self.value.len() + self.removed.len());
        let mut removed = self.removed.into_iter().peekable();
        for item in self.value {
            while let Some(r) = removed.next_if(|r| r.position <= changes.len()) {
                changes.push(Change::Removed(r));
            }
            changes.push(Change::Changed(item));
        }
        changes.extend(removed.map(Change::Removed));
        changes
    }

    /// Reads a page's entries: each one an entity (read by `item`) or a removal.
    fn from_entries<E>(
        entries: Vec<serde_json::Map<String, serde_json::Value>>,
        mut item: impl FnMut(usize, serde_json::Map<String, serde_json::Value>) -> Result<T, E>,
    ) -> Result<(Vec<T>, Vec<Removed>), E> {
        let mut value = Vec::with_capacity(entries.len());
        let mut removed = Vec::new();
        for (position, entry) in entries.into_iter().enumerate() {
            if Removed::is_removal(&entry) {
                removed.push(Removed { entry, position });
            } else {
                value.push(item(position, entry)?);
            }
        }
        Ok((value, removed))
    }
}

/// The members of a page besides its entries.
struct Envelope<E> {
    value: Option<Vec<E>>,
    next_link: Option<String>,
    delta_link: Option<String>,
    count: Option<crate::support::Int64>,
    additional_properties: serde_json::Map<String, serde_json::Value>,
}

/// Reads a page's members; its entries as `E` (raw text or values).
struct EnvelopeVisitor<E>(std::marker::PhantomData<E>);

impl<'de, E: Deserialize<'de>> Visitor<'de> for EnvelopeVisitor<E> {
    type Value = Envelope<E>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a collection page, `{\"value\": [...]}`")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut members: A) -> Result<Self::Value, A::Error> {
        let mut page = Envelope {
            value: None,
            next_link: None,
            delta_link: None,
            count: None,
            additional_properties: serde_json::Map::new(),
        };
        while let Some(key) = members.next_key::<String>()? {
            match key.as_str() {
                "value" => page.value = Some(members.next_value()?),
                "@odata.nextLink" | "@nextLink" => page.next_link = members.next_value()?,
                "@odata.deltaLink" | "@deltaLink" => page.delta_link = members.next_value()?,
                "@odata.count" | "@count" => page.count = members.next_value()?,
                _ => {
                    let value = members.next_value()?;
                    page.additional_properties.insert(key, value);
                }
            }
        }
        Ok(page)
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Page<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let envelope: Envelope<serde_json::Map<String, serde_json::Value>> =
            deserializer.deserialize_map(EnvelopeVisitor(std::marker::PhantomData))?;
        let entries = envelope.value.ok_or_else(|| de::Error::missing_field("value"))?;
        let (value, removed) = Page::from_entries(entries, |position, entry| {
            crate::support::from_value::<T, D::Error>(serde_json::Value::Object(entry))
                .map_err(|e| de::Error::custom(format_args!("value[{position}]: {e}")))
        })?;
        Ok(Page {
            value,
            removed,
            next_link: envelope.next_link,
            delta_link: envelope.delta_link,
            count: envelope.count,
            additional_properties: envelope.additional_properties,
            url: None,
        })
    }
}

/// Written as read: the collection's annotations, `@odata.count`, `@odata.nextLink`, the
/// entries in their order (removals in their places), `@odata.deltaLink`.
impl<T: Serialize> Serialize for Page<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Entries<'a, T>(&'a Page<T>);

        impl<T: Serialize> Serialize for Entries<'_, T> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_seq(self.0.changes().map(|change| match change {
                    Change::Changed(item) => Either::Item(item),
                    Change::Removed(removed) => Either::Removed(&removed.entry),
                }))
            }
        }

        #[derive(Serialize)]
        #[serde(untagged)]
        enum Either<'a, T> {
            Item(&'a T),
            Removed(&'a serde_json::Map<String, serde_json::Value>),
        }

        let mut map = serializer.serialize_map(None)?;
        for (name, value) in &self.additional_properties {
            map.serialize_entry(name, value)?;
        }
        if let Some(count) = &self.count {
            map.serialize_entry("@odata.count", count)?;
        }
        if let Some(next) = &self.next_link {
            map.serialize_entry("@odata.nextLink", next)?;
        }
        map.serialize_entry("value", &Entries(self))?;
        if let Some(delta) = &self.delta_link {
            map.serialize_entry("@odata.deltaLink", delta)?;
        }
        map.end()
    }
}

/// Reads a page from its body, naming the JSON path of a value that does not fit
/// (`value[3].createdDateTime`); `url` is the URL that answered, when known.
pub(crate) fn parse_page<T: DeserializeOwned>(body: &[u8], url: Option<&str>) -> Result<Page<T>, DecodeError> {
    let located = |path: String, message: String| DecodeError {
        path,
        message,
        body: body.to_vec(),
    };
    let envelope: Envelope<&serde_json::value::RawValue> =
        serde_json::from_slice(body).map_err(|e| located(String::new(), e.to_string()))?;
    let entries = envelope
        .value
        .ok_or_else(|| located(String::new(), "missing field `value`: a collection page holds its items in `value`".to_owned()))?;
    let mut value = Vec::with_capacity(entries.len());
    let mut removed = Vec::new();
    for (position, raw) in entries.into_iter().enumerate() {
        let text = raw.get();
        // Only an entry whose text names a removal is read twice.
        if text.contains("removed") || text.contains("$deletedEntity") {
            if let Ok(entry) = serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(text) {
                if Removed::is_removal(&entry) {
                    removed.push(Removed { entry, position });
                    continue;
                }
            }
        }
        let mut item = serde_json::Deserializer::from_str(text);
        let read: T = serde_path_to_error::deserialize(&mut item).map_err(|e| {
            let inner = e.path().to_string();
            let path = if inner == "." { format!("value[{position}]") } else { format!("value[{position}].{inner}") };
            located(path, e.inner().to_string())
        })?;
        value.push(read);
    }
    Ok(Page {
        value,
        removed,
        next_link: envelope.next_link,
        delta_link: envelope.delta_link,
        count: envelope.count,
        additional_properties: envelope.additional_properties,
        url: url.map(str::to_owned),
    })
}

/// The envelope of a page read from text, its entries borrowed as raw JSON.
impl<'de> Deserialize<'de> for Envelope<&'de serde_json::value::RawValue> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(EnvelopeVisitor(std::marker::PhantomData))
    }
}

impl<T> Operation<Page<T>> {
    /// The operation that reads the page after `page`, if there is one: a `GET` of its next
    /// link (an action's pages too), with this operation's headers and preferences.
    pub fn next_page(&self, page: &Page<T>) -> Option<Operation<Page<T>>> {
        let next = page.next_link.as_ref()?;
        Some(self.following(page.context(), next))
    }

    /// The operation that reads the changes since `page`, the last of a change-tracking round
    /// (its `@odata.deltaLink`), if it has one.
    pub fn delta(&self, page: &Page<T>) -> Option<Operation<Page<T>>> {
        let delta = page.delta_link.as_ref()?;
        Some(self.following(page.context(), delta))
    }

    /// This operation sent to `href`, a link a page with the context URL `context` held.
    fn following(&self, context: Option<&str>, href: &str) -> Operation<Page<T>> {
        let mut operation = self.clone();
        let mut links = match &self.links {
            Some(links) => links.clone(),
            // The first page's URL with its query, below the base URL (the base is added when
            // the request is built).
            None => Links {
                first: self.url("").unwrap_or_else(|_| self.url.clone()),
                followed: Vec::new(),
            },
        };
        links.followed.push(Link {
            context: context.map(str::to_owned),
            href: href.to_owned(),
        });
        operation.links = Some(links.compacted());
        operation.url = href.to_owned();
        operation.query.clear();
        // A link is read (JSON Format 4.01 §4.5.5): an action's next page too. Headers and
        // preferences stay (`odata.maxpagesize`, `odata.track-changes`).
        operation.method = http::Method::GET;
        operation.body = operation.body.map(|_| None);
        operation
    }
}

impl<T> Operation<T> {
    /// The operation with its URL resolved against `base_url`, so that the links of the pages
    /// after it resolve at once (see [`Operation::next_page`]).
    ///
    /// # Errors
    /// As [`Operation::url`].
    #[doc(hidden)]
    pub fn anchored(mut self, base_url: &str) -> Result<Self, super::Error> {
        let url = self.url(base_url)?;
        self.links = Some(Links {
            first: url,
            followed: Vec::new(),
        });
        self.query.clear();
        Ok(self)
    }
}
