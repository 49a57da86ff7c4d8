//! Problems found in the input, located: printed one a line as `path:line:col: error:
//! message` ([`Diagnostic::render`], for tools and tests), or as rustc prints its own, with the
//! source line and a caret ([`Diagnostic::render_human`]).

use std::fmt;

mod snippet;

use crate::source::{SourceMap, Span};

/// How bad a [`Diagnostic`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The input cannot be used as it is: the run exits 1 and writes nothing.
    Error,
    /// Something was skipped, degraded or looks wrong; the run goes on.
    Warning,
    /// Context for another diagnostic.
    Note,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        })
    }
}

/// One problem found in the input, located by a span (file and byte offset) that
/// [`Diagnostic::render`] turns into `path:line:col`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// How bad it is.
    pub severity: Severity,
    /// Where the problem is; `None` for problems of the run as a whole.
    pub span: Option<Span>,
    /// What is wrong, in one line, naming the thing in the input's own words.
    pub message: String,
    /// Related places (`note:` lines) printed right after the diagnostic.
    pub notes: Vec<(Span, String)>,
    /// The lint that found it, printed as `warning[code]:`.
    pub code: Option<&'static str>,
}

impl Diagnostic {
    /// A lint finding: `path:line:col: warning[code]: message`.
    pub fn lint(span: Span, code: &'static str, message: impl Into<String>) -> Self {
        let mut diagnostic = Diagnostic::warning(span, message);
        diagnostic.code = Some(code);
        diagnostic
    }

    /// Adds a related place, printed as a `note:` line after this diagnostic.
    pub fn with_note(mut self, span: Span, message: impl Into<String>) -> Self {
        self.notes.push((span, message.into()));
        self
    }

    /// An error at `span`.
    pub fn error(span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            span: Some(span),
            message: message.into(),
            notes: Vec::new(),
            code: None,
        }
    }

    /// A warning at `span`.
    pub fn warning(span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            span: Some(span),
            message: message.into(),
            notes: Vec::new(),
            code: None,
        }
    }

    /// A note at `span`.
    pub fn note(span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Note,
            span: Some(span),
            message: message.into(),
            notes: Vec::new(),
            code: None,
        }
    }

    /// A problem that belongs to no input position (for example a `--select` name).
    pub fn global_error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            span: None,
            message: message.into(),
            notes: Vec::new(),
            code: None,
        }
    }

    /// A warning that belongs to no input position (for example a default the generator
    /// chose).
    pub fn global_warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            span: None,
            message: message.into(),
            notes: Vec::new(),
            code: None,
        }
    }

    /// Whether this is an [`Severity::Error`].
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders the diagnostic as `path:line:col: severity: message`, followed by a
    /// `path:line:col: note: message` line for each related place.
    pub fn render(&self, sources: &SourceMap) -> String {
        let severity = match self.code {
            Some(code) => format!("{}[{code}]", self.severity),
            None => self.severity.to_string(),
        };
        let mut text = line(sources, self.span, &severity, &self.message);
        for (span, note) in &self.notes {
            text.push('\n');
            text.push_str(&line(sources, Some(*span), "note", note));
        }
        text
    }

    /// Renders the diagnostic as rustc does (with its renderer, `annotate-snippets`): the
    /// message, `--> path:line:col`, the source line with the place underlined, then each
    /// related place as a `note:` with its own line. Bidirectional controls and other control
    /// characters in the message and the line are shown escaped (`\u{202E}`); a line over 4
    /// KiB is not shown, only where the place is. With `color`, ANSI styles as rustc's.
    pub fn render_human(&self, sources: &SourceMap, color: bool) -> String {
        snippet::render(self, sources, color)
    }
}

/// How a run prints its diagnostics, as cargo's `--message-format` says it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MessageFormat {
    /// [`Diagnostic::render_human`]: the source line with a caret, for people.
    #[default]
    Human,
    /// [`Diagnostic::render`]: one line each, `path:line:col: severity: message`, for tools
    /// (editors' problem matchers, `grep`) and tests.
    Short,
}

impl MessageFormat {
    /// `diagnostic` in this format; `color` styles the human form.
    pub fn render(self, diagnostic: &Diagnostic, sources: &SourceMap, color: bool) -> String {
        match self {
            MessageFormat::Human => diagnostic.render_human(sources, color),
            MessageFormat::Short => diagnostic.render(sources),
        }
    }
}

fn line(sources: &SourceMap, span: Option<Span>, severity: &str, message: &str) -> String {
    let message = snippet::text(message);
    match span {
        Some(span) => {
            let at = sources.line_col(span);
            let path = sources.path(span.file).display();
            format!("{path}:{}:{}: {severity}: {message}", at.line, at.col)
        }
        None => format!("codegen: {severity}: {message}"),
    }
}

/// Diagnostics of one run, in the order they were found.
#[derive(Default, Debug)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Records a diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Records an error at `span`.
    pub fn error(&mut self, span: Span, message: impl Into<String>) {
        self.push(Diagnostic::error(span, message));
    }

    /// Records a warning at `span`.
    pub fn warning(&mut self, span: Span, message: impl Into<String>) {
        self.push(Diagnostic::warning(span, message));
    }

    /// Whether any recorded diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// Records every diagnostic of `other`, after these.
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// The diagnostics sorted by file and position, so output does not depend on the order of
    /// discovery.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            (a.span.is_some(), a.span, a.severity, &a.message).cmp(&(
                b.span.is_some(),
                b.span,
                b.severity,
                &b.message,
            ))
        });
        self.items.dedup();
        self.items
    }
}
