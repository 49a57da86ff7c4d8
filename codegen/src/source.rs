//! Input files kept in memory, and spans that point into them.
//!
//! Every later stage refers to source positions by [`Span`] (a file id and a byte offset); the
//! conversion to `line:col` happens only when a diagnostic is printed.

use std::path::{Path, PathBuf};

/// Index of a file in a [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(u32);

/// A position in an input file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// The file.
    pub file: FileId,
    /// Bytes from the start of the file (at most `u32::MAX`).
    pub offset: u32,
}

impl Span {
    /// The position `offset` bytes into `file` (past `u32::MAX`, the last representable one).
    pub fn new(file: FileId, offset: usize) -> Self {
        Span {
            file,
            offset: u32::try_from(offset).unwrap_or(u32::MAX),
        }
    }
}

/// A `line:col` location, both 1-based; the column counts characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineCol {
    /// The line, from 1.
    pub line: usize,
    /// The column, from 1, in characters (not bytes).
    pub col: usize,
}

/// One input file: its path (as given, for diagnostics) and its text.
#[derive(Debug)]
pub struct SourceFile {
    /// The path, as given on the command line or to [`crate::Generator::text`].
    pub path: PathBuf,
    /// The whole text, as read.
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    fn new(path: PathBuf, text: String) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile {
            path,
            text,
            line_starts,
        }
    }

    /// The line and column of a byte offset (clamped to the end of the text).
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line];
        let prefix = self.text.get(start..offset);
        let col = prefix.map_or(offset - start, |prefix| {
            // A byte order mark is no column an editor shows.
            prefix.trim_start_matches('\u{feff}').chars().count()
        });
        LineCol {
            line: line + 1,
            col: col + 1,
        }
    }
}

/// All input files of one run.
#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    /// Adds a file; its id is its index.
    pub fn add(&mut self, path: PathBuf, text: String) -> FileId {
        let id = FileId(u32::try_from(self.files.len()).expect("fewer than 2^32 input files"));
        self.files.push(SourceFile::new(path, text));
        id
    }

    /// The file `id` names.
    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// The path of the file `id` names.
    pub fn path(&self, id: FileId) -> &Path {
        &self.file(id).path
    }

    /// Where a span is, as `line:col`.
    pub fn line_col(&self, span: Span) -> LineCol {
        self.file(span.file).line_col(span.offset as usize)
    }

    /// Every file's id, in the order they were added.
    pub fn ids(&self) -> impl Iterator<Item = FileId> {
        (0..self.files.len() as u32).map(FileId)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based_and_count_characters() {
        let mut map = SourceMap::default();
        let id = map.add("a.xml".into(), "ab\nçd\r\nef".into());
        let at = |offset| map.line_col(Span::new(id, offset));
        assert_eq!(at(0), LineCol { line: 1, col: 1 });
        assert_eq!(at(3), LineCol { line: 2, col: 1 });
        // 'ç' is two bytes but one column.
        assert_eq!(at(5), LineCol { line: 2, col: 2 });
        assert_eq!(at(8), LineCol { line: 3, col: 1 });
        assert_eq!(at(100), LineCol { line: 3, col: 3 });
    }

    #[test]
    fn a_byte_order_mark_takes_no_column() {
        let mut map = SourceMap::default();
        let id = map.add("a.json".into(), "\u{feff}{ x\n\u{feff}y".into());
        let at = |offset| map.line_col(Span::new(id, offset));
        assert_eq!(at(0), LineCol { line: 1, col: 1 });
        assert_eq!(at(3), LineCol { line: 1, col: 1 });
        assert_eq!(at(5), LineCol { line: 1, col: 3 });
        // At the start of a later line too (files joined with their marks).
        assert_eq!(at(10), LineCol { line: 2, col: 1 });
    }
}

/// A string from the input and where it was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spanned {
    /// The text (for XML, with entities decoded).
    pub text: String,
    /// Where it was found.
    pub span: Span,
}
