//! Microsoft Graph documentation pages (Markdown): the syntax of one page, with spans.
//!
//! The dialect: YAML front matter; headings as sections; `<!-- { "blockType": ... } -->`
//! metadata comments before code fences; `http` request and response blocks; tables of
//! properties, parameters, headers and members; JSON examples with placeholder values.

mod blocks;
mod front_matter;
mod http;
mod inline;
mod json;
mod metadata;
mod parser;
mod reading;
mod synthesize;
mod tables;

pub use http::{url_host, HttpMessage, HttpRequest, HttpResponse, MessageBody};
pub use json::{ExampleJson, Step};
pub use parser::{parse, METADATA_COMMENT};
pub use reading::{
    description_text, documented_request, edm_name, member_name, page_namespace, page_resource,
    published, useful,
};
pub use synthesize::synthesize;

use crate::source::{FileId, Span, Spanned};

/// Where the characters of a text the parser hands over (a code block's content, the front
/// matter) are in the file. That text is not one run of the file: its line ends are `\n` where
/// the file has `\r\n`, and the prefixes of the containers it is in (`> `, a list item's
/// indentation) are left out. It is made of pieces, each a copy of one run of the file.
#[derive(Clone, Debug)]
pub(crate) struct TextMap {
    file: FileId,
    /// Where each piece starts: (position in the text, offset in the file), in order.
    pieces: Vec<(usize, usize)>,
}

impl TextMap {
    /// A text that is one run of the file from `offset`.
    pub(crate) fn new(file: FileId, offset: usize) -> Self {
        TextMap {
            file,
            pieces: vec![(0, offset)],
        }
    }

    /// The next piece of the text, at `at` in the text, copies the file from `offset`.
    pub(crate) fn push(&mut self, at: usize, offset: usize) {
        if self.pieces.last().is_some_and(|&(last, _)| last == at) {
            self.pieces.pop();
        }
        self.pieces.push((at, offset));
    }

    /// Where the character at `at` in the text is in the file.
    pub(crate) fn span(&self, at: usize) -> Span {
        let index = self.pieces.partition_point(|&(start, _)| start <= at);
        let (start, offset) = self.pieces[index.saturating_sub(1)];
        Span::new(self.file, offset + at.saturating_sub(start))
    }
}

#[derive(Debug)]
pub struct Page {
    pub file: FileId,
    pub front_matter: Vec<(String, Spanned)>,
    /// The first level-1 heading.
    pub title: Option<Spanned>,
    pub sections: Vec<Section>,
    pub paragraphs: Vec<Paragraph>,
    pub code_blocks: Vec<CodeBlock>,
    pub tables: Vec<Table>,
    /// The targets of the page's Markdown links and images (`[text](target)`), where each
    /// starts.
    pub links: Vec<Spanned>,
    /// Where the page is published, when its place in the docs tree says (see [`published`]);
    /// set by the caller, which knows the page's path.
    pub published: Option<crate::ir::DocPage>,
}

impl Page {
    pub fn front(&self, key: &str) -> Option<&Spanned> {
        self.front_matter
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    /// `doc_type: apiPageType` pages describe one operation; `resourcePageType` pages a type.
    pub fn doc_type(&self) -> Option<&str> {
        self.front("doc_type").map(|v| v.text.as_str())
    }

    /// Rows of the property and relationship tables, with the cell naming the member.
    pub fn member_rows(&self) -> impl Iterator<Item = (&Table, &[Spanned], &Spanned)> {
        self.tables
            .iter()
            .filter(|t| matches!(t.kind, TableKind::Properties | TableKind::Relationships))
            .flat_map(|table| {
                table.rows.iter().filter_map(move |row| {
                    let name = table
                        .cell(row, "property")
                        .or_else(|| table.cell(row, "relationship"))?;
                    Some((table, row.as_slice(), name))
                })
            })
    }

    pub fn section(&self, index: Option<usize>) -> Option<&Section> {
        index.and_then(|i| self.sections.get(i))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SectionKind {
    HttpRequest,
    RequestHeaders,
    RequestBody,
    Response,
    Examples,
    Request,
    Permissions,
    Properties,
    Relationships,
    JsonRepresentation,
    Parameters,
    Other,
}

impl SectionKind {
    /// Heading variants are normal: case, singular and plural, synonyms.
    pub fn from_heading(title: &str) -> Self {
        let t = title.trim().to_ascii_lowercase();
        match t.as_str() {
            "http request" => SectionKind::HttpRequest,
            "request headers" | "request header" => SectionKind::RequestHeaders,
            "request body" => SectionKind::RequestBody,
            "response" | "responses" => SectionKind::Response,
            "example" | "examples" => SectionKind::Examples,
            "request" => SectionKind::Request,
            "permissions" | "prerequisites" => SectionKind::Permissions,
            "properties" => SectionKind::Properties,
            "relationships" => SectionKind::Relationships,
            "json representation" => SectionKind::JsonRepresentation,
            "parameters" | "function parameters" | "query parameters" | "path parameters" => {
                SectionKind::Parameters
            }
            other if other.starts_with("example") => SectionKind::Examples,
            // `HTTP request (to upload a new file)`, `Response (for a delegated call)`.
            other if other.starts_with("http request ") => SectionKind::HttpRequest,
            other if other.starts_with("response (") => SectionKind::Response,
            _ => SectionKind::Other,
        }
    }
}

#[derive(Debug)]
pub struct Section {
    pub level: u8,
    pub title: String,
    pub kind: SectionKind,
    #[allow(dead_code, reason = "the syntax tree keeps what the page says; no check reads it yet")]
    pub span: Span,
}

#[derive(Debug)]
pub struct Paragraph {
    pub section: Option<usize>,
    pub text: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BlockKind {
    Request,
    Response,
    Resource,
    Ignored,
    Example,
    Other(String),
}

#[derive(Debug)]
pub struct CodeBlock {
    pub section: Option<usize>,
    /// The fence's info string, trimmed and lower-cased (`http`, `json`, ...).
    #[allow(dead_code, reason = "the syntax tree keeps what the page says; no check reads it yet")]
    pub language: String,
    pub text: String,
    /// Where the fence starts.
    pub span: Span,
    pub metadata: Option<BlockMetadata>,
    /// From the metadata comment, or inferred from the content.
    pub kind: BlockKind,
    pub http: Option<HttpMessage>,
    /// The content of a `json` block, read once (an `http` block's body is on its message).
    pub json: Option<ExampleJson>,
    /// Content that was meant as an HTTP request (a metadata comment says `request`, or the
    /// block is `http` and not a response) but has no request line: where it starts.
    pub no_request_line: Option<Span>,
    /// A fence never closed (CommonMark then makes code of the rest of the page, or of the
    /// list item or quote it is in): how many lines after the opening fence it takes.
    pub unclosed: Option<usize>,
}

/// A `<!-- { ... } -->` comment before a code fence.
#[derive(Clone, Debug)]
pub struct BlockMetadata {
    pub span: Span,
    pub block_type: Option<String>,
    pub name: Option<String>,
    pub odata_type: Option<String>,
    pub truncated: bool,
    pub is_collection: bool,
    pub key_property: Option<String>,
    pub optional_properties: Vec<String>,
    pub base_type: Option<String>,
    pub open_type: bool,
    pub is_abstract: bool,
    /// `expectError`: the example shows an error response, not the operation's result.
    pub expect_error: bool,
    /// `nullableProperties`: properties the example may leave out or send as `null`.
    pub nullable_properties: Vec<String>,
    /// `isEmpty`: the response has no body worth checking.
    pub is_empty: bool,
    /// `isComposable`: the function's result can be addressed further.
    pub is_composable: bool,
    /// `sampleKeys`: keys in the example URL that are samples, not path segments.
    pub sample_keys: Vec<String>,
    /// `isMediaEntity`: the body is the media stream, not JSON.
    pub is_media_entity: bool,
    /// `opaqueUrl`: the request URL is not one of the service's paths to check (ApiDoctor's
    /// meaning: an opaque URL is not parsed or validated).
    pub opaque_url: bool,
}

impl BlockMetadata {
    /// A comment at `span` that says nothing yet.
    pub(crate) fn at(span: Span) -> Self {
        BlockMetadata {
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
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableKind {
    Properties,
    Parameters,
    Relationships,
    Headers,
    Members,
    Permissions,
    Other,
}

#[derive(Debug)]
pub struct Table {
    pub section: Option<usize>,
    pub kind: TableKind,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Spanned>>,
    pub span: Span,
}

impl Table {
    /// The cell of `row` under the column whose header is `name` (case-insensitive).
    pub fn cell<'t>(&self, row: &'t [Spanned], name: &str) -> Option<&'t Spanned> {
        let column = self
            .header
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name))?;
        row.get(column)
    }
}

/// `text` without `prefix`, compared in any ASCII letter case. Never slices inside a character,
/// whatever `text` holds (page text is any UTF-8).
pub fn strip_prefix_ignore_ascii_case<'t>(text: &'t str, prefix: &str) -> Option<&'t str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// `text` without `suffix`, compared in any ASCII letter case; never slices inside a character.
pub fn strip_suffix_ignore_ascii_case<'t>(text: &'t str, suffix: &str) -> Option<&'t str> {
    let at = text.len().checked_sub(suffix.len())?;
    let tail = text.get(at..)?;
    tail.eq_ignore_ascii_case(suffix).then(|| &text[..at])
}

/// A type as a table cell writes it: `String`, `String collection`,
/// `[officeClientCheckinStatus](../resources/x.md) collection`, `None`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellType {
    pub name: String,
    pub collection: bool,
}

impl CellType {
    pub fn parse(cell: &str) -> Option<CellType> {
        let mut text = cell.trim().to_owned();
        // A remark in parentheses before the type: `(Optional) String`.
        if text.starts_with('(') {
            if let Some(close) = text.find(')') {
                text = text[close + 1..].trim_start().to_owned();
            }
        }
        // A remark in parentheses after the type: `String (url)`, `Boolean (optional)`.
        if text.ends_with(')') && !text.to_ascii_lowercase().starts_with("collection(") {
            if let Some(open) = text.rfind(" (") {
                text.truncate(open);
            }
        }
        let collection = ["collection", "Collection"].iter().any(|word| {
            let found = text.ends_with(&format!(" {word}"));
            if found {
                text.truncate(text.len() - word.len() - 1);
            }
            found
        });
        // `Collection(String)`, and `collection(string)` as some pages write it.
        let inner = strip_prefix_ignore_ascii_case(&text, "collection(")
            .filter(|rest| !rest.is_empty())
            .and_then(|rest| rest.strip_suffix(')'));
        if let Some(rest) = inner {
            text = rest.to_owned();
            return CellType::parse(&text).map(|t| CellType {
                collection: true,
                ..t
            });
        }
        // [name](link) → name
        if let (Some(open), Some(close)) = (text.find('['), text.find(']')) {
            if open < close {
                text = text[open + 1..close].to_owned();
            }
        }
        let name = text.trim().trim_matches(['`', '*']).trim();
        if name.is_empty() || name.eq_ignore_ascii_case("none") {
            return None;
        }
        Some(CellType {
            name: name.to_owned(),
            collection,
        })
    }
}
