//! Doc comments from metadata text, made safe for rustdoc: no code blocks (so no doctests), no
//! broken links or HTML, bare URLs turned into autolinks.

use syn::Attribute;

use super::template::doc_attribute;
use crate::ir::Docs;

/// `#[doc]` attributes for an item, from its docs and extra paragraphs the generator adds.
pub fn doc_attrs(docs: &Docs, extra: &[String]) -> Vec<Attribute> {
    let paragraphs = docs
        .summary
        .iter()
        .chain(docs.long.iter())
        .map(|text| sanitize(text))
        .chain(extra.iter().cloned())
        .filter(|p| !p.is_empty());
    lines_to_attrs(paragraphs, false)
}

/// `#[doc]` attributes for paragraphs that are already safe rustdoc text.
pub fn doc_paragraphs(paragraphs: &[String]) -> Vec<Attribute> {
    lines_to_attrs(paragraphs.iter().cloned(), false)
}

/// One `#[doc]` attribute with this exact text.
pub fn doc_attribute_list(line: &str) -> Vec<Attribute> {
    vec![doc_attribute(line, false)]
}

/// `#![doc]` attributes for a module or crate.
pub fn inner_doc_attrs(paragraphs: &[String]) -> Vec<Attribute> {
    lines_to_attrs(paragraphs.iter().cloned(), true)
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

/// Metadata text shown as a code span in generated docs; a backtick in it would end the span.
pub fn code(text: &str) -> String {
    format!("`{}`", text.replace('`', "'").replace(['\r', '\n'], " "))
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
    use super::sanitize;

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
    fn paragraphs_and_line_endings_are_normalized() {
        assert_eq!(sanitize("one\r\ntwo\r\rthree\n\n\n"), "one\ntwo\n\nthree");
    }
}
