//! Inline text as the parser hands it over: HTML in prose and table cells read as the
//! Markdown it stands for, the docs' `[!INCLUDE ...]` directives left out, tab headings.

/// The tab a tab heading opens: `# [HTTP](#tab/http)` → `http`.
pub(super) fn tab_name(heading: &str) -> Option<String> {
    let at = heading.find("](#tab/")?;
    let rest = &heading[at + "](#tab/".len()..];
    let name = &rest[..rest.find(')')?];
    Some(name.trim().to_ascii_lowercase())
}

/// An HTML tag in prose or a table cell as the Markdown it stands for: `<br/>` a space,
/// `<b>` `**`, `<i>` `*`, `<code>` a backtick, `<a href="u">` ... `</a>` `[`...`](u)`; other
/// tags and comments are left out. `links` holds the targets of the open `<a>` tags.
pub(super) fn html_as_markdown(html: &str, links: &mut Vec<Option<String>>) -> String {
    let tag = html.trim();
    if tag.starts_with("<!--") || !tag.starts_with('<') {
        return if tag.starts_with('<') {
            String::new()
        } else {
            html.to_owned()
        };
    }
    let closing = tag.starts_with("</");
    let name: String = tag[if closing { 2 } else { 1 }..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    match (name.as_str(), closing) {
        ("br", _) | ("p", _) | ("div", _) | ("tr", _) | ("td", _) | ("ul" | "ol", _) => " ".into(),
        ("li", false) => " - ".into(),
        ("b" | "strong", _) => "**".into(),
        ("i" | "em", _) => "*".into(),
        ("code", _) => "`".into(),
        ("a", false) => {
            let href = attribute(tag, "href");
            let open = if href.is_some() { "[" } else { "" };
            links.push(href);
            open.into()
        }
        ("a", true) => match links.pop().flatten() {
            Some(href) => format!("]({href})"),
            None => String::new(),
        },
        _ => String::new(),
    }
}

/// The value of an attribute of an HTML start tag: `href="x"`, `href='x'`, `href=x`.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(found) = lower[from..].find(name) {
        let at = from + found;
        from = at + name.len();
        let before_ok = lower[..at].ends_with(|c: char| c.is_whitespace());
        let rest = tag[at + name.len()..].trim_start();
        let Some(value) = rest.strip_prefix('=').filter(|_| before_ok) else {
            continue;
        };
        let value = value.trim_start();
        let text = match value.chars().next()? {
            q @ ('"' | '\'') => value[1..].split(q).next()?,
            _ => value
                .split(|c: char| c.is_whitespace() || c == '>')
                .next()?
                .trim_end_matches('/'),
        };
        return Some(text.to_owned());
    }
    None
}

/// The text without the docs' `[!INCLUDE [name](path)]` directives (content pulled from
/// another file when the docs are built, nothing a doc comment can show), trimmed.
pub(super) fn without_includes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = find_ignore_case(rest, "[!INCLUDE") {
        out.push_str(rest[..at].trim_end());
        let mut depth = 0usize;
        let end = rest[at..]
            .char_indices()
            .find(|&(_, c)| {
                match c {
                    '[' => depth += 1,
                    ']' => depth -= 1,
                    _ => {}
                }
                depth == 0
            })
            .map_or(rest.len(), |(i, _)| at + i + 1);
        rest = &rest[end..];
        if !out.is_empty() && rest.starts_with(char::is_whitespace) {
            out.push(' ');
        }
        rest = rest.trim_start();
    }
    out.push_str(rest);
    out.trim().to_owned()
}

fn find_ignore_case(text: &str, needle: &str) -> Option<usize> {
    text.as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}
