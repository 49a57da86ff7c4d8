//! `--metadata URL`: a service's `$metadata` (CSDL XML or JSON) fetched over HTTP(S), and the
//! documents its `edmx:Reference`s (JSON: `$Reference`) point to that the model needs.
//!
//! With ureq (blocking, rustls with the webpki roots, no async runtime): the generator reads
//! a few documents one after the other, so a blocking client is the whole need, and ureq's is
//! small, maintained and free of OpenSSL. What it guarantees:
//!
//! - **Limits.** Connecting may take [`CONNECT_TIMEOUT`], each whole exchange (redirects and
//!   body included) [`FetchOptions::timeout`]; a document may have [`MAX_FILE_BYTES`] (as a
//!   file may, counted after decompression), and at most [`MAX_DOCUMENTS`] are read. Each
//!   failure is its own error: the HTTP status, a timeout, too large, too many redirects, not
//!   CSDL (an HTML login page, a service document).
//! - **Credentials stay home.** The `--header` values (a bearer token) are sent only to the
//!   origin (scheme, host, port) of the URL given on the command line, never to another
//!   host a redirect or a reference leads to, and never printed or written anywhere. A URL
//!   with a user name or password is refused: credentials go in a header. Redirects are
//!   followed by hand ([`MAX_REDIRECTS`]), and never from https to http.
//! - **References the model needs.** A reference is followed when one of its includes'
//!   namespaces (or aliases) qualifies a type the document names (a property's, a base
//!   type, a parameter's, ...) and no document read so far declares it; a relative `Uri` is
//!   resolved against the referencing document's URL (RFC 3986). References to OASIS's
//!   standard vocabularies (`Org.OData.*`) are not fetched: the generator knows the terms it
//!   reads (Core, Capabilities) by name. Any other reference no type needs is a located
//!   warning: its vocabulary's annotations are not read.

use std::collections::{BTreeSet, HashSet};
use std::path::PathBuf;
use std::time::Duration;

use url::Url;

use super::MAX_FILE_BYTES;
use crate::csdl::{self, Document};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::source::{SourceMap, Span};

/// The longest connection setup (DNS, TCP, TLS) to a metadata host.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The default longest exchange for one document (as the generated client's default).
pub const TIMEOUT: Duration = Duration::from_secs(100);
/// The most documents one `--metadata URL` brings in (the document and what it references).
pub const MAX_DOCUMENTS: usize = 64;
/// The most redirects followed for one document.
pub const MAX_REDIRECTS: usize = 10;

/// How metadata is fetched.
#[derive(Clone, Debug)]
pub struct FetchOptions {
    /// Sent with every request to the origin of the URL given (`--header NAME:VALUE`).
    pub headers: Vec<(String, String)>,
    /// The longest exchange for one document, redirects and body included.
    pub timeout: Duration,
    /// The largest document, in bytes (after decompression).
    pub max_bytes: u64,
    /// The most documents one URL brings in.
    pub max_documents: usize,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            headers: Vec::new(),
            timeout: TIMEOUT,
            max_bytes: MAX_FILE_BYTES,
            max_documents: MAX_DOCUMENTS,
        }
    }
}

/// Checks a `--header` before anything is sent: an HTTP field name (RFC 9110 §5.1, a token)
/// and a value without line breaks or other control characters than tab.
///
/// # Errors
/// The reason, naming the header but never its value.
pub fn check_header(name: &str, value: &str) -> Result<(), String> {
    let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if name.is_empty() || !name.chars().all(token) {
        return Err(format!("`{name}` is not an HTTP header name"));
    }
    if value.chars().any(|c| c.is_control() && c != '\t') {
        return Err(format!("the value of header `{name}` has a line break or a control character"));
    }
    Ok(())
}

/// Parses a metadata URL: absolute `http` or `https`, without user information.
///
/// # Errors
/// The reason, naming the URL (a password in it as `***`).
/// `url` with each query parameter's value written `***`, as it may be recorded or printed.
pub fn redacted(url: &Url) -> String {
    if url.query().is_none() {
        return url.to_string();
    }
    let names: Vec<String> = url.query_pairs().map(|(name, _)| name.into_owned()).collect();
    let mut shown = url.clone();
    shown.set_query(None);
    shown.query_pairs_mut().extend_pairs(names.iter().map(|n| (n.as_str(), "***")));
    shown.to_string()
}

pub fn parse_url(text: &str) -> Result<Url, String> {
    let url = Url::parse(text).map_err(|e| format!("`{text}` is not a URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(format!("`{text}`: metadata URLs are http or https URLs with a host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        let mut shown = url.clone();
        let _ = shown.set_password(url.password().map(|_| "***"));
        return Err(format!(
            "`{shown}` holds a user name or password: pass credentials with --header (`Authorization: ...`), which is never recorded"
        ));
    }
    Ok(url)
}

/// Fetches the document at `url` and the referenced documents it needs, parses each into
/// `documents` (their text into `sources`, named by URL), and reports every problem. `known`
/// are the namespaces the other inputs declare. False when anything could not be read.
pub fn fetch_all(
    url: &Url,
    options: &FetchOptions,
    sources: &mut SourceMap,
    diagnostics: &mut Diagnostics,
    documents: &mut Vec<Document>,
) -> bool {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_connect(Some(CONNECT_TIMEOUT))
        .timeout_global(Some(options.timeout))
        .max_redirects(0)
        .max_redirects_will_error(false)
        .http_status_as_error(false)
        .user_agent(concat!("codegen/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let home = origin(url);
    let mut seen: HashSet<Url> = HashSet::new();
    // Each document to fetch, with the include that asked for it (none for the URL given).
    let mut pending: Vec<(Url, Option<Span>)> = vec![(url.clone(), None)];
    let mut fetched = 0;
    let mut ok = true;
    while let Some((url, asked_by)) = pending.pop() {
        if !seen.insert(without_fragment(&url)) {
            continue;
        }
        if fetched == options.max_documents {
            let message = format!(
                "not fetched: {url} would be document {} of this URL, over the limit of {}",
                fetched + 1,
                options.max_documents
            );
            diagnostics.push(located(asked_by, message));
            return false;
        }
        fetched += 1;
        let (url, text) = match get(&agent, &url, &home, options) {
            Ok(fetched) => fetched,
            Err(reason) => {
                let message = match asked_by {
                    Some(_) => format!("cannot fetch the referenced document {url}: {reason}"),
                    None => format!("cannot fetch {url}: {reason}"),
                };
                diagnostics.push(located(asked_by, message));
                ok = false;
                continue;
            }
        };
        let id = sources.add(PathBuf::from(url.as_str()), text);
        let Some(document) = csdl::parse(id, &sources.file(id).text, diagnostics) else {
            ok = false;
            continue;
        };
        let needed = needed_references(&document, documents, diagnostics);
        for (uri, include) in needed {
            match url.join(&uri) {
                Ok(next) if matches!(next.scheme(), "http" | "https") => pending.push((next, Some(include))),
                Ok(next) => {
                    diagnostics.error(include, format!("the reference `{uri}` is {next}: only http and https references are fetched"));
                    ok = false;
                }
                Err(e) => {
                    diagnostics.error(include, format!("the reference `{uri}` is not a URL: {e}"));
                    ok = false;
                }
            }
        }
        documents.push(document);
    }
    ok
}

fn located(span: Option<Span>, message: String) -> Diagnostic {
    match span {
        Some(span) => Diagnostic::error(span, message),
        None => Diagnostic::global_error(message),
    }
}

fn without_fragment(url: &Url) -> Url {
    let mut url = url.clone();
    url.set_fragment(None);
    url
}

/// Scheme, host and port: where credentials may go.
fn origin(url: &Url) -> (String, Option<String>, Option<u16>) {
    (
        url.scheme().to_owned(),
        url.host_str().map(str::to_ascii_lowercase),
        url.port_or_known_default(),
    )
}

/// The references of `document` to follow (their `Uri` and the first include that needs
/// it), each once; references no type needs get a warning unless they are OASIS's standard
/// vocabularies.
fn needed_references(document: &Document, read: &[Document], diagnostics: &mut Diagnostics) -> Vec<(String, Span)> {
    let declared: HashSet<&str> = read
        .iter()
        .chain([document])
        .flat_map(|d| d.schemas.iter().map(|s| s.namespace.text.as_str()))
        .collect();
    let qualifiers: BTreeSet<&str> = document
        .type_names()
        .filter_map(|name| {
            let name = name.trim();
            let inner = name
                .strip_prefix("Collection(")
                .and_then(|rest| rest.strip_suffix(')'))
                .unwrap_or(name);
            inner.rsplit_once('.').map(|(qualifier, _)| qualifier)
        })
        .collect();
    let mut needed: Vec<(String, Span)> = Vec::new();
    let mut unneeded: Vec<&csdl::Include> = Vec::new();
    for include in &document.includes {
        let Some(uri) = &include.uri else { continue };
        let used = qualifiers.contains(include.namespace.as_str())
            || include.alias.as_deref().is_some_and(|a| qualifiers.contains(a));
        if used && !declared.contains(include.namespace.as_str()) {
            if !needed.iter().any(|(u, _)| u == uri) {
                needed.push((uri.clone(), include.span));
            }
        } else if !used && !include.namespace.starts_with("Org.OData.") {
            unneeded.push(include);
        }
    }
    for include in unneeded {
        if needed.iter().any(|(u, _)| Some(u) == include.uri.as_ref()) {
            continue;
        }
        diagnostics.warning(
            include.span,
            format!(
                "the referenced document is not fetched: no type of the model is in namespace `{}`, and the generator reads no annotations of its vocabulary",
                include.namespace
            ),
        );
    }
    needed
}

/// One document: redirects followed by hand, the body read up to the limit, as UTF-8 text
/// that looks like CSDL.
/// The document at `start`, and the URL it was read from after redirects: its references are
/// relative to that one (RFC 3986 §5.1.3: the base URI is the retrieval URI).
fn get(agent: &ureq::Agent, start: &Url, home: &(String, Option<String>, Option<u16>), options: &FetchOptions) -> Result<(Url, String), String> {
    let mut url = start.clone();
    for _ in 0..=MAX_REDIRECTS {
        let mut request = agent
            .get(url.as_str())
            .header("Accept", "application/xml, application/json;q=0.9, */*;q=0.1")
            .header("OData-MaxVersion", "4.01");
        if &origin(&url) == home {
            for (name, value) in &options.headers {
                request = request.header(name.as_str(), value.as_str());
            }
        }
        let mut response = request.call().map_err(|e| describe(&e, options))?;
        let status = response.status();
        if status.is_redirection() {
            let location = response
                .headers()
                .get("location")
                .and_then(|l| l.to_str().ok())
                .ok_or_else(|| format!("HTTP {status} without a Location"))?;
            let next = url
                .join(location)
                .map_err(|e| format!("HTTP {status} to `{location}`, which is not a URL: {e}"))?;
            if url.scheme() == "https" && next.scheme() != "https" {
                return Err(format!("HTTP {status} from https to {next}: not followed"));
            }
            url = next;
            continue;
        }
        if !status.is_success() {
            let hint = match status.as_u16() {
                401 | 403 => " (pass credentials with --header 'Authorization: Bearer ...')",
                404 => " (is this the service's `$metadata` URL?)",
                _ => "",
            };
            return Err(format!("HTTP {status}{hint}"));
        }
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|c| c.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        if let Some(length) = response.body().content_length() {
            if length > options.max_bytes {
                return Err(format!("the document is {length} bytes, over the limit of {} for one metadata document", options.max_bytes));
            }
        }
        let bytes = response
            .body_mut()
            .with_config()
            .limit(options.max_bytes)
            .read_to_vec()
            .map_err(|e| describe(&e, options))?;
        if content_type.starts_with("text/html") {
            return Err(format!("not CSDL: the server answered with an HTML page (Content-Type: {content_type}); is the URL the service's `$metadata`?"));
        }
        let text = String::from_utf8(bytes)
            .map_err(|e| format!("not CSDL: the document is not UTF-8 (at byte {})", e.utf8_error().valid_up_to()))?;
        if super::kind_of_text(text.as_bytes()).is_none() {
            let start: String = text.trim_start().chars().take(40).collect();
            return Err(format!("not CSDL: the document starts with `{start}`, not `<` (XML) or `{{` (JSON); Content-Type: {content_type}"));
        }
        return Ok((url, text));
    }
    Err(format!("more than {MAX_REDIRECTS} redirects"))
}

/// An error of ureq as the reason a document could not be fetched.
fn describe(error: &ureq::Error, options: &FetchOptions) -> String {
    use ureq::Error;
    match error {
        Error::Timeout(ureq::Timeout::Connect | ureq::Timeout::Resolve) => {
            format!("timed out connecting (after {} s)", CONNECT_TIMEOUT.as_secs())
        }
        Error::Timeout(_) => format!(
            "timed out: the exchange took longer than {} s (--timeout)",
            options.timeout.as_secs_f64()
        ),
        Error::BodyExceedsLimit(limit) => {
            format!("the document is larger than {limit} bytes, the limit for one metadata document")
        }
        Error::HostNotFound => "host not found".to_owned(),
        Error::ConnectionFailed => "connection failed".to_owned(),
        Error::Io(e) => format!("connection failed: {e}"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests;
