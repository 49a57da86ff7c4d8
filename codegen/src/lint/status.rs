//! `status-mismatch`: the status a `Response` section's prose promises against the example
//! response it describes.

use super::{Code, PageLint};
use crate::pages::{BlockKind, HttpMessage, HttpResponse, Paragraph, SectionKind};

/// A paragraph of a `Response` section, the example response it describes (an index into
/// the page's responses) and the statuses it promises.
type Promise<'p> = (&'p Paragraph, usize, Vec<(u16, String)>);

impl<'a> PageLint<'a> {
    /// Prose "returns a `201 Created` response code" against the example's status line.
    pub(super) fn status(&mut self) {
        let responses = self.success_responses();
        if responses.is_empty() {
            return;
        }
        let promises = self.promises(&responses);
        for (paragraph, target, promised) in &promises {
            let actual = responses[*target].1;
            // Of alternatives (`200 OK` or `204 No Content`, `202 Accepted` with
            // `Prefer: respond-async` and `201 Created` without), one must match: all the
            // statuses the prose of this section promises for this example count, and those
            // its sub-sections explain (a `302 Found` under `### CSV`).
            let explained = self.explained_statuses(paragraph.section);
            let mut alternatives = promises
                .iter()
                .filter(|(p, t, _)| t == target && p.section == paragraph.section)
                .flat_map(|(_, _, promised)| promised)
                .chain(&explained);
            // A status line may leave out its reason phrase (`HTTP/1.1 201`): the code counts.
            let matches = |(code, reason): &(u16, String)| {
                *code == actual.status
                    && (reason.is_empty()
                        || actual.reason.is_empty()
                        || actual.reason.eq_ignore_ascii_case(reason))
            };
            if !alternatives.any(matches) {
                let (code, reason) = &promised[0];
                self.find(
                    paragraph.span,
                    Code::StatusMismatch,
                    format!(
                        "the text promises `{code} {reason}` but the example answers `{} {}`",
                        actual.status, actual.reason
                    ),
                );
            }
        }
    }

    /// The example responses that show the success (not marked `expectError`), with where
    /// each starts.
    fn success_responses(&self) -> Vec<(u32, &'a HttpResponse)> {
        self.page
            .code_blocks
            .iter()
            .filter_map(|b| match &b.http {
                Some(HttpMessage::Response(r))
                    if b.kind == BlockKind::Response
                        && !b.metadata.as_ref().is_some_and(|m| m.expect_error) =>
                {
                    Some((b.span.offset, r))
                }
                _ => None,
            })
            .collect()
    }

    /// Each paragraph of a `Response` section with the example response it describes (the
    /// one after it: the `Response` section before the examples, or one example's own; else
    /// the last one before it) and the statuses it promises. Prose about an error case
    /// (`404 Not Found` if it does not exist) describes no example.
    fn promises(&self, responses: &[(u32, &HttpResponse)]) -> Vec<Promise<'a>> {
        let mut promises = Vec::new();
        let page = self.page;
        for paragraph in &page.paragraphs {
            let in_response = self
                .page
                .section(paragraph.section)
                .is_some_and(|s| s.kind == SectionKind::Response);
            if !in_response {
                continue;
            }
            let at = paragraph.span.offset;
            let target = responses
                .iter()
                .position(|(offset, _)| *offset > at)
                .unwrap_or(responses.len() - 1);
            let promised: Vec<(u16, String)> = promised_statuses(&paragraph.text)
                .into_iter()
                .filter(|(code, _)| *code < 400)
                .collect();
            if !promised.is_empty() {
                promises.push((paragraph, target, promised));
            }
        }
        promises
    }

    /// The statuses the sub-sections of a `Response` section quote in sentences about a
    /// response (`### CSV`: "returns a `302 Found` response that redirects ...").
    fn explained_statuses(&self, section: Option<usize>) -> Vec<(u16, String)> {
        let Some((index, level)) =
            section.and_then(|i| Some((i, self.page.sections.get(i)?.level)))
        else {
            return Vec::new();
        };
        let end = self.page.sections[index + 1..]
            .iter()
            .position(|s| s.level <= level)
            .map_or(self.page.sections.len(), |p| index + 1 + p);
        self.page
            .paragraphs
            .iter()
            .filter(|p| p.section.is_some_and(|s| s > index && s < end))
            .flat_map(|p| quoted_statuses(&p.text, "response"))
            .filter(|(code, _)| *code < 400)
            .collect()
    }
}

/// "returns a `201 Created` response code" → [(201, "Created")]; every quoted status of the
/// sentences that speak of a "response code" (`200 OK` or `204 No Content`; `201 Created` if
/// new, or `200 OK` if it exists).
pub(super) fn promised_statuses(text: &str) -> Vec<(u16, String)> {
    quoted_statuses(text, "response code")
}

/// Every quoted status (`` `201 Created` ``) of the sentences that contain `phrase`.
fn quoted_statuses(text: &str, phrase: &str) -> Vec<(u16, String)> {
    text.split(". ")
        .filter(|sentence| sentence.contains(phrase))
        .flat_map(|sentence| sentence.split('`').skip(1).step_by(2))
        .filter_map(|quoted| {
            let mut words = quoted.split_whitespace();
            let code = words.next()?.parse().ok()?;
            Some((code, words.collect::<Vec<_>>().join(" ")))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::promised_statuses;

    #[test]
    fn the_promised_status_is_read_from_prose() {
        assert_eq!(
            promised_statuses("this method returns a `201 Created` response code and"),
            [(201, "Created".into())]
        );
        assert_eq!(
            promised_statuses("returns a `204 No Content` response code."),
            [(204, "No Content".into())]
        );
        assert_eq!(
            promised_statuses(
                "Uses `id`. It returns a `200 OK` or `204 No Content` response code."
            ),
            [(200, "OK".into()), (204, "No Content".into())]
        );
        assert_eq!(
            promised_statuses(
                "It returns a `201 Created` response code if new, or a `200 OK` response code if it exists. The `id` is kept."
            ),
            [(201, "Created".into()), (200, "OK".into())]
        );
        assert!(promised_statuses("returns nothing").is_empty());
    }
}
