//! The outline of an API page: `missing-section` (no `HTTP request`, `Response` or `Example`
//! section), `section-order`, and `duplicate-example` (two request examples of one name).

use std::collections::HashMap;

use super::{Code, PageLint};
use crate::diagnostics::Diagnostic;
use crate::pages::{BlockKind, SectionKind};
use crate::source::Span;

/// The sections of an API page in the order Graph's template writes them, with the rank of
/// each and its usual heading.
const ORDER: [(SectionKind, &str); 6] = [
    (SectionKind::Permissions, "Permissions"),
    (SectionKind::HttpRequest, "HTTP request"),
    (SectionKind::RequestHeaders, "Request headers"),
    (SectionKind::RequestBody, "Request body"),
    (SectionKind::Response, "Response"),
    (SectionKind::Examples, "Example"),
];

/// The sections every API page has.
const REQUIRED: [SectionKind; 3] = [
    SectionKind::HttpRequest,
    SectionKind::Response,
    SectionKind::Examples,
];

impl PageLint<'_> {
    /// The sections of an API page, and the names of its examples.
    pub(super) fn sections(&mut self) {
        if self.is_api_page() {
            self.required_sections();
            self.section_order();
        }
        self.example_names();
    }

    /// The sections right under the title (the shallowest level below it), in order.
    fn top_sections(&self) -> impl Iterator<Item = &crate::pages::Section> {
        let level = self
            .page
            .sections
            .iter()
            .map(|s| s.level)
            .filter(|&l| l > 1)
            .min()
            .unwrap_or(2);
        self.page.sections.iter().filter(move |s| s.level == level)
    }

    /// `HTTP request`, `Response` and `Example` sections, each at the top level or below.
    fn required_sections(&mut self) {
        let at = self
            .page
            .title
            .as_ref()
            .map_or(Span::new(self.page.file, 0), |t| t.span);
        let missing: Vec<&str> = REQUIRED
            .iter()
            .filter(|kind| !self.page.sections.iter().any(|s| s.kind == **kind))
            .filter_map(|kind| ORDER.iter().find(|(k, _)| k == kind).map(|(_, name)| *name))
            .collect();
        if !missing.is_empty() {
            // A resource page marked as an API page: its `doc_type` is what is wrong.
            let resource = self
                .page
                .title
                .as_ref()
                .is_some_and(|t| t.text.to_ascii_lowercase().ends_with("resource type"))
                || self
                    .page
                    .sections
                    .iter()
                    .any(|s| s.kind == SectionKind::Properties);
            let hint = if resource {
                "; it reads as a resource page: is its `doc_type` meant to be `resourcePageType`?"
            } else {
                " (`doc_type: apiPageType` pages document a request, its response and an example)"
            };
            let list = missing
                .iter()
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(", ");
            self.find(
                at,
                Code::MissingSection,
                format!("this API page has no {list} section{hint}"),
            );
        }
    }

    /// The top-level sections in Graph's order: a section that comes after one ranked later
    /// is out of order.
    fn section_order(&mut self) {
        let mut latest: Option<(usize, &str)> = None;
        let mut out_of_order = Vec::new();
        for section in self.top_sections() {
            let Some(rank) = ORDER.iter().position(|(k, _)| *k == section.kind) else {
                continue;
            };
            match latest {
                Some((later, name)) if rank < later => {
                    out_of_order.push((section.span, ORDER[rank].1, name));
                }
                _ => latest = Some((rank, ORDER[rank].1)),
            }
        }
        for (span, name, after) in out_of_order {
            self.find(
                span,
                Code::SectionOrder,
                format!("the `{name}` section comes after `{after}`; API pages have Permissions, HTTP request, Request headers, Request body, Response and Example in that order"),
            );
        }
    }

    /// Each request example's metadata `name` once on the page (ApiDoctor pairs a response
    /// with its request by name, and a test runner runs each name once).
    fn example_names(&mut self) {
        let mut first: HashMap<&str, Span> = HashMap::new();
        let mut repeated = Vec::new();
        for block in self.blocks().filter(|b| b.kind == BlockKind::Request) {
            let Some(metadata) = &block.metadata else {
                continue;
            };
            let Some(name) = metadata.name.as_deref().filter(|n| !n.trim().is_empty()) else {
                continue;
            };
            if let Some(&earlier) = first.get(name) {
                repeated.push((metadata.span, name, earlier));
            } else {
                first.insert(name, metadata.span);
            }
        }
        for (span, name, earlier) in repeated {
            self.report.findings.push(
                Diagnostic::lint(
                    span,
                    Code::DuplicateExample.name(),
                    format!("a request example named `{name}` is already on this page: each example needs its own name"),
                )
                .with_note(earlier, "the first example of that name"),
            );
        }
    }
}
