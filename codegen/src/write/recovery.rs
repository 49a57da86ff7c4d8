//! What an interrupted run leaves, and how the next one knows it as its own.
//!
//! A run stages each changed file beside its target and, in the commit, moves each file it
//! replaces or removes aside; `kill -9` can stop it anywhere, even between creating a staging
//! file and writing its first byte. The design, so that recovery never blocks and a user's
//! file is never taken for the generator's:
//!
//! - **A marker per run.** Every run picks a fresh marker (`cg-` and 16 hex digits from the
//!   process id, the time and std's random hasher keys) and names its files with it:
//!   `src/lib.rs.cg-1f0c….codegen-tmp` (staged), `src/lib.rs.cg-1f0c….codegen-old` (moved
//!   aside). Staging files are created exclusively (`create_new`), so no existing file is
//!   ever written over, and no name a killed run left can collide with a later run's.
//! - **A journal of unfinished runs.** Before it creates any file with its marker, the run
//!   writes the marker to `DIR/.codegen-journal`, under the output directory's lock; it
//!   removes the journal when it ends (committed, or failed and cleaned up). A marker in the
//!   journal therefore names a run that did not finish, and a file whose name carries such a
//!   marker is that run's, whatever it holds: empty, partial, or whole.
//! - **The next run** (under the lock) puts back what such files moved aside, removes what
//!   they staged, and only then writes its own journal. `check` names each such file, and
//!   the journal itself.
//! - **A user's files are safe**: a file named like a staging file whose marker is not in the
//!   journal, or named in the older unmarked form (`x.rs.codegen-tmp`) without the generated
//!   header, is the user's: never removed, never in the way (no run uses its name).
//!
//! Files of the unmarked form that carry the header are what runs of earlier versions left,
//! and are recovered as before.

use std::collections::hash_map::RandomState;
use std::fs;
use std::hash::BuildHasher;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::context;

/// Suffixes of the files a commit works with; left behind only by an interrupted run.
pub(super) const STAGED_SUFFIX: &str = "codegen-tmp";
pub(super) const BACKUP_SUFFIX: &str = "codegen-old";
/// The journal of runs that have not finished, in the output directory.
pub(super) const JOURNAL: &str = ".codegen-journal";
const JOURNAL_HEADER: &str =
    "# codegen: runs that have not finished; their staging files carry these markers. Do not edit.";

/// A new run's marker: `cg-` and 16 lower-case hex digits.
pub(super) fn new_marker() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let random = RandomState::new().hash_one((std::process::id(), nanos));
    format!("cg-{random:016x}")
}

fn is_marker(text: &str) -> bool {
    text.strip_prefix("cg-")
        .is_some_and(|hex| hex.len() == 16 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// What a file's name says about it as a staging file.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct StagingName<'a> {
    /// The name of the file it stands for (`lib.rs`).
    pub original: &'a str,
    /// The run's marker, if the name has one (the older form has none).
    pub marker: Option<&'a str>,
    /// Moved aside (`.codegen-old`) rather than staged (`.codegen-tmp`).
    pub backup: bool,
}

/// Reads a file name as a staging file's: `NAME.MARKER.codegen-tmp`, `NAME.MARKER.codegen-old`,
/// or the older `NAME.codegen-tmp`, `NAME.codegen-old`.
pub(super) fn staging_name(file_name: &str) -> Option<StagingName<'_>> {
    let (rest, backup) = if let Some(rest) = file_name.strip_suffix(STAGED_SUFFIX) {
        (rest.strip_suffix('.')?, false)
    } else {
        (
            file_name.strip_suffix(BACKUP_SUFFIX)?.strip_suffix('.')?,
            true,
        )
    };
    match rest.rsplit_once('.') {
        Some((original, marker)) if is_marker(marker) && !original.is_empty() => {
            Some(StagingName {
                original,
                marker: Some(marker),
                backup,
            })
        }
        _ if !rest.is_empty() => Some(StagingName {
            original: rest,
            marker: None,
            backup,
        }),
        _ => None,
    }
}

/// The name of `path`'s staged (or moved-aside) file for the run `marker`.
pub(super) fn beside(path: &Path, marker: &str, backup: bool) -> PathBuf {
    let suffix = if backup { BACKUP_SUFFIX } else { STAGED_SUFFIX };
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{marker}.{suffix}"));
    path.with_file_name(name)
}

/// Whether a staging-named file is a leftover of the generator's: its marker names an
/// unfinished run, or (the older form) it carries the generated header.
pub(super) fn is_leftover(
    name: &StagingName<'_>,
    markers: &[String],
    has_header: impl FnOnce() -> io::Result<bool>,
) -> io::Result<bool> {
    match name.marker {
        Some(marker) => Ok(markers.iter().any(|m| m == marker)),
        None => has_header(),
    }
}

/// The markers of the runs the journal lists (none when there is no journal). Lines that are
/// not a marker are ignored.
pub(super) fn unfinished_runs(out: &Path) -> io::Result<Vec<String>> {
    let path = out.join(JOURNAL);
    let text = match fs::read(&path) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(context(e, "reading", &path)),
    };
    Ok(text
        .lines()
        .filter_map(|line| line.strip_prefix("run "))
        .map(str::trim)
        .filter(|marker| is_marker(marker))
        .map(str::to_owned)
        .collect())
}

/// Whether the journal file exists (a run that did not finish, even one that staged nothing).
pub(super) fn has_journal(out: &Path) -> bool {
    fs::symlink_metadata(out.join(JOURNAL)).is_ok()
}

/// This run's entry in the journal, from before its first staging file until it ends.
pub(super) struct RunJournal {
    path: PathBuf,
}

impl RunJournal {
    /// Writes the journal with this run's marker alone (earlier runs' leftovers have been
    /// recovered under the same lock), before any file with the marker exists.
    pub(super) fn begin(out: &Path, marker: &str) -> io::Result<Self> {
        let path = out.join(JOURNAL);
        if fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "`{}` is a symbolic link: the generator writes its journal there",
                    path.display()
                ),
            ));
        }
        let mut file = fs::File::create(&path).map_err(|e| context(e, "writing", &path))?;
        file.write_all(format!("{JOURNAL_HEADER}\nrun {marker}\n").as_bytes())
            .map_err(|e| context(e, "writing", &path))?;
        Ok(RunJournal { path })
    }

    /// The run ended: nothing with its marker is left.
    pub(super) fn end(self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// Removes the journal once its runs' leftovers are recovered.
pub(super) fn forget_unfinished_runs(out: &Path) -> io::Result<()> {
    let path = out.join(JOURNAL);
    match fs::remove_file(&path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(context(e, "removing", &path)),
        _ => Ok(()),
    }
}

/// Puts back what an interrupted commit moved aside, and removes its staged files.
pub(super) fn recover(out: &Path, leftovers: &[String]) -> io::Result<()> {
    for relative in leftovers {
        let path = out.join(relative);
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match staging_name(&file_name) {
            Some(name) if name.backup => {
                let original = path.with_file_name(name.original);
                fs::rename(&path, &original).map_err(|e| context(e, "putting back", &original))?;
            }
            _ => fs::remove_file(&path).map_err(|e| context(e, "removing", &path))?,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staging_names_are_read_with_and_without_a_marker() {
        let marker = new_marker();
        assert!(is_marker(&marker), "{marker}");
        assert_ne!(marker, new_marker());
        let staged = format!("lib.rs.{marker}.codegen-tmp");
        assert_eq!(
            staging_name(&staged),
            Some(StagingName {
                original: "lib.rs",
                marker: Some(&marker),
                backup: false
            })
        );
        assert_eq!(
            staging_name("Cargo.toml.codegen-old"),
            Some(StagingName {
                original: "Cargo.toml",
                marker: None,
                backup: true
            })
        );
        // A dot-separated part that is not a marker belongs to the name.
        assert_eq!(
            staging_name("a.cg-12.codegen-tmp"),
            Some(StagingName {
                original: "a.cg-12",
                marker: None,
                backup: false
            })
        );
        for not in ["lib.rs", "codegen-tmp", ".codegen-tmp", "x.codegen-tmpx"] {
            assert_eq!(staging_name(not), None, "{not}");
        }
        assert_eq!(
            beside(Path::new("out/src/lib.rs"), &marker, true),
            PathBuf::from(format!("out/src/lib.rs.{marker}.codegen-old"))
        );
    }
}
