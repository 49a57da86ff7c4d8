//! What the checks ask the model: which type a name means, what a request path addresses,
//! whether a request goes to the service at all.

use std::borrow::Cow;

use super::{Code, PageLint};
use crate::ir::{BuilderKind, Model, PropertyKind, Target, TypeDef, TypeId, TypeRef, UrlMatch};
use crate::pages::{strip_prefix_ignore_ascii_case, url_host, CodeBlock, HttpMessage, HttpRequest};
use crate::source::Span;

/// What a request path addresses, for the examples of its request and response.
#[derive(Clone, Copy)]
pub(super) enum PathType {
    Type(TypeId),
    /// `$ref`, `$count`, `$value`, a stream, an operation without a structured result.
    Untyped,
}

/// What an `@odata.type` names.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum OdataType {
    Known(TypeId),
    /// A primitive type (`Edm.String`, `stream`): no structured value to check.
    Primitive,
    /// No type of the model (reported): the value's members cannot be checked.
    Unknown,
}

impl OdataType {
    pub(super) fn known(self) -> Option<TypeId> {
        match self {
            OdataType::Known(id) => Some(id),
            _ => None,
        }
    }
}

/// Microsoft Graph's hosts, the national clouds' included.
const GRAPH_HOSTS: [&str; 5] = [
    "graph.microsoft.com",
    "graph.microsoft.us",
    "dod-graph.microsoft.us",
    "microsoftgraph.chinacloudapi.cn",
    "canary.graph.microsoft.com",
];

impl<'a> PageLint<'a> {
    /// The type an `@odata.type` names, exactly or ignoring case (then `false`).
    pub(super) fn named_type(&self, name: &str) -> Option<(&'a TypeDef, bool)> {
        let model = self.model;
        let name = without_collection(name.trim().trim_start_matches('#'));
        if let Some(&id) = self.set.types.get(name) {
            return Some((model.ty(id), true));
        }
        self.set
            .folded_types
            .get(&name.to_ascii_lowercase())
            .map(|&id| (model.ty(id), false))
    }

    /// The type an `@odata.type` at `span` names, in the namespace of `context` when it is
    /// unqualified; a name in another letter case is `odata-type-case`, and one the model
    /// lacks `unknown-odata-type`.
    pub(super) fn odata_type(
        &mut self,
        name: &str,
        span: Span,
        context: Option<TypeId>,
    ) -> OdataType {
        if is_primitive_name(name) {
            return OdataType::Primitive;
        }
        let bare = without_collection(name.trim().trim_start_matches('#'));
        let found = match (self.named_type(name), context) {
            (None, Some(context)) if !bare.contains('.') => {
                let namespace = self.model.namespace(self.model.ty(context).namespace);
                self.named_type(&format!("{}.{bare}", namespace.name))
            }
            (found, _) => found,
        };
        match found {
            Some((ty, true)) => OdataType::Known(ty.id),
            Some((ty, false)) => {
                let message = format!(
                    "`@odata.type` `{name}` differs in case from `{}`",
                    ty.qualified_name
                );
                self.find(span, Code::OdataTypeCase, message);
                OdataType::Known(ty.id)
            }
            None => {
                self.find(
                    span,
                    Code::UnknownOdataType,
                    format!("`@odata.type` `{name}` names no type of the metadata"),
                );
                OdataType::Unknown
            }
        }
    }

    /// The page's type where it derives from the type a path addresses (a page about
    /// `windows10GeneralConfiguration` posting to `deviceConfigurations`), else the path's.
    pub(super) fn refine(&self, path: TypeId, page: Option<TypeId>) -> TypeId {
        let mut current = page;
        while let Some(ty) = current {
            if ty == path {
                return page.unwrap_or(path);
            }
            current = self.model.ty(ty).as_struct().and_then(|s| s.base);
        }
        path
    }

    /// The type of what a request's path addresses: the entity or collection, or the result
    /// of the operation it calls; for a request body, what it creates or updates.
    /// `None` when the path matches nothing; [`PathType::Untyped`] when it ends on `$ref`,
    /// `$count`, `$value`, a stream or an operation without a structured result.
    pub(super) fn path_type(&self, request: &HttpRequest, body: bool) -> Option<PathType> {
        let path = self.service_path(request);
        let Some(found) = self.match_path(&path) else {
            return self.property_path(&path).map(|property| match property {
                Some(TypeRef {
                    target: Target::Named(ty),
                    ..
                }) if self.model.ty(ty).as_struct().is_some() => PathType::Type(ty),
                _ => PathType::Untyped,
            });
        };
        let model = self.model;
        if let Some(call) = found.call {
            if body {
                return Some(PathType::Untyped);
            }
            return Some(match model.operation(call).return_type.as_ref() {
                Some(r) => match r.ty.target {
                    Target::Named(ty) => PathType::Type(ty),
                    Target::Primitive(_) => PathType::Untyped,
                },
                None => PathType::Untyped,
            });
        }
        if found.member.is_some() {
            return Some(PathType::Untyped);
        }
        Some(match found.builder {
            Some(builder) => PathType::Type(model.resources.builder(builder).kind.ty()),
            None => PathType::Untyped,
        })
    }

    /// Whether a request path matches the metadata, with OneDrive's path-based addressing
    /// (`root:/folder/file.xlsx:`) read as the item it names.
    pub(super) fn match_path(&self, path: &str) -> Option<UrlMatch> {
        self.model.match_path(&without_path_addressing(path))
    }

    /// A request's path below the service root: for a URL under the service root given with
    /// `--service-root` (or the metadata's), what follows the root; otherwise the path the
    /// page reader made (host and version segment dropped).
    pub(super) fn service_path<'r>(&self, request: &'r HttpRequest) -> Cow<'r, str> {
        let Some(root) = self.model.resources.service_root.as_deref() else {
            return Cow::Borrowed(request.path.as_str());
        };
        let root = root.trim_end_matches('/');
        let Some(rest) = strip_prefix_ignore_ascii_case(&request.url, root) else {
            return Cow::Borrowed(request.path.as_str());
        };
        if !(rest.is_empty() || rest.starts_with(['/', '?'])) {
            return Cow::Borrowed(request.path.as_str());
        }
        let path = rest.split('?').next().unwrap_or("").trim_end_matches('/');
        Cow::Owned(if path.starts_with('/') {
            path.to_owned()
        } else {
            format!("/{path}")
        })
    }

    /// A path to a structural property (OData URL Conventions 4.01 §4.6), which the URL model
    /// has no builder for: what the rest of the path addresses is an entity or a complex value,
    /// and the last segments name its property (of its type or of a type derived from it), a
    /// complex property's own property, and so on; `/$value` may follow a primitive property.
    /// A `{size}` segment stands for any property. The type of the property addressed, or
    /// `None` for the raw `$value`.
    pub(super) fn property_path(&self, path: &str) -> Option<Option<TypeRef>> {
        let path = without_path_addressing(path);
        let mut segments = crate::ir::split_segments(&path);
        let raw_value = segments.last() == Some(&"$value");
        if raw_value {
            segments.pop();
        }
        let model = self.model;
        for split in (1..segments.len()).rev() {
            let Some(found) = model.match_path(&segments[..split].join("/")) else {
                continue;
            };
            let Some(builder) = found.builder.filter(|_| found.member.is_none()) else {
                continue;
            };
            let ty = match model.resources.builder(builder).kind {
                BuilderKind::Entity(ty) | BuilderKind::Complex(ty) => ty,
                BuilderKind::Collection(_) => continue,
            };
            let Some(last) = self.walk_properties(ty, &segments[split..]) else {
                continue;
            };
            if !raw_value {
                return Some(Some(last));
            }
            // `$value` is the raw value of a single primitive (or enumeration) property.
            let primitive = !last.collection
                && match last.target {
                    Target::Primitive(_) => true,
                    Target::Named(id) => model.ty(id).as_struct().is_none(),
                };
            if primitive {
                return Some(None);
            }
        }
        None
    }

    /// The property the segments name, one in the other, from a value of type `ty`.
    fn walk_properties(&self, ty: TypeId, segments: &[&str]) -> Option<TypeRef> {
        let (segment, rest) = segments.split_first()?;
        let model = self.model;
        let s = model.ty(ty).as_struct()?;
        let template = segment.starts_with('{') && segment.ends_with('}');
        let properties = s
            .properties
            .iter()
            .chain(
                s.derived
                    .iter()
                    .filter_map(|&d| model.ty(d).as_struct())
                    .flat_map(|d| d.properties.iter()),
            )
            .filter(|p| p.kind == PropertyKind::Structural)
            .filter(|p| template || p.name.eq_ignore_ascii_case(segment));
        for property in properties {
            if rest.is_empty() {
                return Some(property.ty);
            }
            if let (Target::Named(inner), false) = (property.ty.target, property.ty.collection) {
                if let Some(found) = self.walk_properties(inner, rest) {
                    return Some(found);
                }
            }
        }
        None
    }

    /// A block's request, when it goes to the service and its path is one to read: not to
    /// another host (counted by host in the report instead), and not marked
    /// `"opaqueUrl": true`.
    pub(super) fn service_request(&self, block: &'a CodeBlock) -> Option<&'a HttpRequest> {
        match &block.http {
            Some(HttpMessage::Request(r))
                if is_service_host(self.model, r.host.as_deref())
                    && !block.metadata.as_ref().is_some_and(|m| m.opaque_url) =>
            {
                Some(r)
            }
            _ => None,
        }
    }
}

/// Whether a request goes to the service: a relative path, the host of the model's service
/// root, or a Graph host (compared without case, as hosts are). A request to any other host (a
/// bot's callback, a webhook notification, an upload URL the service handed out, a sign-in
/// page) is not to the service the metadata describes.
pub(super) fn is_service_host(model: &Model, host: Option<&str>) -> bool {
    // The request's host is read as the service root's is: lower case, without port.
    let Some(host) = host else { return true };
    let root_host = model.resources.service_root.as_deref().and_then(url_host);
    root_host.as_deref() == Some(host) || GRAPH_HOSTS.contains(&host)
}

/// OneDrive's path-based addressing as the URL model has it: `/me/drive/root:/a/b.xlsx:/workbook`
/// names a drive item below `root` (`/me/drive/root/children/{item}/workbook`), as does
/// `items/{id}:/a/b:`; `/sites/{hostname}:/{path}` names the site itself.
pub(super) fn without_path_addressing(path: &str) -> Cow<'_, str> {
    let Some(start) = path.find(":/") else {
        return path.into();
    };
    let before = &path[..start];
    let rest = &path[start + 2..];
    let after = match rest.find(":/") {
        Some(end) => &rest[end + 1..],
        None => "",
    };
    let mut segments = before.rsplit('/');
    let last = segments.next().unwrap_or("");
    let is_item = last.eq_ignore_ascii_case("root")
        || segments
            .next()
            .is_some_and(|s| s.eq_ignore_ascii_case("items"));
    if is_item {
        format!("{before}/children/item{after}").into()
    } else {
        format!("{before}{after}").into()
    }
}

/// `Collection(x)` → `x`, in any letter case (`collection(microsoft.graph.user)`, as pages
/// write it too).
pub(super) fn without_collection(name: &str) -> &str {
    match strip_prefix_ignore_ascii_case(name, "collection(") {
        Some(rest) => rest.strip_suffix(')').unwrap_or(rest),
        None => name,
    }
}

/// `stream`, `String`, `Edm.Int32`, `Collection(Edm.String)`, `collection(Edm.Guid)`: names of
/// primitive types, not of types of the metadata.
pub(super) fn is_primitive_name(name: &str) -> bool {
    let name = without_collection(name.trim().trim_start_matches('#'));
    let name = strip_prefix_ignore_ascii_case(name, "edm.").unwrap_or(name);
    const PRIMITIVES: &[&str] = &[
        "Binary",
        "Boolean",
        "Byte",
        "Date",
        "DateTimeOffset",
        "Decimal",
        "Double",
        "Duration",
        "Guid",
        "Int16",
        "Int32",
        "Int64",
        "SByte",
        "Single",
        "Stream",
        "String",
        "TimeOfDay",
        "Untyped",
        "PrimitiveType",
    ];
    let lower = name.to_ascii_lowercase();
    PRIMITIVES.iter().any(|p| p.eq_ignore_ascii_case(name))
        || lower.starts_with("geography")
        || lower.starts_with("geometry")
}

#[cfg(test)]
mod tests {
    use super::{is_primitive_name, without_path_addressing};

    #[test]
    fn path_based_addressing_names_an_item() {
        assert_eq!(
            without_path_addressing("/me/drive/root:/a/b.xlsx:/workbook"),
            "/me/drive/root/children/item/workbook"
        );
        assert_eq!(
            without_path_addressing("/drives/{id}/items/{item-id}:/a:"),
            "/drives/{id}/items/{item-id}/children/item"
        );
        assert_eq!(
            without_path_addressing("/sites/{hostname}:/{relative-path}"),
            "/sites/{hostname}"
        );
        assert_eq!(
            without_path_addressing("/widgets/{id}:/{path}:/keeper"),
            "/widgets/{id}/keeper"
        );
        assert_eq!(
            without_path_addressing("/chats/19:abc@thread.v2/messages"),
            "/chats/19:abc@thread.v2/messages"
        );
    }

    #[test]
    fn primitive_type_names_in_any_spelling() {
        for name in [
            "stream",
            "String",
            "Edm.Int32",
            "Collection(Edm.String)",
            "collection(edm.guid)",
            "#Edm.DateTimeOffset",
            "datetimeoffset",
        ] {
            assert!(is_primitive_name(name), "{name}");
        }
        for name in [
            "microsoft.graph.user",
            "widget",
            "Collection(microsoft.graph.user)",
        ] {
            assert!(!is_primitive_name(name), "{name}");
        }
    }
}
