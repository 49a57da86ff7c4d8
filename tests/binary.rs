//! Running the `codegen` binary from the command-line tests (`cli.rs`, `output_dir.rs`).

use std::path::Path;
use std::process::Command;

/// How a run ended: its exit code and what it printed on stderr and stdout.
pub struct Run {
    pub code: i32,
    pub stderr: String,
    #[allow(dead_code, reason = "only the lint formats' test reads stdout")]
    pub stdout: String,
}

/// Runs `codegen ARGS` in `dir`, diagnostics in their one-line form (`--message-format
/// short`, which the snapshots hold); [`codegen_human`] runs it as a user does.
pub fn codegen(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["--message-format", "short"];
    all.extend(args);
    codegen_human(dir, &all)
}

/// Runs `codegen ARGS` in `dir` as it is: diagnostics rendered for people unless `ARGS` say
/// otherwise (without color, stderr being no terminal).
#[allow(
    dead_code,
    reason = "only the message format's test runs the human form"
)]
pub fn codegen_human(dir: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_codegen"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs");
    Run {
        code: output
            .status
            .code()
            .expect("exited, not killed by a signal"),
        stderr: String::from_utf8(output.stderr).unwrap(),
        stdout: String::from_utf8(output.stdout).unwrap(),
    }
}
