use super::links::{resolve_against, Link, Links};
use super::{DecodeError, Operation};
use crate::support::{items, members, read_additional, read_member, Json, JsonError, Writer};

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

    /// The members of an entry's text if it is a removal ([`Removed::is_removal`]): only an
    /// entry whose text names one is read as JSON values.
    fn read(text: &str) -> Option<serde_json::Map<String, serde_json::Value>> {
        if !text.contains("removed") && !text.contains("$deletedEntity") {
            return None;
        }
        let entry: serde_json::Map<String, serde_json::Value> = serde_json::from_str(text).ok()?;
        Self::is_removal(&entry).then_some(entry)
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
}

/// Read as a list's page: its entries in `value` (each an entity, or a removal kept as its
/// members with its place), its links and count, and the collection's other annotations.
impl<T: Json> Json for Page<T> {
    fn read_json(text: &str) -> Result<Self, JsonError> {
        let mut page = Page::empty();
        let mut entries = None;
        for (key, text) in members(text)? {
            match &*key {
                "value" => entries = Some(items(text).map_err(|e| e.in_member("value"))?),
                "@odata.nextLink" | "@nextLink" => page.next_link = read_member(&key, text)?,
                "@odata.deltaLink" | "@deltaLink" => page.delta_link = read_member(&key, text)?,
                "@odata.count" | "@count" => page.count = read_member(&key, text)?,
                _ => read_additional(&mut page.additional_properties, key, text)?,
            }
        }
        let entries = entries.ok_or_else(|| {
            JsonError::new("missing member `value`: a collection page holds its items in `value`")
        })?;
        page.value.reserve(entries.len());
        for (position, text) in entries.into_iter().enumerate() {
            match Removed::read(text) {
                Some(entry) => page.removed.push(Removed { entry, position }),
                None => page
                    .value
                    .push(T::read_json(text).map_err(|e| e.in_item(position).in_member("value"))?),
            }
        }
        Ok(page)
    }

    /// Written as read: `@odata.count`, `@odata.nextLink`, the entries in their order
    /// (removals in their places), `@odata.deltaLink`, then the collection's annotations.
    fn write_json(&self, out: &mut Writer) {
        let mut object = out.object();
        object.member("@odata.count", &self.count);
        object.member("@odata.nextLink", &self.next_link);
        object.member_with("value", |out| {
            out.raw("[");
            for (index, change) in self.changes().enumerate() {
                if index > 0 {
                    out.raw(",");
                }
                match change {
                    Change::Changed(item) => item.write_json(out),
                    Change::Removed(removed) => out.raw(&serde_json::to_string(&removed.entry).unwrap_or_default()),
                }
            }
            out.raw("]");
        });
        object.member("@odata.deltaLink", &self.delta_link);
        object.additional(&self.additional_properties);
        object.end();
    }
}

impl<T: Json> serde::Serialize for Page<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        crate::support::serialize_json(self, serializer)
    }
}

impl<'de, T: Json> serde::Deserialize<'de> for Page<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::support::deserialize_json(deserializer)
    }
}

/// Reads a page from its body, naming the JSON path of a value that does not fit
/// (`value[3].createdDateTime`); `url` is the URL that answered, when known.
pub(crate) fn parse_page<T: Json>(body: &[u8], url: Option<&str>) -> Result<Page<T>, DecodeError> {
    let mut page: Page<T> = super::parse::parse_json(body)?;
    page.url = url.map(str::to_owned);
    Ok(page)
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
