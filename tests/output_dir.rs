//! The output directory, attacked as a careful user's mistakes and a hostile checkout would be
//! (issue: "never outside `--out`, never a mixed tree, never a user's file lost"). Each test runs
//! the real binary.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

#[path = "binary.rs"]
mod binary;
use binary::codegen;

/// A service with an entity set (so `src/requests/` exists) and `types` more entity types
/// reached from it, each with a few documented properties.
fn service(types: usize, description: &str) -> String {
    let mut body = String::new();
    for i in 0..types {
        body.push_str(&format!(
            r#"      <EntityType Name="t{i}"><Key><PropertyRef Name="id" /></Key>
        <Property Name="id" Type="Edm.String" Nullable="false" />
        <Property Name="name" Type="Edm.String"><Annotation Term="Org.OData.Core.V1.Description" String="{description} {i}" /></Property>
        <NavigationProperty Name="next" Type="Collection(ex.t{})" ContainsTarget="true" />
      </EntityType>
"#,
            (i + 1) % types
        ));
    }
    body.push_str(
        r#"      <EntityContainer Name="c"><EntitySet Name="items" EntityType="ex.t0" /></EntityContainer>
"#,
    );
    format!(
        r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="ex" xmlns="http://docs.oasis-open.org/odata/ns/edm">
{body}    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#
    )
}

/// `dir/metadata/service.xml` and `dir/out` generated from it.
fn generated(types: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("metadata")).unwrap();
    fs::write(
        dir.path().join("metadata/service.xml"),
        service(types, "first"),
    )
    .unwrap();
    let run = codegen(dir.path(), &["generate", "--out", "out"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    dir
}

/// Every file under `dir` (not following links) with its content.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let Ok(entries) = fs::read_dir(&current) else {
            continue;
        };
        for entry in entries {
            let entry = entry.unwrap();
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                pending.push(entry.path());
            } else if kind.is_symlink() {
                files.insert(entry.path(), b"-> link".to_vec());
            } else {
                files.insert(entry.path(), fs::read(entry.path()).unwrap());
            }
        }
    }
    files
}

/// Staging files of any run, and the journal of unfinished runs.
fn staging_files(dir: &Path) -> Vec<PathBuf> {
    tree(dir)
        .into_keys()
        .filter(|p| {
            let name = p.to_string_lossy();
            name.ends_with(".codegen-tmp")
                || name.ends_with(".codegen-old")
                || name.ends_with(".codegen-journal")
        })
        .collect()
}

#[test]
fn symlinks_in_the_owned_tree_are_refused_and_nothing_outside_changes() {
    for linked in ["src", "src/requests"] {
        let dir = generated(3);
        let out = dir.path().join("out");
        let elsewhere = dir.path().join("elsewhere");
        fs::rename(out.join(linked), &elsewhere).unwrap();
        fs::write(elsewhere.join("hand-written.rs"), "// mine\n").unwrap();
        std::os::unix::fs::symlink(&elsewhere, out.join(linked)).unwrap();
        fs::write(
            dir.path().join("metadata/service.xml"),
            service(3, "second"),
        )
        .unwrap();
        let before = (tree(&elsewhere), tree(&out));
        let run = codegen(dir.path(), &["generate", "--out", "out"]);
        assert_eq!(run.code, 1, "{linked}: {}", run.stderr);
        assert!(
            run.stderr
                .contains(&format!("out/{linked}` is a symbolic link")),
            "{linked}: {}",
            run.stderr
        );
        assert_eq!(
            (tree(&elsewhere), tree(&out)),
            before,
            "{linked}: something changed"
        );
        let check = codegen(dir.path(), &["check", "--out", "out"]);
        assert_eq!(check.code, 1);
        assert!(
            check.stderr.contains("is a symbolic link"),
            "{}",
            check.stderr
        );
    }
}

#[test]
fn concurrent_runs_never_mix_the_tree() {
    let dir = generated(150);
    fs::write(
        dir.path().join("metadata/service.xml"),
        service(150, "second"),
    )
    .unwrap();
    for _ in 0..3 {
        let children: Vec<_> = (0..2)
            .map(|_| {
                Command::new(env!("CARGO_BIN_EXE_codegen"))
                    .args(["generate", "--out", "out"])
                    .current_dir(dir.path())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let output = child.wait_with_output().unwrap();
            assert!(
                output.status.success(),
                "{}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let check = codegen(dir.path(), &["check", "--out", "out"]);
        assert_eq!(
            check.code, 0,
            "the tree is one whole generation: {}",
            check.stderr
        );
        assert_eq!(
            staging_files(&dir.path().join("out")),
            Vec::<PathBuf>::new()
        );
    }
}

#[test]
fn a_failure_midway_leaves_the_tree_as_it_was_and_names_the_file() {
    let dir = generated(3);
    let out = dir.path().join("out");
    // A file of an older generation that must be removed, whose name leaves no room for the
    // name it is moved aside to (255 bytes at most): the removal fails after the new files
    // were moved in, as a permission or disk error would, even for root.
    let stale = format!("src/{}.rs", "s".repeat(245));
    fs::write(out.join(&stale), "// @generated by codegen 0.0.1\n").unwrap();
    fs::write(
        dir.path().join("metadata/service.xml"),
        service(4, "second"),
    )
    .unwrap();
    let before = tree(&out);
    let run = codegen(dir.path(), &["generate", "--out", "out"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("moving aside") && run.stderr.contains(&stale),
        "the message names the operation and the file: {}",
        run.stderr
    );
    assert_eq!(tree(&out), before, "the tree changed");
}

#[test]
fn a_directory_the_generator_did_not_make_is_refused() {
    // A hand-written crate as --out.
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("metadata")).unwrap();
    fs::write(dir.path().join("metadata/service.xml"), service(2, "first")).unwrap();
    let out = dir.path().join("out");
    fs::create_dir_all(out.join("src/bin")).unwrap();
    fs::write(out.join("Cargo.toml"), "[package]\nname = \"mine\"\n").unwrap();
    fs::write(out.join("src/main.rs"), "fn main() {}\n").unwrap();
    fs::write(out.join("src/bin/tool.rs"), "fn main() {}\n").unwrap();
    let before = tree(&out);
    let run = codegen(dir.path(), &["generate", "--out", "out"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for name in [
        "`Cargo.toml`",
        "`src/main.rs`",
        "`src/bin/tool.rs`",
        "--force",
    ] {
        assert!(run.stderr.contains(name), "{name}: {}", run.stderr);
    }
    assert_eq!(tree(&out), before);
    // Taken over only when asked, and then every removal is named.
    let run = codegen(dir.path(), &["generate", "--out", "out", "--force"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("removed out/src/main.rs"),
        "{}",
        run.stderr
    );

    // A hand-written file in the `src/` of a generated crate: refused, or kept when listed.
    let dir = generated(2);
    let out = dir.path().join("out");
    fs::write(out.join("src/extra.rs"), "// mine\n").unwrap();
    let run = codegen(dir.path(), &["generate", "--out", "out"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("`src/extra.rs`"), "{}", run.stderr);
    let check = codegen(dir.path(), &["check", "--out", "out"]);
    assert!(
        check
            .stderr
            .contains("src/extra.rs: not written by codegen"),
        "check does not call it `not generated any more`: {}",
        check.stderr
    );
    let keep = ["generate", "--out", "out", "--keep", "src/extra.rs"];
    assert_eq!(codegen(dir.path(), &keep).code, 0);
    assert_eq!(
        fs::read_to_string(out.join("src/extra.rs")).unwrap(),
        "// mine\n"
    );
    let check = codegen(
        dir.path(),
        &["check", "--out", "out", "--keep", "src/extra.rs"],
    );
    assert_eq!(check.code, 0, "{}", check.stderr);
}

#[test]
fn an_interrupted_run_leaves_the_old_or_the_new_tree_and_the_next_run_cleans_up() {
    let dir = generated(300);
    let out = dir.path().join("out");
    let old = tree(&out);
    // The new tree, generated elsewhere from the new metadata.
    let new_dir = tempfile::tempdir().unwrap();
    fs::create_dir(new_dir.path().join("metadata")).unwrap();
    fs::write(
        new_dir.path().join("metadata/service.xml"),
        service(300, "second"),
    )
    .unwrap();
    assert_eq!(
        codegen(new_dir.path(), &["generate", "--out", "out"]).code,
        0
    );
    let rebase = |files: BTreeMap<PathBuf, Vec<u8>>, from: &Path| -> BTreeMap<PathBuf, Vec<u8>> {
        files
            .into_iter()
            .map(|(p, c)| (p.strip_prefix(from).unwrap().to_path_buf(), c))
            .collect()
    };
    let old = rebase(old, &out);
    let new = rebase(
        tree(&new_dir.path().join("out")),
        &new_dir.path().join("out"),
    );
    fs::write(
        dir.path().join("metadata/service.xml"),
        service(300, "second"),
    )
    .unwrap();
    let mut interrupted = 0;
    // Spread over the whole run: before and while staging (the issue saw an empty staging file
    // without the header in 21 of 33 kills there), and during the commit.
    let delays = (0..16).map(|i| 5 + i * 40);
    let mut left_files = 0;
    for delay_ms in delays {
        // Back to the old tree.
        let _ = fs::remove_dir_all(&out);
        for (relative, contents) in &old {
            let path = out.join(relative);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, contents).unwrap();
        }
        let mut child = Command::new(env!("CARGO_BIN_EXE_codegen"))
            .args(["generate", "--out", "out"])
            .current_dir(dir.path())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        interrupted += usize::from(child.try_wait().unwrap().is_none());
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let leftovers = staging_files(&out);
        let now: BTreeMap<PathBuf, Vec<u8>> = rebase(tree(&out), &out)
            .into_iter()
            .filter(|(p, _)| !leftovers.iter().any(|l| l.ends_with(p)))
            .collect();
        let moved_aside = leftovers
            .iter()
            .any(|p| p.to_string_lossy().ends_with(".codegen-old"));
        // Killed between two renames of a commit: the next run puts the old files back first.
        if !moved_aside {
            assert!(
                now == old || now == new,
                "after {delay_ms} ms: a mixed tree"
            );
        }
        if !leftovers.is_empty() {
            left_files += 1;
            let check = codegen(dir.path(), &["check", "--out", "out"]);
            for leftover in &leftovers {
                let relative = leftover.strip_prefix(&out).unwrap().display().to_string();
                assert!(
                    check
                        .stderr
                        .contains(&format!("{relative}: left by an interrupted run")),
                    "after {delay_ms} ms, check does not name {relative}: {}",
                    check.stderr
                );
            }
            assert!(
                check.stderr.contains("left by an interrupted run"),
                "{}",
                check.stderr
            );
        }
        let run = codegen(dir.path(), &["generate", "--out", "out"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(
            staging_files(&out),
            Vec::<PathBuf>::new(),
            "after {delay_ms} ms"
        );
        assert_eq!(rebase(tree(&out), &out), new, "after {delay_ms} ms");
    }
    assert!(interrupted > 0, "no run was killed before it finished");
    eprintln!("{interrupted} of 16 runs killed before they finished, {left_files} left files behind; every next run recovered");

    // What a run killed while staging leaves, at the top and under `src/`, deterministically:
    // `check` names it, and the next run removes it.
    fs::write(
        out.join("Cargo.toml.codegen-tmp"),
        "# @generated by codegen 0.1.0\n[pack",
    )
    .unwrap();
    fs::write(
        out.join("src/lib.rs.codegen-tmp"),
        "// @generated by codegen 0.1.0\npub m",
    )
    .unwrap();
    let check = codegen(dir.path(), &["check", "--out", "out"]);
    assert_eq!(check.code, 1);
    for leftover in ["Cargo.toml.codegen-tmp", "src/lib.rs.codegen-tmp"] {
        assert!(
            check
                .stderr
                .contains(&format!("{leftover}: left by an interrupted run")),
            "{}",
            check.stderr
        );
    }
    assert_eq!(codegen(dir.path(), &["generate", "--out", "out"]).code, 0);
    assert_eq!(staging_files(&out), Vec::<PathBuf>::new());
    assert_eq!(codegen(dir.path(), &["check", "--out", "out"]).code, 0);
}

/// What `kill -9` leaves at any point of a run, made by hand so that every case is certain: the
/// journal naming the run's marker, an empty staging file (killed between creating it and
/// writing it), a partial one, and a file moved aside by the commit. Beside them, files of the
/// user's named like staging files. `check` names each leftover; the next run removes or puts
/// back every one and never touches the user's.
#[test]
fn a_killed_run_s_files_are_known_by_their_marker_and_never_block_the_next_run() {
    let dir = generated(3);
    let out = dir.path().join("out");
    let expected = tree(&out);
    let marker = "cg-00112233445566aa";
    fs::write(
        out.join(".codegen-journal"),
        format!("# codegen: runs that have not finished\nrun {marker}\n"),
    )
    .unwrap();
    let lib = fs::read(out.join("src/lib.rs")).unwrap();
    let killed = [
        (format!("src/lib.rs.{marker}.codegen-tmp"), Vec::new()),
        (
            format!("Cargo.toml.{marker}.codegen-tmp"),
            b"# @generated by cod".to_vec(),
        ),
        (
            format!("src/requests/mod.rs.{marker}.codegen-tmp"),
            Vec::new(),
        ),
    ];
    for (relative, contents) in &killed {
        fs::write(out.join(relative), contents).unwrap();
    }
    // Killed in the commit: lib.rs moved aside, its new version not yet in place.
    fs::rename(
        out.join("src/lib.rs"),
        out.join(format!("src/lib.rs.{marker}.codegen-old")),
    )
    .unwrap();
    let users = [
        ("src/notes.rs.codegen-tmp", &b""[..]),
        ("src/lib.rs.cg-ffffffffffffffff.codegen-tmp", &b"mine\n"[..]),
        ("Cargo.toml.codegen-old", &b"[package]\n"[..]),
    ];
    for (relative, contents) in users {
        fs::write(out.join(relative), contents).unwrap();
    }

    let check = codegen(dir.path(), &["check", "--out", "out"]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    for leftover in killed.iter().map(|(relative, _)| relative.clone()).chain([
        format!("src/lib.rs.{marker}.codegen-old"),
        ".codegen-journal".to_owned(),
    ]) {
        assert!(
            check
                .stderr
                .contains(&format!("{leftover}: left by an interrupted run")),
            "check does not name {leftover}: {}",
            check.stderr
        );
    }
    for (user, _) in users {
        assert!(
            !check.stderr.contains(user),
            "check names the user's {user}: {}",
            check.stderr
        );
    }

    let run = codegen(dir.path(), &["generate", "--out", "out"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut now = tree(&out);
    for (user, contents) in users {
        assert_eq!(
            now.remove(&out.join(user)).as_deref(),
            Some(contents),
            "{user}"
        );
    }
    assert_eq!(
        now, expected,
        "the generation is whole again, and nothing of the killed run is left"
    );
    assert_eq!(fs::read(out.join("src/lib.rs")).unwrap(), lib);
    assert_eq!(
        codegen(dir.path(), &["generate", "--out", "out"]).code,
        0,
        "and stays unblocked"
    );
}

#[test]
fn empty_and_bom_only_inputs_are_refused_alike() {
    for (name, contents) in [
        ("empty.md", &b""[..]),
        ("bom.md", &b"\xef\xbb\xbf"[..]),
        ("blank.md", &b"\xef\xbb\xbf\n  \n"[..]),
        ("empty.xml", &b""[..]),
        ("bom.xml", &b"\xef\xbb\xbf"[..]),
    ] {
        let dir = generated(2);
        let out = dir.path().join("out");
        let before = tree(&out);
        let input = dir.path().join("input");
        fs::create_dir(&input).unwrap();
        fs::write(input.join(name), contents).unwrap();
        let run = codegen(
            dir.path(),
            &["generate", "--metadata", "input", "--out", "out"],
        );
        assert_eq!(run.code, 1, "{name}: {}", run.stderr);
        assert!(
            run.stderr.contains(&format!("input/{name}:1:"))
                && (run.stderr.contains("error: no CSDL content")
                    || run.stderr.contains("error: no documentation page content")),
            "{name}: {}",
            run.stderr
        );
        assert_eq!(
            tree(&out),
            before,
            "{name}: the previous generation changed"
        );
    }
}

#[test]
fn a_failed_run_creates_no_output_directory() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("metadata")).unwrap();
    fs::write(dir.path().join("metadata/bad.xml"), "<edmx:Edmx").unwrap();
    let run = codegen(dir.path(), &["generate", "--out", "new/out"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        !dir.path().join("new").exists(),
        "a directory created for --out is left"
    );
}
