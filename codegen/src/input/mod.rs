//! Finding and reading the metadata files named by `--metadata`, and (with the `fetch`
//! feature) fetching metadata URLs.

#[cfg(feature = "fetch")]
pub mod fetch;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;
use crate::source::{FileId, SourceMap, Span};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum InputKind {
    Csdl,
    Docs,
}

/// What a file is by its extension: `.xml`, `.csdl`, `.edmx` and `.json` are CSDL (XML or
/// JSON, told apart by content when parsed), `.md`, `.markdown` and `.txt` documentation pages.
pub fn kind_of(path: &Path) -> Option<InputKind> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    match extension.as_str() {
        "xml" | "csdl" | "edmx" | "json" => Some(InputKind::Csdl),
        "md" | "markdown" | "txt" => Some(InputKind::Docs),
        _ => None,
    }
}

/// What a text is by its content, for a file named on the command line (or given in memory)
/// whose extension says nothing: CSDL when its first character that is not white space (after
/// a byte order mark) is `<` (XML) or `{` (JSON), as a saved `$metadata` is.
pub fn kind_of_text(text: &[u8]) -> Option<InputKind> {
    let text = text.strip_prefix("\u{feff}".as_bytes()).unwrap_or(text);
    match text.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'<' | b'{') => Some(InputKind::Csdl),
        _ => None,
    }
}

/// [`kind_of`], else [`kind_of_text`] on the file's first bytes.
fn kind_of_file(path: &Path) -> Option<InputKind> {
    kind_of(path).or_else(|| kind_of_text(&head_of(path, 4096)?))
}

/// A file's first `limit` bytes (all of a shorter file), or `None` when it cannot be read.
fn head_of(path: &Path, limit: u64) -> Option<Vec<u8>> {
    let mut head = Vec::new();
    fs::File::open(path)
        .and_then(|file| file.take(limit).read_to_end(&mut head))
        .ok()?;
    Some(head)
}

/// The error for a file whose extension names no input kind, and whose content is not CSDL.
pub fn not_metadata(path: &Path) -> Diagnostic {
    Diagnostic::global_error(format!(
        "{}: not a metadata file (expected CSDL XML or JSON, or .xml, .csdl, .edmx, .json, .md, .markdown or .txt)",
        path.display()
    ))
}

/// What the `--metadata` paths hold.
#[derive(Debug, Default)]
pub struct Discovered {
    /// The files to read, in a stable order.
    pub files: Vec<(PathBuf, InputKind)>,
    /// Symbolic links to directories found inside the directories walked: not followed (so a
    /// link cycle cannot loop), each to be reported with [`skipped_link`].
    pub skipped_links: Vec<PathBuf>,
    /// Files inside the directories walked that are not read, each with why, to be reported
    /// with [`skipped_file`]: `.json` files that are not CSDL JSON (no `$Version` member: a
    /// docs tree's configuration, say), and a repository's own Markdown (`README.md`).
    pub skipped_files: Vec<(PathBuf, Skipped)>,
}

/// The files to read, and the links to directories that are not followed.
pub fn discover_all(paths: &[PathBuf]) -> Result<Discovered, Vec<Diagnostic>> {
    let mut found = Vec::new();
    let mut skipped_links = Vec::new();
    let mut skipped_files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        let metadata = match fs::metadata(path) {
            Ok(metadata) => metadata,
            Err(e) => {
                errors.push(Diagnostic::global_error(format!(
                    "cannot read metadata path {}: {e}",
                    path.display()
                )));
                continue;
            }
        };
        if metadata.is_dir() {
            match walk(path, &mut skipped_links, &mut skipped_files) {
                Ok(files) => found.extend(files),
                Err(e) => errors.push(Diagnostic::global_error(format!(
                    "cannot read directory {}: {e}",
                    path.display()
                ))),
            }
        } else {
            match kind_of_file(path) {
                Some(kind) => found.push((path.clone(), kind)),
                None => errors.push(not_metadata(path)),
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut seen = std::collections::HashSet::new();
    found.retain(|(path, _)| seen.insert(fs::canonicalize(path).unwrap_or_else(|_| path.clone())));
    // A file also named on its own is read: its skip does not stand.
    skipped_files.retain(|(path, _)| !seen.contains(&fs::canonicalize(path).unwrap_or_else(|_| path.clone())));
    Ok(Discovered {
        files: found,
        skipped_links,
        skipped_files,
    })
}

/// The warning for a symbolic link to a directory that input discovery did not follow,
/// located at the link (`path:1:1: warning: ...`).
pub fn skipped_link(sources: &mut SourceMap, link: &Path) -> Diagnostic {
    let id = sources.add(link.to_path_buf(), String::new());
    Diagnostic::warning(
        Span::new(id, 0),
        "a symbolic link to a directory: not followed, nothing under it is read (name its target with another --metadata to read it)",
    )
}

/// Why a directory walk did not read a file it found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Skipped {
    /// A `.json` file that is not CSDL JSON (CSDL JSON Format 4.01 §3: a document has a
    /// `$Version` member).
    NotCsdlJson,
    /// A repository's own file (`README.md`, `CHANGELOG.md`, `CONTRIBUTING.md`,
    /// `CODE_OF_CONDUCT.md`, in any letter case and docs extension) without the front matter
    /// every documentation page starts with: no page of the service.
    RepositoryFile,
}

/// The warning for a file that a directory walk found and did not read, located at the file.
pub fn skipped_file(sources: &mut SourceMap, file: &Path, why: Skipped) -> Diagnostic {
    let id = sources.add(file.to_path_buf(), String::new());
    let message = match why {
        Skipped::NotCsdlJson => {
            "a JSON file that is not CSDL JSON (no `$Version` member): skipped (name it with --metadata to read it as CSDL)"
        }
        Skipped::RepositoryFile => {
            "a repository's own file (README, CHANGELOG, ...) without a page's front matter, not a documentation page: skipped (name it with --metadata to read it as a page)"
        }
    };
    Diagnostic::warning(Span::new(id, 0), message)
}

/// Whether a docs file found in a directory is a repository's own (`README.md`, ...): named so,
/// and without the YAML front matter (`---` first) that documentation pages start with. Names
/// a service may give a page (Graph's `security` resource type is `security.md`) are not in
/// the list.
fn is_repository_file(path: &Path) -> bool {
    const NAMES: [&str; 4] = ["readme", "changelog", "contributing", "code_of_conduct"];
    let named = path
        .file_stem()
        .and_then(|stem| stem.to_str())
        .is_some_and(|stem| NAMES.iter().any(|name| stem.eq_ignore_ascii_case(name)));
    named && !starts_with_front_matter(path)
}

/// Whether a file's first line (after a byte order mark) is `---`, as a page's front matter.
fn starts_with_front_matter(path: &Path) -> bool {
    head_of(path, 8).is_some_and(|head| {
        let head = head.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&head);
        head.starts_with(b"---")
    })
}

/// Whether a `.json` file found in a directory is CSDL JSON: a `$Version` member near its start
/// (CSDL JSON documents begin with it; other JSON, such as a docs tree's configuration, has
/// none).
fn looks_like_csdl_json(path: &Path) -> bool {
    head_of(path, 4096).is_some_and(|head| head.windows(10).any(|w| w == b"\"$Version\""))
}

fn walk(
    root: &Path,
    skipped_links: &mut Vec<PathBuf>,
    skipped_files: &mut Vec<(PathBuf, Skipped)>,
) -> std::io::Result<Vec<(PathBuf, InputKind)>> {
    let mut files = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let mut entries: Vec<_> = fs::read_dir(&dir)?.collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let path = entry.path();
            let hidden = entry.file_name().to_string_lossy().starts_with('.');
            // Symbolic links to directories are not followed, so a link cycle cannot loop;
            // each is reported.
            let kind = entry.file_type()?;
            if hidden {
                continue;
            }
            if kind.is_dir() {
                pending.push(path);
            } else if kind.is_symlink() && fs::metadata(&path).is_ok_and(|m| m.is_dir()) {
                skipped_links.push(path);
            } else if let Some(input) = kind_of(&path) {
                let json = path
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("json"));
                if json && !looks_like_csdl_json(&path) {
                    skipped_files.push((path, Skipped::NotCsdlJson));
                } else if input == InputKind::Docs && is_repository_file(&path) {
                    skipped_files.push((path, Skipped::RepositoryFile));
                } else {
                    files.push((path, input));
                }
            }
        }
    }
    files.sort();
    skipped_links.sort();
    skipped_files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(files)
}

/// The largest input file: the whole Microsoft Graph CSDL is about 4 MB (beta about 8 MB).
pub const MAX_FILE_BYTES: u64 = 256 << 20;

/// Reads a file into the source map; text that is not UTF-8 is an error at the first bad byte,
/// and a file larger than [`MAX_FILE_BYTES`] is an error without being read.
pub fn read(sources: &mut SourceMap, path: &Path) -> Result<FileId, Diagnostic> {
    read_at_most(sources, path, MAX_FILE_BYTES)
}

fn read_at_most(sources: &mut SourceMap, path: &Path, limit: u64) -> Result<FileId, Diagnostic> {
    let cannot_read = |e: std::io::Error| {
        Diagnostic::global_error(format!("cannot read {}: {e}", path.display()))
    };
    // `take` also bounds what grows while being read (a pipe, a file being written, a device
    // like /dev/zero). The buffer is sized once, from the file's length when it has one, so it
    // never doubles past the limit: memory stays within the limit, not only the bytes read.
    let file = fs::File::open(path).map_err(cannot_read)?;
    let known = file
        .metadata()
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.len());
    let capacity = known.map_or(limit + 1, |len| len.min(limit) + 1);
    let mut bytes = Vec::new();
    bytes
        .try_reserve_exact(usize::try_from(capacity).unwrap_or(usize::MAX))
        .map_err(|e| cannot_read(std::io::Error::other(e.to_string())))?;
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot_read)?;
    if bytes.len() as u64 > limit {
        let id = sources.add(path.to_path_buf(), String::new());
        return Err(Diagnostic::error(
            Span::new(id, 0),
            format!("the file is larger than {limit} bytes, the limit for one metadata file"),
        ));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(sources.add(path.to_path_buf(), text)),
        Err(error) => {
            let valid = error.utf8_error().valid_up_to();
            let bytes = error.into_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..valid]).into_owned();
            let id = sources.add(path.to_path_buf(), prefix);
            Err(Diagnostic::error(
                Span::new(id, valid),
                "the file is not valid UTF-8",
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn links_to_directories_are_not_followed_and_are_located_warnings() {
        let root = std::env::temp_dir().join(format!("codegen-links-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(root.join("pages/sub")).unwrap();
        fs::create_dir_all(root.join("elsewhere")).unwrap();
        fs::write(root.join("pages/a.md"), "# A\n").unwrap();
        fs::write(root.join("pages/sub/b.md"), "# B\n").unwrap();
        fs::write(root.join("elsewhere/c.md"), "# C\n").unwrap();
        std::os::unix::fs::symlink(root.join("elsewhere"), root.join("pages/linked")).unwrap();
        // A cycle: a link to its own parent.
        std::os::unix::fs::symlink(root.join("pages"), root.join("pages/sub/up")).unwrap();
        let found = discover_all(&[root.join("pages")]).unwrap();
        let names: Vec<_> = found
            .files
            .iter()
            .map(|(p, _)| p.strip_prefix(&root).unwrap().to_path_buf())
            .collect();
        assert_eq!(names, [PathBuf::from("pages/a.md"), "pages/sub/b.md".into()]);
        assert_eq!(
            found.skipped_links,
            [root.join("pages/linked"), root.join("pages/sub/up")]
        );
        let mut sources = SourceMap::default();
        let warning = skipped_link(&mut sources, &found.skipped_links[0]).render(&sources);
        assert!(
            warning.starts_with(&format!(
                "{}:1:1: warning: a symbolic link to a directory: not followed",
                root.join("pages/linked").display()
            )),
            "{warning}"
        );
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn a_repository_readme_in_a_directory_is_skipped_with_a_warning_and_read_when_named() {
        let root = std::env::temp_dir().join(format!("codegen-readme-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(root.join("docs")).unwrap();
        fs::write(root.join("README.md"), "# About these files\n").unwrap();
        fs::write(root.join("docs/readme.markdown"), "# Docs\n").unwrap();
        fs::write(root.join("docs/user.md"), "# user resource type\n").unwrap();
        fs::write(root.join("docs/readme-user.md"), "# A page whose name only starts so\n").unwrap();
        // Graph's `security` resource type, and a page named like a README but with a page's
        // front matter.
        fs::write(root.join("docs/security.md"), "---\ntitle: security resource type\n---\n").unwrap();
        fs::write(root.join("docs/changelog.md"), "\u{feff}---\ntitle: changelog resource type\n---\n").unwrap();
        let found = discover_all(std::slice::from_ref(&root)).unwrap();
        let read: Vec<_> = found.files.iter().map(|(p, _)| p.strip_prefix(&root).unwrap().to_path_buf()).collect();
        assert_eq!(
            read,
            [
                PathBuf::from("docs/changelog.md"),
                "docs/readme-user.md".into(),
                "docs/security.md".into(),
                "docs/user.md".into()
            ]
        );
        assert_eq!(
            found.skipped_files,
            [
                (root.join("README.md"), Skipped::RepositoryFile),
                (root.join("docs/readme.markdown"), Skipped::RepositoryFile)
            ]
        );
        let mut sources = SourceMap::default();
        let warning = skipped_file(&mut sources, &root.join("README.md"), Skipped::RepositoryFile).render(&sources);
        assert!(warning.contains("README.md:1:1: warning: a repository's own file"), "{warning}");
        // Named on its own, it is read, and not said to be skipped by the walk that found it
        // too.
        let named = discover_all(&[root.clone(), root.join("README.md")]).unwrap();
        assert!(named.files.contains(&(root.join("README.md"), InputKind::Docs)));
        assert_eq!(named.skipped_files, [(root.join("docs/readme.markdown"), Skipped::RepositoryFile)]);
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn files_over_the_limit_are_located_errors_without_being_read_whole() {
        let path = std::env::temp_dir().join(format!("codegen-limit-{}.xml", std::process::id()));
        fs::write(&path, "x".repeat(64)).unwrap();
        let mut sources = SourceMap::default();
        let error = read_at_most(&mut sources, &path, 63).unwrap_err();
        let rendered = error.render(&sources);
        assert!(
            rendered.contains(":1:1: error: the file is larger than 63 bytes"),
            "{rendered}"
        );
        assert!(read_at_most(&mut sources, &path, 64).is_ok());
        fs::remove_file(&path).unwrap();
    }
}
