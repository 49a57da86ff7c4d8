//! Formatting: syntax trees (and token streams, parsed first) to source text with prettyplease,
//! and the parts of a file joined under the `@generated` header.

use crate::emit::Contents;

/// One part of a file as text.
pub struct FormattedPart {
    text: String,
    rust: bool,
}

/// A file from its formatted parts, in order; Rust files start with the `@generated` header.
pub fn join_parts(parts: Vec<FormattedPart>) -> String {
    let rust = parts.first().is_some_and(|p| p.rust);
    let header = if rust {
        crate::emit::header_comment("//") + "\n"
    } else {
        String::new()
    };
    let size = header.len() + parts.iter().map(|p| p.text.len() + 1).sum::<usize>();
    let mut text = String::with_capacity(size);
    text.push_str(&header);
    // A part with no text (the top of a file of request builders, when it has nothing to
    // say) adds no blank line.
    for (index, part) in parts.iter().filter(|p| !p.text.trim().is_empty()).enumerate() {
        if index > 0 {
            text.push('\n');
        }
        text.push_str(&part.text);
    }
    text
}

/// One part of the file at `path` as text.
///
/// # Errors
/// Tokens that are not Rust (a bug of the emitter), naming the file.
pub fn format_part(path: &str, contents: Contents) -> Result<FormattedPart, String> {
    let (text, rust) = match contents {
        Contents::Text(text) => (text, false),
        Contents::RustSource(source) => (source, true),
        Contents::Rust(tokens) => {
            let syntax: syn::File = syn::parse2(tokens)
                .map_err(|e| format!("internal error: {path} is not valid Rust: {e}"))?;
            (space_out_items(&prettyplease::unparse(&syntax)), true)
        }
        Contents::Syntax(syntax) => (space_out_items(&prettyplease::unparse(&syntax)), true),
    };
    Ok(FormattedPart { text, rust })
}

/// prettyplease's output with a blank line between items at one indentation (progenitor's
/// `space_out_items`), so that a generated file reads like a hand-written one: after an item
/// that ends with `}` or `;`, after inner attributes and after module docs. A run of one-line
/// declarations of one kind (`use`, `mod`, `pub mod`, ...) stays together. Only whitespace is
/// added, between lines prettyplease wrote; its string literals hold no raw line breaks.
pub fn space_out_items(text: &str) -> String {
    const ITEM_STARTS: [&str; 14] = [
        "///",
        "#[",
        "#![",
        "pub ",
        "pub(",
        "fn ",
        "impl",
        "mod ",
        "struct ",
        "enum ",
        "const ",
        "type ",
        "use ",
        "crate::support::dispatch_from!",
    ];
    const DECLARATIONS: [&str; 6] = ["use ", "pub use ", "pub(crate) use ", "mod ", "pub mod ", "#!["];
    let declaration = |line: &str| DECLARATIONS.iter().find(|d| line.starts_with(**d));
    let mut out = String::with_capacity(text.len() + text.len() / 32);
    let mut previous: Option<&str> = None;
    for line in text.lines() {
        if let Some(before) = previous {
            let indent = |l: &str| l.len() - l.trim_start().len();
            let trimmed = line.trim_start();
            let ended = before.trim_start();
            let comment = ended.starts_with("//");
            let ends_item = ended == "}"
                || (ended.ends_with(';') && !comment)
                || ended.starts_with("#![")
                || (ended.starts_with("//!") && !trimmed.starts_with("//!"));
            // One-line declarations of a kind stay together, as does a `use` after the `};`
            // that ends one over several lines.
            let same_run = (declaration(ended).is_some() && declaration(ended) == declaration(trimmed))
                || (ended == "};" && trimmed.starts_with("use "));
            if ends_item
                && !same_run
                && indent(before) == indent(line)
                && ITEM_STARTS.iter().any(|start| trimmed.starts_with(start))
            {
                out.push('\n');
            }
        }
        out.push_str(line);
        out.push('\n');
        previous = Some(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::space_out_items;

    #[test]
    fn items_are_set_apart_and_use_runs_stay_together() {
        let text = "use a::b;\nuse c::{\n    d,\n};\nstruct S {\n    x: u8,\n}\nimpl S {\n    fn f() {}\n    fn g() {}\n}\nfn h() {}\n";
        assert_eq!(
            space_out_items(text),
            "use a::b;\nuse c::{\n    d,\n};\n\nstruct S {\n    x: u8,\n}\n\nimpl S {\n    fn f() {}\n    fn g() {}\n}\n\nfn h() {}\n"
        );
    }

    #[test]
    fn module_docs_inner_attributes_and_items_ending_in_a_semicolon_are_set_apart() {
        let text = "//! Docs.\n#![forbid(unsafe_code)]\n#![cfg_attr(docsrs, x)]\npub const A: u8 = 1;\n/// Ends with a semicolon;\npub mod a;\npub mod b;\ncrate::support::dispatch_from!(\n    X,\n);\nimpl T {\n    fn f() {\n        let x = 1;\n        g(x);\n    }\n}\n";
        assert_eq!(
            space_out_items(text),
            "//! Docs.\n\n#![forbid(unsafe_code)]\n#![cfg_attr(docsrs, x)]\n\npub const A: u8 = 1;\n\n/// Ends with a semicolon;\npub mod a;\npub mod b;\n\ncrate::support::dispatch_from!(\n    X,\n);\n\nimpl T {\n    fn f() {\n        let x = 1;\n        g(x);\n    }\n}\n"
        );
    }
}
