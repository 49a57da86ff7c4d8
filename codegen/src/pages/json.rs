//! JSON examples as the docs write them: strict JSON mostly, sometimes with trailing commas or
//! `//` comments, which a reader of the docs takes for JSON but a JSON parser refuses.

use serde_json::Value;

use super::TextMap;
use crate::source::Span;

/// The deepest nesting the lenient reader (which recurses per level) is given.
const MAX_LENIENT_DEPTH: usize = 128;

/// An example's JSON, read once.
#[derive(Clone, Debug)]
pub struct ExampleJson {
    /// The value, read strictly, or leniently (JSON5: comments, trailing commas, unquoted
    /// keys, single quotes) when it is not strict JSON; `None` when neither can read it.
    pub value: Option<Value>,
    /// Where the text stops being JSON, and why (`trailing comma`): `None` for strict JSON.
    pub problem: Option<(Span, String)>,
    /// Where the characters of the text read are in the file: to locate a member.
    map: TextMap,
    base: usize,
}

/// A step of a path into a JSON value: a member's name, or an item's index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step<'s> {
    Member(&'s str),
    Item(usize),
}

impl ExampleJson {
    /// Where the value at `path` is in the file: the name of the member the last step names
    /// (the opening quote), or the item's first character; `None` where the text is not
    /// strict JSON or has no such value. `text` is the text that was read (the body's, or
    /// the block's).
    pub fn locate(&self, text: &str, path: &[Step<'_>]) -> Option<Span> {
        if self.problem.is_some() {
            return None;
        }
        let at = locate(text, path)?;
        Some(self.map.span(self.base + at))
    }
}

/// Reads `text` (at `base` in the text `map` places in the file) as JSON if it is meant as
/// JSON: it starts with `{`, or with `[` followed by what a JSON array holds (`[binary data]`
/// is not JSON).
pub(crate) fn read(text: &str, map: &TextMap, base: usize) -> Option<ExampleJson> {
    let trimmed = text.trim_start();
    let meant = match trimmed.chars().next()? {
        '{' => true,
        '[' => trimmed[1..]
            .trim_start()
            .starts_with(|c: char| "{[]\"-tfn/".contains(c) || c.is_ascii_digit()),
        _ => false,
    };
    if !meant {
        return None;
    }
    let error = match serde_json::from_str::<Value>(text) {
        Ok(value) => {
            return Some(ExampleJson {
                value: Some(value),
                problem: None,
                map: map.clone(),
                base,
            })
        }
        Err(error) => error,
    };
    let at = byte_offset(text, error.line(), error.column());
    let message = error.to_string();
    let rest = text.get(at..).unwrap_or("");
    let reason = if rest.starts_with("//") || rest.starts_with("/*") {
        "a comment".to_owned()
    } else if message.starts_with("trailing comma") {
        "a trailing comma".to_owned()
    } else {
        message
            .rsplit_once(" at line ")
            .map_or(message.as_str(), |(reason, _)| reason)
            .to_owned()
    };
    let value = (nesting_depth(text) <= MAX_LENIENT_DEPTH)
        .then(|| json5::from_str::<Value>(text).ok())
        .flatten();
    Some(ExampleJson {
        value,
        problem: Some((map.span(base + at), reason)),
        map: map.clone(),
        base,
    })
}

/// The offset in strict JSON `text` of the value `path` leads to: for a member, its name's
/// opening quote; for an item or the whole text, its first character.
fn locate(text: &str, path: &[Step<'_>]) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = skip_space(bytes, 0);
    let mut found = at;
    for step in path {
        match (*step, bytes.get(at)?) {
            (Step::Member(name), b'{') => {
                at = skip_space(bytes, at + 1);
                loop {
                    if bytes.get(at)? != &b'"' {
                        return None;
                    }
                    let end = string_end(bytes, at)?;
                    let raw = text.get(at..end)?;
                    let same = match raw.contains('\\') {
                        true => serde_json::from_str::<String>(raw).ok()? == name,
                        false => raw.get(1..raw.len() - 1)? == name,
                    };
                    let key_at = at;
                    at = skip_space(bytes, end);
                    at = skip_space(bytes, at + 1); // the `:`
                    if same {
                        found = key_at;
                        break;
                    }
                    at = skip_space(bytes, value_end(bytes, at)?);
                    if bytes.get(at)? != &b',' {
                        return None;
                    }
                    at = skip_space(bytes, at + 1);
                }
            }
            (Step::Item(index), b'[') => {
                at = skip_space(bytes, at + 1);
                for _ in 0..index {
                    at = skip_space(bytes, value_end(bytes, at)?);
                    if bytes.get(at)? != &b',' {
                        return None;
                    }
                    at = skip_space(bytes, at + 1);
                }
                found = at;
            }
            _ => return None,
        }
    }
    Some(found)
}

fn skip_space(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
        at += 1;
    }
    at
}

/// Where the string that opens at `at` ends (after its closing quote).
fn string_end(bytes: &[u8], at: usize) -> Option<usize> {
    let mut i = at + 1;
    loop {
        match bytes.get(i)? {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
}

/// Where the value that starts at `at` ends.
fn value_end(bytes: &[u8], at: usize) -> Option<usize> {
    match bytes.get(at)? {
        b'"' => string_end(bytes, at),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut i = at;
            loop {
                match bytes.get(i)? {
                    b'"' => {
                        i = string_end(bytes, i)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
        }
        // A number, `true`, `false`, `null`.
        _ => {
            let mut i = at;
            while bytes
                .get(i)
                .is_some_and(|b| !matches!(b, b',' | b'}' | b']') && !b.is_ascii_whitespace())
            {
                i += 1;
            }
            Some(i)
        }
    }
}

/// The byte offset of a 1-based line and column (serde_json counts columns in bytes; 0 at the
/// end of the input).
fn byte_offset(text: &str, line: usize, column: usize) -> usize {
    let line_start = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum::<usize>();
    let line_len = text[line_start..]
        .find('\n')
        .unwrap_or(text.len() - line_start);
    let mut at = line_start + column.saturating_sub(1).min(line_len);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// How deeply `[` and `{` nest in JSON or JSON5 text, not counting those in strings.
pub(super) fn nesting_depth(text: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in text.chars() {
        match quote {
            Some(_) if escaped => escaped = false,
            Some(_) if c == '\\' => escaped = true,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '"' | '\'' => quote = Some(c),
                '[' | '{' => {
                    depth += 1;
                    deepest = deepest.max(depth);
                }
                ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            },
        }
    }
    deepest
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceMap;

    fn read_at(text: &str) -> (Option<Value>, Option<(String, String)>) {
        let mut sources = SourceMap::default();
        let id = sources.add("page.md".into(), text.to_owned());
        let json = read(text, &TextMap::new(id, 0), 0).expect("meant as JSON");
        let problem = json.problem.map(|(span, reason)| {
            let at = sources.line_col(span);
            (format!("{}:{}", at.line, at.col), reason)
        });
        (json.value, problem)
    }

    #[test]
    fn strict_json_has_no_problem() {
        let (value, problem) = read_at("{\n  \"a\": [1, 2]\n}");
        assert_eq!(value.unwrap()["a"][1], 2);
        assert!(problem.is_none());
    }

    #[test]
    fn trailing_commas_and_comments_are_located_and_read_leniently() {
        let (value, problem) = read_at("{\n  \"a\": 1,\n  \"b\": 2,\n}");
        assert_eq!(value.unwrap()["b"], 2);
        assert_eq!(problem.unwrap(), ("4:1".into(), "a trailing comma".into()));
        let (value, problem) = read_at("{\n  // the name\n  \"a\": \"x\"\n}");
        assert_eq!(value.unwrap()["a"], "x");
        assert_eq!(problem.unwrap(), ("2:3".into(), "a comment".into()));
    }

    #[test]
    fn unreadable_json_is_located_without_a_value() {
        let (value, problem) = read_at("{\n  \"a\": 1\n  ...\n}");
        assert!(value.is_none());
        assert_eq!(problem.unwrap().0, "3:3");
    }

    #[test]
    fn members_and_items_are_located() {
        let text = "{\n  \"a\": {\"b\": [1, {\"c\": \"x,}\"}, 3]},\n  \"d\\u0065\": true\n}";
        let at = |path: &[Step<'_>]| locate(text, path).map(|i| &text[i..]);
        assert!(at(&[]).unwrap().starts_with('{'));
        assert!(at(&[Step::Member("a")]).unwrap().starts_with("\"a\": {"));
        assert!(at(&[Step::Member("a"), Step::Member("b"), Step::Item(1)]).unwrap().starts_with("{\"c\""));
        assert!(at(&[Step::Member("a"), Step::Member("b"), Step::Item(2)]).unwrap().starts_with("3]"));
        assert!(at(&[Step::Member("de")]).unwrap().starts_with("\"d\\u0065\""));
        assert_eq!(at(&[Step::Member("zz")]), None);
        assert_eq!(at(&[Step::Item(0)]), None);
    }

    #[test]
    fn text_that_is_not_meant_as_json_is_not_read() {
        let mut sources = SourceMap::default();
        let id = sources.add("page.md".into(), String::new());
        let map = TextMap::new(id, 0);
        assert!(read("[binary data]", &map, 0).is_none());
        assert!(read("<xml/>", &map, 0).is_none());
        assert!(read("[{\"a\": 1}]", &map, 0).is_some());
    }
}
