//! `broken-link`: a relative link (or image) to a file that does not exist, resolved from the
//! page's directory. Each directory is listed once, so a tree of pages costs a listing per
//! directory, not a file-system call per link.

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use super::{Code, PageLint};

/// Whether a link's file exists.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Found {
    Exactly,
    /// In another letter case only.
    InAnotherCase,
    Not,
}

/// The names in a directory, as they are and in lower case.
struct Names {
    exact: HashSet<String>,
    lower: HashSet<String>,
}

/// The names in each directory looked at so far (`None`: not a directory).
#[derive(Default)]
pub(super) struct Directories {
    listed: HashMap<PathBuf, Option<Names>>,
}

impl Directories {
    /// Whether `path` (normalized, without `..`) names an existing file or directory, and in
    /// which case: the docs are built on a file system that ignores case, as ApiDoctor checks
    /// them, so a link in another case is counted in the report, not a finding.
    fn find(&mut self, path: &Path) -> Found {
        let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
            return if path.exists() {
                Found::Exactly
            } else {
                Found::Not
            };
        };
        let names = self.listed.entry(parent.to_owned()).or_insert_with(|| {
            let entries = std::fs::read_dir(parent).ok()?;
            let names: HashSet<String> = entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect();
            let lower = names.iter().map(|n| n.to_lowercase()).collect();
            Some(Names {
                exact: names,
                lower,
            })
        });
        let name = name.to_string_lossy();
        match names {
            Some(names) if names.exact.contains(name.as_ref()) => Found::Exactly,
            Some(names) if names.lower.contains(&name.to_lowercase()) => Found::InAnotherCase,
            _ => Found::Not,
        }
    }
}

impl PageLint<'_> {
    /// Each relative link of a page read from a file against the file system: links to
    /// sites (`https:`, `mailto:`), to the docs site's root (`/graph/...`) and to places on
    /// the page (`#anchor`) are not files to look for.
    pub(super) fn links(&mut self, page_path: &Path) {
        let Some(directory) = page_path.parent().filter(|d| d.is_dir()) else {
            return;
        };
        for link in &self.page.links {
            let target = match relative_target(&link.text) {
                Target::File(target) => target,
                Target::Templated => {
                    self.report.links_not_looked_up += 1;
                    continue;
                }
                Target::None => continue,
            };
            // `..\resources\x.md`: browsers and the docs build read `\` as `/`.
            let backslashes = target.contains('\\');
            let resolved = normalize(&directory.join(target.replace('\\', "/")));
            let found = self.set.directories.find(&resolved);
            if found != Found::Not && backslashes {
                self.report.links_with_backslashes += 1;
            } else if found == Found::InAnotherCase {
                self.report.links_in_another_case += 1;
            } else if found == Found::Not {
                self.find(
                    link.span,
                    Code::BrokenLink,
                    format!(
                        "the link to `{target}` names no file (`{}` does not exist)",
                        resolved.display()
                    ),
                );
            }
        }
    }
}

/// What a link's target is to look for.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    /// A relative file path, percent-encoding read (`my%20page.md` → `my page.md`).
    File(String),
    /// A file path with a `{placeholder}`: no file to look for; counted in the report.
    Templated,
    /// An absolute URL, a root-relative path, an anchor or an empty target.
    None,
}

/// The file part of a relative link: without `#anchor` and `?query`, percent-encoding read;
/// nothing to look for for an absolute URL, a root-relative path, an anchor or an empty target.
fn relative_target(link: &str) -> Target {
    let link = link.trim().trim_start_matches('<').trim_end_matches('>');
    let has_scheme = link.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    if has_scheme || link.starts_with('/') || link.starts_with('#') || link.starts_with('\\') {
        return Target::None;
    }
    let file = link.split(['#', '?']).next().unwrap_or("");
    if file.is_empty() {
        Target::None
    } else if file.contains('{') {
        Target::Templated
    } else {
        Target::File(percent_decoded(file))
    }
}

/// `%XX` escapes read as the UTF-8 bytes they encode; a `%` not followed by two hex digits,
/// or bytes that are not UTF-8, are kept as written.
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (byte, _, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

/// `a/./b/../c` → `a/c`, without touching the file system (links are resolved as a browser
/// resolves them, not through symbolic links).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{normalize, relative_target, Target};
    use std::path::Path;

    #[test]
    fn only_relative_file_links_are_looked_for() {
        let file = |f: &str| Target::File(f.to_owned());
        assert_eq!(
            relative_target("../resources/user.md#properties"),
            file("../resources/user.md")
        );
        assert_eq!(relative_target("user.md?view=1"), file("user.md"));
        assert_eq!(relative_target("a%20b%C3%A9.md"), file("a bé.md"));
        assert_eq!(relative_target("50%off.md"), file("50%off.md"));
        assert_eq!(relative_target("{version}/user.md"), Target::Templated);
        for other in [
            "https://x.org/a.md",
            "mailto:a@b.c",
            "/graph/overview",
            "#anchor",
            "",
        ] {
            assert_eq!(relative_target(other), Target::None, "{other}");
        }
        assert_eq!(
            normalize(Path::new("docs/api/../resources/./u.md")),
            Path::new("docs/resources/u.md")
        );
    }
}
