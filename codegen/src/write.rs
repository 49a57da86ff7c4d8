//! Writing the generated tree under `--out`, and comparing it with what is there.
//!
//! The generator owns `Cargo.toml` and everything under `src/`. Files whose content is
//! unchanged are not touched. Changed files are first all written beside their targets, then
//! renamed into place, so a failed write leaves the old tree as it was.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

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

impl Drift {
    /// The file, relative to the output directory.
    pub fn path(&self) -> &str {
        match self {
            Drift::Missing(p) | Drift::Stale(p) | Drift::Extra(p) => p,
        }
    }
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
    let mut staging = Staging::new(out);
    for outcome in on_all_cores(files, |relative, contents| stage(out, relative, contents)) {
        staging.record(outcome);
    }
    staging.commit(files)
}

/// What differs between `out` and `files`; writes nothing.
pub fn check(out: &Path, files: &BTreeMap<String, String>) -> io::Result<Vec<Drift>> {
    let mut checking = Checking::new(out);
    for outcome in on_all_cores(files, |relative, contents| compare(out, relative, contents)) {
        checking.record(outcome);
    }
    checking.finish(files)
}

/// Files written beside their targets as they come (from
/// [`Generator::generate_with`](crate::Generator::generate_with)); nothing under the output
/// directory is replaced before [`commit`](Self::commit). Dropped without a commit (the
/// generation failed), it removes what it wrote.
pub struct Staging {
    out: PathBuf,
    staged: Vec<(PathBuf, PathBuf, String)>,
    unchanged: usize,
    error: Option<io::Error>,
}

impl Staging {
    pub fn new(out: &Path) -> Self {
        Staging {
            out: out.to_path_buf(),
            staged: Vec::new(),
            unchanged: 0,
            error: None,
        }
    }

    /// Writes the file beside its target, unless the target already has these contents. After
    /// an error nothing more is written; the commit reports it.
    pub fn stage(&mut self, relative: &str, contents: &str) {
        if self.error.is_none() {
            let outcome = stage(&self.out, relative, contents);
            self.record(outcome);
        }
    }

    fn record(&mut self, outcome: io::Result<Staged>) {
        match outcome {
            Ok(Staged::Unchanged) => self.unchanged += 1,
            Ok(Staged::Written(temporary, path, relative)) => {
                self.staged.push((temporary, path, relative))
            }
            Err(error) => {
                self.error.get_or_insert(error);
            }
        }
    }

    /// Moves the written files into place and removes the files under `src/` that `files` (the
    /// whole generation) does not have. After an error, removes what was written instead and
    /// returns the error.
    pub fn commit(mut self, files: &BTreeMap<String, String>) -> io::Result<WriteReport> {
        if let Some(error) = self.error.take() {
            return Err(error);
        }
        let mut report = WriteReport {
            unchanged: self.unchanged,
            ..WriteReport::default()
        };
        // Drained one by one: if a rename fails, the drop removes the files still staged.
        while let Some((temporary, path, relative)) = self.staged.pop() {
            if let Err(error) = fs::rename(&temporary, &path) {
                let _ = fs::remove_file(&temporary);
                return Err(error);
            }
            report.written.push(relative);
        }
        report.written.sort();
        for relative in extra_files(&self.out, files)? {
            fs::remove_file(target(&self.out, &relative)?)?;
            report.removed.push(relative);
        }
        remove_empty_dirs(&self.out.join("src"))?;
        Ok(report)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        for (temporary, _, _) in self.staged.drain(..) {
            let _ = fs::remove_file(temporary);
        }
    }
}

/// Files compared with what is under the output directory as they come; writes nothing.
pub struct Checking {
    out: PathBuf,
    drift: Vec<Drift>,
    error: Option<io::Error>,
}

impl Checking {
    pub fn new(out: &Path) -> Self {
        Checking {
            out: out.to_path_buf(),
            drift: Vec::new(),
            error: None,
        }
    }

    pub fn compare(&mut self, relative: &str, contents: &str) {
        if self.error.is_none() {
            let outcome = compare(&self.out, relative, contents);
            self.record(outcome);
        }
    }

    fn record(&mut self, outcome: io::Result<Option<Drift>>) {
        match outcome {
            Ok(drift) => self.drift.extend(drift),
            Err(error) => {
                self.error.get_or_insert(error);
            }
        }
    }

    /// What differs, by path, then the files under `src/` that `files` does not have.
    pub fn finish(mut self, files: &BTreeMap<String, String>) -> io::Result<Vec<Drift>> {
        if let Some(error) = self.error.take() {
            return Err(error);
        }
        self.drift.sort_by(|a, b| a.path().cmp(b.path()));
        self.drift
            .extend(extra_files(&self.out, files)?.into_iter().map(Drift::Extra));
        Ok(self.drift)
    }
}

enum Staged {
    Unchanged,
    /// Written beside its target: the temporary file, the target, the relative path.
    Written(PathBuf, PathBuf, String),
}

/// Writes one file's new contents beside it, unless the file already has them.
fn stage(out: &Path, relative: &str, contents: &str) -> io::Result<Staged> {
    let path = target(out, relative)?;
    if fs::read(&path).is_ok_and(|existing| existing == contents.as_bytes()) {
        return Ok(Staged::Unchanged);
    }
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    let temporary = path.with_extension("codegen-tmp");
    fs::write(&temporary, contents)?;
    Ok(Staged::Written(temporary, path, relative.to_owned()))
}

fn compare(out: &Path, relative: &str, contents: &str) -> io::Result<Option<Drift>> {
    match fs::read(target(out, relative)?) {
        Ok(existing) if existing == contents.as_bytes() => Ok(None),
        Ok(_) => Ok(Some(Drift::Stale(relative.to_owned()))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            Ok(Some(Drift::Missing(relative.to_owned())))
        }
        Err(e) => Err(e),
    }
}

/// `task` for every file, on all cores, largest files first (the kernel's copy into the page
/// cache is most of the cost, and one namespace of Graph is half the output); results in the
/// order of `files`.
fn on_all_cores<R: Send>(
    files: &BTreeMap<String, String>,
    task: impl Fn(&str, &str) -> R + Sync,
) -> Vec<R> {
    let entries: Vec<(&String, &String)> = files.iter().collect();
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(entries[i].1.len()));
    // Threads pay off only for output worth copying (the area's 10 files are not).
    let total: usize = entries.iter().map(|(_, contents)| contents.len()).sum();
    let workers = if total < 4 << 20 {
        1
    } else {
        std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, entries.len().max(1))
    };
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    while let Some(&index) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
                        let (relative, contents) = entries[index];
                        done.push((index, task(relative, contents)));
                    }
                    done
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    done.sort_by_key(|(index, _)| *index);
    done.into_iter().map(|(_, result)| result).collect()
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

    /// Output over the size at which files are written on all cores.
    fn large_output() -> BTreeMap<String, String> {
        (0..12)
            .map(|i| {
                (
                    format!("src/f{i}.rs"),
                    format!("// {i}\n").repeat(100_000 + i),
                )
            })
            .chain([("Cargo.toml".to_owned(), "[package]\n".to_owned())])
            .collect()
    }

    #[test]
    fn large_output_is_written_checked_and_left_alone_on_failure() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("crate");
        let mut files = large_output();
        assert!(files.values().map(String::len).sum::<usize>() > 4 << 20);

        let report = write(&out, &files).unwrap();
        assert_eq!((report.written.len(), report.unchanged), (files.len(), 0));
        for (relative, contents) in &files {
            assert_eq!(&fs::read_to_string(out.join(relative)).unwrap(), contents);
        }
        assert_eq!(check(&out, &files).unwrap(), Vec::new());
        let again = write(&out, &files).unwrap();
        assert_eq!((again.written.len(), again.unchanged), (0, files.len()));

        files.insert("src/f3.rs".into(), "changed".into());
        files.remove("src/f7.rs");
        files.insert("src/new.rs".into(), "new".into());
        assert_eq!(
            check(&out, &files).unwrap(),
            vec![
                Drift::Stale("src/f3.rs".into()),
                Drift::Missing("src/new.rs".into()),
                Drift::Extra("src/f7.rs".into()),
            ]
        );

        // One path that may not be written: nothing changes, no staged file is left behind.
        let before: Vec<(String, Vec<u8>)> = snapshot(&out);
        files.insert("src/../../escape.rs".into(), "no".into());
        assert!(write(&out, &files).is_err());
        assert_eq!(snapshot(&out), before);
    }

    #[test]
    fn staging_dropped_without_commit_leaves_the_output_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("crate");
        let files = large_output();
        write(&out, &files).unwrap();
        let before = snapshot(&out);

        let mut staging = Staging::new(&out);
        staging.stage("src/f1.rs", "new contents");
        staging.stage("src/added.rs", "new file");
        staging.stage("src/f2.rs", &files["src/f2.rs"]);
        assert_ne!(
            snapshot(&out),
            before,
            "staged files are on disk before the commit"
        );
        drop(staging);
        assert_eq!(snapshot(&out), before);

        let mut staging = Staging::new(&out);
        staging.stage("src/f1.rs", "new contents");
        let mut changed = files.clone();
        changed.insert("src/f1.rs".into(), "new contents".into());
        let report = staging.commit(&changed).unwrap();
        assert_eq!(report.written, vec!["src/f1.rs".to_owned()]);
        assert_eq!(
            fs::read_to_string(out.join("src/f1.rs")).unwrap(),
            "new contents"
        );
    }

    fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let mut found = Vec::new();
        let mut pending = vec![dir.to_path_buf()];
        while let Some(dir) = pending.pop() {
            for entry in fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    pending.push(path);
                } else {
                    found.push((path.display().to_string(), fs::read(&path).unwrap()));
                }
            }
        }
        found.sort();
        found
    }

    #[test]
    fn paths_that_leave_the_output_are_refused() {
        let out = Path::new("/tmp/out");
        assert!(target(out, "src/a.rs").is_ok());
        for bad in ["../x.rs", "/etc/passwd", "src/../../x", ""] {
            assert!(target(out, bad).is_err(), "{bad}");
        }
    }
}
