//! HTTP request and response blocks as the docs write them.

use super::json::{self, ExampleJson};
use super::TextMap;
use crate::source::Span;

#[derive(Clone, Debug)]
pub enum HttpMessage {
    Request(HttpRequest),
    Response(HttpResponse),
}

#[derive(Clone, Debug)]
pub struct HttpRequest {
    pub method: String,
    /// The path below the service root: `/officeConfiguration/clientConfigurations/{id}`.
    pub path: String,
    /// The host of an absolute request URL, in lower case (`graph.microsoft.com`).
    pub host: Option<String>,
    /// The URL as the request line writes it.
    pub url: String,
    /// The query string, without `?`.
    #[allow(dead_code, reason = "the syntax tree keeps what the page says; no check reads it yet")]
    pub query: Option<String>,
    pub headers: Vec<(String, String, Span)>,
    pub body: Option<MessageBody>,
    pub span: Span,
    /// A blank line between the request line and the headers (HTTP ends the headers at the
    /// first blank line, so they would be sent as the body).
    pub blank_before_headers: Option<Span>,
    /// The request lines that follow the first one before any header, blank lines between
    /// them allowed: how an "HTTP request" section lists every path of one operation
    /// (`POST /me/sendMail`, then `POST /users/{id | userPrincipalName}/sendMail`).
    pub more: Vec<RequestLine>,
}

/// One more request line of a block (see [`HttpRequest::more`]).
#[derive(Clone, Debug)]
pub struct RequestLine {
    pub method: String,
    /// The path below the service root, as [`HttpRequest::path`].
    pub path: String,
    #[allow(dead_code, reason = "the syntax tree keeps what the page says; lint checks only the first path yet")]
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct HttpResponse {
    pub status: u16,
    pub reason: String,
    pub headers: Vec<(String, String, Span)>,
    pub body: Option<MessageBody>,
    #[allow(dead_code, reason = "the syntax tree keeps what the page says; no check reads it yet")]
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct MessageBody {
    /// The body as the file has it (its own line endings).
    pub text: String,
    pub span: Span,
    /// The body read as JSON, when it is meant as JSON (no `Content-Type` that says
    /// otherwise, and it starts like JSON).
    pub json: Option<ExampleJson>,
}

impl HttpRequest {
    #[cfg(test)]
    pub fn header(&self, name: &str) -> Option<&(String, String, Span)> {
        self.headers
            .iter()
            .find(|(n, _, _)| n.eq_ignore_ascii_case(name))
    }
}

/// Reads `text` (a code block's content, whose characters `map` places in the file) as an HTTP
/// message.
pub(crate) fn parse_message(text: &str, map: &TextMap) -> Option<HttpMessage> {
    let mut lines = Lines::new(text);
    let (first_at, first) = lines.by_ref().find(|(_, line)| !line.trim().is_empty())?;
    let span = map.span(first_at);
    let first = first.trim();
    if let Some((status, reason)) = status_line(first) {
        let (headers, body, _) = headers_and_body(&mut lines, text, map);
        return Some(HttpMessage::Response(HttpResponse {
            status,
            reason,
            headers,
            body,
            span,
        }));
    }
    let (method, url) = request_line(first)?;
    let (path, query) = split_url(url);
    let more = more_request_lines(&mut lines, map);
    let (headers, body, blank_before_headers) = headers_and_body(&mut lines, text, map);
    Some(HttpMessage::Request(HttpRequest {
        method: method.to_owned(),
        host: url_host(url),
        url: url.to_owned(),
        path,
        query,
        headers,
        body,
        span,
        blank_before_headers,
        more,
    }))
}

/// The request lines right after the first, blank lines between them allowed; `lines` is left
/// after the last of them, so that a blank line before the headers is still seen as one. A
/// line with more than a URL and an HTTP version (`GET /users/{id} | name/chats`, a path
/// broken by a space) is skipped: its path would be another.
fn more_request_lines(lines: &mut Lines<'_>, map: &TextMap) -> Vec<RequestLine> {
    let mut more = Vec::new();
    let mut ahead = lines.clone();
    while let Some((at, line)) = ahead.next() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        let Some((method, url)) = request_line(trimmed) else {
            break;
        };
        *lines = ahead.clone();
        let after = trimmed[trimmed.find(url).map_or(0, |i| i + url.len())..].trim();
        if !(after.is_empty() || after.starts_with("HTTP/")) {
            continue;
        }
        more.push(RequestLine {
            method: method.to_owned(),
            path: split_url(url).0,
            span: map.span(at + (line.len() - line.trim_start().len())),
        });
    }
    more
}

/// `HTTP/1.1 201 Created`, or without the version as the docs sometimes write it
/// (`HTTP 201 Created`) → (201, "Created").
fn status_line(line: &str) -> Option<(u16, String)> {
    let rest = match line.strip_prefix("HTTP/") {
        Some(rest) => rest.split_once(' ')?.1,
        None => line.strip_prefix("HTTP ")?,
    };
    let rest = rest.trim_start();
    let (status, reason) = rest.split_once(' ').unwrap_or((rest, ""));
    let status = status.parse().ok().filter(|s| (100..600).contains(s))?;
    Some((status, reason.trim().to_owned()))
}

/// The methods of RFC 9110 §9 and PATCH (RFC 5789): what a request line starts with. The
/// method token is case-sensitive (§9.1), and these are all upper case.
const METHODS: [&str; 9] = [
    "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH",
];

/// `GET /users/{id | userPrincipalName}/manager HTTP/1.1` → (`GET`, the URL). The URL ends at
/// the first space outside `{...}`, `(...)` and a quoted literal
/// (`search(q='Contoso Project')`). A line that does not start with an HTTP method is no
/// request line: `HTTP code: 200` and `Warning : 199 ...` are prose or headers.
fn request_line(line: &str) -> Option<(&str, &str)> {
    let (method, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
    if !METHODS.contains(&method) {
        return None;
    }
    let rest = rest.trim_start();
    // A quote without its closing one is no literal (`/people/O'Neil`): then only brackets count.
    let balanced = rest.matches('\'').count() % 2 == 0;
    let url = &rest[..url_end(rest, balanced)];
    (!url.is_empty()).then_some((method, url))
}

/// Where a request line's URL ends: the first space outside brackets (and quotes).
fn url_end(rest: &str, quotes: bool) -> usize {
    let mut depth = 0usize;
    let mut quoted = false;
    rest.char_indices()
        .find(|&(_, c)| {
            match c {
                '\'' if quotes => quoted = !quoted,
                '{' | '(' if !quoted => depth += 1,
                '}' | ')' if !quoted => depth = depth.saturating_sub(1),
                _ => {}
            }
            c.is_whitespace() && depth == 0 && !quoted
        })
        .map_or(rest.len(), |(i, _)| i)
}

/// The host of an absolute URL, in lower case, without port.
pub fn url_host(url: &str) -> Option<String> {
    let (_, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?.split(':').next()?;
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// `https://graph.microsoft.com/v1.0/me/events?$top=1` → `/me/events`, `$top=1`: the host and
/// the service version segment (`v1.0`, `beta`, or any other) go.
pub fn split_url(url: &str) -> (String, Option<String>) {
    let (without_query, query) = match url.split_once('?') {
        Some((path, query)) => (path, Some(query.to_owned())),
        None => (url, None),
    };
    let path = match without_query.split_once("://") {
        Some((_, rest)) => {
            let after_host = rest.find('/').map_or("", |i| &rest[i..]);
            // Drop the version segment.
            let trimmed = after_host.trim_start_matches('/');
            match trimmed.find('/') {
                Some(i) => trimmed[i..].to_owned(),
                None => String::from("/"),
            }
        }
        None if without_query.starts_with('/') => without_query.to_owned(),
        None => format!("/{without_query}"),
    };
    (path.trim_end_matches('/').to_owned(), query)
}

/// Lines with their byte offsets; `\r\n` and `\n` both end a line.
#[derive(Clone)]
struct Lines<'t> {
    text: &'t str,
    at: usize,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Self {
        Lines { text, at: 0 }
    }
}

impl<'t> Iterator for Lines<'t> {
    type Item = (usize, &'t str);

    fn next(&mut self) -> Option<Self::Item> {
        if self.at >= self.text.len() {
            return None;
        }
        let start = self.at;
        let rest = &self.text[start..];
        let end = rest.find('\n').map_or(rest.len(), |i| i + 1);
        self.at += end;
        Some((start, rest[..end].trim_end_matches(['\n', '\r'])))
    }
}

type Headers = Vec<(String, String, Span)>;

/// The headers, the body, and the first blank line if one comes before the headers.
fn headers_and_body(
    lines: &mut Lines<'_>,
    text: &str,
    map: &TextMap,
) -> (Headers, Option<MessageBody>, Option<Span>) {
    let mut headers = Vec::new();
    let mut in_headers = false;
    let mut body_start = None;
    let mut first_blank = None;
    let mut blank_before_headers = None;
    for (at, line) in lines.by_ref() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            in_headers = false;
            first_blank.get_or_insert(map.span(at));
            continue;
        }
        let header = trimmed.split_once(':').filter(|(name, _)| {
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
        match header {
            Some((name, value)) if body_start.is_none() && (in_headers || headers.is_empty()) => {
                if headers.is_empty() {
                    blank_before_headers = first_blank;
                }
                in_headers = true;
                headers.push((
                    name.to_owned(),
                    value.trim().to_owned(),
                    map.span(at),
                ));
            }
            _ => {
                body_start = Some(at);
                break;
            }
        }
    }
    // A body whose `Content-Type` names something else (`text/plain`, `image/jpeg`) is not
    // read as JSON, whatever it starts with.
    let json_type = headers
        .iter()
        .find(|(n, _, _)| n.eq_ignore_ascii_case("content-type"))
        .is_none_or(|(_, v, _)| v.to_ascii_lowercase().contains("json"));
    let body = body_start.map(|start| {
        let text = text[start..]
            .trim_end_matches(['\n', '\r', ' ', '\t'])
            .to_owned();
        let json = json_type
            .then(|| json::read(&text, map, start))
            .flatten();
        MessageBody {
            text,
            span: map.span(start),
            json,
        }
    });
    (headers, body, blank_before_headers)
}

#[cfg(test)]
mod tests {
    use super::{request_line, status_line, HttpMessage};

    /// The request of the first block of `page`.
    fn first_request(page: &str) -> super::HttpRequest {
        let mut sources = crate::source::SourceMap::default();
        let id = sources.add("page.md".into(), page.to_owned());
        let mut diagnostics = crate::diagnostics::Diagnostics::default();
        let page = crate::pages::parse(id, page, &mut diagnostics);
        match page.code_blocks.into_iter().next().and_then(|b| b.http) {
            Some(HttpMessage::Request(request)) => request,
            other => panic!("no request: {other:?}"),
        }
    }

    #[test]
    fn every_request_line_of_a_template_block_is_read() {
        let request = first_request(
            "# Do it\n\n## HTTP request\n\n```http\nPOST /me/doIt\nPOST /users/{id | userPrincipalName}/doIt\n\n  POST /groups/{id}/doIt\nPOST /users/{id} | name/doIt\n```\n",
        );
        assert_eq!(request.path, "/me/doIt");
        let more: Vec<_> = request
            .more
            .iter()
            .map(|r| (r.method.as_str(), r.path.as_str(), r.span.offset))
            .collect();
        assert_eq!(
            more,
            [
                ("POST", "/users/{id | userPrincipalName}/doIt", 48),
                ("POST", "/groups/{id}/doIt", 93)
            ]
        );
        assert!(request.body.is_none());
        // After the request lines, a blank line before the headers is still one; a request
        // line in a body after headers is the body's.
        let request = first_request(
            "```http\nPOST /a\nPOST /b\n\nContent-Type: text/plain\n\nGET /c HTTP/1.1\n```\n",
        );
        assert_eq!(request.more.len(), 1);
        assert!(request.blank_before_headers.is_some());
        assert_eq!(request.body.map(|b| b.text), Some("GET /c HTTP/1.1".to_owned()));
    }

    #[test]
    fn status_lines_with_or_without_the_version() {
        assert_eq!(
            status_line("HTTP/1.1 201 Created"),
            Some((201, "Created".into()))
        );
        assert_eq!(
            status_line("HTTP 204 No Content"),
            Some((204, "No Content".into()))
        );
        assert_eq!(status_line("HTTP/2 200"), Some((200, String::new())));
        assert_eq!(status_line("HTTP code: 200 OK"), None);
    }

    #[test]
    fn request_lines_keep_spaces_inside_braces_and_refuse_http_prose() {
        assert_eq!(
            request_line("GET /users/{id | userPrincipalName}/manager HTTP/1.1"),
            Some(("GET", "/users/{id | userPrincipalName}/manager"))
        );
        assert_eq!(
            request_line("POST https://x/v1/things"),
            Some(("POST", "https://x/v1/things"))
        );
        assert_eq!(request_line("HTTP code: 200 OK"), None);
        assert_eq!(request_line("GET"), None);
        // Only methods start a request line: a header shown in an `HTTP` fence is none.
        assert_eq!(request_line("Warning : 199 - \"{Vendor}/504\""), None);
        assert_eq!(request_line("FETCH /me"), None);
        assert_eq!(
            request_line("OPTIONS /me HTTP/1.1"),
            Some(("OPTIONS", "/me"))
        );
        // A function's string literal keeps its spaces; an unpaired quote is no literal.
        assert_eq!(
            request_line("GET /me/drive/root/search(q='Contoso Project') HTTP/1.1"),
            Some(("GET", "/me/drive/root/search(q='Contoso Project')"))
        );
        assert_eq!(
            request_line("GET /people/O'Neil HTTP/1.1"),
            Some(("GET", "/people/O'Neil"))
        );
    }
}
