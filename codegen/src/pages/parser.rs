//! One pass over pulldown-cmark's events with their byte ranges: [`parse`] reads a page's
//! front matter, then its headings, prose, tables, links and code fences (with the metadata
//! comments before them), each with where it starts.

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::blocks::{self, Fence};
use super::inline::{html_as_markdown, tab_name, without_includes};
use super::tables::{table_kind, with_plain_names};
use super::*;
use crate::diagnostics::Diagnostics;

pub use super::metadata::METADATA_COMMENT;

/// Reads one page. Problems of the page (an unreadable metadata comment, front matter that is
/// not `key: value`) go to `diagnostics`, located; the page is always read.
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
            links: Vec::new(),
            published: None,
        },
        pending_metadata: None,
        tab: None,
        html_links: Vec::new(),
    };
    // A byte order mark is not part of the text; offsets stay those of the file.
    let (body, base) = match text.strip_prefix('\u{feff}') {
        Some(rest) => (rest, 3),
        None => (text, 0),
    };
    let (body, base) = reader.front_matter(body, base);
    reader.markdown(body, base);
    front_matter::warn_if_unclosed(body, Span::new(file, base), reader.diagnostics);
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
    html_links: Vec<Option<String>>,
}

/// An element being read, until its end event.
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
        /// Where the pieces of `text` are in the file.
        map: TextMap,
        unclosed: Option<usize>,
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

impl Reader<'_> {
    fn span(&self, offset: usize) -> Span {
        Span::new(self.file, offset)
    }

    fn current_section(&self) -> Option<usize> {
        self.page.sections.len().checked_sub(1)
    }

    /// Step 1: the front matter, read here and only at the top (pulldown-cmark's YAML metadata
    /// blocks may start at any `---` line, which would swallow the page between two rules:
    /// pulldown-cmark issue #1000). The Markdown after it, and where that starts.
    fn front_matter<'t>(&mut self, body: &'t str, base: usize) -> (&'t str, usize) {
        let Some((content, end)) = front_matter::end(body) else {
            return (body, base);
        };
        let map = TextMap::new(self.file, base + content.start);
        let text = body.get(content).unwrap_or("");
        self.page.front_matter = front_matter::read(text, &map, self.diagnostics);
        (body.get(end..).unwrap_or(""), base + end)
    }

    /// Step 2: the Markdown, one event at a time: elements open on their start event, gather
    /// text, and are closed into the page on their end event.
    fn markdown(&mut self, body: &str, base: usize) {
        let mut stack: Vec<Open> = Vec::new();
        for (event, range) in Parser::new_ext(body, Options::ENABLE_TABLES).into_offset_iter() {
            let start = base + range.start;
            let source = body.get(range).unwrap_or("");
            match event {
                Event::Start(tag) => self.start(&mut stack, tag, start, source),
                Event::End(end) => self.end(&mut stack, end),
                // `---` ends a tab group.
                Event::Rule => self.tab = None,
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
                        let rendered = html_as_markdown(&t, &mut self.html_links);
                        self.text(&mut stack, &rendered, start);
                    }
                }
                Event::SoftBreak | Event::HardBreak => self.text(&mut stack, " ", start),
                _ => {}
            }
        }
    }

    /// An element starts: headings, paragraphs, code fences, HTML blocks and tables open;
    /// links are recorded where they start.
    fn start(&mut self, stack: &mut Vec<Open>, tag: Tag<'_>, start: usize, source: &str) {
        match tag {
            Tag::Heading { level, .. } => stack.push(Open::Heading {
                level: heading_level(level),
                text: String::new(),
                start,
                tab: tab_name(source),
            }),
            Tag::Paragraph if !matches!(stack.last(), Some(Open::Table { .. })) => {
                stack.push(Open::Paragraph {
                    text: String::new(),
                    start,
                })
            }
            Tag::CodeBlock(kind) => {
                let (language, unclosed) = match kind {
                    CodeBlockKind::Fenced(info) => (
                        info.split_whitespace()
                            .next()
                            .unwrap_or("")
                            .to_ascii_lowercase(),
                        blocks::unclosed_lines(source),
                    ),
                    CodeBlockKind::Indented => (String::new(), None),
                };
                stack.push(Open::Code {
                    language,
                    text: String::new(),
                    start,
                    map: TextMap::new(self.file, start),
                    unclosed,
                });
            }
            Tag::HtmlBlock => stack.push(Open::Html {
                text: String::new(),
                start,
            }),
            Tag::Table(_) => stack.push(Open::Table {
                header: Vec::new(),
                rows: Vec::new(),
                row: Vec::new(),
                cell: None,
                start,
            }),
            Tag::TableCell => {
                if let Some(Open::Table { cell, .. }) = stack.last_mut() {
                    *cell = Some((String::new(), start));
                }
            }
            Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } => {
                self.page.links.push(Spanned {
                    text: dest_url.into_string(),
                    span: self.span(start),
                });
            }
            _ => {}
        }
    }

    /// An element ends: a table's cells and rows are gathered; the other elements are closed
    /// into the page.
    fn end(&mut self, stack: &mut Vec<Open>, end: TagEnd) {
        match end {
            TagEnd::TableCell => {
                if let Some(Open::Table { cell, row, .. }) = stack.last_mut() {
                    if let Some((text, at)) = cell.take() {
                        row.push(Spanned {
                            text: without_includes(&text),
                            span: Span::new(self.file, at),
                        });
                    }
                }
            }
            TagEnd::TableHead => {
                if let Some(Open::Table { header, row, .. }) = stack.last_mut() {
                    *header = row.drain(..).map(|c| c.text).collect();
                }
            }
            TagEnd::TableRow => {
                if let Some(Open::Table { rows, row, .. }) = stack.last_mut() {
                    rows.push(std::mem::take(row));
                }
            }
            TagEnd::Heading(_)
            | TagEnd::Paragraph
            | TagEnd::CodeBlock
            | TagEnd::HtmlBlock
            | TagEnd::Table => {
                // A paragraph inside a table cell never opened (cells hold inline text).
                let closes = !matches!(
                    (&end, stack.last()),
                    (TagEnd::Paragraph, Some(Open::Table { .. }))
                );
                if let Some(open) = closes.then(|| stack.pop()).flatten() {
                    self.close(open);
                }
            }
            _ => {}
        }
    }

    fn text(&mut self, stack: &mut [Open], text: &str, start: usize) {
        match stack.last_mut() {
            Some(Open::Heading { text: t, .. }) | Some(Open::Paragraph { text: t, .. }) => {
                t.push_str(text)
            }
            Some(Open::Code { text: t, map, .. }) => {
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
            } => self.heading(level, text, start, tab),
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
            Open::Html { text, start } => {
                if let Some(metadata) = metadata::read(&text, self.span(start), self.diagnostics)
                {
                    self.pending_metadata = Some(metadata);
                }
            }
            Open::Table {
                header,
                rows,
                start,
                ..
            } => {
                let section = self.current_section();
                let in_properties = self
                    .page
                    .section(section)
                    .is_some_and(|s| s.kind == SectionKind::Properties);
                let header = with_plain_names(header, in_properties);
                let kind = table_kind(&header);
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
                map,
                unclosed,
            } => {
                let section = self.current_section();
                let context = blocks::Context {
                    metadata: self.pending_metadata.take(),
                    tab: self.tab.as_deref(),
                    section,
                    section_kind: self.page.section(section).map(|s| s.kind),
                };
                let fence = Fence {
                    language,
                    text,
                    span: self.span(start),
                    map,
                    unclosed,
                };
                self.page.code_blocks.push(blocks::code_block(fence, context));
            }
        }
    }

    /// A heading: a tab of a tab group, or a section (the first level-1 one is the title).
    fn heading(&mut self, level: u8, text: String, start: usize, tab: Option<String>) {
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
        // `Name | Type | Description` under `Properties` is a property table; elsewhere it
        // lists parameters.
        let (_, page, _) = parse_page(
            "# T\n\n## Properties\n|Name|Type|Description|\n|-|-|-|\n|a|String|Ay.|\n\n## Parameters\n|Name|Type|Description|\n|-|-|-|\n|b|String|Bee.|\n",
        );
        let kinds: Vec<_> = page.tables.iter().map(|t| t.kind).collect();
        assert_eq!(kinds, [TableKind::Properties, TableKind::Parameters]);
        assert_eq!(page.tables[0].header[0], "Property");
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
