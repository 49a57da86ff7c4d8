//! Doc comments from metadata text, made safe for rustdoc: no code blocks (so no doctests), no
//! broken links or HTML, bare URLs turned into autolinks.

use syn::Attribute;

use super::template::doc_attribute;
use crate::ir::{DocPage, Docs};

/// `#[doc]` attributes for an item, from its docs and extra paragraphs the generator adds,
/// and last a link to the page that documents it.
pub fn doc_attrs(docs: &Docs, extra: &[String]) -> Vec<Attribute> {
    let paragraphs = docs
        .summary
        .iter()
        .chain(docs.long.iter())
        .map(|text| sanitize(text))
        .chain(extra.iter().cloned())
        .chain(docs.page.as_ref().and_then(page_link))
        .filter(|p| !p.is_empty())
        .map(|p| wrap(&p, WRAP_WIDTH));
    lines_to_attrs(paragraphs, false)
}

/// `Documentation: [Send mail](https://...)`, for a page whose URL can stand in a Markdown
/// link as it is (an `https` URL without spaces, brackets or parentheses).
pub fn page_link(page: &DocPage) -> Option<String> {
    let url = &page.url;
    let plain = url.starts_with("https://")
        && !url.contains(|c: char| {
            c.is_whitespace() || c.is_control() || matches!(c, '(' | ')' | '<' | '>' | '[' | ']')
        });
    let title = sanitize(&page.title).replace('\n', " ");
    plain.then(|| format!("Documentation: [{title}]({url})."))
}

/// `#[doc(alias = "displayName")]` for an item whose Rust name is not its wire name but for
/// letter case (rustdoc's search ignores case, and an alias equal to the name is an error), so
/// that searching the docs for the service's name finds it. None for a name rustdoc does not
/// take as an alias (quotes, whitespace but a space, spaces at either end), an empty one, and
/// one with bidirectional controls.
pub fn alias(rust_name: &str, wire_name: &str) -> Option<Attribute> {
    let bare = rust_name.trim_start_matches("r#");
    let takes = !wire_name.is_empty()
        && !wire_name.starts_with(' ')
        && !wire_name.ends_with(' ')
        && crate::bidi::first_control(wire_name).is_none()
        && !wire_name.contains(|c: char| {
            matches!(c, '"' | '\'') || c.is_control() || (c.is_whitespace() && c != ' ')
        });
    (takes && !bare.eq_ignore_ascii_case(wire_name)).then(|| {
        let wire_name = super::template::string_literal(wire_name);
        super::template::attribute("doc", quote::quote!(alias = #wire_name))
    })
}

/// Docs (descriptions, the generator's notes, module and crate docs) are wrapped to this many
/// characters a line (rustfmt's `comment_width`), so that doc comments read like hand-written
/// ones; code blocks and tables keep their lines.
const WRAP_WIDTH: usize = 80;

/// Breaks each line of Markdown text (without code blocks) longer than `width` at spaces,
/// greedily. A line never starts with a word that Markdown would read as the start of a block
/// there (`-`, `1.`, `#`, `>`, `|`, ...); such a word stays on the line before, which may then
/// run long, as does a single word longer than `width`.
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / width);
    let mut in_fence = false;
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            in_fence = !in_fence;
        }
        // Code and tables keep their lines.
        if in_fence || trimmed.starts_with("```") || trimmed.starts_with('|') {
            out.push_str(line);
            continue;
        }
        wrap_line(line, width, &mut out);
    }
    out
}

/// One line of Markdown wrapped; a list item's continuation lines are indented under its text.
fn wrap_line(line: &str, width: usize, out: &mut String) {
    let indent = list_item_indent(line);
    let mut length = 0;
    for (j, word) in line.split(' ').enumerate() {
        let words = word.chars().count();
        if j > 0 {
            if length + 1 + words > width && length > indent && !starts_a_block(word) {
                out.push('\n');
                out.extend(std::iter::repeat_n(' ', indent));
                length = indent;
            } else {
                out.push(' ');
                length += 1;
            }
        }
        out.push_str(word);
        length += words;
    }
}

/// How far a list item's text is indented (`- ` → 2, `12. ` → 4); 0 for other lines.
fn list_item_indent(line: &str) -> usize {
    let leading = line.len() - line.trim_start().len();
    let rest = &line[leading..];
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    if rest.starts_with("- ") || rest.starts_with("* ") {
        leading + 2
    } else if digits > 0 && rest[digits..].starts_with(". ") {
        leading + digits + 2
    } else {
        0
    }
}

/// Whether `word` at the start of a line could begin a block (a list, heading, quote, table,
/// code fence, setext underline or thematic break) rather than continue a paragraph
/// (CommonMark §4, §5).
fn starts_a_block(word: &str) -> bool {
    let digits = word.chars().take_while(char::is_ascii_digit).count();
    word.is_empty()
        || word.starts_with(['-', '+', '=', '*', '#', '>', '|', '~'])
        || word.starts_with("```")
        || (digits > 0 && matches!(&word[digits..], "." | ")"))
}

/// `#[doc]` attributes for paragraphs that are already safe rustdoc text.
pub fn doc_paragraphs(paragraphs: &[String]) -> Vec<Attribute> {
    lines_to_attrs(paragraphs.iter().map(|p| wrap(p, WRAP_WIDTH)), false)
}

/// `#[doc]` attributes for one paragraph of safe rustdoc text, wrapped.
pub fn doc_paragraph(text: &str) -> Vec<Attribute> {
    doc_paragraphs(&[text.to_owned()])
}

/// `#![doc]` attributes for a module or crate.
pub fn inner_doc_attrs(paragraphs: &[String]) -> Vec<Attribute> {
    lines_to_attrs(paragraphs.iter().map(|p| wrap(p, WRAP_WIDTH)), true)
}

fn lines_to_attrs(paragraphs: impl Iterator<Item = String>, inner: bool) -> Vec<Attribute> {
    let mut lines: Vec<String> = Vec::new();
    for paragraph in paragraphs {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(
            paragraph
                .lines()
                .map(|line| format!(" {line}").trim_end().to_owned()),
        );
    }
    lines
        .iter()
        .map(|line| doc_attribute(line, inner))
        .collect()
}

/// Metadata text shown as a code span in generated docs; a backtick in it would end the span,
/// a line break would end the doc line, and other control characters show as escapes
/// (`\u{7}`).
pub fn code(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('`');
    for c in text.chars() {
        match c {
            '`' => out.push('\''),
            '\r' | '\n' => out.push(' '),
            c if c.is_control() => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
    }
    out.push('`');
    out
}

/// Escapes text from the metadata so that rustdoc renders it as the plain text it is.
pub fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_run = 0;
    for line in text.replace("\r\n", "\n").replace('\r', "\n").lines() {
        let line = line.trim();
        if line.is_empty() {
            blank_run += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_run > 0 { "\n\n" } else { "\n" });
        }
        blank_run = 0;
        sanitize_line(line, &mut out);
    }
    out
}

fn sanitize_line(line: &str, out: &mut String) {
    for (i, word) in line.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let mut rest = word;
        while let Some(start) = find_url(rest) {
            escape_into(&rest[..start], out);
            match split_url(&rest[start..]) {
                Some((url, after)) => {
                    out.push('<');
                    out.push_str(url);
                    out.push('>');
                    rest = after;
                }
                None => {
                    // "http://" alone: break it so rustdoc does not see a URL.
                    escape_into(&rest[start..start + 4], out);
                    out.push('\u{200b}');
                    rest = &rest[start + 4..];
                }
            }
        }
        escape_into(rest, out);
    }
}

fn find_url(text: &str) -> Option<usize> {
    [text.find("http://"), text.find("https://")]
        .into_iter()
        .flatten()
        .min()
}

/// A word that starts with an http(s) URL: the URL and the punctuation after it.
fn split_url(word: &str) -> Option<(&str, &str)> {
    if !(word.starts_with("http://") || word.starts_with("https://")) {
        return None;
    }
    let end = word
        .find(|c: char| {
            c.is_control()
                || matches!(
                    c,
                    '<' | '>' | '"' | '`' | '\\' | '[' | ']' | '{' | '}' | '|'
                )
        })
        .unwrap_or(word.len());
    let url = word[..end].trim_end_matches(['.', ',', ';', ':', ')', '!', '?', '\'']);
    (url.len() > "https://".len()).then(|| (url, &word[url.len()..]))
}

fn escape_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '\\' | '`' | '[' | ']' | '<' | '>' | '*' | '_' | '~' | '#' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '&' => out.push_str("&amp;"),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{sanitize, wrap};

    #[test]
    fn code_spans_hold_one_line_without_control_characters() {
        assert_eq!(super::code("a`b\r\nc\u{7}d\te"), "`a'b  c\\u{7}d\\u{9}e`");
    }

    #[test]
    fn markdown_and_code_are_escaped() {
        assert_eq!(
            sanitize("```rust\npanic!()\n```"),
            "\\`\\`\\`rust\npanic!()\n\\`\\`\\`"
        );
        assert_eq!(sanitize("    indented code"), "indented code");
        assert_eq!(sanitize("see [link] and <b>"), "see \\[link\\] and \\<b\\>");
        assert_eq!(sanitize("a & b"), "a &amp; b");
    }

    #[test]
    fn urls_become_autolinks_without_trailing_punctuation() {
        assert_eq!(
            sanitize("See https://aka.ms/x. Or (http://a.b/c)"),
            "See <https://aka.ms/x>. Or (<http://a.b/c>)"
        );
        assert_eq!(sanitize("https://a.b/x>y"), "<https://a.b/x>\\>y");
    }

    #[test]
    fn long_lines_wrap_at_spaces_but_never_before_a_block_marker() {
        assert_eq!(wrap("aaa bbb ccc ddd", 7), "aaa bbb\nccc ddd");
        assert_eq!(wrap("aaa bbb - ccc", 7), "aaa bbb -\nccc");
        assert_eq!(wrap("aaa bbb 12. ccc", 7), "aaa bbb 12.\nccc");
        assert_eq!(wrap("a verylongword b", 4), "a\nverylongword\nb");
        assert_eq!(wrap("short\nlines stay", 20), "short\nlines stay");
        assert_eq!(wrap("- aaa bbb ccc", 9), "- aaa bbb\n  ccc");
        assert_eq!(
            wrap("```\nlet long_code = 1;\n```\n| a | b |", 5),
            "```\nlet long_code = 1;\n```\n| a | b |"
        );
    }

    #[test]
    fn paragraphs_and_line_endings_are_normalized() {
        assert_eq!(sanitize("one\r\ntwo\r\rthree\n\n\n"), "one\ntwo\n\nthree");
    }
}
