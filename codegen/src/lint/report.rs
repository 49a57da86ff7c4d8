//! A lint run's output in the formats CI tools read: human (`path:line:col: warning[code]:
//! message` lines and a summary by code), JSON, SARIF 2.1.0 (code scanning shows each finding
//! on its page's line) and GitHub workflow annotations (`::warning file=...,line=...::`).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::{json, Value};

use super::{Code, Report};
use crate::diagnostics::{Diagnostic, Severity};
use crate::source::{SourceMap, Span};

/// An output format of `codegen lint --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// One line per diagnostic, then a summary (on stderr).
    Human,
    /// One JSON object: the findings and the summary.
    Json,
    /// A SARIF 2.1.0 log with one run.
    Sarif,
    /// GitHub Actions workflow commands, one per diagnostic.
    Github,
}

/// The rule of diagnostics that have no lint code: problems reading the input.
const INPUT_RULE: &str = "input";

/// How many diagnostics of each severity, and of each code.
#[derive(Debug, Default)]
pub struct Counts {
    /// Errors.
    pub errors: usize,
    /// Warnings.
    pub warnings: usize,
    /// By code (`input` for diagnostics without one), most frequent first.
    pub by_code: Vec<(&'static str, usize)>,
}

/// Counts diagnostics by severity and code.
pub fn counts(diagnostics: &[Diagnostic]) -> Counts {
    let mut by_code: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut counts = Counts::default();
    for d in diagnostics {
        match d.severity {
            Severity::Error => counts.errors += 1,
            Severity::Warning => counts.warnings += 1,
            Severity::Note => continue,
        }
        *by_code.entry(d.code.unwrap_or(INPUT_RULE)).or_default() += 1;
    }
    counts.by_code = by_code.into_iter().collect();
    counts
        .by_code
        .sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    counts
}

/// The human summary: the counts, the counts by code, the requests to other hosts and the
/// lengths not compared, one line each (lines with nothing to say are left out).
pub fn summary(diagnostics: &[Diagnostic], report: &Report) -> Vec<String> {
    let counts = counts(diagnostics);
    let mut lines = vec![format!(
        "codegen: {}, {}",
        counted(counts.errors, "error"),
        counted(counts.warnings, "warning")
    )];
    if !counts.by_code.is_empty() {
        let codes: Vec<String> = counts
            .by_code
            .iter()
            .map(|(code, n)| format!("{code} {n}"))
            .collect();
        lines.push(format!("codegen: by code: {}", codes.join(", ")));
    }
    if report.links_with_backslashes > 0 {
        lines.push(format!(
            "codegen: {} written with `\\` separators to an existing file (read as `/`)",
            counted(report.links_with_backslashes, "relative link")
        ));
    }
    if report.links_not_looked_up > 0 {
        lines.push(format!(
            "codegen: {} with a `{{placeholder}}`, not looked up",
            counted(report.links_not_looked_up, "relative link")
        ));
    }
    if report.unchecked_pages > 0 {
        lines.push(format!(
            "codegen: {} not checked: the metadata has errors (above), so no model was built to check them against",
            counted(report.unchecked_pages, "page")
        ));
    }
    if !report.other_hosts.is_empty() {
        let total: usize = report.other_hosts.values().sum();
        let hosts: Vec<String> = report
            .other_hosts
            .iter()
            .map(|(host, n)| format!("{host} {n}"))
            .collect();
        lines.push(format!(
            "codegen: {} to other hosts than the service's, not matched against the metadata: {}",
            counted(total, "request"),
            hosts.join(", ")
        ));
    }
    if report.uncompared_lengths > 0 {
        lines.push(format!(
            "codegen: {} not compared with a body of placeholders (`\"String\"`, `{{id}}`, `...`)",
            counted(report.uncompared_lengths, "Content-Length header")
        ));
    }
    if report.links_in_another_case > 0 {
        lines.push(format!(
            "codegen: {} to an existing file in another letter case (broken where file names are case-sensitive)",
            counted(report.links_in_another_case, "relative link")
        ));
    }
    if report.tables_of_unknown_types > 0 {
        lines.push(format!(
            "codegen: {} of pages about a type the metadata lacks, not checked",
            counted(report.tables_of_unknown_types, "request body table")
        ));
    }
    lines
}

/// `1 error`, `2 errors`.
fn counted(count: usize, noun: &str) -> String {
    match count {
        1 => format!("1 {noun}"),
        _ => format!("{count} {noun}s"),
    }
}

/// Where a span is: path (with `/` separators), line and column (both from 1; the column
/// counts characters).
fn place(sources: &SourceMap, span: Span) -> (String, usize, usize) {
    let at = sources.line_col(span);
    let path = sources
        .path(span.file)
        .display()
        .to_string()
        .replace('\\', "/");
    (path, at.line, at.col)
}

/// The findings and the summary as one JSON object.
pub fn json(diagnostics: &[Diagnostic], report: &Report, sources: &SourceMap) -> String {
    let located = |span: Option<Span>| match span {
        Some(span) => {
            let (path, line, column) = place(sources, span);
            json!({ "path": path, "line": line, "column": column })
        }
        None => Value::Null,
    };
    let findings: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let notes: Vec<Value> = d
                .notes
                .iter()
                .map(|(span, message)| json!({ "at": located(Some(*span)), "message": message }))
                .collect();
            json!({
                "severity": d.severity.to_string(),
                "code": d.code,
                "message": d.message,
                "at": located(d.span),
                "notes": notes,
            })
        })
        .collect();
    let counts = counts(diagnostics);
    let by_code: serde_json::Map<String, Value> = counts
        .by_code
        .iter()
        .map(|(code, n)| ((*code).to_owned(), json!(n)))
        .collect();
    let value = json!({
        "findings": findings,
        "summary": {
            "errors": counts.errors,
            "warnings": counts.warnings,
            "by_code": by_code,
            "other_hosts": report.other_hosts,
            "uncompared_content_lengths": report.uncompared_lengths,
            "links_in_another_case": report.links_in_another_case,
            "links_with_backslashes": report.links_with_backslashes,
            "links_not_looked_up": report.links_not_looked_up,
            "tables_of_unknown_types": report.tables_of_unknown_types,
            "unchecked_pages": report.unchecked_pages,
        },
    });
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

/// A SARIF 2.1.0 log: one run of `codegen`, a rule per lint code (and `input` for problems
/// reading the input), a result per diagnostic at its page's line and column (columns count
/// Unicode code points), notes as related locations.
pub fn sarif(diagnostics: &[Diagnostic], report: &Report, sources: &SourceMap) -> String {
    let level = |severity: Severity| match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    };
    let mut rules: Vec<Value> = Code::ALL
        .iter()
        .map(|code| {
            json!({
                "id": code.name(),
                "shortDescription": { "text": code.description() },
                "defaultConfiguration": { "level": level(code.severity()) },
            })
        })
        .collect();
    rules.push(json!({
        "id": INPUT_RULE,
        "shortDescription": { "text": "the input cannot be read as it is (invalid CSDL, an unreadable page, a name that is not an identifier)" },
        "defaultConfiguration": { "level": "error" },
    }));
    let root = std::env::current_dir()
        .and_then(std::fs::canonicalize)
        .ok()
        .and_then(|dir| url::Url::from_directory_path(dir).ok());
    // Each file's location once (a canonical path is a system call), not once per finding.
    let artifacts: std::collections::HashMap<_, Value> = diagnostics
        .iter()
        .flat_map(|d| {
            d.span
                .into_iter()
                .chain(d.notes.iter().map(|(span, _)| *span))
        })
        .map(|span| span.file)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .map(|file| (file, artifact_location(sources.path(file), root.as_ref())))
        .collect();
    let location = |span: Span, message: Option<&str>| {
        let at = sources.line_col(span);
        let mut location = json!({
            "physicalLocation": {
                "artifactLocation": artifacts[&span.file],
                "region": { "startLine": at.line, "startColumn": at.col },
            }
        });
        if let Some(message) = message {
            location["message"] = json!({ "text": message });
        }
        location
    };
    let results: Vec<Value> = diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Note)
        .map(|d| {
            let rule = d.code.unwrap_or(INPUT_RULE);
            let mut result = json!({
                "ruleId": rule,
                "ruleIndex": rules.iter().position(|r| r["id"] == rule),
                "level": level(d.severity),
                "message": { "text": crate::bidi::escape(&d.message) },
            });
            if let Some(span) = d.span {
                result["locations"] = json!([location(span, None)]);
            }
            if !d.notes.is_empty() {
                let related: Vec<Value> = d
                    .notes
                    .iter()
                    .enumerate()
                    .map(|(i, (span, note))| {
                        let mut l = location(*span, Some(note));
                        l["id"] = json!(i);
                        l
                    })
                    .collect();
                result["relatedLocations"] = json!(related);
            }
            result
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "codegen",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "originalUriBaseIds": match &root {
                Some(root) => json!({ SOURCE_ROOT: { "uri": root.as_str() } }),
                None => json!({}),
            },
            "results": results,
            "properties": {
                "otherHosts": report.other_hosts,
                "uncomparedContentLengths": report.uncompared_lengths,
                "linksInAnotherCase": report.links_in_another_case,
                "linksWithBackslashes": report.links_with_backslashes,
                "linksNotLookedUp": report.links_not_looked_up,
                "tablesOfUnknownTypes": report.tables_of_unknown_types,
                "uncheckedPages": report.unchecked_pages,
            },
        }]
    });
    serde_json::to_string_pretty(&log).unwrap_or_default()
}

/// The base of the relative URIs of a SARIF log: the directory `codegen` ran in.
const SOURCE_ROOT: &str = "%SRCROOT%";

/// A SARIF `artifactLocation` (SARIF 2.1.0 §3.4): a file below the working directory as a
/// URI reference relative to [`SOURCE_ROOT`] (percent-encoded, `/`-separated), which code
/// scanning services match with the repository's files; any other as a `file:` URI.
fn artifact_location(path: &std::path::Path, root: Option<&url::Url>) -> Value {
    // Without `..` and links, so that a page outside the directory is not taken for one in it.
    let file = std::fs::canonicalize(path)
        .ok()
        .and_then(|path| url::Url::from_file_path(path).ok());
    let Some(file) = file else {
        return json!({ "uri": path.display().to_string().replace('\\', "/") });
    };
    // RFC 3986 keeps `[` and `]` for IP literals; the `url` crate leaves them in paths.
    let encoded = file.as_str().replace('[', "%5B").replace(']', "%5D");
    match root.and_then(|root| encoded.strip_prefix(root.as_str())) {
        Some(relative) => json!({ "uri": relative, "uriBaseId": SOURCE_ROOT }),
        None => json!({ "uri": encoded }),
    }
}

/// GitHub Actions workflow commands: `::warning file=P,line=L,col=C,title=CODE::message` per
/// diagnostic (`::error` for errors, `::notice` for notes), then the summary as `::notice`
/// lines. Values are escaped as the runner reads them (`%`, line ends; `:` and `,` in
/// properties).
pub fn github(diagnostics: &[Diagnostic], report: &Report, sources: &SourceMap) -> String {
    let mut out = String::new();
    let mut annotate = |kind: &str, span: Option<Span>, title: Option<&str>, message: &str| {
        let mut properties = Vec::new();
        if let Some(span) = span {
            let (path, line, column) = place(sources, span);
            properties.push(format!("file={}", escape_property(&path)));
            properties.push(format!("line={line}"));
            properties.push(format!("col={column}"));
        }
        if let Some(title) = title {
            properties.push(format!("title={}", escape_property(title)));
        }
        let message = escape_data(&crate::bidi::escape(message));
        let separator = if properties.is_empty() { "" } else { " " };
        let _ = writeln!(
            out,
            "::{kind}{separator}{}::{message}",
            properties.join(",")
        );
    };
    for d in diagnostics {
        let kind = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        annotate(kind, d.span, d.code, &d.message);
        for (span, note) in &d.notes {
            annotate("notice", Some(*span), d.code, note);
        }
    }
    for line in summary(diagnostics, report) {
        let text = line.strip_prefix("codegen: ").unwrap_or(&line);
        annotate("notice", None, Some("codegen lint"), text);
    }
    out
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::{escape_data, escape_property};

    #[test]
    fn workflow_command_values_are_escaped() {
        assert_eq!(escape_data("50% done\nnext"), "50%25 done%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
