//! Writing the generated tree under `--out`, and comparing it with what is there.
//!
//! The generator owns `Cargo.toml` and everything under `src/`. Files whose content is
//! unchanged are not touched. Changed files are first all written beside their targets, then
//! renamed into place, so a failed write leaves the old tree as it was.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

#[derive(Debug, Default)]
pub struct WriteReport {
    pub written: Vec<String>,
    pub removed: Vec<String>,
    pub unchanged: usize,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Drift {
    Missing(String),
    Stale(String),
    Extra(String),
}

impl std::fmt::Display for Drift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Drift::Missing(p) => write!(f, "{p}: missing"),
            Drift::Stale(p) => write!(f, "{p}: stale (differs from what generate writes)"),
            Drift::Extra(p) => write!(f, "{p}: not generated any more"),
        }
    }
}

/// Joins a generated relative path to the output directory, refusing anything that could
/// leave it.
fn target(out: &Path, relative: &str) -> io::Result<PathBuf> {
    let path = Path::new(relative);
    let safe = path.components().all(|c| matches!(c, Component::Normal(_)));
    if !safe || relative.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("refusing to write `{relative}`: not a plain relative path"),
        ));
    }
    Ok(out.join(path))
}

pub fn write(out: &Path, files: &BTreeMap<String, String>) -> io::Result<WriteReport> {
    let mut report = WriteReport::default();
    let mut staged = Vec::new();
    let result = (|| {
        for (relative, contents) in files {
            let path = target(out, relative)?;
            if fs::read(&path).is_ok_and(|existing| existing == contents.as_bytes()) {
                report.unchanged += 1;
                continue;
            }
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)?;
            }
            let temporary = path.with_extension("codegen-tmp");
            fs::write(&temporary, contents)?;
            staged.push((temporary, path, relative.clone()));
        }
        Ok::<(), io::Error>(())
    })();
    if let Err(error) = result {
        for (temporary, _, _) in &staged {
            let _ = fs::remove_file(temporary);
        }
        return Err(error);
    }
    for (temporary, path, relative) in staged {
        fs::rename(&temporary, &path)?;
        report.written.push(relative);
    }
    for relative in extra_files(out, files)? {
        fs::remove_file(target(out, &relative)?)?;
        report.removed.push(relative);
    }
    remove_empty_dirs(&out.join("src"))?;
    Ok(report)
}

/// What differs between `out` and `files`; writes nothing.
pub fn check(out: &Path, files: &BTreeMap<String, String>) -> io::Result<Vec<Drift>> {
    let mut drift = Vec::new();
    for (relative, contents) in files {
        match fs::read(target(out, relative)?) {
            Ok(existing) if existing == contents.as_bytes() => {}
            Ok(_) => drift.push(Drift::Stale(relative.clone())),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                drift.push(Drift::Missing(relative.clone()))
            }
            Err(e) => return Err(e),
        }
    }
    drift.extend(extra_files(out, files)?.into_iter().map(Drift::Extra));
    Ok(drift)
}

/// Files under `out/src` that the generator would not write.
fn extra_files(out: &Path, files: &BTreeMap<String, String>) -> io::Result<Vec<String>> {
    let mut found = Vec::new();
    let mut pending = vec![out.join("src")];
    while let Some(dir) = pending.pop() {
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e),
        };
        for entry in entries {
            let entry = entry?;
            let kind = entry.file_type()?;
            if kind.is_dir() {
                pending.push(entry.path());
            } else if let Ok(relative) = entry.path().strip_prefix(out) {
                let relative = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                if !files.contains_key(&relative) {
                    found.push(relative);
                }
            }
        }
    }
    found.sort();
    Ok(found)
}

fn remove_empty_dirs(dir: &Path) -> io::Result<()> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            remove_empty_dirs(&entry.path())?;
            if fs::read_dir(entry.path())?.next().is_none() {
                fs::remove_dir(entry.path())?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_leave_the_output_are_refused() {
        let out = Path::new("/tmp/out");
        assert!(target(out, "src/a.rs").is_ok());
        for bad in ["../x.rs", "/etc/passwd", "src/../../x", ""] {
            assert!(target(out, bad).is_err(), "{bad}");
        }
    }
}
