//! HTTP request and response blocks as the docs write them.

use crate::source::{FileId, Span};

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
    pub query: Option<String>,
    pub headers: Vec<(String, String, Span)>,
    pub body: Option<MessageBody>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct HttpResponse {
    pub status: u16,
    pub reason: String,
    pub headers: Vec<(String, String, Span)>,
    pub body: Option<MessageBody>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct MessageBody {
    /// The body as the file has it (its own line endings).
    pub text: String,
    pub span: Span,
}

impl HttpRequest {
    pub fn header(&self, name: &str) -> Option<&(String, String, Span)> {
        self.headers
            .iter()
            .find(|(n, _, _)| n.eq_ignore_ascii_case(name))
    }
}

impl HttpResponse {
    pub fn header(&self, name: &str) -> Option<&(String, String, Span)> {
        self.headers
            .iter()
            .find(|(n, _, _)| n.eq_ignore_ascii_case(name))
    }
}

/// Reads `text` (a code block's content, starting at `offset` in the file) as an HTTP message.
pub fn parse_message(file: FileId, text: &str, offset: usize) -> Option<HttpMessage> {
    let mut lines = Lines::new(text);
    let (first_at, first) = lines.by_ref().find(|(_, line)| !line.trim().is_empty())?;
    let span = Span::new(file, offset + first_at);
    let first = first.trim();
    if let Some(rest) = first.strip_prefix("HTTP/") {
        let mut words = rest.splitn(3, ' ');
        let _version = words.next()?;
        let status: u16 = words.next()?.trim().parse().ok()?;
        let reason = words.next().unwrap_or("").trim().to_owned();
        let (headers, body) = headers_and_body(file, &mut lines, text, offset);
        return Some(HttpMessage::Response(HttpResponse {
            status,
            reason,
            headers,
            body,
            span,
        }));
    }
    let mut words = first.split_whitespace();
    let method = words.next()?;
    if !method.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let url = words.next()?;
    let (path, query) = split_url(url);
    let (headers, body) = headers_and_body(file, &mut lines, text, offset);
    Some(HttpMessage::Request(HttpRequest {
        method: method.to_ascii_uppercase(),
        path,
        query,
        headers,
        body,
        span,
    }))
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

fn headers_and_body(
    file: FileId,
    lines: &mut Lines<'_>,
    text: &str,
    offset: usize,
) -> (Headers, Option<MessageBody>) {
    let mut headers = Vec::new();
    let mut in_headers = false;
    let mut body_start = None;
    for (at, line) in lines.by_ref() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            if in_headers {
                in_headers = false;
                continue;
            }
            continue;
        }
        let header = trimmed.split_once(':').filter(|(name, _)| {
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
        match header {
            Some((name, value)) if body_start.is_none() && (in_headers || headers.is_empty()) => {
                in_headers = true;
                headers.push((
                    name.to_owned(),
                    value.trim().to_owned(),
                    Span::new(file, offset + at),
                ));
            }
            _ => {
                body_start = Some(at);
                break;
            }
        }
    }
    let body = body_start.map(|start| {
        let text = text[start..]
            .trim_end_matches(['\n', '\r', ' ', '\t'])
            .to_owned();
        MessageBody {
            text,
            span: Span::new(file, offset + start),
        }
    });
    (headers, body)
}
