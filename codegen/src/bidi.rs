//! Bidirectional control characters: text from the metadata that contains them can make code
//! (and diagnostics) read differently from what it is, and rustc refuses them in comments and
//! doc comments ("unicode codepoint changing visible direction of text").

use std::borrow::Cow;

/// The embeddings, overrides and isolates rustc refuses (U+202A–U+202E, U+2066–U+2069), and the
/// implicit marks that reorder text as well (U+200E, U+200F, U+061C).
pub fn is_control(c: char) -> bool {
    matches!(
        c,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}'
    )
}

/// The first such character of `text`.
pub fn first_control(text: &str) -> Option<char> {
    text.chars().find(|&c| is_control(c))
}

/// `text` with each such character written as a Rust escape (`\u{202E}`), as plain text.
pub fn escape(text: &str) -> Cow<'_, str> {
    if first_control(text).is_none() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_control(c) {
            out.push_str(&format!("\\u{{{:04X}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `text` as a terminal shows it safely: bidirectional controls as [`escape`] writes them, and
/// other control characters but tabs likewise (`\u{001B}`), so that no input can restyle or
/// retitle the terminal (an escape sequence in a property name, say).
pub fn escape_for_terminal(text: &str) -> Cow<'_, str> {
    let text = escape(text);
    if !text.chars().any(|c| c.is_control() && c != '\t') {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() && c != '\t' {
            out.push_str(&format!("\\u{{{:04X}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_cannot_reach_the_terminal() {
        assert_eq!(
            escape_for_terminal("Rat\u{1b}]0;pwned\u{7}\u{1b}[31ming\tx\u{202e}"),
            "Rat\\u{001B}]0;pwned\\u{0007}\\u{001B}[31ming\tx\\u{202E}"
        );
        assert!(matches!(escape_for_terminal("plain"), Cow::Borrowed("plain")));
    }

    #[test]
    fn controls_are_escaped_and_other_text_is_borrowed() {
        assert_eq!(
            escape("admin\u{202e} only\u{2066}"),
            "admin\\u{202E} only\\u{2066}"
        );
        assert_eq!(escape("a\u{200f}\u{061c}"), "a\\u{200F}\\u{061C}");
        assert!(matches!(escape("café ⟨x⟩"), Cow::Borrowed(_)));
    }
}
