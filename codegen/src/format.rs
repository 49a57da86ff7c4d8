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
    for (index, part) in parts.iter().enumerate() {
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

/// prettyplease's output with a blank line after each item that ends with a closing brace,
/// and after a run of `use` declarations, when another item follows at its indentation
/// (progenitor's `space_out_items`): a generated file then reads like a hand-written one.
/// Only whitespace is added, between lines prettyplease wrote; its string literals hold no
/// raw line breaks.
fn space_out_items(text: &str) -> String {
    const ITEM_STARTS: [&str; 13] = [
        "///",
        "#[",
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
    let mut out = String::with_capacity(text.len() + text.len() / 32);
    let mut previous: Option<&str> = None;
    for line in text.lines() {
        if let Some(before) = previous {
            let indent = |l: &str| l.len() - l.trim_start().len();
            let trimmed = line.trim_start();
            let ended = before.trim_start();
            // A run of `use` declarations (one line each, or `};` ending one over several
            // lines) stays together; the item after it is set apart.
            let ends_item = ended == "}"
                || (!trimmed.starts_with("use ")
                    && (ended == "};" || (ended.starts_with("use ") && ended.ends_with(';'))));
            if ends_item
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
}
