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
            let Some(target) = relative_target(&link.text) else {
                continue;
            };
            let resolved = normalize(&directory.join(target));
            let found = self.set.directories.find(&resolved);
            if found == Found::InAnotherCase {
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

/// The file part of a relative link: without `#anchor` and `?query`, percent-encoded spaces
/// read; `None` for an absolute URL, a root-relative path, an anchor or an empty target.
fn relative_target(link: &str) -> Option<&str> {
    let link = link.trim().trim_start_matches('<').trim_end_matches('>');
    let has_scheme = link.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    if has_scheme || link.starts_with('/') || link.starts_with('#') || link.starts_with('\\') {
        return None;
    }
    let file = link.split(['#', '?']).next().unwrap_or("");
    (!file.is_empty() && !file.contains('%') && !file.contains('{')).then_some(file)
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
    use super::{normalize, relative_target};
    use std::path::Path;

    #[test]
    fn only_relative_file_links_are_looked_for() {
        assert_eq!(
            relative_target("../resources/user.md#properties"),
            Some("../resources/user.md")
        );
        assert_eq!(relative_target("user.md?view=1"), Some("user.md"));
        for other in [
            "https://x.org/a.md",
            "mailto:a@b.c",
            "/graph/overview",
            "#anchor",
            "",
            "a%20b.md",
        ] {
            assert_eq!(relative_target(other), None, "{other}");
        }
        assert_eq!(
            normalize(Path::new("docs/api/../resources/./u.md")),
            Path::new("docs/resources/u.md")
        );
    }
}
