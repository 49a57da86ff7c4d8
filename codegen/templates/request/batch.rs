use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use super::links::is_absolute;
use super::operation::{Answer, Body, Reader};
use super::{DecodeError, Error, Operation};

/// Several operations in one `POST $batch` request, in the JSON batch format (OData JSON
/// Format 4.01 §19, which Microsoft Graph's JSON batching follows), each answered on its own.
///
/// Add operations with [`Batch::add`] (or [`Batch::add_after`], for one that must wait for
/// others: `dependsOn`; or [`Batch::add_to_group`], for ones that succeed or fail together:
/// an atomicity group), send [`Batch::operation`] (with the client: `client.batch(&batch)`),
/// then read each operation's result from the [`BatchResponse`] with the [`BatchItem`] that
/// `add` returned: the same value or error the operation alone would give.
///
/// The answer is checked against the batch: every request answered exactly once, no answer to
/// a request that was not sent, so never more answers than requests.
#[derive(Clone, Debug)]
pub struct Batch {
    pub(crate) requests: Vec<BatchRequest>,
    groups: usize,
    pub(crate) max_requests: usize,
}

/// One request of a batch, as the JSON batch format writes it.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct BatchRequest {
    pub(crate) id: String,
    method: String,
    url: String,
    #[serde(rename = "atomicityGroup", skip_serializing_if = "Option::is_none")]
    pub(crate) atomicity_group: Option<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    headers: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<Box<serde_json::value::RawValue>>,
    #[serde(rename = "dependsOn", skip_serializing_if = "Vec::is_empty")]
    pub(crate) depends_on: Vec<String>,
}

/// An operation's place in a [`Batch`], to read its result from the [`BatchResponse`].
pub struct BatchItem<T> {
    id: String,
    /// The request's URL in the batch, relative to the service root.
    url: String,
    read: Reader<T>,
}

impl<T> Clone for BatchItem<T> {
    fn clone(&self) -> Self {
        BatchItem {
            id: self.id.clone(),
            url: self.url.clone(),
            read: self.read.clone(),
        }
    }
}

impl<T> fmt::Debug for BatchItem<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchItem").field("id", &self.id).finish_non_exhaustive()
    }
}

impl<T> BatchItem<T> {
    /// The request's `id` in the batch (`"1"`, `"2"`, ... in the order added).
    pub fn id(&self) -> &str {
        &self.id
    }
}

/// Requests of a batch that the service runs as one: all succeed or none does (OData JSON
/// Format 4.01 §19.1, `atomicityGroup`). Its requests are adjacent in the batch, and others
/// may depend on the whole group by its [`AtomicityGroup::id`]. Microsoft Graph does not
/// support them; OData 4.01 services such as SAP CAP do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AtomicityGroup {
    id: String,
}

impl AtomicityGroup {
    /// The group's id (`"g1"`, ...), for `dependsOn`.
    pub fn id(&self) -> &str {
        &self.id
    }
}

impl Default for Batch {
    fn default() -> Self {
        Batch::new()
    }
}

impl Batch {
    /// The most requests Microsoft Graph takes in one batch, and so the default limit.
    pub const DEFAULT_MAX_REQUESTS: usize = 20;

    /// An empty batch of at most [`Batch::DEFAULT_MAX_REQUESTS`] requests.
    pub fn new() -> Self {
        Batch {
            requests: Vec::new(),
            groups: 0,
            max_requests: Self::DEFAULT_MAX_REQUESTS,
        }
    }

    /// The batch with another limit, for a service that takes more (or fewer) requests.
    pub fn with_max_requests(mut self, max_requests: usize) -> Self {
        self.max_requests = max_requests;
        self
    }

    /// How many requests the batch holds.
    pub fn len(&self) -> usize {
        self.requests.len()
    }

    /// Whether the batch holds no request.
    pub fn is_empty(&self) -> bool {
        self.requests.is_empty()
    }

    /// Adds an operation; the service may run it in any order with the others.
    ///
    /// # Errors
    /// [`Error::Request`] when the batch is full, or the operation cannot be built or be
    /// batched (a link from an earlier answer, an absolute URL).
    pub fn add<T>(&mut self, operation: &Operation<T>) -> Result<BatchItem<T>, Error> {
        self.push(operation, &[], None)
    }

    /// Adds an operation that runs only after the requests (or atomicity groups)
    /// `depends_on` (their ids) succeeded; if one of them fails, the service answers this
    /// one with `424 Failed Dependency` without running it.
    ///
    /// # Errors
    /// As [`Batch::add`]; also an id that is not an earlier request or group of this batch.
    pub fn add_after<T>(&mut self, operation: &Operation<T>, depends_on: &[&str]) -> Result<BatchItem<T>, Error> {
        self.push(operation, depends_on, None)
    }

    /// A new atomicity group: add its requests with [`Batch::add_to_group`], one after the
    /// other.
    pub fn atomicity_group(&mut self) -> AtomicityGroup {
        self.groups += 1;
        AtomicityGroup {
            id: format!("g{}", self.groups),
        }
    }

    /// Adds an operation to an atomicity group: the service runs the group's requests as one.
    ///
    /// # Errors
    /// As [`Batch::add`]; also when another request was added after the group's last one (a
    /// group's requests are adjacent, §19.1).
    pub fn add_to_group<T>(&mut self, group: &AtomicityGroup, operation: &Operation<T>) -> Result<BatchItem<T>, Error> {
        let started = self.requests.iter().any(|r| r.atomicity_group.as_deref() == Some(group.id()));
        let last_in_group = self.requests.last().is_some_and(|r| r.atomicity_group.as_deref() == Some(group.id()));
        if started && !last_in_group {
            return Err(Error::Request(format!(
                "the requests of atomicity group `{}` must be adjacent: add them one after the other",
                group.id
            )));
        }
        self.push(operation, &[], Some(group.id.clone()))
    }

    fn push<T>(&mut self, operation: &Operation<T>, depends_on: &[&str], group: Option<String>) -> Result<BatchItem<T>, Error> {
        if self.requests.len() >= self.max_requests {
            return Err(Error::Request(format!("a batch holds at most {} requests", self.max_requests)));
        }
        let known = |id: &str| self.requests.iter().any(|r| r.id == id || r.atomicity_group.as_deref() == Some(id));
        if let Some(unknown) = depends_on.iter().find(|id| !known(id)) {
            return Err(Error::Request(format!("`{unknown}` is not a request or atomicity group of this batch")));
        }
        if operation.links.is_some() || is_absolute(&operation.url) {
            return Err(Error::Request(
                "a batch holds requests below the service root, not links from earlier answers or absolute URLs".to_owned(),
            ));
        }
        // Built against an empty base: the URL stays relative to the service root, as
        // batches want it.
        let request = operation.http_request("")?;
        let mut headers = BTreeMap::new();
        for (name, value) in request.headers() {
            let value = value.to_str().map_err(|_| Error::Request(format!("the header `{name}` is not text")))?;
            headers.insert(name.as_str().to_owned(), value.to_owned());
        }
        let body = match operation.body.as_ref().map_err(|e| Error::Request(e.clone()))? {
            None => None,
            Some(Body::Json(bytes)) => {
                let text = String::from_utf8(bytes.clone()).map_err(|e| Error::Request(e.to_string()))?;
                Some(serde_json::value::RawValue::from_string(text).map_err(|e| Error::Request(e.to_string()))?)
            }
            // The batch format carries other media types base64url-encoded, as a JSON string
            // (JSON Format 4.01 §19.1).
            Some(Body::Bytes(bytes)) => {
                use base64::Engine;
                let text = serde_json::to_string(&base64::engine::general_purpose::URL_SAFE.encode(bytes))
                    .map_err(|e| Error::Request(e.to_string()))?;
                Some(serde_json::value::RawValue::from_string(text).map_err(|e| Error::Request(e.to_string()))?)
            }
        };
        let id = (self.requests.len() + 1).to_string();
        // Relative to the batch's own URL, the service root's `$batch` (§19.1: a URL starting
        // with `/` would be below the host, not the service root); Microsoft Graph's form is a
        // path below the service root.
        let below_root = operation.conventions.is_some_and(|c| c.batch_paths_from_service_root);
        let url = match request.uri().to_string() {
            path if below_root => path,
            path => path.trim_start_matches('/').to_owned(),
        };
        let mut depends_on: Vec<String> = depends_on.iter().map(|id| (*id).to_owned()).collect();
        depends_on.sort();
        depends_on.dedup();
        self.requests.push(BatchRequest {
            id: id.clone(),
            method: request.method().to_string(),
            url: url.clone(),
            atomicity_group: group,
            headers,
            body,
            depends_on,
        });
        Ok(BatchItem {
            id,
            url,
            read: operation.read.clone(),
        })
    }

    /// The `POST $batch` operation: send it as any other (its `http_request` for any HTTP
    /// stack, or the client), and read each result from its [`BatchResponse`].
    ///
    /// # Errors
    /// [`Error::Request`] for an empty batch.
    pub fn operation(&self) -> Result<Operation<BatchResponse>, Error> {
        #[derive(Serialize)]
        struct Requests<'a> {
            requests: &'a [BatchRequest],
        }
        if self.requests.is_empty() {
            return Err(Error::Request("an empty batch".to_owned()));
        }
        let sent: Arc<Vec<(String, Option<String>)>> = Arc::new(
            self.requests.iter().map(|r| (r.id.clone(), r.atomicity_group.clone())).collect(),
        );
        let read: Reader<BatchResponse> = Arc::new(move |answer: &Answer<'_>| {
            let mut response = parse_batch_answer(answer.body, &sent)?;
            response.url = answer.url.map(str::to_owned);
            #[cfg(feature = "client")]
            {
                response.client = answer.extensions.get::<crate::client::Client>().cloned();
            }
            Ok(response)
        });
        let operation = Operation::new(http::Method::POST, "/$batch".to_owned(), read);
        let mut operation = operation;
        let body = serde_json::to_vec(&Requests { requests: &self.requests })
            .map_err(|e| Error::Request(format!("the batch cannot be written: {e}")))?;
        operation.body = Ok(Some(Body::Json(body)));
        Ok(operation)
    }
}

/// The answers to a [`Batch`], by request.
#[derive(Clone, Debug)]
pub struct BatchResponse {
    answers: Vec<BatchAnswer>,
    /// The atomicity group of each request sent, by id.
    groups: Vec<(String, String)>,
    /// The URL of the `$batch` request, when known: the items' relative URLs are below it.
    url: Option<String>,
    #[cfg(feature = "client")]
    client: Option<crate::client::Client>,
}

#[derive(Clone, Debug)]
pub(crate) struct BatchAnswer {
    pub(crate) id: String,
    status: u16,
    headers: http::HeaderMap,
    body: Vec<u8>,
}

impl BatchResponse {
    /// The answers of several batches as one (their requests' ids are distinct), in the
    /// `order` of their ids, with the first batch's URL and client that is known.
    pub(crate) fn merged(responses: impl IntoIterator<Item = BatchResponse>, order: impl Fn(&str) -> usize) -> BatchResponse {
        let mut merged = BatchResponse {
            answers: Vec::new(),
            groups: Vec::new(),
            url: None,
            #[cfg(feature = "client")]
            client: None,
        };
        for response in responses {
            merged.answers.extend(response.answers);
            merged.groups.extend(response.groups);
            merged.url = merged.url.or(response.url);
            #[cfg(feature = "client")]
            {
                merged.client = merged.client.or(response.client);
            }
        }
        merged.answers.sort_by_key(|a| order(&a.id));
        merged
    }

    /// The result of one operation of the batch: what the operation alone would give for
    /// the same answer (its `Location` resolved against the item's own URL, §19.2).
    ///
    /// # Errors
    /// The operation's error for its answer (for example [`Error::Service`] with status 424
    /// when a request it depends on failed); for a request of an atomicity group another
    /// request of which failed, that failure, whatever its own status (§19.2: the whole group
    /// failed, and its changes were not kept); [`Error::Decode`] for a request the service
    /// left unanswered (a partial answer) or an item of another batch.
    pub fn get<T>(&self, item: &BatchItem<T>) -> Result<T, Error> {
        if let Some(failed) = self.failed_in_group(&item.id) {
            return Err(failed);
        }
        let response = self.response(item)?;
        Operation::new(http::Method::GET, String::new(), item.read.clone()).parse_response(response)
    }

    /// The answer to one operation as [`Operation::parse_step`] reads it: done, or accepted
    /// with a status monitor to poll (`202` with `Location`).
    ///
    /// # Errors
    /// As [`BatchResponse::get`].
    pub fn step<T>(&self, item: &BatchItem<T>) -> Result<super::Step<T>, Error> {
        if let Some(failed) = self.failed_in_group(&item.id) {
            return Err(failed);
        }
        let response = self.response(item)?;
        #[allow(unused_mut)]
        let mut operation = Operation::new(http::Method::GET, String::new(), item.read.clone());
        #[cfg(feature = "client")]
        {
            operation.client = self.client.clone();
        }
        operation.parse_step(response)
    }

    /// The answer to `item` as an `http` response, with the item's URL and the client.
    fn response<T>(&self, item: &BatchItem<T>) -> Result<http::Response<Vec<u8>>, Error> {
        let answer = self.answers.iter().find(|a| a.id == item.id).ok_or_else(|| {
            Error::decode(
                "responses",
                format!("the batch has no answer for request `{}` (a partial answer, or an item of another batch)", item.id),
                &[],
            )
        })?;
        let mut response = http::Response::new(answer.body.clone());
        *response.status_mut() = http::StatusCode::from_u16(answer.status)
            .map_err(|_| Error::decode("responses", format!("the status {} is not an HTTP status", answer.status), &[]))?;
        *response.headers_mut() = answer.headers.clone();
        if let Some(batch_url) = &self.url {
            // Graph's form (`/me/drive`) is below the service root, the `$batch` URL's parent.
            let url = match batch_url.split('?').next().and_then(|u| u.strip_suffix("/$batch")) {
                Some(root) if item.url.starts_with('/') => Ok(format!("{root}{}", item.url)),
                _ => super::links::resolve_against(batch_url, &item.url),
            };
            if let Ok(url) = url {
                response.extensions_mut().insert(super::RequestUrl(url));
            }
        }
        #[cfg(feature = "client")]
        if let Some(client) = &self.client {
            response.extensions_mut().insert(client.clone());
        }
        Ok(response)
    }

    /// The failure of another request of `id`'s atomicity group, if one failed.
    fn failed_in_group(&self, id: &str) -> Option<Error> {
        let group = &self.groups.iter().find(|(request, _)| request == id)?.1;
        let failed = self.answers.iter().find(|a| {
            a.id != id
                && a.status >= 400
                && self.groups.iter().any(|(request, g)| *request == a.id && g == group)
        })?;
        let error = super::error::error_from_response(failed.status, &failed.headers, &failed.body);
        Some(match error {
            Error::Service(mut e) => {
                e.message = format!(
                    "request `{}` of atomicity group `{group}` failed, so the whole group did and none of its changes were kept: {}",
                    failed.id, e.message
                );
                Error::Service(e)
            }
            other => other,
        })
    }

    /// The status of the answer to request `id`, if the batch has one.
    pub fn status(&self, id: &str) -> Option<u16> {
        self.answers.iter().find(|a| a.id == id).map(|a| a.status)
    }

    /// The ids of the answered requests, in the order the service answered.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.answers.iter().map(|a| a.id.as_str())
    }
}

/// Reads a JSON batch answer: `{"responses": [{"id", "status", "headers", "body"}]}`, checked
/// against the ids sent as it is read (an answer to a request not sent, or a second answer to
/// one, stops the reading). A request left unanswered (a partial answer, §19.2) is an error of
/// that request alone. A body of a `text/*` media type is the text itself, one of another
/// non-JSON media type base64url (or base64) as a JSON string (§19.1); a JSON body is kept as
/// the JSON text it was.
fn parse_batch_answer(body: &[u8], sent: &[(String, Option<String>)]) -> Result<BatchResponse, DecodeError> {
    let invalid = |path: String, message: String| DecodeError {
        path,
        message,
        body: body.to_vec(),
    };
    let ids: Vec<String> = sent.iter().map(|(id, _)| id.clone()).collect();
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let raw = Envelope { sent: &ids }
        .deserialize(&mut deserializer)
        .and_then(|answers| deserializer.end().map(|()| answers))
        .map_err(|e| {
            let message = e.to_string();
            match message.split_once(": ") {
                Some((path, rest)) if path.starts_with("responses") => invalid(path.to_owned(), rest.to_owned()),
                _ => invalid("responses".to_owned(), message),
            }
        })?;
    let answers = raw
        .into_iter()
        .enumerate()
        .map(|(index, answer)| {
            let path = format!("responses[{index}]");
            let mut headers = http::HeaderMap::new();
            for (name, value) in &answer.headers {
                let name = http::HeaderName::try_from(name.as_str()).map_err(|e| invalid(path.clone(), e.to_string()))?;
                let value = http::HeaderValue::try_from(value.as_str()).map_err(|e| invalid(path.clone(), e.to_string()))?;
                headers.insert(name, value);
            }
            let media_type = headers
                .get(http::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.trim().to_ascii_lowercase());
            let body = match (answer.body, media_type.as_deref()) {
                (None, _) => Vec::new(),
                (Some(raw), Some(media)) if !media.contains("json") && raw.get().starts_with('"') => {
                    let text: String = serde_json::from_str(raw.get()).map_err(|e| invalid(path.clone(), e.to_string()))?;
                    if media.starts_with("text/") {
                        text.into_bytes()
                    } else {
                        decode_base64(&text).map_err(|e| {
                            invalid(format!("{path}.body"), format!("a body of a non-JSON, non-text media type is base64url: {e}"))
                        })?
                    }
                }
                (Some(raw), _) => raw.get().as_bytes().to_vec(),
            };
            Ok(BatchAnswer {
                id: answer.id,
                status: answer.status,
                headers,
                body,
            })
        })
        .collect::<Result<_, DecodeError>>()?;
    let groups = sent
        .iter()
        .filter_map(|(id, group)| Some((id.clone(), group.clone()?)))
        .collect();
    Ok(BatchResponse {
        answers,
        groups,
        url: None,
        #[cfg(feature = "client")]
        client: None,
    })
}

/// base64url as §19.1 specifies, or standard base64 as some services send; padded or not.
fn decode_base64(text: &str) -> Result<Vec<u8>, base64::DecodeError> {
    use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
    use base64::Engine;
    let unpadded = text.trim_end_matches('=');
    URL_SAFE_NO_PAD.decode(unpadded).or_else(|_| STANDARD_NO_PAD.decode(unpadded))
}

#[derive(Deserialize)]
struct RawAnswer {
    id: String,
    status: u16,
    #[serde(default)]
    headers: BTreeMap<String, String>,
    #[serde(default)]
    body: Option<Box<serde_json::value::RawValue>>,
}

/// `{"responses": [...]}`, other members skipped.
struct Envelope<'a> {
    sent: &'a [String],
}

impl<'de> DeserializeSeed<'de> for Envelope<'_> {
    type Value = Vec<RawAnswer>;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Envelope<'_> {
    type Value = Vec<RawAnswer>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON batch answer, `{\"responses\": [...]}`")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut members: A) -> Result<Self::Value, A::Error> {
        let mut answers = None;
        while let Some(key) = members.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == "responses" {
                answers = Some(members.next_value_seed(Answers { sent: self.sent })?);
            } else {
                members.next_value::<IgnoredAny>()?;
            }
        }
        answers.ok_or_else(|| de::Error::custom("responses: missing field `responses`"))
    }
}

/// The answers, each checked as it is read: its id sent and not answered before.
struct Answers<'a> {
    sent: &'a [String],
}

impl<'de> DeserializeSeed<'de> for Answers<'_> {
    type Value = Vec<RawAnswer>;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Answers<'_> {
    type Value = Vec<RawAnswer>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of answers")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Self::Value, A::Error> {
        let mut answers: Vec<RawAnswer> = Vec::with_capacity(self.sent.len());
        let mut index = 0;
        while let Some(answer) = items
            .next_element::<RawAnswer>()
            .map_err(|e| de::Error::custom(format_args!("responses[{index}]: {e}")))?
        {
            if !self.sent.contains(&answer.id) {
                return Err(de::Error::custom(format_args!(
                    "responses[{index}]: an answer to request `{}`, which the batch did not send",
                    answer.id
                )));
            }
            if answers.iter().any(|a| a.id == answer.id) {
                return Err(de::Error::custom(format_args!(
                    "responses[{index}]: a second answer to request `{}`: each request is answered once",
                    answer.id
                )));
            }
            answers.push(answer);
            index += 1;
        }
        Ok(answers)
    }
}
