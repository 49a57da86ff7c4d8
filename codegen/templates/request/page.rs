use super::links::{Link, Links};
use super::Operation;
use crate::support::{members, read_additional, read_member, Json, JsonError, Writer};

/// One page of a collection: `{"value": [...], "@odata.nextLink": ...}` (OData JSON Format
/// 4.01 §12, §4.5.5).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Page<T> {
    /// The items of this page.
    pub value: Vec<T>,
    /// Where the next page is; `None` on the last page. Read from `@odata.nextLink`, or
    /// `@nextLink` (OData 4.01 lets the `odata.` prefix be left out, JSON Format §4.5.1).
    /// Relative to the page's context URL (§4.3): [`Operation::next_page`] resolves it.
    pub next_link: Option<String>,
    /// On the last page of a change-tracking round (`Prefer: odata.track-changes`, or a
    /// `delta` function), where the changes since are (`@odata.deltaLink`, §4.5.6): save it
    /// and read it later.
    pub delta_link: Option<String>,
    /// The total count, when `$count=true` was asked for (a number, or a string under
    /// `IEEE754Compatible=true`).
    pub count: Option<crate::support::Int64>,
    /// Other annotations of the collection (`@odata.context`, ...).
    pub additional_properties: serde_json::Map<String, serde_json::Value>,
}

impl<T: Json> Json for Page<T> {
    fn read_json(text: &str) -> Result<Self, JsonError> {
        let mut page = Page::empty();
        let mut value = None;
        for (key, text) in members(text)? {
            match &*key {
                "value" => value = Some(read_member("value", text)?),
                "@odata.nextLink" | "@nextLink" => page.next_link = read_member(&key, text)?,
                "@odata.deltaLink" | "@deltaLink" => page.delta_link = read_member(&key, text)?,
                "@odata.count" | "@count" => page.count = read_member(&key, text)?,
                _ => read_additional(&mut page.additional_properties, key, text)?,
            }
        }
        page.value = value.ok_or_else(|| JsonError::new("missing member `value`: no collection"))?;
        Ok(page)
    }

    fn write_json(&self, out: &mut Writer) {
        let mut object = out.object();
        object.member("@odata.count", &self.count);
        object.member("@odata.nextLink", &self.next_link);
        object.member("@odata.deltaLink", &self.delta_link);
        object.member("value", &self.value);
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

impl<T> Page<T> {
    /// A page without items or links.
    pub fn empty() -> Self {
        Page {
            value: Vec::new(),
            next_link: None,
            delta_link: None,
            count: None,
            additional_properties: serde_json::Map::new(),
        }
    }

    /// The page's context URL (`@odata.context`), against which its links resolve.
    pub fn context(&self) -> Option<&str> {
        self.additional_properties
            .get("@odata.context")
            .or_else(|| self.additional_properties.get("@context"))
            .and_then(|v| v.as_str())
    }
}

impl<T> Operation<Page<T>> {
    /// The operation that reads the page after `page`, if there is one.
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
        // Preferences stay (`odata.maxpagesize`, `odata.track-changes`); the body stays too.
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
