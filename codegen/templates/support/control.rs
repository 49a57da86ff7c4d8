#[allow(unused_imports)]
use super::*;

/// The control information of a value read from a service (OData JSON Format 4.01 §4.5): its
/// etag, id and links, which the crate keeps with the members the metadata does not declare.
/// Every generated structured type and dispatch enum implements it. Links are as the service
/// wrote them, often relative: resolve them with [`crate::request::resolve_link`] (against the
/// context URL and the URL that answered) or `Response::resolve`.
pub trait ControlInformation {
    /// The members the metadata does not declare, control information among them.
    fn annotations(&self) -> &serde_json::Map<String, serde_json::Value>;

    /// A control information member by its name after `odata.` (`etag`), as OData 4.0 writes
    /// it (`@odata.etag`) or 4.01 may (`@etag`), if it is a string.
    fn control_information(&self, name: &str) -> Option<&str> {
        let annotations = self.annotations();
        annotations
            .get(&format!("@odata.{name}"))
            .or_else(|| annotations.get(&format!("@{name}")))
            .and_then(serde_json::Value::as_str)
    }

    /// `@odata.etag` (§4.5.10): the entity's version, to send back with `if_match`.
    fn etag(&self) -> Option<crate::request::ETag> {
        self.control_information("etag").map(crate::request::ETag::new)
    }

    /// `@odata.id` (§4.5.8): the entity's id, its canonical URL.
    fn odata_id(&self) -> Option<&str> {
        self.control_information("id")
    }

    /// `@odata.context` (§4.5.1): what the payload describes, and the base of its relative links.
    fn odata_context(&self) -> Option<&str> {
        self.control_information("context")
    }

    /// `@odata.editLink` (§4.5.8): where to change the entity.
    fn edit_link(&self) -> Option<&str> {
        self.control_information("editLink")
    }

    /// `@odata.readLink` (§4.5.8): where to read the entity.
    fn read_link(&self) -> Option<&str> {
        self.control_information("readLink")
    }

    /// `@odata.mediaReadLink` (§4.5.11): where to read a media entity's content.
    fn media_read_link(&self) -> Option<&str> {
        self.control_information("mediaReadLink")
    }

    /// `@odata.mediaEditLink` (§4.5.11): where to change a media entity's content.
    fn media_edit_link(&self) -> Option<&str> {
        self.control_information("mediaEditLink")
    }

    /// `@odata.mediaEtag` (§4.5.11): the version of a media entity's content.
    fn media_etag(&self) -> Option<crate::request::ETag> {
        self.control_information("mediaEtag").map(crate::request::ETag::new)
    }
}
