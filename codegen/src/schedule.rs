//! Runs the emit and format stages together on all cores: each part of the plan
//! ([`emit::parts`]) is emitted and formatted by whichever thread is free, and each file is
//! handed on as soon as its last part is formatted, so that writing overlaps formatting.
//!
//! Emission and formatting are separate stages ([`crate::emit`], [`crate::format`]) that meet
//! only here: syntax trees cannot cross threads, so a part is emitted and formatted on the
//! same thread.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::emit::{self, EmitOptions, Part};
use crate::format::{self, FormattedPart};
use crate::ir::Model;

/// Emits and formats every planned file on all cores, and hands each file to `on_file` (on this
/// thread) as soon as its last part is formatted, so that writing overlaps formatting. The
/// result maps relative paths to contents and does not depend on the number of threads. An
/// error means the emitter produced tokens that are not Rust, which is a bug in the generator;
/// `on_file` has then seen only some of the files.
pub fn emit_and_format(
    model: &Model,
    options: &EmitOptions<'_>,
    plan: &[Part],
    on_file: &mut dyn FnMut(&str, &str),
) -> Result<BTreeMap<String, String>, String> {
    let files = group_by_file(model, plan);
    let order: Vec<usize> = files.iter().flat_map(|f| f.parts.iter().copied()).collect();
    let file_of = file_of_part(&files, plan.len());
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, order.len().max(1));
    // Threads take the next part as they finish one, so a few large parts do not leave a
    // thread idle. The thread that formats the last part of a file joins the file and sends
    // it here: this thread wakes once per file, not once per part.
    let next = AtomicUsize::new(0);
    let formatted: Vec<Mutex<Option<FormattedPart>>> =
        (0..plan.len()).map(|_| Mutex::new(None)).collect();
    let remaining: Vec<AtomicUsize> = files
        .iter()
        .map(|f| AtomicUsize::new(f.parts.len()))
        .collect();
    let failure: Mutex<Option<String>> = Mutex::new(None);
    let mut output = BTreeMap::new();
    std::thread::scope(|scope| {
        let (sender, receiver) = std::sync::mpsc::channel::<(String, String)>();
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                let sender = sender.clone();
                let (next, order, file_of) = (&next, &order, &file_of);
                let (formatted, remaining, failure, files) =
                    (&formatted, &remaining, &failure, &files);
                scope.spawn(move || {
                    while let Some(&index) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
                        let file = file_of[index];
                        let contents = emit::contents(model, options, &plan[index]);
                        match format::format_part(&files[file].path, contents) {
                            Ok(part) => *lock(&formatted[index]) = Some(part),
                            Err(error) => {
                                lock(failure).get_or_insert(error);
                                continue;
                            }
                        }
                        if remaining[file].fetch_sub(1, Ordering::AcqRel) == 1
                            && sender.send(join_file(&files[file], formatted)).is_err()
                        {
                            return;
                        }
                    }
                })
            })
            .collect();
        drop(sender);
        for (path, text) in receiver {
            on_file(&path, &text);
            output.insert(path, text);
        }
        for handle in handles {
            if handle.join().is_err() {
                lock(&failure)
                    .get_or_insert("internal error: a formatting thread panicked".to_owned());
            }
        }
    });
    match failure
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
    {
        Some(error) => Err(error),
        None => Ok(output),
    }
}

/// A lock whose data stays usable if a thread panicked while holding it (the panic is reported
/// as an internal error anyway).
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The planned parts of one file, in their order in it.
struct FileParts {
    path: String,
    parts: Vec<usize>,
}

/// The files of a plan, in the order they are formatted: file by file, so that files are done
/// one after another and each can be written while the next is formatted; the largest part
/// (`dynamic.rs`) first, then the files of most parts (a namespace of Graph has thousands), so
/// that the small ones are what remains at the end.
fn group_by_file(model: &Model, plan: &[Part]) -> Vec<FileParts> {
    let mut by_path: BTreeMap<String, Vec<(usize, usize)>> = BTreeMap::new();
    for (index, file) in plan.iter().enumerate() {
        let (path, part) = emit::location(model, file);
        by_path.entry(path).or_default().push((part, index));
    }
    let mut files: Vec<FileParts> = by_path
        .into_iter()
        .map(|(path, mut parts)| {
            parts.sort_unstable();
            FileParts {
                path,
                parts: parts.into_iter().map(|(_, index)| index).collect(),
            }
        })
        .collect();
    let is_largest_part = |f: &FileParts| {
        f.parts
            .iter()
            .any(|&i| matches!(plan[i], Part::Dynamic))
    };
    files.sort_by_key(|f| (!is_largest_part(f), std::cmp::Reverse(f.parts.len())));
    files
}

fn file_of_part(files: &[FileParts], parts: usize) -> Vec<usize> {
    let mut file_of = vec![0; parts];
    for (file, parts) in files.iter().enumerate() {
        for &index in &parts.parts {
            file_of[index] = file;
        }
    }
    file_of
}

/// One file from its formatted parts (taken out of `formatted`), once all are there.
fn join_file(file: &FileParts, formatted: &[Mutex<Option<FormattedPart>>]) -> (String, String) {
    let parts: Vec<FormattedPart> = file
        .parts
        .iter()
        .filter_map(|&index| lock(&formatted[index]).take())
        .collect();
    (file.path.clone(), format::join_parts(parts))
}
