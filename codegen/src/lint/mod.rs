//! ApiDoctor-style checks of documentation pages against the model: each finding is a
//! `path:line:col: warning[code]: message`, its [`Code`] one of a fixed list (the guide,
//! `codegen/guide/lint.md`, says what each means).
//!
//! One file per family of checks, each a pass over one page (`PageLint`, which also holds the
//! page-walking they share): `status` (prose against example statuses), `bodies` (example
//! bodies against their types), `values` (a JSON value against its property's type: JSON
//! kinds, enumeration members, date and time forms), `resources` (resource pages' JSON
//! representations), `tables` (property and parameter tables), `paths` (request paths),
//! `http` (headers, lengths, request lines, JSON syntax), `sections` (an API page's sections
//! and example names), `fences`, `links` and `permissions`. `model` holds the questions they
//! ask the model (what a path addresses, which type a name means), and `report` the output
//! formats.

mod bodies;
mod code;
mod fences;
mod http;
mod links;
mod model;
mod paths;
mod permissions;
pub mod report;
mod resources;
mod sections;
mod status;
mod tables;
mod values;

use std::collections::{BTreeMap, HashSet};

pub use code::Code;

use crate::diagnostics::Diagnostic;
use crate::ir::Model;
use crate::pages::{BlockKind, CodeBlock, ExampleJson, HttpMessage, Page};
use crate::source::{SourceMap, Span};

/// What `lint` is told besides the pages and the model.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct Options {
    /// The permission names a permissions table may give (`--permissions`); `None` checks
    /// only the tables' shape.
    pub permissions: Option<HashSet<String>>,
}

impl Options {
    /// Options that check permission names against `names`.
    pub fn with_permissions(names: impl IntoIterator<Item = String>) -> Self {
        Options {
            permissions: Some(names.into_iter().collect()),
        }
    }
}

/// What a lint run found, and what it counted instead of checking.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct Report {
    /// The findings, sorted by position.
    pub findings: Vec<Diagnostic>,
    /// Requests to hosts that are neither the service root's nor Microsoft Graph's (a sign-in
    /// page, a webhook, an upload URL the service handed out): their paths are not matched
    /// against the model. By host, how many.
    pub other_hosts: BTreeMap<String, usize>,
    /// `Content-Length` headers not compared because their body holds placeholders (`"String"`,
    /// `{id}`, `<token>`, `...`) or is no JSON.
    pub uncompared_lengths: usize,
    /// Relative links that name an existing file in another letter case (`chatMessage.md`
    /// for `chatmessage.md`): they work where the docs are built, on a file system that
    /// ignores case, and break on one that does not.
    pub links_in_another_case: usize,
    /// Request body tables of pages about a type the metadata lacks (a newer version's): not
    /// checked against the type the request path addresses, whose properties they are not.
    pub tables_of_unknown_types: usize,
    /// Relative links that use `\\` as a path separator (`..\\resources\\x.md`) to a file that
    /// exists: browsers and the docs build read them as `/`.
    pub links_with_backslashes: usize,
    /// Relative links with a `{placeholder}`: no file to look for.
    pub links_not_looked_up: usize,
    /// Pages not checked at all, because the metadata has errors and no model was built.
    pub unchecked_pages: usize,
}

/// Lints every page against the model. `docs_only` (no CSDL: the model is the pages') leaves
/// out the paths, which the model was made from.
pub(crate) fn lint(
    model: &Model,
    pages: &[Page],
    sources: &SourceMap,
    docs_only: bool,
    options: &Options,
) -> Report {
    let mut report = Report::default();
    let mut set = DocSet {
        types: model
            .types
            .iter()
            .map(|t| (t.qualified_name.clone(), t.id))
            .collect(),
        folded_types: model
            .types
            .iter()
            .map(|t| (t.qualified_name.to_ascii_lowercase(), t.id))
            .collect(),
        ..DocSet::default()
    };
    for page in pages {
        let mut lint = PageLint {
            model,
            page,
            options,
            report: &mut report,
            set: &mut set,
        };
        lint.status();
        lint.bodies();
        lint.resources();
        lint.tables();
        if !docs_only {
            lint.paths();
        }
        lint.http();
        lint.sections();
        lint.fences();
        lint.permissions();
        lint.links(sources.path(page.file));
    }
    tables::missing_members(model, &set, &mut report);
    let mut findings = crate::diagnostics::Diagnostics::default();
    for finding in std::mem::take(&mut report.findings) {
        findings.push(finding);
    }
    report.findings = findings.into_sorted();
    report
}

/// `lint` with the default options, for the benchmark (which times each stage over pages
/// it parses itself); not a stable API.
#[cfg(feature = "internals")]
#[doc(hidden)]
pub fn lint_pages(model: &Model, pages: &[Page], sources: &SourceMap, docs_only: bool) -> Report {
    lint(model, pages, sources, docs_only, &Options::default())
}

/// Where a block's example JSON stops being JSON, for `generate`'s warnings: each block of
/// the pages whose body (or `json` content) is not strict JSON, located, with why.
pub(crate) fn invalid_json(pages: &[Page]) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for page in pages {
        for block in page
            .code_blocks
            .iter()
            .filter(|b| b.kind != BlockKind::Ignored)
        {
            if let Some((json, _)) = block_json(block) {
                if let Some((span, reason)) = &json.problem {
                    warnings.push(Diagnostic::warning(
                        *span,
                        format!("{}; the example is not used", json_problem(json, reason)),
                    ));
                }
            }
        }
    }
    warnings
}

/// The example JSON of a block: an HTTP message's body, or a `json` block's content; with
/// whether it is an HTTP body.
fn block_json(block: &CodeBlock) -> Option<(&ExampleJson, bool)> {
    match &block.http {
        Some(HttpMessage::Request(r)) => r.body.as_ref()?.json.as_ref().map(|j| (j, true)),
        Some(HttpMessage::Response(r)) => r.body.as_ref()?.json.as_ref().map(|j| (j, true)),
        None => block.json.as_ref().map(|j| (j, false)),
    }
}

fn json_problem(json: &ExampleJson, reason: &str) -> String {
    match json.value {
        Some(_) => format!("the example is not JSON ({reason}), though it reads as JSON5"),
        None => format!("the example is not JSON ({reason})"),
    }
}

/// What the checks gather over the whole set of pages.
#[derive(Default)]
struct DocSet {
    /// The directories of linked files, listed once each.
    directories: links::Directories,
    /// The properties and navigation properties resource pages' tables list, by type: a type
    /// whose tables are split over several pages (Intune's pages of one area each) is
    /// complete when the pages together list all it declares.
    properties: tables::Listed,
    relationships: tables::Listed,
    /// Every type by its qualified name, and in lower case for names written in another case
    /// (the model's own look-up goes through every type).
    types: std::collections::HashMap<String, crate::ir::TypeId>,
    folded_types: std::collections::HashMap<String, crate::ir::TypeId>,
}

/// One page being linted: the checks of every family are its methods, in their files.
struct PageLint<'a> {
    model: &'a Model,
    page: &'a Page,
    options: &'a Options,
    report: &'a mut Report,
    set: &'a mut DocSet,
}

impl<'a> PageLint<'a> {
    /// The blocks lint reads: those marked `"blockType": "ignored"` are not, nor a fence
    /// never closed, whose content is the rest of the page (`unclosed-fence` says so).
    fn blocks(&self) -> impl Iterator<Item = &'a CodeBlock> {
        self.page
            .code_blocks
            .iter()
            .filter(|b| b.kind != BlockKind::Ignored && b.unclosed.is_none())
    }

    /// Whether the page says in prose that its response examples are shortened, as Graph's
    /// templated pages do ("the response object shown here may be truncated for brevity")
    /// instead of `"truncated": true`.
    fn prose_says_truncated(&self) -> bool {
        self.page.paragraphs.iter().any(|p| {
            let text = p.text.to_ascii_lowercase();
            [
                "truncated for brevity",
                "shortened for readability",
                "may be truncated",
            ]
            .iter()
            .any(|phrase| text.contains(phrase))
        })
    }

    /// Whether the page is an API page (`doc_type: apiPageType`), which documents one
    /// operation, rather than a resource page or a conceptual one.
    fn is_api_page(&self) -> bool {
        self.page
            .doc_type()
            .is_some_and(|t| t.eq_ignore_ascii_case("apiPageType"))
    }

    fn find(&mut self, span: Span, code: Code, message: String) {
        self.report
            .findings
            .push(Diagnostic::lint(span, code.name(), message));
    }
}
