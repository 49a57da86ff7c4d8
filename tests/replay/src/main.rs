//! Microsoft Graph's documented exchanges, replayed with the generated whole-Graph crate: for
//! every request/response example pair of the docs' `api/` pages, the request is built with
//! the generated builders (the `dynamic` feature walks them by URL segments) and compared with
//! the documented one (method, path, JSON body), and the documented response (status,
//! headers, body) is read through the operation, as a program would read Graph's answer.
//!
//! Each failure is the generator's or the docs': the docs' when `codegen lint` has a finding
//! in that example (the finding's code says what is wrong with the page), or the example is
//! of a kind the page marks as not checkable; the generator's otherwise.
//!
//! ```sh
//! tests/replay/run.sh [--list]   # generates the crate, builds this tool, runs it
//! ```

use std::collections::BTreeMap;
use std::path::PathBuf;

use codegen::diagnostics::Diagnostic;
use codegen::ir::{Model, UrlConventions};
use codegen::pages::{BlockKind, CodeBlock, HttpMessage, HttpRequest, HttpResponse, Page};
use graph::request::{http, Error, RequestUrl};
use serde_json::Value;

const BASE: &str = "https://graph.microsoft.com/v1.0";

/// What went wrong with a pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    /// The documented path addresses nothing in the metadata.
    UnknownPath,
    /// The path is the metadata's, but the generated builders have no such operation there.
    NoOperation,
    /// The documented body (or function arguments) does not read as the operation's.
    BodyRefused,
    /// The operation could not build its request.
    NotBuilt,
    /// The built request differs from the documented one.
    Method,
    Path,
    Body,
    /// The documented response does not read as the operation's answer.
    Response,
}

impl Kind {
    fn describe(self) -> &'static str {
        match self {
            Kind::UnknownPath => "path not in the metadata",
            Kind::NoOperation => "no generated operation",
            Kind::BodyRefused => "body or arguments refused",
            Kind::NotBuilt => "request not built",
            Kind::Method => "method differs",
            Kind::Path => "path differs",
            Kind::Body => "body differs",
            Kind::Response => "response not read",
        }
    }

    /// Whether the failure is about the request (else the response).
    fn of_request(self) -> bool {
        self != Kind::Response
    }
}

#[derive(Debug)]
struct Failure {
    at: String,
    kind: Kind,
    /// `None`: the generator's; `Some(reason)`: the docs'.
    docs: Option<String>,
    detail: String,
}

#[derive(Default)]
struct Totals {
    pages: usize,
    pairs: usize,
    elsewhere: usize,
    built: usize,
    matched: usize,
    matched_exactly: usize,
    read: usize,
    failures: Vec<Failure>,
}

struct Options {
    metadata: PathBuf,
    docs: PathBuf,
    list: bool,
}

fn options() -> Result<Options, String> {
    let mut metadata = None;
    let mut docs = None;
    let mut list = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--metadata" => metadata = args.next().map(PathBuf::from),
            "--docs" => docs = args.next().map(PathBuf::from),
            "--list" => list = true,
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(Options {
        metadata: metadata.ok_or("--metadata CSDL is required")?,
        docs: docs.ok_or("--docs DIR (api-reference/v1.0/api) is required")?,
        list,
    })
}

fn main() {
    let options = match options() {
        Ok(options) => options,
        Err(problem) => {
            eprintln!(
                "graph-replay: {problem}\nusage: graph-replay --metadata CSDL --docs DIR [--list]"
            );
            std::process::exit(2);
        }
    };
    let started = std::time::Instant::now();
    let loaded = codegen::Generator::new()
        .metadata(&options.metadata)
        .metadata(&options.docs)
        .url_conventions(UrlConventions::GRAPH)
        .load();
    let Some(model) = loaded.model.as_ref() else {
        eprintln!("graph-replay: the metadata did not load");
        std::process::exit(1);
    };
    let findings = loaded.lint();
    let mut totals = Totals::default();
    let mut pages: Vec<&Page> = loaded.pages().iter().collect();
    pages.sort_by_key(|p| loaded.sources.path(p.file).to_path_buf());
    for page in pages {
        totals.pages += 1;
        let name = loaded
            .sources
            .path(page.file)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let page_findings: Vec<&Diagnostic> = findings
            .iter()
            .filter(|d| d.span.is_some_and(|s| s.file == page.file))
            .collect();
        let mut pending: Option<(&CodeBlock, &HttpRequest)> = None;
        for block in &page.code_blocks {
            match (&block.kind, &block.http) {
                (BlockKind::Request, Some(HttpMessage::Request(request))) => {
                    pending = Some((block, request))
                }
                (BlockKind::Response, Some(HttpMessage::Response(response))) => {
                    if let Some((request_block, request)) = pending.take() {
                        let line = loaded.sources.line_col(request_block.span).line;
                        let pair = Pair {
                            model,
                            at: format!("{name}:{line}"),
                            request,
                            request_block,
                            response,
                            response_block: block,
                            findings: &page_findings,
                        };
                        pair.replay(&mut totals);
                    }
                }
                _ => {}
            }
        }
    }
    report(&totals, &options, started.elapsed());
}

struct Pair<'a> {
    model: &'a Model,
    at: String,
    request: &'a HttpRequest,
    request_block: &'a CodeBlock,
    response: &'a HttpResponse,
    response_block: &'a CodeBlock,
    findings: &'a [&'a Diagnostic],
}

impl Pair<'_> {
    fn replay(&self, totals: &mut Totals) {
        if self
            .request
            .host
            .as_deref()
            .is_some_and(|host| host != "graph.microsoft.com")
        {
            // An upload URL, a notification endpoint, a sign-in page: not the service's.
            totals.elsewhere += 1;
            return;
        }
        totals.pairs += 1;
        let operation = match self.operation() {
            Ok(operation) => operation,
            Err((kind, detail)) => return self.fail(totals, kind, detail),
        };
        let built = match operation.http_request(BASE) {
            Ok(built) => built,
            Err(error) => return self.fail(totals, Kind::NotBuilt, error.to_string()),
        };
        totals.built += 1;
        match self.compare(&built) {
            Ok(exact) => {
                totals.matched += 1;
                totals.matched_exactly += usize::from(exact);
            }
            Err((kind, detail)) => self.fail(totals, kind, detail),
        }
        match self.read(operation.as_ref()) {
            Ok(()) => totals.read += 1,
            Err(detail) => self.fail(totals, Kind::Response, detail),
        }
    }

    /// The generated operation for the documented request.
    fn operation(&self) -> Result<Box<dyn graph::request::DynamicOperation>, (Kind, String)> {
        let path = decode(&self.request.path);
        // The URL model walks OData's forms; a structural property (`/me/mailboxSettings`) and
        // Graph's path-based addressing (`root:/a/b.txt:`) are walked by the builders alone.
        let found = self.model.match_path(&without_path_addressing(&path));
        let call = found
            .as_ref()
            .and_then(|f| f.call)
            .map(|id| self.model.operation(id));
        let body = match call {
            Some(op) if op.kind == codegen::ir::OperationKind::Function => {
                arguments(&path, self.request.query.as_deref())
            }
            _ if self.request.method == "DELETE" && path.ends_with("/$ref") => {
                self.reference_in_query()
            }
            _ => self
                .documented_body()
                .unwrap_or_else(|| match &self.request.body {
                    Some(body) => Value::String(body.text.clone()),
                    None => Value::Null,
                }),
        };
        let call_name = call.map(|op| op.name.as_str());
        if let Some(op) = call.filter(|op| !op.is_composable) {
            let expected = match op.kind {
                codegen::ir::OperationKind::Function => "GET",
                // An action (the kinds are non-exhaustive).
                _ => "POST",
            };
            if !self.request.method.eq_ignore_ascii_case(expected) {
                return Err((
                    Kind::NoOperation,
                    format!(
                        "{} of `{}`, which is called with {expected}",
                        self.request.method, op.name
                    ),
                ));
            }
        }
        match graph::dynamic::operation(&path, &self.request.method, call_name, body) {
            None if found.is_none() => {
                Err((Kind::UnknownPath, format!("{} {path}", self.request.method)))
            }
            None => Err((
                Kind::NoOperation,
                format!(
                    "{} {path}{}",
                    self.request.method,
                    call_name
                        .map(|c| format!(" (calls {c})"))
                        .unwrap_or_default()
                ),
            )),
            Some(Err(error)) => Err((Kind::BodyRefused, error.to_string())),
            Some(Ok(operation)) => Ok(operation),
        }
    }

    /// The reference a `DELETE …/$ref?$id=…` removes, as the body the dynamic builders read.
    fn reference_in_query(&self) -> Value {
        let id = self
            .request
            .query
            .as_deref()
            .unwrap_or("")
            .split('&')
            .find_map(|pair| {
                pair.strip_prefix("$id=")
                    .or_else(|| pair.strip_prefix("%24id="))
            })
            .map(decode);
        match id {
            Some(id) => serde_json::json!({ "@odata.id": id }),
            None => self.documented_body().unwrap_or(Value::Null),
        }
    }

    /// The documented body as JSON, if it is JSON.
    fn documented_body(&self) -> Option<Value> {
        let body = self.request.body.as_ref()?;
        serde_json::from_str(&body.text).ok()
    }

    /// Compares the built request with the documented one: `Ok(true)` for the same, `Ok(false)`
    /// for the same but for letter case in the path.
    fn compare(&self, built: &http::Request<Vec<u8>>) -> Result<bool, (Kind, String)> {
        if built.method().as_str() != self.request.method {
            return Err((
                Kind::Method,
                format!(
                    "{} built, {} documented",
                    built.method(),
                    self.request.method
                ),
            ));
        }
        let built_path = built_path(built);
        let documented = normalize_path(&decode(&self.request.path));
        let exact = built_path == documented;
        if !exact && !built_path.eq_ignore_ascii_case(&documented) {
            return Err((
                Kind::Path,
                format!("built {built_path}, documented {documented}"),
            ));
        }
        let documented_text = self.request.body.as_ref().map_or("", |b| b.text.trim());
        let raw = built
            .headers()
            .get(http::header::CONTENT_TYPE)
            .is_some_and(|v| v.as_bytes() == b"application/octet-stream");
        let sent_text = String::from_utf8_lossy(built.body());
        if raw {
            // Content: the same text, or the same JSON.
            let same = sent_text.trim() == documented_text
                || matches!((serde_json::from_str::<Value>(&sent_text), serde_json::from_str::<Value>(documented_text)), (Ok(a), Ok(b)) if a == b);
            if !same {
                return Err((Kind::Body, "the content differs".to_owned()));
            }
        } else if let Some(documented) = self.documented_body() {
            let sent: Value = serde_json::from_slice(built.body()).unwrap_or(Value::Null);
            // An action without parameters: `{}` and no body say the same.
            let empty = documented.as_object().is_some_and(|o| o.is_empty()) && sent.is_null();
            if !empty {
                if let Some(difference) = difference("", &documented, &sent) {
                    return Err((Kind::Body, difference));
                }
            }
        }
        Ok(exact)
    }

    /// Reads the documented response through the operation: a success as its output, an error
    /// status as the service's error.
    fn read(&self, operation: &dyn graph::request::DynamicOperation) -> Result<(), String> {
        let mut builder = http::Response::builder().status(self.response.status);
        for (name, value, _) in &self.response.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        let body = self
            .response
            .body
            .as_ref()
            .map(|b| b.text.clone().into_bytes())
            .unwrap_or_default();
        let mut response = builder
            .body(body)
            .map_err(|e| format!("the documented response is not HTTP: {e}"))?;
        response
            .extensions_mut()
            .insert(RequestUrl(self.request.url.clone()));
        let success = (200..300).contains(&self.response.status);
        match (operation.read(response), success) {
            (Ok(()), true) => Ok(()),
            (Err(error), false) if error.status() == Some(self.response.status) => Ok(()),
            (Ok(()), false) => Err(format!("{} read as a success", self.response.status)),
            (Err(Error::Decode(error)), _) => Err(format!(
                "{} at `{}`: {}",
                self.response.status, error.path, error.message
            )),
            (Err(error), _) => Err(format!("{}: {error}", self.response.status)),
        }
    }

    fn fail(&self, totals: &mut Totals, kind: Kind, detail: String) {
        let block = if kind.of_request() {
            self.request_block
        } else {
            self.response_block
        };
        let docs = self.docs_reason(block, kind, &detail);
        totals.failures.push(Failure {
            at: self.at.clone(),
            kind,
            docs,
            detail,
        });
    }

    /// Why the failure is the docs': a lint finding in the example, or what its metadata says.
    /// What the example shows explains the failure first; else a lint finding in the example
    /// of a kind that explains it (a path the metadata lacks, JSON that is not JSON, a member
    /// or value the metadata does not have), never one that does not (a `Content-Length`).
    fn docs_reason(&self, block: &CodeBlock, kind: Kind, detail: &str) -> Option<String> {
        if let Some(reason) = self.docs_rule(kind, detail) {
            return Some(reason);
        }
        let explains: &[&str] = match kind {
            Kind::UnknownPath | Kind::NoOperation | Kind::Path => &["unknown-path"],
            Kind::BodyRefused | Kind::Body | Kind::Response => &[
                "invalid-json",
                "unknown-property",
                "property-type",
                "enum-value",
                "date-time-format",
                "value-wrapper",
            ],
            Kind::NotBuilt | Kind::Method => &[],
        };
        let start = block
            .metadata
            .as_ref()
            .map_or(block.span.offset, |m| m.span.offset.min(block.span.offset));
        let end = block.span.offset as usize + block.text.len() + 16;
        self.findings
            .iter()
            .filter_map(|d| Some((d.span?, d.code?)))
            .find(|(span, code)| {
                span.offset >= start && (span.offset as usize) <= end && explains.contains(code)
            })
            .map(|(_, code)| format!("lint {code}"))
    }

    /// Failures that are the docs' by what the example shows, which the linter does not check.
    fn docs_rule(&self, kind: Kind, detail: &str) -> Option<String> {
        let reason = match kind {
            Kind::Response if detail.contains("expected one value, but the answer is a collection") => {
                "a collection answered where one value is read"
            }
            Kind::Response if detail.contains("missing field `value`") => "one value answered where a collection page is read",
            Kind::Response if detail.contains("without content") && self.response.body.is_none() => {
                "no body in the response block"
            }
            Kind::Response if self.response.body.as_ref().is_some_and(|b| serde_json::from_str::<Value>(&b.text).is_err()) => {
                "a response body that is not JSON"
            }
            Kind::BodyRefused
                if self.request.body.as_ref().is_some_and(|b| serde_json::from_str::<Value>(&b.text).is_err())
                    && !placeholder_in(detail, None) =>
            {
                "a request body that is not JSON"
            }
            Kind::BodyRefused if self.request.method == "GET" && self.request.body.is_some() => {
                "function parameters in a body (a function takes them in its URL)"
            }
            Kind::NotBuilt if detail.contains("the service's metadata says") => {
                "the metadata's Capabilities refuse what the example shows"
            }
            Kind::NoOperation if detail.contains(", which is called with ") => "an operation called with the wrong method",
            Kind::Path if decode(&self.request.path).contains("=\"") => {
                "function arguments in double quotes (OData writes strings in single quotes)"
            }
            Kind::BodyRefused if detail.contains("missing field `@odata.id`") => "a `$ref` body without `@odata.id`",
            Kind::Path if self.request.method == "GET" && self.request.body.is_some() => {
                "function parameters in a body (a function takes them in its URL)"
            }
            Kind::Body if matches!(self.request.method.as_str(), "DELETE" | "GET") => "a body on a request that has none",
            Kind::Response if placeholder_in(detail, self.response_json().as_ref()) => "a placeholder where a value of its type goes",
            Kind::BodyRefused if placeholder_in(detail, self.documented_body().as_ref()) => {
                "a placeholder where a value of its type goes"
            }
            Kind::Response | Kind::BodyRefused if detail.contains("invalid type: ") => {
                "a value of another JSON type than the metadata's (a string for a boolean, an object for a string)"
            }
            Kind::Response | Kind::BodyRefused if not_of_its_type(detail) => {
                "a value not of the type the metadata declares (a date for a date and time, a time with spaces)"
            }
            Kind::Body if detail.contains("padding") => "a base64 value with padding it does not have",
            Kind::NoOperation if self.request.method == "PATCH" && self.addresses_stream() => {
                "a stream updated with PATCH (its content is replaced with PUT)"
            }
            Kind::NoOperation if self.request.method == "POST" && self.posts_to_an_entity() => {
                "a POST to an entity: an action the metadata does not declare, or a system segment it is not (`$entity`)"
            }
            Kind::UnknownPath if self.request.path.split('/').any(|s| s.starts_with('{') && s.ends_with('}') && !self.keyed_before(s)) => {
                "a placeholder where the metadata names a property"
            }
            _ => return None,
        };
        Some(reason.to_owned())
    }

    /// Whether the path ends on a stream property or media content.
    fn addresses_stream(&self) -> bool {
        let path = decode(&self.request.path);
        let Some(found) = self.model.match_path(&path) else {
            return false;
        };
        let (Some(builder), Some(member)) = (found.builder, found.member) else {
            return false;
        };
        matches!(
            self.model.resources.builder(builder).members[member].kind,
            codegen::ir::MemberKind::StreamProperty { .. } | codegen::ir::MemberKind::Media
        )
    }

    /// Whether the path ends on one entity (its last segment read as a key), not a collection
    /// or an action.
    fn posts_to_an_entity(&self) -> bool {
        let path = decode(&self.request.path);
        let Some(found) = self.model.match_path(&path) else {
            return false;
        };
        found.call.is_none()
            && found.member.is_none()
            && found.builder.is_some_and(|b| {
                matches!(
                    self.model.resources.builder(b).kind,
                    codegen::ir::BuilderKind::Entity(_)
                )
            })
    }

    /// Whether the placeholder `segment` follows a collection (a key), rather than standing
    /// where a property's name goes.
    fn keyed_before(&self, segment: &str) -> bool {
        let path = decode(&self.request.path);
        let Some(at) = path.find(segment) else {
            return true;
        };
        let before = path[..at].trim_end_matches('/');
        self.model
            .match_path(before)
            .and_then(|found| found.builder)
            .is_some_and(|b| {
                matches!(
                    self.model.resources.builder(b).kind,
                    codegen::ir::BuilderKind::Collection(_)
                )
            })
    }

    fn response_json(&self) -> Option<Value> {
        serde_json::from_str(&self.response.body.as_ref()?.text).ok()
    }
}

/// A path with Graph's path-based addressing taken out (`root:/a/b.txt:/content` →
/// `root/content`), for the URL model to find what it calls.
fn without_path_addressing(path: &str) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(start) = rest.find(":/") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find(':') {
            Some(end) => rest = &after[end + 1..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The path of a built request below the service root, percent-decoded, with function
/// parameter aliases put in place (`f(p=@p)?@p=1` → `f(p=1)`), without empty parentheses.
fn built_path(built: &http::Request<Vec<u8>>) -> String {
    let path = built
        .uri()
        .path()
        .strip_prefix("/v1.0")
        .unwrap_or(built.uri().path());
    let mut path = decode(path);
    if let Some(query) = built.uri().query() {
        for pair in query.split('&') {
            if let Some((name, value)) = pair.split_once('=') {
                if name.starts_with('@') {
                    path = path.replace(&format!("={name})"), &format!("={})", decode(value)));
                    path = path.replace(&format!("={name},"), &format!("={},", decode(value)));
                }
            }
        }
    }
    normalize_path(&path)
}

/// A path as both sides are compared: keys as segments (`users('a')` → `users/a`), no empty
/// parentheses or trailing slash, function arguments without their type prefixes.
fn normalize_path(path: &str) -> String {
    let segments = split_segments(path);
    let last = segments.len().saturating_sub(1);
    let mut out = Vec::new();
    for (i, segment) in segments.iter().enumerate() {
        let segment = segment.strip_suffix("()").unwrap_or(segment);
        match segment.find('(') {
            Some(open) if segment.ends_with(')') => {
                let name = &segment[..open];
                let inner = &segment[open + 1..segment.len() - 1];
                let is_key = !inner.contains('=') || (i != last && !inner.contains(','));
                if is_key {
                    out.push(name.to_owned());
                    let value = inner.split_once('=').map_or(inner, |(_, v)| v);
                    out.push(unquote(value));
                } else {
                    let arguments: BTreeMap<String, String> =
                        match graph::request::dynamic_arguments(inner, &[]) {
                            Value::Object(members) => members
                                .into_iter()
                                .map(|(k, v)| (k, v.to_string()))
                                .collect(),
                            _ => BTreeMap::new(),
                        };
                    let arguments: Vec<String> = arguments
                        .into_iter()
                        .map(|(k, v)| format!("{k}={v}"))
                        .collect();
                    out.push(format!("{name}({})", arguments.join(",")));
                }
            }
            _ => out.push(segment.to_owned()),
        }
    }
    // Path-based addressing may leave out the `:` that ends the path at the end of the URL.
    format!("/{}", out.join("/"))
        .trim_end_matches(':')
        .to_owned()
}

/// Whether the runtime refused a value as not of its primitive type.
fn not_of_its_type(detail: &str) -> bool {
    [
        "is not an OData date and time",
        "input contains invalid characters",
        "trailing input",
        "premature end of input",
        "UUID parsing failed",
        "expected base64 text",
    ]
    .iter()
    .any(|m| detail.contains(m))
}

/// Whether a value the runtime refused, quoted in its error or found at the error's path in the
/// documented body, is a placeholder: `datetime-value`, a type's name (`Boolean`, `String
/// (timestamp)`), something in angle brackets, or a value cut short (`MIIDYDCC...`).
fn placeholder_in(detail: &str, body: Option<&Value>) -> bool {
    let mut candidates: Vec<String> = Vec::new();
    for quote in ['`', '"'] {
        let parts: Vec<&str> = detail.split(quote).collect();
        candidates.extend(parts.iter().skip(1).step_by(2).map(|s| (*s).to_owned()));
    }
    if let Some(body) = body {
        candidates.extend(value_at(body, detail));
    }
    // Base64 of a length no encoding has: a value cut short.
    // Base64 that no encoding gives: of a length none has, or, unpadded, ending in bits
    // past its last byte: a value cut short.
    let cut_short = |c: &String| {
        detail.contains("base64")
            && c.len() > 8
            && (c.trim_end_matches('=').len() % 4 == 1
                || (!c.ends_with('=') && !c.len().is_multiple_of(4)))
    };
    candidates.iter().any(|c| is_placeholder(c) || cut_short(c))
}

fn is_placeholder(text: &str) -> bool {
    const TYPES: &[&str] = &[
        "boolean",
        "binary",
        "string",
        "date",
        "datetime",
        "datetimeoffset",
        "guid",
        "int32",
        "int64",
        "double",
        "stream",
        "timeofday",
        "duration",
        "timestamp",
        "uuid",
    ];
    let lower = text.trim().to_ascii_lowercase();
    lower.contains("-value")
        || lower.ends_with("_value")
        || (lower.starts_with('[')
            && lower.ends_with(']')
            && lower.contains(' ')
            && !lower.contains('"'))
        || TYPES
            .iter()
            .any(|t| lower == *t || lower.starts_with(&format!("{t} (")))
        || (lower.starts_with('<') && lower.ends_with('>'))
        || lower.contains("...")
        || lower.contains('…')
}

/// The string at the path an error names (`value[0].a` and the `at `b`:` prefixes of its
/// message), if the body has one there.
fn value_at(body: &Value, detail: &str) -> Option<String> {
    let mut path = Vec::new();
    let mut rest = detail;
    if let Some(at) = rest.find(" at `") {
        let after = &rest[at + 5..];
        let end = after.find('`')?;
        path.push(after[..end].to_owned());
        rest = &after[end + 1..];
    }
    while let Some(next) = rest.strip_prefix(": at `") {
        let end = next.find('`')?;
        path.push(next[..end].to_owned());
        rest = &next[end + 1..];
    }
    let mut current = body;
    for part in path.iter().flat_map(|p| p.split('.')) {
        if part.is_empty() {
            continue;
        }
        let (name, indexes) = match part.find('[') {
            Some(open) => (&part[..open], &part[open..]),
            None => (part, ""),
        };
        if !name.is_empty() {
            current = current.get(name)?;
        }
        for index in indexes.split(['[', ']']).filter(|i| !i.is_empty()) {
            current = current.get(index.parse::<usize>().ok()?)?;
        }
    }
    current.as_str().map(str::to_owned)
}

fn unquote(value: &str) -> String {
    match value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')) {
        Some(quoted) => quoted.replace("''", "'"),
        None => value.to_owned(),
    }
}

/// The arguments of the function the path's last segment calls, as a JSON object: inline
/// (`f(a='x')`) or as parameter aliases (`f(a=@a)?@a='x'`), read as the runtime reads them.
fn arguments(path: &str, query: Option<&str>) -> Value {
    let segments = split_segments(path);
    let Some(last) = segments.last() else {
        return Value::Null;
    };
    let (Some(open), true) = (last.find('('), last.ends_with(')')) else {
        return Value::Null;
    };
    let aliases: Vec<(String, String)> = query
        .unwrap_or("")
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .filter(|(name, _)| name.starts_with('@'))
        .map(|(name, value)| (decode(name), decode(value)))
        .collect();
    graph::request::dynamic_arguments(&last[open + 1..last.len() - 1], &aliases)
}

/// Segments split at `/` outside parentheses and quotes.
fn split_segments(path: &str) -> Vec<&str> {
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let mut segments = Vec::new();
    let (mut depth, mut quoted, mut start) = (0usize, false, 0);
    for (i, c) in path.char_indices() {
        match c {
            '\'' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => depth = depth.saturating_sub(1),
            '/' if !quoted && depth == 0 => {
                if i > start {
                    segments.push(&path[start..i]);
                }
                start = i + 1;
            }
            _ => {}
        }
    }
    if start < path.len() {
        segments.push(&path[start..]);
    }
    segments
}

fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// Where `sent` differs from `documented` (JSON paths), if it does. Members the generator
/// adds on purpose are not differences: an `@odata.type` naming the type of a value the
/// documentation leaves unnamed.
fn difference(at: &str, documented: &Value, sent: &Value) -> Option<String> {
    match (documented, sent) {
        (Value::Object(d), Value::Object(s)) => {
            for (key, value) in d {
                match s.get(key) {
                    Some(other) => {
                        if let Some(found) = difference(&format!("{at}.{key}"), value, other) {
                            return Some(found);
                        }
                    }
                    None => return Some(format!("`{at}.{key}` documented, not sent")),
                }
            }
            s.keys()
                .find(|key| !d.contains_key(*key) && *key != "@odata.type")
                .map(|key| format!("`{at}.{key}` sent, not documented"))
        }
        (Value::Array(d), Value::Array(s)) => {
            if d.len() != s.len() {
                return Some(format!(
                    "`{at}`: {} items documented, {} sent",
                    d.len(),
                    s.len()
                ));
            }
            d.iter()
                .zip(s)
                .enumerate()
                .find_map(|(i, (d, s))| difference(&format!("{at}[{i}]"), d, s))
        }
        (d, s) if d == s => None,
        // A flags value is written back without spaces after its commas (`a,b`).
        (Value::String(d), Value::String(s)) if d.replace(", ", ",") == *s => None,
        // Base64 that needs no padding is written without it.
        (Value::String(d), Value::String(s))
            if d.trim_end_matches('=') == s.trim_end_matches('=')
                && d.trim_end_matches('=').len() % 4 == 0 =>
        {
            Some(format!(
                "`{at}`: base64 with padding it does not have, written without"
            ))
        }
        (d, s) => Some(format!("`{at}`: {d} documented, {s} sent")),
    }
}

fn report(totals: &Totals, options: &Options, elapsed: std::time::Duration) {
    let generator: Vec<&Failure> = totals
        .failures
        .iter()
        .filter(|f| f.docs.is_none())
        .collect();
    let docs = totals.failures.len() - generator.len();
    println!("Graph's documented exchanges, replayed");
    println!(
        "  docs: {} ({} pages)",
        options.docs.display(),
        totals.pages
    );
    println!("  metadata: {}", options.metadata.display());
    println!(
        "  pairs: {} (and {} to other hosts, not replayed: upload URLs, notification endpoints)",
        totals.pairs, totals.elsewhere
    );
    println!(
        "  requests built: {}; matched (method, path, body): {} ({} exactly, {} but for letter case in the path)",
        totals.built,
        totals.matched,
        totals.matched_exactly,
        totals.matched - totals.matched_exactly
    );
    println!("  responses read: {}", totals.read);
    println!(
        "  failures: {} (generator: {}, docs: {})",
        totals.failures.len(),
        generator.len(),
        docs
    );
    let mut by_kind: BTreeMap<Kind, (usize, usize)> = BTreeMap::new();
    for failure in &totals.failures {
        let entry = by_kind.entry(failure.kind).or_default();
        if failure.docs.is_some() {
            entry.1 += 1;
        } else {
            entry.0 += 1;
        }
    }
    println!("  by kind (generator, docs):");
    for (kind, (generator, docs)) in &by_kind {
        println!("    {}: {}, {}", kind.describe(), generator, docs);
    }
    let mut by_reason: BTreeMap<&str, usize> = BTreeMap::new();
    for failure in &totals.failures {
        if let Some(reason) = &failure.docs {
            *by_reason.entry(reason.as_str()).or_default() += 1;
        }
    }
    println!("  the docs' by reason:");
    for (reason, count) in &by_reason {
        println!("    {reason}: {count}");
    }
    println!("  time: {:.1} s", elapsed.as_secs_f64());
    if options.list {
        for failure in &totals.failures {
            let owner = failure
                .docs
                .as_deref()
                .map_or("generator".to_owned(), |r| format!("docs: {r}"));
            println!(
                "{}: {} ({owner}): {}",
                failure.at,
                failure.kind.describe(),
                failure.detail
            );
        }
    } else {
        for failure in &generator {
            println!(
                "{}: {} (generator): {}",
                failure.at,
                failure.kind.describe(),
                failure.detail
            );
        }
    }
}
