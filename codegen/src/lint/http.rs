//! HTTP blocks as messages: `request-format` (no method, a blank line before the headers),
//! `missing-content-type`, `content-length`, and `invalid-json` for bodies and `json` blocks;
//! requests to other hosts are counted in the report.

use serde_json::Value;

use super::values::placeholder;
use super::{block_json, json_problem, Code, PageLint};
use crate::pages::{HttpMessage, MessageBody};

impl PageLint<'_> {
    /// The checks of each HTTP block, and of every block's JSON.
    pub(super) fn http(&mut self) {
        self.count_other_hosts();
        self.request_formats();
        self.content_types();
        self.content_lengths();
        self.json_blocks();
    }

    /// Requests to another host than the service's are not matched against the model: each
    /// is counted, by host, for the summary.
    fn count_other_hosts(&mut self) {
        for block in self.blocks() {
            if let Some(HttpMessage::Request(r)) = &block.http {
                let host = r.host.as_deref();
                if !super::model::is_service_host(self.model, host) {
                    let host = host.unwrap_or_default().to_owned();
                    *self.report.other_hosts.entry(host).or_default() += 1;
                }
            }
        }
    }

    /// A request block without a method, or with a blank line between its request line and
    /// its headers (HTTP ends the headers at the first blank line).
    fn request_formats(&mut self) {
        for block in self.blocks() {
            if let Some(at) = block.no_request_line {
                let first = block
                    .text
                    .lines()
                    .map(str::trim)
                    .find(|l| !l.is_empty())
                    .unwrap_or("");
                let word = first.split_whitespace().next().unwrap_or("");
                let message = if first.starts_with('/') || first.contains("://") {
                    "the request has no request line: it starts with a URL or path, not a method such as `GET`".to_owned()
                } else {
                    format!("the request has no request line: `{word}` is not an HTTP method such as `GET`")
                };
                self.find(at, Code::RequestFormat, message);
            }
            if let Some(HttpMessage::Request(r)) = &block.http {
                if let Some(blank) = r.blank_before_headers {
                    self.find(
                        blank,
                        Code::RequestFormat,
                        format!("a blank line separates `{} {}` from its headers, which would be sent as the body", r.method, r.path),
                    );
                }
            }
        }
    }

    /// A request with a JSON body and no `Content-Type` (ApiDoctor's required header).
    fn content_types(&mut self) {
        for block in self.blocks() {
            let Some(HttpMessage::Request(r)) = &block.http else {
                continue;
            };
            let Some(body) = &r.body else { continue };
            // A body that reads as JSON (or JSON5): the request sends JSON.
            if body.json.as_ref().is_none_or(|j| j.value.is_none()) {
                continue;
            }
            let has = r
                .headers
                .iter()
                .any(|(n, _, _)| n.eq_ignore_ascii_case("content-type"));
            if !has {
                self.find(
                    r.span,
                    Code::MissingContentType,
                    format!(
                        "`{} {}` sends a JSON body without a `Content-Type: application/json` header",
                        r.method, r.path
                    ),
                );
            }
        }
    }

    /// `Content-Length` against the body shown. The wire body may be the one shown with LF or
    /// CRLF line ends (with or without a final one), or minified; a response said to be
    /// shortened (`truncated`, or prose) may have had more: any length from the minified size
    /// up fits. Bodies of placeholders (`"String"`, `{id}`, `<token>`, `...`) or not shown
    /// have no length to compare: they are counted in the report.
    fn content_lengths(&mut self) {
        let said_truncated = self.prose_says_truncated();
        for block in self.blocks() {
            let (headers, body, truncated) = match &block.http {
                Some(HttpMessage::Request(r)) => (&r.headers, &r.body, false),
                Some(HttpMessage::Response(r)) => (
                    &r.headers,
                    &r.body,
                    said_truncated || block.metadata.as_ref().is_some_and(|m| m.truncated),
                ),
                None => continue,
            };
            let Some((_, value, span)) = headers
                .iter()
                .find(|(n, _, _)| n.eq_ignore_ascii_case("content-length"))
            else {
                continue;
            };
            let Ok(length) = value.trim().parse::<usize>() else {
                continue;
            };
            let Some(body) = body else {
                continue;
            };
            if has_placeholders(body) {
                self.report.uncompared_lengths += 1;
                continue;
            }
            let lf = body.text.replace("\r\n", "\n");
            let crlf_length = lf.len() + lf.matches('\n').count();
            let (minified, separators) = minified_length(&lf);
            // The line end before the closing fence may be part of the body sent; a body may
            // also have been sent on one line with a space after each `:` and `,`.
            let fits = [lf.len(), lf.len() + 1, crlf_length, crlf_length + 2].contains(&length)
                || length == minified
                || length == minified + separators
                || (truncated && length >= minified);
            if !fits {
                let shortened = if truncated {
                    format!(", and is less than its minified {minified} bytes although the response is shortened")
                } else {
                    format!(" nor its minified {minified} bytes")
                };
                self.find(
                    *span,
                    Code::ContentLength,
                    format!("Content-Length {value} matches neither the body's {} bytes with LF nor its {crlf_length} bytes with CRLF line ends{shortened}", lf.len()),
                );
            }
        }
    }

    /// Bodies of HTTP blocks (requests, responses, examples such as a notification sent to
    /// another host) and `json` blocks that are not JSON. The properties of `json` blocks are
    /// checked only on resource pages (see `resources`).
    fn json_blocks(&mut self) {
        for block in self.blocks() {
            if let Some((json, _)) = block_json(block) {
                if let Some((span, reason)) = &json.problem {
                    let message = json_problem(json, reason);
                    self.find(*span, Code::InvalidJson, message);
                }
            }
        }
    }
}

/// The length of a JSON text without the whitespace outside its strings, and how many `:` and
/// `,` separators it has (each followed by a space in a one-line `{"a": 1, "b": 2}` form).
fn minified_length(text: &str) -> (usize, usize) {
    let (mut length, mut quoted, mut escaped, mut separators) = (0, false, false, 0);
    for c in text.chars() {
        if quoted {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                quoted = false;
            }
        } else if c == '"' {
            quoted = true;
        } else if c.is_whitespace() {
            continue;
        } else if c == ':' || c == ',' {
            separators += 1;
        }
        length += c.len_utf8();
    }
    (length, separators)
}

/// Whether a body holds placeholders instead of values, so that its length says nothing:
/// Graph's type placeholders as its pages write them, with a capital (`"String"`, `"Int32"`,
/// `"String (timestamp)"`, `"double-value"`; a lower-case `"url"` or `"date"` is a value),
/// `{id}` templates, `<token>`s, `...` ellipses, or text that is not JSON.
fn has_placeholders(body: &MessageBody) -> bool {
    fn type_placeholder(s: &str) -> bool {
        let capital = s.starts_with(|c: char| c.is_ascii_uppercase());
        let marked = s.contains(" (") || s.ends_with("-value");
        (capital || marked) && placeholder(s).is_some()
    }
    fn any_placeholder(value: &Value) -> bool {
        match value {
            Value::String(s) => {
                type_placeholder(s)
                    || s.contains("...")
                    || s.contains('\u{2026}')
                    || (s.contains('{') && s.contains('}') && !s.trim_start().starts_with('{'))
                    || (s.starts_with('<') && s.ends_with('>'))
            }
            Value::Array(items) => items.iter().any(any_placeholder),
            Value::Object(map) => map
                .iter()
                .any(|(k, v)| k.starts_with('{') || any_placeholder(v)),
            _ => false,
        }
    }
    match &body.json {
        Some(json) => json.problem.is_some() || json.value.as_ref().is_none_or(any_placeholder),
        // Text that is not JSON: a binary stand-in (`[binary data]`), a template, an ellipsis.
        None => ["...", "\u{2026}", "[", "{", "<"]
            .iter()
            .any(|p| body.text.contains(p)),
    }
}
