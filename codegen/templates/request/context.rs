use std::marker::PhantomData;
use std::sync::Arc;

use serde::Serialize;

use crate::support::Json;

use super::operation::{Answer, Parser, Reader};
use super::parse::{
    parse_count, parse_single, read_bytes, read_created, read_entity, read_nothing,
    read_optional_entity, read_page, read_result, read_updated,
};
use super::{Created, Operation, Page};

/// How a service writes keys in URLs; the generator chooses it from the metadata or a preset
/// (`requests::CONVENTIONS`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Conventions {
    /// Single-part keys as their own segment (`/users/42`) rather than in parentheses
    /// (`/users(42)`), as `Capabilities.KeyAsSegmentSupported` declares (OData URL Conventions
    /// 4.01 §4.3.6). Composite keys are always in parentheses.
    pub key_as_segment: bool,
    /// A JSON batch's request URLs as absolute paths below the service root (`/me/drive`), as
    /// Microsoft Graph writes them; otherwise relative to the `$batch` URL (`me/drive`), as
    /// OData JSON Format 4.01 §19.1 reads them.
    pub batch_paths_from_service_root: bool,
}

/// What the metadata's Capabilities annotations say a path supports (`InsertRestrictions`,
/// `UpdateRestrictions`, `DeleteRestrictions`, `ReadRestrictions`, `CountRestrictions`). An
/// operation the path does not support fails with [`Error::Request`](super::Error::Request) before it is sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Restrictions {
    /// `POST` of a new entity to the collection.
    pub insertable: bool,
    /// `PATCH` of an entity.
    pub updatable: bool,
    /// `DELETE` of an entity.
    pub deletable: bool,
    /// `GET`.
    pub readable: bool,
    /// `GET …/$count`.
    pub countable: bool,
    /// `…/$ref` (`NavigationRestrictions/Referenceable`).
    pub referenceable: bool,
}

impl Restrictions {
    /// Everything supported.
    pub const NONE: Restrictions = Restrictions {
        insertable: true,
        updatable: true,
        deletable: true,
        readable: true,
        countable: true,
        referenceable: true,
    };
}

/// How a value is written as a URL literal (OData ABNF `primitiveLiteral`), for keys and
/// function parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LiteralKind {
    /// `'text'`, single quotes doubled.
    String,
    /// Numbers, booleans, dates, times, GUIDs and decimals: as they are.
    Bare,
    /// `duration'P1D'`.
    Duration,
    /// `binary'…'`, base64url.
    Binary,
    /// `Namespace.EnumType'member'`.
    Enum(&'static str),
    /// Complex values and collections: JSON (only in parameter aliases).
    Json,
}

/// A value written as a URL literal, and as a key segment would write it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Literal {
    /// The literal (`'O''Neil'`, `42`, `ns.Color'Red'`), before percent-encoding.
    pub text: String,
    /// The value alone (`O'Neil`), for key-as-segment URLs.
    pub raw: String,
}

/// Writes `value` (anything that serializes to a JSON scalar, or to JSON for [`LiteralKind::Json`])
/// as a URL literal of `kind` (OData ABNF, `primitiveLiteral`; OData URL Conventions 4.01 §5.1.1.1).
///
/// # Errors
/// When the value cannot be serialized.
#[doc(hidden)]
pub fn literal<T: Serialize + ?Sized>(value: &T, kind: LiteralKind) -> Result<Literal, String> {
    use serde_json::Value;
    let json = serde_json::to_value(value).map_err(|e| e.to_string())?;
    let both = |text: String, raw: String| Literal { text, raw };
    // Inside a quoted literal a quote is doubled, so no value can end the literal early.
    let quoted = |s: &str| s.replace('\'', "''");
    Ok(match (json, kind) {
        (Value::Null, _) => both("null".to_owned(), "null".to_owned()),
        (Value::String(s), LiteralKind::String) => both(format!("'{}'", quoted(&s)), s),
        (Value::String(s), LiteralKind::Duration) => both(format!("duration'{}'", quoted(&s)), s),
        (Value::String(s), LiteralKind::Binary) => {
            let url_safe = s.replace('+', "-").replace('/', "_");
            both(format!("binary'{}'", quoted(&url_safe)), url_safe)
        }
        (Value::String(s), LiteralKind::Enum(ty)) => both(format!("{ty}'{}'", quoted(&s)), s),
        (Value::String(s), LiteralKind::Bare) => both(s.clone(), s),
        (Value::Number(n), _) => both(n.to_string(), n.to_string()),
        (Value::Bool(b), _) => both(b.to_string(), b.to_string()),
        (other, _) => both(other.to_string(), other.to_string()),
    })
}

/// Characters left as they are in a key segment: the unreserved ones.
const KEY: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Characters left as they are in a URL literal inside a path: the unreserved ones and the
/// delimiters of the OData literal and key syntax.
const LITERAL: &percent_encoding::AsciiSet = &KEY
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b',')
    .remove(b'=')
    .remove(b':')
    .remove(b'@')
    .remove(b'$')
    .remove(b'!')
    .remove(b'*')
    .remove(b';')
    .remove(b'+');

/// Where a request builder points, and (with the `client` feature) the client that sends its
/// operations. Request builders are made from it; you do not need it directly.
#[derive(Clone, Debug)]
pub struct Context {
    path: String,
    /// Parameter aliases of the composable functions on the path (`@p=literal`), sent with
    /// every operation from here.
    aliases: Vec<(String, String)>,
    conventions: Conventions,
    restrictions: Restrictions,
    /// Why no request can be built from here (a key that cannot be written).
    error: Option<String>,
    #[cfg(feature = "client")]
    client: Option<crate::client::Client>,
}

impl Context {
    #[doc(hidden)]
    pub fn root(conventions: Conventions) -> Self {
        Context {
            path: String::new(),
            aliases: Vec::new(),
            conventions,
            restrictions: Restrictions::NONE,
            error: None,
            #[cfg(feature = "client")]
            client: None,
        }
    }

    #[cfg(feature = "client")]
    #[doc(hidden)]
    pub fn with_client(conventions: Conventions, client: &crate::client::Client) -> Self {
        Context {
            client: Some(client.clone()),
            ..Context::root(conventions)
        }
    }

    /// The client this builder was made from, if any.
    #[cfg(feature = "client")]
    pub fn client(&self) -> Option<&crate::client::Client> {
        self.client.as_ref()
    }

    /// The path so far, below the base URL, keys filled in.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The parameter aliases the path's function calls send (`("@p", "'x'")`).
    pub fn aliases(&self) -> &[(String, String)] {
        &self.aliases
    }

    /// Microsoft Graph's path-based addressing of a drive item (or a site): `…:/{path}:`, the
    /// item at `path` below this one (`root:/Reports/2024.xlsx:`), each segment of `path`
    /// percent-encoded (a `/` separates them), so that the path cannot end the address early.
    #[doc(hidden)]
    pub fn path_addressed(&self, path: &str) -> Self {
        let mut child = self.clone();
        child.restrictions = Restrictions::NONE;
        child.path.push_str(":/");
        let segments: Vec<String> = path
            .trim_matches('/')
            .split('/')
            .map(|segment| percent_encoding::utf8_percent_encode(segment, KEY).to_string())
            .collect();
        child.path.push_str(&segments.join("/"));
        child.path.push(':');
        child
    }

    /// One segment further (navigation, cast, `$ref`, `$value`, a stream property).
    #[doc(hidden)]
    pub fn child(&self, segment: &str) -> Self {
        let mut child = self.clone();
        child.path.push('/');
        child.path.extend(percent_encoding::utf8_percent_encode(segment, LITERAL));
        child.restrictions = Restrictions::NONE;
        child
    }

    /// `…/$ref`: refused when the metadata says the path is not referenceable.
    #[doc(hidden)]
    pub fn reference(&self) -> Self {
        let mut child = self.child("$ref");
        if let Some(refusal) =
            self.refusal(self.restrictions.referenceable, "referenceable", "NavigationRestrictions")
        {
            child.error.get_or_insert(refusal);
        }
        child
    }

    /// The same path, with what the metadata says it does not support.
    #[doc(hidden)]
    pub fn restrict(mut self, restrictions: Restrictions) -> Self {
        self.restrictions = restrictions;
        self
    }

    /// The entity with this key: as its own segment (`/items/{key}`, when the conventions say
    /// so and the key has one part) or in parentheses (`/items('key')`, `/items(a=1,b=2)`),
    /// percent-encoded so that no key can add segments or a query. Keys that URL parsers read
    /// as "this" or "parent" (empty, `.`, `..`) always use parentheses. Update, delete and read
    /// restrictions of the collection apply to its entities.
    #[doc(hidden)]
    pub fn key(&self, parts: impl IntoIterator<Item = (&'static str, Result<Literal, String>)>) -> Self {
        let mut child = self.clone();
        child.restrictions = Restrictions {
            insertable: true,
            countable: true,
            ..self.restrictions
        };
        let mut literals = Vec::new();
        for (name, literal) in parts {
            match literal {
                Ok(literal) => literals.push((name, literal)),
                Err(e) => {
                    child.error.get_or_insert(format!("key `{name}` cannot be written: {e}"));
                    return child;
                }
            }
        }
        let encode = |text: &str| percent_encoding::utf8_percent_encode(text, LITERAL).to_string();
        match literals.as_slice() {
            [(_, single)]
                if self.conventions.key_as_segment && !matches!(single.raw.as_str(), "" | "." | "..") =>
            {
                child.path.push('/');
                child.path.extend(percent_encoding::utf8_percent_encode(&single.raw, KEY));
            }
            [(_, single)] => child.path.push_str(&format!("({})", encode(&single.text))),
            parts => {
                let parts: Vec<String> =
                    parts.iter().map(|(name, l)| format!("{}={}", encode(name), encode(&l.text))).collect();
                child.path.push_str(&format!("({})", parts.join(",")));
            }
        }
        child
    }

    /// `segment(p1=@p1,...)`, a function call on the path, with the arguments as parameter
    /// aliases (OData URL Conventions 4.01 §5.1.1.13.1) sent with every operation from here; a
    /// composable function's path goes on from its result.
    #[doc(hidden)]
    pub fn compose(&self, segment: &str, arguments: impl IntoIterator<Item = (&'static str, Result<Literal, String>)>) -> Self {
        let mut child = self.clone();
        child.restrictions = Restrictions::NONE;
        let mut names = Vec::new();
        for (name, value) in arguments {
            let mut alias = format!("@{name}");
            let mut n = 1;
            while child.aliases.iter().any(|(a, _)| *a == alias) {
                n += 1;
                alias = format!("@{name}{n}");
            }
            names.push(format!("{name}={alias}"));
            match value {
                Ok(literal) => child.aliases.push((alias, literal.text)),
                Err(e) => {
                    child.error.get_or_insert(format!("argument `{name}` cannot be written: {e}"));
                }
            }
        }
        child.path.push('/');
        child.path.extend(percent_encoding::utf8_percent_encode(segment, LITERAL));
        child.path.push_str(&format!("({})", names.join(",")));
        child
    }

    /// Why the metadata refuses an operation here, when `allowed` is false.
    fn refusal(&self, allowed: bool, what: &str, term: &str) -> Option<String> {
        (!allowed).then(|| {
            format!(
                "the service's metadata says `{}` is not {what} (Capabilities.{term})",
                self.path
            )
        })
    }

    #[doc(hidden)]
    pub fn operation<T>(&self, method: http::Method, segment: Option<&str>, read: Reader<T>) -> Operation<T> {
        // Built once untyped, so that what every operation shares is compiled once rather
        // than once per output type; only the reader is typed.
        self.untyped_operation(method, segment).reading(read)
    }

    fn untyped_operation(&self, method: http::Method, segment: Option<&str>) -> Operation<()> {
        let url = match segment {
            Some(segment) => format!("{}/{segment}", self.path),
            None => self.path.clone(),
        };
        let mut operation = Operation::new(method, url, Arc::new(read_nothing));
        operation.query = self.aliases.clone();
        operation.conventions = Some(self.conventions);
        if let Some(error) = &self.error {
            operation.refuse(error.clone());
        }
        #[cfg(feature = "client")]
        {
            operation.client = self.client.clone();
        }
        operation
    }

    /// `operation`, refused before it is sent when the metadata does not allow it here (an
    /// earlier refusal, such as a key that cannot be written, stays).
    fn checked<T>(&self, mut operation: Operation<T>, allowed: bool, what: &str, term: &str) -> Operation<T> {
        if let Some(refusal) = self.refusal(allowed, what, term) {
            operation.refuse(refusal);
        }
        operation
    }

    /// `GET` of one page of a collection.
    #[doc(hidden)]
    pub fn list<T: Json + 'static>(&self) -> Operation<Page<T>> {
        let mut operation = self.operation(http::Method::GET, None, Arc::new(read_page::<T>));
        operation.paged = true;
        self.checked(operation, self.restrictions.readable, "readable", "ReadRestrictions")
    }

    /// `POST` of a new entity to a collection: the entity as the service stored it, or where it
    /// is (one entity: a collection page in its place is an error, see [`parse_single`]).
    #[doc(hidden)]
    pub fn create<T: Json + 'static>(&self, body: &T) -> Operation<Created<T>> {
        self.create_with(body, parse_single)
    }

    /// `create`, with the answer's body read by `parse`.
    #[doc(hidden)]
    pub fn create_with<T: Json + 'static>(&self, body: &T, parse: Parser<T>) -> Operation<Created<T>> {
        let read: Reader<Created<T>> = Arc::new(move |answer: &Answer<'_>| read_created(answer, parse));
        let operation = self.operation(http::Method::POST, None, read).json(body);
        self.checked(operation, self.restrictions.insertable, "insertable", "InsertRestrictions")
    }

    /// `GET …/$count`: the number of items, as plain text.
    #[doc(hidden)]
    pub fn count(&self) -> Operation<u64> {
        let read: Reader<u64> = Arc::new(|answer: &Answer<'_>| parse_count(answer.body));
        let mut operation = self.operation(http::Method::GET, Some("$count"), read);
        operation.accept = "text/plain";
        self.checked(operation, self.restrictions.countable, "countable", "CountRestrictions")
    }

    /// `GET` of an entity or complex value (one value: a collection page in its place is an
    /// error, see [`parse_single`]).
    #[doc(hidden)]
    pub fn get<T: Json + 'static>(&self) -> Operation<T> {
        let operation = self.operation(http::Method::GET, None, Arc::new(read_entity::<T>));
        self.checked(operation, self.restrictions.readable, "readable", "ReadRestrictions")
    }

    /// `get`, with the answer read by `parse`.
    #[doc(hidden)]
    pub fn get_with<T: 'static>(&self, parse: Parser<T>) -> Operation<T> {
        let read: Reader<T> = Arc::new(move |answer: &Answer<'_>| read_result(answer, parse));
        let operation = self.operation(http::Method::GET, None, read);
        self.checked(operation, self.restrictions.readable, "readable", "ReadRestrictions")
    }

    /// `GET` of a value that may be null (a single-valued navigation or complex property):
    /// `204 No Content` is `None`.
    #[doc(hidden)]
    pub fn get_optional<T: Json + 'static>(&self) -> Operation<Option<T>> {
        let operation = self.operation(http::Method::GET, None, Arc::new(read_optional_entity::<T>));
        self.checked(operation, self.restrictions.readable, "readable", "ReadRestrictions")
    }

    /// `PATCH` of an entity: the entity as stored when the service sends it back.
    #[doc(hidden)]
    pub fn update<T: Json + 'static>(&self, body: &T) -> Operation<Option<T>> {
        let operation = self.operation(http::Method::PATCH, None, Arc::new(read_updated::<T>)).json(body);
        self.checked(operation, self.restrictions.updatable, "updatable", "UpdateRestrictions")
    }

    /// `PUT` of an entity, replacing it: the entity as stored when the service sends it back.
    #[doc(hidden)]
    pub fn replace<T: Json + 'static>(&self, body: &T) -> Operation<Option<T>> {
        let operation = self.operation(http::Method::PUT, None, Arc::new(read_updated::<T>)).json(body);
        self.checked(operation, self.restrictions.updatable, "updatable", "UpdateRestrictions")
    }

    /// `DELETE` of an entity.
    #[doc(hidden)]
    pub fn delete(&self) -> Operation<()> {
        let operation = self.operation(http::Method::DELETE, None, Arc::new(read_nothing));
        self.checked(operation, self.restrictions.deletable, "deletable", "DeleteRestrictions")
    }

    /// `POST` of a bound action that returns nothing: any success (`200`, `202`, `204`).
    #[doc(hidden)]
    pub fn action(&self, segment: &str) -> Operation<()> {
        self.operation(http::Method::POST, Some(segment), Arc::new(read_nothing))
    }

    /// `POST` of a bound action that returns a value, read with `parse`.
    #[doc(hidden)]
    pub fn action_returning<T: 'static>(&self, segment: &str, parse: Parser<T>) -> Operation<T> {
        let read: Reader<T> = Arc::new(move |answer: &Answer<'_>| read_result(answer, parse));
        self.operation(http::Method::POST, Some(segment), read)
    }

    /// `POST` of an action that creates an upload session (Microsoft Graph's
    /// `createUploadSession`): the session, typed with what its finished upload makes.
    #[doc(hidden)]
    pub fn upload_session<T: 'static>(&self, segment: &str) -> Operation<super::UploadSession<T>> {
        self.operation(http::Method::POST, Some(segment), Arc::new(super::upload::read_upload_session::<T>))
    }

    /// `POST` of a bound action that returns entities: one page of them (a page may link to
    /// the next, which is read with `GET`).
    #[doc(hidden)]
    pub fn action_pages<T: Json + 'static>(&self, segment: &str) -> Operation<Page<T>> {
        let mut operation = self.operation(http::Method::POST, Some(segment), Arc::new(read_page::<T>));
        operation.paged = true;
        operation
    }

    /// A function call returning entities: one page of them, with its next link and, for a
    /// change-tracking function (Microsoft Graph's `delta`), the delta link on the last page.
    #[doc(hidden)]
    pub fn function_pages<T: Json + 'static>(
        &self,
        segment: &str,
        arguments: impl IntoIterator<Item = (&'static str, Result<Literal, String>)>,
    ) -> Operation<Page<T>> {
        let mut operation = self.compose(segment, arguments).operation(http::Method::GET, None, Arc::new(read_page::<T>));
        operation.paged = true;
        operation
    }

    /// A function call: `segment(p1=@p1,...)` with the arguments as parameter aliases whose
    /// values are URL literals.
    #[doc(hidden)]
    pub fn function<T: 'static>(
        &self,
        segment: &str,
        arguments: impl IntoIterator<Item = (&'static str, Result<Literal, String>)>,
        parse: Parser<T>,
    ) -> Operation<T> {
        let read: Reader<T> = Arc::new(move |answer: &Answer<'_>| read_result(answer, parse));
        self.compose(segment, arguments).operation(http::Method::GET, None, read)
    }
}

/// Raw content: a stream property or the media content (`$value`) of a media entity
/// (OData URL Conventions 4.01 §4.14). `E` is the entity the content belongs to: some services
/// answer an upload with it (Microsoft Graph's drive item content, `201 Created`).
pub struct StreamRequest<E = serde_json::Value> {
    context: Context,
    entity: PhantomData<fn() -> E>,
}

impl<E> Clone for StreamRequest<E> {
    fn clone(&self) -> Self {
        StreamRequest::with_context(self.context.clone())
    }
}

impl<E> std::fmt::Debug for StreamRequest<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StreamRequest").field("context", &self.context).finish()
    }
}

impl<E> StreamRequest<E> {
    #[doc(hidden)]
    pub fn with_context(context: Context) -> Self {
        StreamRequest {
            context,
            entity: PhantomData,
        }
    }

    /// Where this builder points.
    pub fn context(&self) -> &Context {
        &self.context
    }

    /// `GET`: the content, as bytes (its `ETag` with [`Operation::with_response`]).
    pub fn get(&self) -> Operation<Vec<u8>> {
        self.context.operation(http::Method::GET, None, Arc::new(read_bytes)).accept_any()
    }

    /// `DELETE`: removes the content (a stream property becomes null).
    pub fn delete(&self) -> Operation<()> {
        self.context.operation(http::Method::DELETE, None, Arc::new(read_nothing))
    }
}

impl<E: Json + 'static> StreamRequest<E> {
    /// `PUT`: replaces the content with these bytes. The output is what the service sends back
    /// (`201 Created` or `200 OK` with the entity the content belongs to), else `None`
    /// (`204 No Content`).
    pub fn put(&self, content: impl Into<Vec<u8>>) -> Operation<Option<E>> {
        self.context
            .operation(http::Method::PUT, None, Arc::new(read_updated::<E>))
            .bytes(content.into())
    }
}

/// Requests on a single-valued navigation property (or a complex property) that may be null:
/// [`NullableRequest::get`] gives `None` when there is nothing there (`204 No Content`, OData
/// 4.01 Part 1 §11.2.6); everything else is the builder's, which it derefs to.
pub struct NullableRequest<B, T> {
    builder: B,
    context: Context,
    value: PhantomData<fn() -> T>,
}

impl<B: Clone, T> Clone for NullableRequest<B, T> {
    fn clone(&self) -> Self {
        NullableRequest {
            builder: self.builder.clone(),
            context: self.context.clone(),
            value: PhantomData,
        }
    }
}

impl<B: std::fmt::Debug, T> std::fmt::Debug for NullableRequest<B, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("NullableRequest").field(&self.builder).finish()
    }
}

impl<B, T: Json + 'static> NullableRequest<B, T> {
    #[doc(hidden)]
    pub fn new(context: Context, builder: impl FnOnce(Context) -> B) -> Self {
        NullableRequest {
            builder: builder(context.clone()),
            context,
            value: PhantomData,
        }
    }

    /// `GET`: the value, or `None` when there is none.
    pub fn get(&self) -> Operation<Option<T>> {
        self.context.get_optional()
    }

    /// The builder, for everything but `get`.
    pub fn into_inner(self) -> B {
        self.builder
    }
}

impl<B, T> std::ops::Deref for NullableRequest<B, T> {
    type Target = B;

    fn deref(&self) -> &B {
        &self.builder
    }
}

/// An entity reference, `{"@odata.id": "…"}` (OData JSON Format 4.01 §14).
#[derive(Clone, Debug, PartialEq)]
pub struct Reference {
    /// The entity's id: its canonical URL, absolute or relative to the service root.
    pub id: String,
    /// Other annotations.
    pub additional_properties: serde_json::Map<String, serde_json::Value>,
}

impl Json for Reference {
    fn read_json(text: &str) -> Result<Self, crate::support::JsonError> {
        let mut id = None;
        let mut additional_properties = serde_json::Map::new();
        for (key, text) in crate::support::members(text)? {
            match &*key {
                "@odata.id" | "@id" => id = Some(crate::support::read_member(&key, text)?),
                _ => crate::support::read_additional(&mut additional_properties, key, text)?,
            }
        }
        Ok(Reference {
            id: id.ok_or_else(|| crate::support::JsonError::new("missing member `@odata.id`: no entity reference"))?,
            additional_properties,
        })
    }

    fn write_json(&self, out: &mut crate::support::Writer) {
        let mut object = out.object();
        object.member("@odata.id", &self.id);
        object.additional(&self.additional_properties);
        object.end();
    }
}

impl Serialize for Reference {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        crate::support::serialize_json(self, serializer)
    }
}

impl<'de> serde::Deserialize<'de> for Reference {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::support::deserialize_json(deserializer)
    }
}

impl Reference {
    /// A reference to the entity at `id` (its URL, such as `https://host/service/users/42`
    /// or `users/42`).
    pub fn to(id: impl Into<String>) -> Self {
        Reference {
            id: id.into(),
            additional_properties: serde_json::Map::new(),
        }
    }
}

/// `…/$ref` of a single-valued navigation property or of an entity: the link, not the entity
/// (OData URL Conventions 4.01 §4.4; OData Protocol 4.01 §11.4.6).
#[derive(Clone, Debug)]
pub struct ReferenceRequest {
    context: Context,
}

impl ReferenceRequest {
    #[doc(hidden)]
    pub fn with_context(context: Context) -> Self {
        ReferenceRequest { context }
    }

    /// Where this builder points.
    pub fn context(&self) -> &Context {
        &self.context
    }

    /// `GET`: the entity reference.
    pub fn get(&self) -> Operation<Reference> {
        self.context.operation(http::Method::GET, None, Arc::new(read_entity::<Reference>))
    }

    /// `PUT`: links the navigation property to the entity at `id` (its URL).
    pub fn set(&self, id: impl Into<String>) -> Operation<()> {
        self.context
            .operation(http::Method::PUT, None, Arc::new(read_nothing))
            .json(&Reference::to(id))
    }

    /// `DELETE`: removes the link (for a collection member, `…/items/{key}/$ref`).
    pub fn delete(&self) -> Operation<()> {
        self.context.operation(http::Method::DELETE, None, Arc::new(read_nothing))
    }
}

/// `…/$ref` of a collection-valued navigation property: the links, not the entities
/// (OData URL Conventions 4.01 §4.4; OData Protocol 4.01 §11.4.6).
#[derive(Clone, Debug)]
pub struct ReferencesRequest {
    context: Context,
}

impl ReferencesRequest {
    #[doc(hidden)]
    pub fn with_context(context: Context) -> Self {
        ReferencesRequest { context }
    }

    /// Where this builder points.
    pub fn context(&self) -> &Context {
        &self.context
    }

    /// `GET`: one page of references.
    pub fn list(&self) -> Operation<Page<Reference>> {
        let mut operation = self.context.operation(http::Method::GET, None, Arc::new(read_page::<Reference>));
        operation.paged = true;
        operation
    }

    /// `POST`: adds a link to the entity at `id` (its URL).
    pub fn add(&self, id: impl Into<String>) -> Operation<()> {
        self.context
            .operation(http::Method::POST, None, Arc::new(read_nothing))
            .json(&Reference::to(id))
    }

    /// `DELETE …/$ref?$id=…`: removes the link to the entity at `id`.
    pub fn remove(&self, id: impl Into<String>) -> Operation<()> {
        self.context
            .operation(http::Method::DELETE, None, Arc::new(read_nothing))
            .query("$id", id)
    }
}

