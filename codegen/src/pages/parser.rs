//! One pass over pulldown-cmark's events with their byte ranges.

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde_json::Value;

use super::http::{parse_message, HttpMessage};
use super::*;
use crate::diagnostics::Diagnostics;

/// The deepest nesting of objects and arrays read in a metadata comment.
const MAX_COMMENT_DEPTH: usize = 32;

pub fn parse(file: FileId, text: &str, diagnostics: &mut Diagnostics) -> Page {
    let mut reader = Reader {
        file,
        diagnostics,
        page: Page {
            file,
            front_matter: Vec::new(),
            title: None,
            sections: Vec::new(),
            paragraphs: Vec::new(),
            code_blocks: Vec::new(),
            tables: Vec::new(),
        },
        pending_metadata: None,
        tab: None,
        links: Vec::new(),
    };
    reader.read(text);
    reader.page
}

struct Reader<'d> {
    file: FileId,
    diagnostics: &'d mut Diagnostics,
    page: Page,
    /// A metadata comment waiting for the code fence it describes.
    pending_metadata: Option<BlockMetadata>,
    /// The tab a tab group (`# [HTTP](#tab/http)` ... `---`) is in: `http`, `csharp`, ...
    tab: Option<String>,
    /// The targets of the HTML links (`<a href="...">`) open in the text being read.
    links: Vec<Option<String>>,
}

enum Open {
    Heading {
        level: u8,
        text: String,
        start: usize,
        /// `# [HTTP](#tab/http)`: a tab of a tab group, not a section.
        tab: Option<String>,
    },
    Paragraph {
        text: String,
        start: usize,
    },
    Code {
        language: String,
        text: String,
        start: usize,
        content: Option<usize>,
        /// Where the pieces of `text` are in the file.
        map: TextMap,
    },
    Html {
        text: String,
        start: usize,
    },
    Table {
        header: Vec<String>,
        rows: Vec<Vec<Spanned>>,
        row: Vec<Spanned>,
        cell: Option<(String, usize)>,
        start: usize,
    },
}

/// The code of errors in a block's metadata comment (`error[metadata-comment]`).
pub const METADATA_COMMENT: &str = "metadata-comment";

impl Reader<'_> {
    /// A metadata comment that cannot be read: an error for `lint` (the page must be fixed),
    /// coded [`METADATA_COMMENT`] so that `generate` can read the block without it.
    fn comment_error(&mut self, span: Span, message: String) {
        let mut diagnostic = crate::diagnostics::Diagnostic::error(span, message);
        diagnostic.code = Some(METADATA_COMMENT);
        self.diagnostics.push(diagnostic);
    }

    fn span(&self, offset: usize) -> Span {
        Span::new(self.file, offset)
    }

    fn current_section(&self) -> Option<usize> {
        self.page.sections.len().checked_sub(1)
    }

    fn read(&mut self, text: &str) {
        // A byte order mark is not part of the text; offsets stay those of the file.
        let (body, base) = match text.strip_prefix('\u{feff}') {
            Some(rest) => (rest, 3),
            None => (text, 0),
        };
        // Front matter is read here, and only at the top: pulldown-cmark's YAML metadata
        // blocks may start at any `---` line, which would swallow the page between two rules
        // (pulldown-cmark issue #1000).
        let (body, base) = match front_matter_end(body) {
            Some((content, end)) => {
                let map = TextMap::new(self.file, base + content.start);
                self.front_matter(&body[content], &map);
                (&body[end..], base + end)
            }
            None => (body, base),
        };
        let options = Options::ENABLE_TABLES;
        let mut stack: Vec<Open> = Vec::new();
        for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
            let start = base + range.start;
            match event {
                Event::Start(Tag::Heading { level, .. }) => stack.push(Open::Heading {
                    level: heading_level(level),
                    text: String::new(),
                    start,
                    tab: tab_name(&body[range.clone()]),
                }),
                // `---` ends a tab group.
                Event::Rule => self.tab = None,
                Event::Start(Tag::Paragraph)
                    if !matches!(stack.last(), Some(Open::Table { .. })) =>
                {
                    stack.push(Open::Paragraph {
                        text: String::new(),
                        start,
                    })
                }
                Event::Start(Tag::CodeBlock(kind)) => {
                    let language = match kind {
                        CodeBlockKind::Fenced(info) => info
                            .split_whitespace()
                            .next()
                            .unwrap_or("")
                            .to_ascii_lowercase(),
                        CodeBlockKind::Indented => String::new(),
                    };
                    stack.push(Open::Code {
                        language,
                        text: String::new(),
                        start,
                        content: None,
                        map: TextMap::new(self.file, start),
                    });
                }
                Event::Start(Tag::HtmlBlock) => stack.push(Open::Html {
                    text: String::new(),
                    start,
                }),
                Event::Start(Tag::Table(_)) => stack.push(Open::Table {
                    header: Vec::new(),
                    rows: Vec::new(),
                    row: Vec::new(),
                    cell: None,
                    start,
                }),
                Event::Start(Tag::TableCell) => {
                    if let Some(Open::Table { cell, .. }) = stack.last_mut() {
                        *cell = Some((String::new(), start));
                    }
                }
                Event::End(TagEnd::TableCell) => {
                    if let Some(Open::Table { cell, row, .. }) = stack.last_mut() {
                        if let Some((text, at)) = cell.take() {
                            row.push(Spanned {
                                text: without_includes(&text),
                                span: Span::new(self.file, at),
                            });
                        }
                    }
                }
                Event::End(TagEnd::TableHead) => {
                    if let Some(Open::Table { header, row, .. }) = stack.last_mut() {
                        *header = row.drain(..).map(|c| c.text).collect();
                    }
                }
                Event::End(TagEnd::TableRow) => {
                    if let Some(Open::Table { rows, row, .. }) = stack.last_mut() {
                        rows.push(std::mem::take(row));
                    }
                }
                // `::: zone pivot="..."` and `::: zone-end` mark zones: not prose.
                Event::Text(t) if is_zone_marker(&stack, &t) => {}
                Event::Text(t) => self.text(&mut stack, &t, start),
                // Inline code keeps its backticks: prose like "returns a `201 Created`" is read.
                Event::Code(t) => self.text(&mut stack, &format!("`{t}`"), start),
                Event::Html(t) | Event::InlineHtml(t) => {
                    if let Some(Open::Html { text, .. }) = stack.last_mut() {
                        text.push_str(&t);
                    } else {
                        // HTML in prose and table cells (`<br/>`, `<a href>`, `<b>`) is
                        // rendered as the Markdown it stands for.
                        let rendered = html_as_markdown(&t, &mut self.links);
                        self.text(&mut stack, &rendered, start);
                    }
                }
                Event::SoftBreak | Event::HardBreak => self.text(&mut stack, " ", start),
                Event::End(TagEnd::Heading(_))
                | Event::End(TagEnd::Paragraph)
                | Event::End(TagEnd::CodeBlock)
                | Event::End(TagEnd::HtmlBlock)
                | Event::End(TagEnd::Table) => {
                    if let Some(open) = stack.pop() {
                        self.close(open);
                    }
                }
                _ => {}
            }
        }
        // A page that opens front matter (`---`, then `key: value`) without closing it: read
        // as Markdown.
        let mut lines = body.lines().map(str::trim_end);
        let opened = lines.next() == Some("---")
            && lines
                .find(|l| !l.trim().is_empty())
                .is_some_and(|l| l.split_once(':').is_some_and(|(k, _)| !k.contains(' ')));
        if opened {
            self.diagnostics.warning(
                self.span(base),
                "the front matter that starts here is not read: it needs a closing `---` line, and no blank line right after the opening one",
            );
        }
    }

    fn text(&mut self, stack: &mut [Open], text: &str, start: usize) {
        match stack.last_mut() {
            Some(Open::Heading { text: t, .. }) | Some(Open::Paragraph { text: t, .. }) => {
                t.push_str(text)
            }
            Some(Open::Code {
                text: t,
                content,
                map,
                ..
            }) => {
                content.get_or_insert(start);
                map.push(t.len(), start);
                t.push_str(text);
            }
            Some(Open::Table {
                cell: Some((t, _)), ..
            }) => t.push_str(text),
            _ => {}
        }
    }

    fn close(&mut self, open: Open) {
        match open {
            Open::Heading {
                level,
                text,
                start,
                tab,
            } => {
                if tab.is_some() {
                    self.tab = tab;
                    return;
                }
                self.tab = None;
                let text = text.trim().to_owned();
                if level == 1 && self.page.title.is_none() {
                    self.page.title = Some(Spanned {
                        text: text.clone(),
                        span: self.span(start),
                    });
                }
                self.page.sections.push(Section {
                    level,
                    kind: SectionKind::from_heading(&text),
                    title: text,
                    span: self.span(start),
                });
                self.pending_metadata = None;
            }
            Open::Paragraph { text, start } => {
                if text.trim().is_empty() {
                    return;
                }
                let section = self.current_section();
                self.page.paragraphs.push(Paragraph {
                    section,
                    text: without_includes(&text),
                    span: self.span(start),
                });
            }
            Open::Html { text, start } => self.metadata_comment(&text, start),
            Open::Table {
                header,
                rows,
                start,
                ..
            } => {
                let header = with_plain_names(header);
                let kind = table_kind(&header);
                let section = self.current_section();
                self.page.tables.push(Table {
                    section,
                    kind,
                    header,
                    rows,
                    span: self.span(start),
                });
            }
            Open::Code {
                language,
                text,
                start,
                content,
                map,
            } => self.code_block(language, text, start, content, map),
        }
    }

    /// Flat `key: value` YAML, as the docs' front matter is; values may be quoted. Lines that
    /// are not (no `key:`, an indented or list line, a quote left open) are located warnings:
    /// nothing of the front matter is skipped without a word.
    fn front_matter(&mut self, text: &str, map: &TextMap) {
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            let at = offset;
            offset += line.len();
            let content = line.trim_end_matches(['\n', '\r']);
            if content.trim().is_empty() || content.trim_start().starts_with('#') {
                continue;
            }
            let pair = content
                .split_once(':')
                .filter(|(key, _)| {
                    !key.is_empty()
                        && !key.starts_with(char::is_whitespace)
                        && !key.starts_with(['-', '"', '\''])
                })
                .filter(|(_, value)| value.is_empty() || value.starts_with(char::is_whitespace));
            let Some((key, value)) = pair else {
                self.diagnostics.warning(
                    map.span(at),
                    "this front matter line is not `key: value`: it is not read",
                );
                continue;
            };
            let value = value.trim();
            let quoted = value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')));
            let value = match quoted {
                Some(inner) if value.len() >= 2 => inner,
                _ if value.starts_with(['"', '\'']) => {
                    self.diagnostics.warning(
                        map.span(at),
                        format!("the value of `{}` opens a quote it does not close: read as written", key.trim()),
                    );
                    value
                }
                _ => value,
            };
            self.page.front_matter.push((
                key.trim().to_owned(),
                Spanned {
                    text: without_includes(value),
                    span: map.span(at),
                },
            ));
        }
    }

    fn metadata_comment(&mut self, text: &str, start: usize) {
        let trimmed = text.trim();
        // CommonMark ends an HTML comment block only at `-->`: an unclosed one hides what
        // follows (to the end of the page, or of the list or quote it is in).
        if trimmed.starts_with("<!--") && !trimmed.contains("-->") {
            let lines = trimmed.lines().count();
            self.diagnostics.warning(
                self.span(start),
                format!("this HTML comment is not closed with `-->`: it hides the {lines} lines from here on, which are not read"),
            );
            return;
        }
        let Some(inner) = trimmed
            .strip_prefix("<!--")
            .and_then(|t| t.strip_suffix("-->"))
        else {
            return;
        };
        let inner = inner.trim();
        if !inner.starts_with('{') {
            return;
        }
        let span = self.span(start);
        // The lenient reader recurses per level of nesting; a crafted comment could overflow
        // the stack. Real metadata comments are two or three levels deep.
        if super::json::nesting_depth(inner) > MAX_COMMENT_DEPTH {
            self.comment_error(
                span,
                format!("metadata comment nested more than {MAX_COMMENT_DEPTH} levels deep"),
            );
            return;
        }
        let value: Value = match serde_json::from_str(inner) {
            Ok(value) => value,
            Err(_) => match json5::from_str::<Value>(inner) {
                Ok(value) => {
                    self.diagnostics.warning(span, "metadata comment is not strict JSON (trailing commas, unquoted keys or single quotes); read leniently");
                    value
                }
                Err(error) => {
                    self.comment_error(span, format!("unreadable metadata comment: {error}"));
                    return;
                }
            },
        };
        let Value::Object(map) = value else {
            self.comment_error(span, "a metadata comment must hold a JSON object".to_owned());
            return;
        };
        let mut metadata = BlockMetadata {
            span,
            block_type: None,
            name: None,
            odata_type: None,
            truncated: false,
            is_collection: false,
            key_property: None,
            optional_properties: Vec::new(),
            base_type: None,
            open_type: false,
            is_abstract: false,
            expect_error: false,
            nullable_properties: Vec::new(),
            is_empty: false,
            is_composable: false,
            sample_keys: Vec::new(),
            is_media_entity: false,
            opaque_url: false,
        };
        for (key, value) in map {
            match key.as_str() {
                "blockType" => metadata.block_type = self.string(span, &key, value),
                "name" => metadata.name = self.string(span, &key, value),
                "@odata.type" => metadata.odata_type = self.string(span, &key, value),
                "keyProperty" => metadata.key_property = self.string(span, &key, value),
                "baseType" => metadata.base_type = self.string(span, &key, value),
                "truncated" => metadata.truncated = self.boolean(span, &key, value),
                "isCollection" => metadata.is_collection = self.boolean(span, &key, value),
                "openType" => metadata.open_type = self.boolean(span, &key, value),
                "abstract" => metadata.is_abstract = self.boolean(span, &key, value),
                "expectError" => metadata.expect_error = self.boolean(span, &key, value),
                "isEmpty" => metadata.is_empty = self.boolean(span, &key, value),
                "isComposable" => metadata.is_composable = self.boolean(span, &key, value),
                "isMediaEntity" => metadata.is_media_entity = self.boolean(span, &key, value),
                "opaqueUrl" => metadata.opaque_url = self.boolean(span, &key, value),
                "optionalProperties" => metadata.optional_properties = names(value),
                "nullableProperties" => metadata.nullable_properties = names(value),
                "sampleKeys" => metadata.sample_keys = names(value),
                _ => {}
            }
        }
        self.pending_metadata = Some(metadata);
    }

    /// A string value; a list stands for its first item, with a warning.
    fn string(&mut self, span: Span, key: &str, value: Value) -> Option<String> {
        match value {
            Value::String(s) => Some(s),
            Value::Array(items) => {
                self.diagnostics.warning(
                    span,
                    format!("`{key}` should be a string, not a list; its first item is used"),
                );
                items
                    .into_iter()
                    .find_map(|v| v.as_str().map(str::to_owned))
            }
            Value::Null => None,
            other => Some(other.to_string()),
        }
    }

    /// A boolean value; `"true"`/`"false"` strings are accepted with a warning.
    fn boolean(&mut self, span: Span, key: &str, value: Value) -> bool {
        match value {
            Value::Bool(b) => b,
            Value::String(s)
                if s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false") =>
            {
                self.diagnostics.warning(
                    span,
                    format!("`{key}` should be the boolean {s}, not the string \"{s}\""),
                );
                s.eq_ignore_ascii_case("true")
            }
            other => {
                self.diagnostics.warning(
                    span,
                    format!("`{key}` should be a boolean, not {other}; read as false"),
                );
                false
            }
        }
    }

    fn code_block(
        &mut self,
        language: String,
        text: String,
        start: usize,
        content: Option<usize>,
        map: TextMap,
    ) {
        let metadata = self.pending_metadata.take();
        let content_offset = content.unwrap_or(start);
        // In a tab group only the HTTP tab holds requests and responses; the other tabs are
        // the same example in SDK languages.
        let other_tab = self.tab.as_deref().is_some_and(|t| t != "http");
        let meant_as_http = !other_tab
            && (language == "http"
                || metadata.as_ref().is_some_and(|m| {
                    m.block_type.as_deref().is_some_and(|t| {
                        t.eq_ignore_ascii_case("request") || t.eq_ignore_ascii_case("response")
                    })
                }));
        let http = meant_as_http
            .then(|| parse_message(&text, &map))
            .flatten();
        let said_request = metadata.as_ref().is_some_and(|m| {
            m.block_type
                .as_deref()
                .is_some_and(|t| t.eq_ignore_ascii_case("request"))
        });
        let in_request_section = self
            .current_section()
            .and_then(|i| self.page.sections.get(i))
            .is_some_and(|s| matches!(s.kind, SectionKind::HttpRequest | SectionKind::Request));
        let no_request_line = match &http {
            None if meant_as_http => text
                .split('\n')
                .enumerate()
                .find(|(_, line)| !line.trim().is_empty())
                .filter(|(_, line)| {
                    // A URL shown in an `http` block of prose (a service root) is no request;
                    // one where the page documents or shows its request is.
                    said_request || (in_request_section && looks_like_url(line.trim()))
                })
                .map(|(index, _)| {
                    let at: usize = text.split_inclusive('\n').take(index).map(str::len).sum();
                    let indent = text[at..].len() - text[at..].trim_start().len();
                    map.span(at + indent)
                }),
            _ => None,
        };
        let json = (language == "json" && !other_tab)
            .then(|| super::json::read(&text, &map, 0))
            .flatten();
        let kind = match metadata.as_ref().and_then(|m| m.block_type.as_deref()) {
            _ if other_tab => BlockKind::Ignored,
            Some(t) => match t.to_ascii_lowercase().as_str() {
                "request" => BlockKind::Request,
                "response" => BlockKind::Response,
                "resource" => BlockKind::Resource,
                "ignored" => BlockKind::Ignored,
                "example" => BlockKind::Example,
                other => BlockKind::Other(other.to_owned()),
            },
            // Without a comment, the content says what the block is.
            None => match &http {
                Some(HttpMessage::Request(_)) => BlockKind::Request,
                Some(HttpMessage::Response(_)) => BlockKind::Response,
                None if language == "json" && text.contains("\"@odata.type\"") => {
                    BlockKind::Resource
                }
                None => BlockKind::Other(language.clone()),
            },
        };
        let section = self.current_section();
        self.page.code_blocks.push(CodeBlock {
            section,
            language,
            text,
            span: self.span(start),
            content_offset,
            metadata,
            kind,
            http,
            json,
            no_request_line,
        });
    }
}

/// The front matter at the top of a page: a `---` line, lines up to a closing `---` (or
/// `...`) line. Where its content is, and where the Markdown after the closing line starts.
fn front_matter_end(body: &str) -> Option<(std::ops::Range<usize>, usize)> {
    let mut lines = body.split_inclusive('\n');
    let first = lines.next()?;
    // As pulldown-cmark and GitHub read it: no blank line right after the opening one.
    if first.trim_end() != "---" || body[first.len()..].lines().next()?.trim().is_empty() {
        return None;
    }
    let mut at = first.len();
    for line in lines {
        if matches!(line.trim_end(), "---" | "...") {
            return Some((first.len()..at, at + line.len()));
        }
        at += line.len();
    }
    None
}

/// A list of names in a metadata comment: `["a", "b"]`, or `"a, b"`.
fn names(value: Value) -> Vec<String> {
    match value {
        Value::Array(items) => items
            .into_iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        Value::String(s) => s.split(',').map(|p| p.trim().to_owned()).collect(),
        _ => Vec::new(),
    }
}

/// A request line without its method: `/me/events`, `https://graph.microsoft.com/v1.0/me`.
fn looks_like_url(line: &str) -> bool {
    let lower = line.to_ascii_lowercase();
    line.starts_with('/') || lower.starts_with("https://") || lower.starts_with("http://")
}

/// The tab a tab heading opens: `# [HTTP](#tab/http)` → `http`.
fn tab_name(heading: &str) -> Option<String> {
    let at = heading.find("](#tab/")?;
    let rest = &heading[at + "](#tab/".len()..];
    let name = &rest[..rest.find(')')?];
    Some(name.trim().to_ascii_lowercase())
}

/// `::: zone pivot="graph-preview"`, `::: zone-end`, as a line of a paragraph.
fn is_zone_marker(stack: &[Open], text: &str) -> bool {
    match stack.last() {
        Some(Open::Paragraph { text: so_far, .. }) => {
            let line = text.trim_start();
            (so_far.is_empty() || so_far.ends_with(' '))
                && line.starts_with(":::")
                && line[3..].trim_start().starts_with("zone")
        }
        _ => false,
    }
}

/// An HTML tag in prose or a table cell as the Markdown it stands for: `<br/>` a space,
/// `<b>` `**`, `<i>` `*`, `<code>` a backtick, `<a href="u">` ... `</a>` `[`...`](u)`; other
/// tags and comments are left out. `links` holds the targets of the open `<a>` tags.
fn html_as_markdown(html: &str, links: &mut Vec<Option<String>>) -> String {
    let tag = html.trim();
    if tag.starts_with("<!--") || !tag.starts_with('<') {
        return if tag.starts_with('<') {
            String::new()
        } else {
            html.to_owned()
        };
    }
    let closing = tag.starts_with("</");
    let name: String = tag[if closing { 2 } else { 1 }..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    match (name.as_str(), closing) {
        ("br", _) | ("p", _) | ("div", _) | ("tr", _) | ("td", _) | ("ul" | "ol", _) => " ".into(),
        ("li", false) => " - ".into(),
        ("b" | "strong", _) => "**".into(),
        ("i" | "em", _) => "*".into(),
        ("code", _) => "`".into(),
        ("a", false) => {
            let href = attribute(tag, "href");
            let open = if href.is_some() { "[" } else { "" };
            links.push(href);
            open.into()
        }
        ("a", true) => match links.pop().flatten() {
            Some(href) => format!("]({href})"),
            None => String::new(),
        },
        _ => String::new(),
    }
}

/// The value of an attribute of an HTML start tag: `href="x"`, `href='x'`, `href=x`.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(found) = lower[from..].find(name) {
        let at = from + found;
        from = at + name.len();
        let before_ok = lower[..at].ends_with(|c: char| c.is_whitespace());
        let rest = tag[at + name.len()..].trim_start();
        let Some(value) = rest.strip_prefix('=').filter(|_| before_ok) else {
            continue;
        };
        let value = value.trim_start();
        let text = match value.chars().next()? {
            q @ ('"' | '\'') => value[1..].split(q).next()?,
            _ => value
                .split(|c: char| c.is_whitespace() || c == '>')
                .next()?
                .trim_end_matches('/'),
        };
        return Some(text.to_owned());
    }
    None
}

/// The text without the docs' `[!INCLUDE [name](path)]` directives (content pulled from
/// another file when the docs are built, nothing a doc comment can show), trimmed.
fn without_includes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = find_ignore_case(rest, "[!INCLUDE") {
        out.push_str(rest[..at].trim_end());
        let mut depth = 0usize;
        let end = rest[at..]
            .char_indices()
            .find(|&(_, c)| {
                match c {
                    '[' => depth += 1,
                    ']' => depth -= 1,
                    _ => {}
                }
                depth == 0
            })
            .map_or(rest.len(), |(i, _)| at + i + 1);
        rest = &rest[end..];
        if !out.is_empty() && rest.starts_with(char::is_whitespace) {
            out.push(' ');
        }
        rest = rest.trim_start();
    }
    out.push_str(rest);
    out.trim().to_owned()
}

fn find_ignore_case(text: &str, needle: &str) -> Option<usize> {
    text.as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// `Property name` and `Relationship name` (47 and 7 tables of the v1.0 resource pages) head
/// the same columns as `Property` and `Relationship`: they are read as those.
fn with_plain_names(mut header: Vec<String>) -> Vec<String> {
    if let Some(first) = header.first_mut() {
        let lower = first.trim().to_ascii_lowercase();
        if let Some(plain) = lower.strip_suffix(" name") {
            if matches!(plain.trim_end(), "property" | "relationship") {
                let mut chars = plain.trim_end().chars();
                *first = chars
                    .next()
                    .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                    .unwrap_or_default();
            }
        }
    }
    header
}

fn table_kind(header: &[String]) -> TableKind {
    let first = header
        .first()
        .map(|h| h.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let has = |name: &str| header.iter().any(|h| h.trim().eq_ignore_ascii_case(name));
    match first.as_str() {
        "property" if has("type") => TableKind::Properties,
        "parameter" if has("type") => TableKind::Parameters,
        "relationship" => TableKind::Relationships,
        "header" => TableKind::Headers,
        "name" if has("description") && !has("type") => TableKind::Headers,
        "name" if has("type") => TableKind::Parameters,
        "member" => TableKind::Members,
        "permission type" => TableKind::Permissions,
        _ => TableKind::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{LineCol, SourceMap};

    const PAGE: &str = "\u{feff}---
title: \"Create thing\"
description: Create a new thing.
doc_type: apiPageType
---

# Create thing

Namespace: microsoft.graph

Create a new [thing](../resources/thing.md) object.

## HTTP Request
<!-- { \"blockType\": \"ignored\" } -->
``` http
POST /things/{thing-id}/parts
```

## Request headers
|Header|Value|
|:---|:---|
|Authorization|Bearer {token}|

## Request body
|Property|Type|Description|
|:---|:---|:---|
|id|String|Inherited from entity|
|statuses|[thingStatus](../resources/thingstatus.md) collection|Recent statuses|
|names|String collection||
|payload|Stream|Raw content|

## Response

If successful, this method returns a `201 Created` response code and a thing object in the response body.

## Examples

### Request
<!-- {
  blockType: \"request\",
  \"name\": [\"create_thing\", \"other\"],
  \"truncated\": \"true\",
} -->
```HTTP
POST https://graph.microsoft.com/beta/things/abc/parts
Content-type: application/json

{
  \"@odata.type\": \"#microsoft.graph.thing\"
}
```

### Response
```http
HTTP/1.1 201 Created
Content-Type: application/json

{
  \"id\": \"1\"
}
```

```json
{ \"@odata.type\": \"microsoft.graph.thing\", \"id\": \"String (identifier)\" }
```
";

    fn parse_page(text: &str) -> (SourceMap, Page, Vec<String>) {
        let mut sources = SourceMap::default();
        let id = sources.add("page.md".into(), text.to_owned());
        let mut diagnostics = Diagnostics::default();
        let page = parse(id, text, &mut diagnostics);
        let rendered = diagnostics
            .into_sorted()
            .iter()
            .map(|d| d.render(&sources))
            .collect();
        (sources, page, rendered)
    }

    #[test]
    fn front_matter_headings_and_prose() {
        let (sources, page, _) = parse_page(PAGE);
        assert_eq!(page.front("title").unwrap().text, "Create thing");
        assert_eq!(page.doc_type(), Some("apiPageType"));
        assert_eq!(
            sources.line_col(page.front("description").unwrap().span),
            LineCol { line: 3, col: 1 }
        );
        let title = page.title.as_ref().unwrap();
        assert_eq!(
            (title.text.as_str(), sources.line_col(title.span)),
            ("Create thing", LineCol { line: 7, col: 1 })
        );
        let kinds: Vec<_> = page.sections.iter().map(|s| s.kind).collect();
        use SectionKind::*;
        assert_eq!(
            kinds,
            [
                Other,
                HttpRequest,
                RequestHeaders,
                RequestBody,
                Response,
                Examples,
                Request,
                Response
            ]
        );
        let status = page
            .paragraphs
            .iter()
            .find(|p| p.text.contains("201 Created"))
            .unwrap();
        assert_eq!(page.section(status.section).unwrap().kind, Response);
    }

    #[test]
    fn metadata_comments_are_read_leniently_with_warnings() {
        let (sources, page, warnings) = parse_page(PAGE);
        let request = &page.code_blocks[1];
        let metadata = request.metadata.as_ref().unwrap();
        assert_eq!(metadata.name.as_deref(), Some("create_thing"));
        assert!(metadata.truncated);
        assert_eq!(
            sources.line_col(metadata.span),
            LineCol { line: 39, col: 1 }
        );
        assert_eq!(warnings.len(), 3, "{warnings:#?}");
        assert!(
            warnings
                .iter()
                .all(|w| w.starts_with("page.md:39:1: warning:")),
            "{warnings:#?}"
        );
        let (_, _, errors) = parse_page("<!-- { blockType: } -->\n```http\nGET /x\n```\n");
        assert!(
            errors[0].contains("error[metadata-comment]: unreadable metadata comment"),
            "{errors:?}"
        );
    }

    #[test]
    fn deeply_nested_metadata_comments_are_errors_not_stack_overflows() {
        let deep = format!(
            "<!-- {{ \"blockType\": {}{} }} -->\n",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        let (_, _, errors) = parse_page(&deep);
        assert!(
            errors[0].contains("error[metadata-comment]: metadata comment nested more than 32 levels deep"),
            "{errors:?}"
        );
        // Brackets in strings do not count.
        assert_eq!(crate::pages::json::nesting_depth(r#"{ "a": "[[[{{{", 'b': '\'[[' }"#), 1);
        assert_eq!(crate::pages::json::nesting_depth(r#"{ "a": [ { "b": [] } ] }"#), 4);
    }

    #[test]
    fn code_blocks_are_classified_and_http_messages_parsed() {
        let (sources, page, _) = parse_page(PAGE);
        let kinds: Vec<_> = page.code_blocks.iter().map(|b| b.kind.clone()).collect();
        assert_eq!(
            kinds,
            [
                BlockKind::Ignored,
                BlockKind::Request,
                BlockKind::Response,
                BlockKind::Resource
            ]
        );
        assert_eq!(
            page.code_blocks[1].language, "http",
            "the info string is trimmed and case-folded"
        );
        let Some(HttpMessage::Request(template)) = &page.code_blocks[0].http else {
            panic!()
        };
        assert_eq!(
            (template.method.as_str(), template.path.as_str()),
            ("POST", "/things/{thing-id}/parts")
        );
        let Some(HttpMessage::Request(example)) = &page.code_blocks[1].http else {
            panic!()
        };
        assert_eq!(
            example.path, "/things/abc/parts",
            "host and version are dropped"
        );
        assert_eq!(
            example.header("content-type").unwrap().1,
            "application/json"
        );
        let body = example.body.as_ref().unwrap();
        assert_eq!(sources.line_col(body.span), LineCol { line: 48, col: 1 });
        assert!(body.text.starts_with('{') && body.text.ends_with('}'));
        let Some(HttpMessage::Response(response)) = &page.code_blocks[2].http else {
            panic!()
        };
        assert_eq!(
            (response.status, response.reason.as_str()),
            (201, "Created")
        );
        assert_eq!(
            sources.line_col(response.span),
            LineCol { line: 55, col: 1 }
        );
    }

    #[test]
    fn front_matter_that_is_not_flat_key_value_is_located() {
        let (_, page, warnings) = parse_page(
            "---\ntitle: \"Thing\"\nbroken line\n  nested: x\n- item\nauthor: \"ann\n# a comment\n\nms.date: 01/02/2020\n---\n\n# Thing\n",
        );
        assert_eq!(page.front("title").unwrap().text, "Thing");
        assert_eq!(page.front("ms.date").unwrap().text, "01/02/2020");
        assert_eq!(page.front("author").unwrap().text, "\"ann");
        assert!(page.front("nested").is_none());
        assert_eq!(
            warnings,
            [
                "page.md:3:1: warning: this front matter line is not `key: value`: it is not read",
                "page.md:4:1: warning: this front matter line is not `key: value`: it is not read",
                "page.md:5:1: warning: this front matter line is not `key: value`: it is not read",
                "page.md:6:1: warning: the value of `author` opens a quote it does not close: read as written",
            ]
        );
        let (_, page, warnings) = parse_page("---\ntitle: Thing\ndoc_type: apiPageType\n\n# Thing\n");
        assert!(page.front_matter.is_empty());
        assert_eq!(
            warnings,
            ["page.md:1:1: warning: the front matter that starts here is not read: it needs a closing `---` line, and no blank line right after the opening one"]
        );
        // A thematic break at the top is no front matter.
        let (_, _, warnings) = parse_page("---\n\nSome prose.\n");
        assert!(warnings.is_empty(), "{warnings:?}");
        // Two rules further down enclose Markdown, not front matter.
        let (_, page, warnings) = parse_page(
            "---\ntitle: T\n---\n\n# T\n\n---\n#### Response\n```http\nHTTP/1.1 204 No Content\n```\n\n---\n",
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(page.front_matter.len(), 1);
        assert_eq!(page.code_blocks.len(), 1);
    }

    #[test]
    fn an_unclosed_comment_that_hides_the_rest_of_the_page_is_located() {
        let (_, page, warnings) = parse_page(
            "# T\n\n<!-- { \"blockType\": \"request\" }\n``` http\nGET /x\n```\n\n## More\n",
        );
        assert!(page.code_blocks.is_empty());
        assert_eq!(
            warnings,
            ["page.md:3:1: warning: this HTML comment is not closed with `-->`: it hides the 6 lines from here on, which are not read"]
        );
    }

    #[test]
    fn include_directives_are_left_out_of_text() {
        assert_eq!(
            without_includes("The name. [!INCLUDE [note](../includes/n.md)] More."),
            "The name. More."
        );
        assert_eq!(without_includes("[!include[x](y)]"), "");
        assert_eq!(without_includes("Plain  text "), "Plain  text");
        assert_eq!(without_includes("Broken [!INCLUDE [x"), "Broken");
        let (_, page, _) = parse_page(
            "# T\n\n[!INCLUDE [beta](../../includes/beta.md)]\n\n|Property|Type|Description|\n|-|-|-|\n|a|String|Ay. [!INCLUDE [x](y.md)]|\n",
        );
        assert!(
            page.paragraphs.iter().all(|p| !p.text.contains("INCLUDE")),
            "{:?}",
            page.paragraphs
        );
        assert_eq!(page.tables[0].rows[0][2].text, "Ay.");
    }

    #[test]
    fn property_name_headers_and_remarks_before_types() {
        let (_, page, _) = parse_page(
            "# T\n\n| Property name | Type | Description |\n|-|-|-|\n|a|(Optional) String|Ay.|\n\n|Relationship name|Type|Description|\n|-|-|-|\n|b|[t](t.md)|Bee.|\n",
        );
        let kinds: Vec<_> = page.tables.iter().map(|t| t.kind).collect();
        assert_eq!(kinds, [TableKind::Properties, TableKind::Relationships]);
        let rows: Vec<_> = page.member_rows().map(|(_, _, name)| name.text.as_str()).collect();
        assert_eq!(rows, ["a", "b"]);
        for (cell, name) in [("(Optional) String", "String"), ("String (optional)", "String")] {
            assert_eq!(CellType::parse(cell).unwrap().name, name, "{cell}");
        }
    }

    #[test]
    fn type_cells_with_characters_across_the_collection_prefix_are_read_whole() {
        // `é` is two bytes; here it spans bytes 10 and 11, where `collection(` ends.
        for cell in ["aaaaaaaaaaé", "aaaaaaaaaaé)", "Collection(é)", "collectionéé"] {
            assert!(CellType::parse(cell).is_some(), "{cell}");
        }
        assert_eq!(CellType::parse("Collection(é)").unwrap().name, "é");
        assert_eq!(
            crate::pages::strip_suffix_ignore_ascii_case("éééé", " object"),
            None
        );
        assert_eq!(
            crate::pages::strip_prefix_ignore_ascii_case("COLLECTION(x)", "collection("),
            Some("x)")
        );
    }

    #[test]
    fn tables_by_header_and_type_cells() {
        let (sources, page, _) = parse_page(PAGE);
        let kinds: Vec<_> = page.tables.iter().map(|t| t.kind).collect();
        assert_eq!(kinds, [TableKind::Headers, TableKind::Properties]);
        let properties = &page.tables[1];
        let types: Vec<_> = properties
            .rows
            .iter()
            .map(|r| CellType::parse(&properties.cell(r, "type").unwrap().text).unwrap())
            .collect();
        assert_eq!(
            types[1],
            CellType {
                name: "thingStatus".into(),
                collection: true
            }
        );
        assert_eq!(
            types[2],
            CellType {
                name: "String".into(),
                collection: true
            }
        );
        assert_eq!(
            types[3],
            CellType {
                name: "Stream".into(),
                collection: false
            }
        );
        assert_eq!(
            sources.line_col(properties.rows[0][0].span),
            LineCol { line: 27, col: 2 }
        );
        assert_eq!(CellType::parse("None"), None);
        assert_eq!(
            CellType::parse("Collection(microsoft.graph.thing)").unwrap(),
            CellType {
                name: "microsoft.graph.thing".into(),
                collection: true
            }
        );
    }

    #[test]
    fn crlf_lf_and_mixed_line_endings_parse_the_same() {
        let (_, lf, _) = parse_page(PAGE);
        let crlf_text = PAGE.replace('\n', "\r\n");
        let (sources, crlf, _) = parse_page(&crlf_text);
        let mixed_text: String = PAGE
            .split_inclusive('\n')
            .enumerate()
            .map(|(i, l)| {
                if i % 2 == 0 {
                    l.replace('\n', "\r\n")
                } else {
                    l.to_owned()
                }
            })
            .collect();
        let (_, mixed, _) = parse_page(&mixed_text);
        for page in [&crlf, &mixed] {
            assert_eq!(page.front_matter.len(), lf.front_matter.len());
            assert_eq!(page.code_blocks.len(), lf.code_blocks.len());
            assert_eq!(page.tables[1].rows.len(), lf.tables[1].rows.len());
            let Some(HttpMessage::Request(r)) = &page.code_blocks[1].http else {
                panic!()
            };
            assert_eq!(r.path, "/things/abc/parts");
            assert_eq!(r.header("Content-type").unwrap().1, "application/json");
        }
        assert_eq!(crlf.front("title").unwrap().text, "Create thing");
        assert_eq!(
            sources.line_col(crlf.title.as_ref().unwrap().span),
            LineCol { line: 7, col: 1 }
        );
        // Places inside blocks and the front matter are where the file has them, whatever
        // the line ends before them.
        for (page, sources) in [(&lf, None), (&crlf, Some(&sources))] {
            let line_col = |span| match sources {
                Some(s) => s.line_col(span),
                None => parse_page(PAGE).0.line_col(span),
            };
            assert_eq!(
                line_col(page.front("description").unwrap().span),
                LineCol { line: 3, col: 1 }
            );
            let Some(HttpMessage::Request(r)) = &page.code_blocks[1].http else {
                panic!()
            };
            assert_eq!(line_col(r.body.as_ref().unwrap().span), LineCol { line: 48, col: 1 });
            assert_eq!(line_col(r.headers[0].2), LineCol { line: 46, col: 1 });
        }
    }

    #[test]
    fn json_problems_in_crlf_and_quoted_blocks_are_where_the_file_has_them() {
        let page = "# T\r\n\r\n```http\r\nPOST /x\r\nContent-Type: application/json\r\n\r\n{\r\n  \"a\": 1,\r\n  // note\r\n  \"b\": 2\r\n}\r\n```\r\n\r\n> ```json\r\n> {\r\n>   \"a\": 1,\r\n> }\r\n> ```\r\n";
        let (sources, page, _) = parse_page(page);
        let Some(HttpMessage::Request(r)) = &page.code_blocks[0].http else {
            panic!()
        };
        let json = r.body.as_ref().unwrap().json.as_ref().unwrap();
        let (span, reason) = json.problem.as_ref().unwrap();
        assert_eq!(
            (sources.line_col(*span), reason.as_str()),
            (LineCol { line: 9, col: 3 }, "a comment")
        );
        let json = page.code_blocks[1].json.as_ref().unwrap();
        let (span, reason) = json.problem.as_ref().unwrap();
        assert_eq!(
            (sources.line_col(*span), reason.as_str()),
            (LineCol { line: 17, col: 3 }, "a trailing comma")
        );
    }

    #[test]
    fn tabs_zones_and_html_in_cells() {
        let (_, page, _) = parse_page(
            "# T\n\n## Request\n\n::: zone pivot=\"v1\"\n\n# [HTTP](#tab/http)\n```http\nGET /a\n```\n# [C#](#tab/csharp)\n```http\nGET /b\n```\n\n---\n\n::: zone-end\n\nAfter.\n\n|Property|Type|Description|\n|-|-|-|\n|a|<a href=\"x.md\">thing</a>|One.<br/>Two <b>bold</b>.|\n",
        );
        // Tab headings are no sections; only the HTTP tab's block is a request.
        let titles: Vec<_> = page.sections.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, ["T", "Request"]);
        let kinds: Vec<_> = page.code_blocks.iter().map(|b| b.kind.clone()).collect();
        assert_eq!(kinds, [BlockKind::Request, BlockKind::Ignored]);
        assert!(page.code_blocks[1].http.is_none());
        // Zone markers are not prose.
        let prose: Vec<_> = page.paragraphs.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(prose, ["After."]);
        let row = &page.tables[0].rows[0];
        assert_eq!(row[1].text, "[thing](x.md)");
        assert_eq!(row[2].text, "One. Two **bold**.");
    }

    #[test]
    fn apidoctor_block_keys_are_read() {
        let (_, page, _) = parse_page(
            "<!-- { \"blockType\": \"response\", \"expectError\": true, \"isEmpty\": true, \"isMediaEntity\": true, \"isComposable\": true, \"opaqueUrl\": true, \"nullableProperties\": [\"a\"], \"sampleKeys\": \"k1, k2\" } -->\n```http\nHTTP/1.1 404 Not Found\n```\n",
        );
        let m = page.code_blocks[0].metadata.as_ref().unwrap();
        assert!(m.expect_error && m.is_empty && m.is_media_entity && m.is_composable && m.opaque_url);
        assert_eq!(m.nullable_properties, ["a"]);
        assert_eq!(m.sample_keys, ["k1", "k2"]);
    }

    #[test]
    fn a_request_without_a_method_is_located() {
        let (sources, page, _) = parse_page("# T\n\n## HTTP request\n```http\n  /things/{id}\n```\n\n## Other\n```http\nhttps://example.com/root\n```\n");
        let at = page.code_blocks[0].no_request_line.unwrap();
        assert_eq!(sources.line_col(at), LineCol { line: 5, col: 3 });
        // A URL shown in prose is not a request.
        assert!(page.code_blocks[1].no_request_line.is_none());
    }

    #[test]
    fn urls_lose_host_and_version_and_keep_queries() {
        use super::super::http::split_url;
        assert_eq!(
            split_url("https://graph.microsoft.com/v1.0/me/events?$top=1"),
            ("/me/events".into(), Some("$top=1".into()))
        );
        assert_eq!(
            split_url("https://graph.microsoft.com/localtest/a/{b}"),
            ("/a/{b}".into(), None)
        );
        assert_eq!(split_url("/a/b/"), ("/a/b".into(), None));
        assert_eq!(split_url("a"), ("/a".into(), None));
    }
}
