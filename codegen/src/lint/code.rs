//! Every lint code, with what it means and how bad it is by default.

use crate::diagnostics::Severity;

/// Declares [`Code`] and its table: each code's name (as `warning[name]` prints it), its
/// default severity and its one-line description.
macro_rules! codes {
    ($($(#[$doc:meta])* $variant:ident = $name:literal, $severity:ident, $description:literal;)*) => {
        /// A lint finding's code: `path:line:col: warning[code]: message`. The guide
        /// (`codegen/guide/lint.md`) lists every code with [`Code::description`]; a test
        /// checks that it does.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum Code {
            $($(#[$doc])* $variant,)*
        }

        impl Code {
            /// Every code, in the order the guide lists them.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as findings print it: `unknown-property`.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }

            /// What a finding of this code means, in one sentence.
            pub const fn description(self) -> &'static str {
                match self {
                    $(Code::$variant => $description,)*
                }
            }

            /// How bad a finding of this code is: a warning (exit 0, 1 with
            /// `--deny-warnings`), or an error (exit 1).
            pub const fn severity(self) -> Severity {
                match self {
                    $(Code::$variant => Severity::$severity,)*
                }
            }
        }
    };
}

codes! {
    /// Prose and example disagree on the status.
    StatusMismatch = "status-mismatch", Warning,
        "the status the prose promises (`returns a 200 Created response code`) differs from the example response's status line";
    /// A JSON member no property or parameter has.
    UnknownProperty = "unknown-property", Warning,
        "an example's JSON member (a request or response body, an action parameter, a resource page's JSON representation) is not a property of its type";
    /// A table row against the metadata.
    TableProperty = "table-property", Warning,
        "a property table names a property the type lacks, or gives it another type";
    /// A table leaves out properties.
    TableMissingProperty = "table-missing-property", Warning,
        "a resource page's property (or relationship) table leaves out properties (navigation properties) its type declares";
    /// `@odata.type` names nothing.
    UnknownOdataType = "unknown-odata-type", Warning,
        "`@odata.type` names a type the metadata does not have";
    /// `@odata.type` in the wrong case.
    OdataTypeCase = "odata-type-case", Warning,
        "`@odata.type` names a type in another letter case";
    /// A body of an abstract type.
    AbstractType = "abstract-type", Warning,
        "a request body, or a request body table, is for an abstract type";
    /// A path the metadata lacks.
    UnknownPath = "unknown-path", Warning,
        "a request path matches no path of the metadata";
    /// A qualified operation the metadata lacks.
    UnknownAction = "unknown-action", Warning,
        "a path segment names a namespace-qualified operation that does not exist";
    /// `Content-Length` and body disagree.
    ContentLength = "content-length", Warning,
        "`Content-Length` matches neither the LF, the CRLF nor the minified byte length of the body; for a shortened response, it is less than the minified length";
    /// A JSON body without `Content-Type`.
    MissingContentType = "missing-content-type", Warning,
        "a request sends a JSON body without a `Content-Type` header";
    /// A response leaves out non-nullable properties.
    MissingRequired = "missing-required", Warning,
        "a response example leaves out non-nullable properties without `\"truncated\": true`";
    /// A resource block leaves out documented properties.
    ResourcePropertyMissing = "resource-property-missing", Warning,
        "a resource page's JSON representation leaves out a property the page's own property table documents";
    /// `{"value": {...}}` for one value.
    ValueWrapper = "value-wrapper", Warning,
        "a single entity or complex value is wrapped in `{\"value\": {...}}`";
    /// A request block that is not a request.
    RequestFormat = "request-format", Warning,
        "a request block has no method, or a blank line separates its request line from its headers";
    /// An example that is not JSON.
    InvalidJson = "invalid-json", Warning,
        "an example body or `json` block is not JSON (a trailing comma, a comment, a raw control character)";
    /// A value of the wrong JSON type.
    PropertyType = "property-type", Warning,
        "an example value's JSON type contradicts its property's (or action parameter's) type";
    /// An enumeration value that is no member.
    EnumValue = "enum-value", Warning,
        "an example value of an enumeration type is not one of its members (each of them, for a flags enumeration)";
    /// A date or time not in the ABNF form.
    DateTimeFormat = "date-time-format", Warning,
        "an example `DateTimeOffset`, `Date`, `TimeOfDay` or `Duration` value is not in the form OData's ABNF gives it";
    /// A required section is missing.
    MissingSection = "missing-section", Warning,
        "an API page (`doc_type: apiPageType`) has no `HTTP request`, `Response` or `Example` section";
    /// Sections out of order.
    SectionOrder = "section-order", Warning,
        "an API page's sections are out of the order Permissions, HTTP request, Request headers, Request body, Response, Example";
    /// Two examples of one name.
    DuplicateExample = "duplicate-example", Warning,
        "two request examples of a page have the same metadata `name`";
    /// A relative link to nothing.
    BrokenLink = "broken-link", Warning,
        "a relative link or image names a file that does not exist";
    /// A fence never closed.
    UnclosedFence = "unclosed-fence", Warning,
        "a code fence is never closed, so the rest of the page (or of its list item or quote) is code";
    /// A permissions table of the wrong shape.
    PermissionTable = "permission-table", Warning,
        "a permissions table is not `Permission type | Permissions`, has a row of another permission type, the same type twice, or a cell that is no list of permission names";
    /// A permission the list lacks.
    UnknownPermission = "unknown-permission", Warning,
        "a permissions table names a permission the list given with `--permissions` does not have";
    /// A metadata comment that cannot be read.
    MetadataComment = "metadata-comment", Error,
        "a block's `<!-- { ... } -->` comment is not JSON even leniently, is not an object, or is nested too deep (a warning for `generate`, which reads the block without it)";
}

impl Code {
    /// The code a finding prints, if it is one of these.
    pub fn from_name(name: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.name() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::Code;

    #[test]
    fn names_are_unique_kebab_case_and_the_metadata_comment_is_the_parsers() {
        let mut names: Vec<_> = Code::ALL.iter().map(|c| c.name()).collect();
        for name in &names {
            assert!(
                name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{name}"
            );
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Code::ALL.len());
        assert_eq!(Code::MetadataComment.name(), crate::pages::METADATA_COMMENT);
        assert_eq!(Code::from_name("enum-value"), Some(Code::EnumValue));
    }

    /// The guide's table of findings is the `Code` enum's: each code once, in order, with its
    /// severity and description.
    #[test]
    fn the_guide_lists_every_code_as_the_enum_says() {
        let guide = include_str!("../../guide/lint.md");
        let rows: Vec<String> = guide
            .lines()
            .filter(|l| l.starts_with("| `"))
            .map(str::to_owned)
            .collect();
        let expected: Vec<String> = Code::ALL
            .iter()
            .map(|c| {
                let severity = match c.severity() {
                    crate::diagnostics::Severity::Error => "error",
                    _ => "warning",
                };
                format!("| `{}` | {severity} | {} |", c.name(), c.description())
            })
            .collect();
        assert_eq!(rows, expected, "codegen/guide/lint.md's table of findings");
    }
}
