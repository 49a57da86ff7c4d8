//! The command line: `codegen generate | check | lint`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use codegen::Generator;

#[derive(Parser)]
#[command(
    name = "codegen",
    version,
    about = "Generates a Rust crate from OData CSDL metadata"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generates the crate under --out (only files whose content changed are written).
    Generate(GenerateArgs),
    /// Compares --out with what generate would write; writes nothing.
    Check(GenerateArgs),
    /// Reads and resolves the metadata and reports problems.
    Lint(LintArgs),
}

#[derive(Args)]
struct GenerateArgs {
    /// A metadata file or directory (read recursively); may be repeated.
    #[arg(long = "metadata", value_name = "PATH", default_value = "metadata")]
    metadata: Vec<PathBuf>,
    /// The crate root to write: the generator owns DIR/Cargo.toml and DIR/src/**.
    #[arg(long, value_name = "DIR", default_value = "generated")]
    out: PathBuf,
    /// Generate only what this entity set, singleton or type reaches; may be repeated.
    #[arg(long = "select", value_name = "NAME")]
    select: Vec<String>,
    /// The generated package's name (default: the name of --out).
    #[arg(long, value_name = "NAME", value_parser = parse_crate_name)]
    crate_name: Option<String>,
    /// How URLs write keys and bound operations: `metadata` (default: what the CSDL declares,
    /// else OData's `/set('key')` and qualified operations), `odata` (always OData's),
    /// `graph` (Microsoft Graph's `/set/key` and unqualified operations).
    #[arg(long, value_name = "STYLE", value_enum, default_value = "metadata")]
    url_conventions: UrlStyle,
    /// Take over DIR/Cargo.toml and DIR/src even where they hold files codegen did not
    /// generate (they are overwritten or removed).
    #[arg(long)]
    force: bool,
    /// A file under --out (relative, such as `src/extra.rs`) that is the user's: never removed,
    /// and not a reason to refuse the directory; may be repeated.
    #[arg(long = "keep", value_name = "PATH")]
    keep: Vec<String>,
    /// The service root the generated client uses by default (without it, only Microsoft
    /// Graph's metadata gets one; other clients must be given a base URL).
    #[arg(long, value_name = "URL")]
    service_root: Option<String>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum UrlStyle {
    Metadata,
    Odata,
    Graph,
}

#[derive(Args)]
struct LintArgs {
    /// A metadata file or directory (read recursively); may be repeated.
    #[arg(long = "metadata", value_name = "PATH", default_value = "metadata")]
    metadata: Vec<PathBuf>,
    /// Treat warnings as errors (exit 1 when there are any).
    #[arg(long)]
    deny_warnings: bool,
}

fn parse_crate_name(name: &str) -> Result<String, String> {
    let valid = name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if valid {
        Ok(name.to_owned())
    } else {
        Err("a crate name is ASCII letters, digits, `-` and `_`, starting with a letter".to_owned())
    }
}

/// The default crate name: the output directory's name as a lower-case, kebab-case package
/// name (`MyShop` → `my-shop`; cargo warns about upper case and clippy refuses the crate).
fn crate_name_for(out: &Path) -> String {
    let name = out
        .canonicalize()
        .ok()
        .as_deref()
        .unwrap_or(out)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    codegen::package_name(&name)
}

/// Runs the command line; the exit code is 0 on success, 1 for invalid input, a stale tree or
/// lint errors, 2 for usage errors.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() { 2 } else { 0 });
        }
    };
    // Checked here rather than by clap, whose message would repeat the value (and a password
    // in it): a usage error all the same.
    if let Command::Generate(args) | Command::Check(args) = &cli.command {
        if let Some(Err(problem)) = args
            .service_root
            .as_deref()
            .map(codegen::check_service_root)
        {
            eprintln!("codegen: error: {problem}");
            return ExitCode::from(2);
        }
    }
    match cli.command {
        Command::Generate(args) => generate(&args, false),
        Command::Check(args) => generate(&args, true),
        Command::Lint(args) => lint(&args),
    }
}

fn generator(args: &GenerateArgs) -> Generator {
    let mut generator = Generator::new();
    for path in &args.metadata {
        generator.metadata(path);
    }
    for name in &args.select {
        generator.select(name);
    }
    if let Some(root) = &args.service_root {
        generator.service_root(root);
    }
    match args.url_conventions {
        UrlStyle::Metadata => {}
        UrlStyle::Odata => {
            generator.url_conventions(codegen::ir::UrlConventions::default());
        }
        UrlStyle::Graph => {
            generator.url_conventions(codegen::ir::UrlConventions::GRAPH);
        }
    }
    generator.crate_name(
        args.crate_name
            .clone()
            .unwrap_or_else(|| crate_name_for(&args.out)),
    );
    generator
}

fn generate(args: &GenerateArgs, check_only: bool) -> ExitCode {
    let out = &args.out;
    // Each file is compared or written as soon as it is formatted, while the rest are.
    let options = codegen::write::WriteOptions {
        force: args.force,
        keep: args.keep.clone(),
    };
    if check_only {
        let mut checking = match codegen::write::Checking::new(out, &options) {
            Ok(checking) => checking,
            Err(error) => {
                eprintln!("codegen: error: cannot check {}: {error}", out.display());
                return ExitCode::from(1);
            }
        };
        let generation = generator(args).generate_with(|path, text| checking.compare(path, text));
        let Some(files) = files_or_diagnostics(&generation) else {
            return ExitCode::from(1);
        };
        return report_check(out, files, checking.finish(files));
    }
    // The lock is taken and the directory checked before anything is generated or staged.
    let mut staging = match codegen::write::Staging::open(out, &options) {
        Ok(staging) => staging,
        Err(error) => {
            eprintln!("codegen: error: cannot write {}: {error}", out.display());
            return ExitCode::from(1);
        }
    };
    let generation = generator(args).generate_with(|path, text| staging.stage(path, text));
    // Without files, dropping the staging removes what it wrote.
    let Some(files) = files_or_diagnostics(&generation) else {
        return ExitCode::from(1);
    };
    match staging.commit(files) {
        Ok(report) => {
            for relative in &report.recovered {
                eprintln!(
                    "codegen: {}: left by an interrupted run, cleaned up",
                    out.join(relative).display()
                );
            }
            for relative in &report.overwritten {
                eprintln!(
                    "codegen: replaced {} (not written by codegen; --force)",
                    out.join(relative).display()
                );
            }
            for relative in &report.removed {
                eprintln!("codegen: removed {}", out.join(relative).display());
            }
            eprintln!(
                "codegen: {}: {} written, {} unchanged, {} removed",
                out.display(),
                report.written.len(),
                report.unchanged,
                report.removed.len()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("codegen: error: cannot write {}: {error}", out.display());
            ExitCode::from(1)
        }
    }
}

/// Prints the diagnostics; the files, if the generation has them.
fn files_or_diagnostics(
    generation: &codegen::Generation,
) -> Option<&std::collections::BTreeMap<String, String>> {
    for line in generation.rendered_diagnostics() {
        eprintln!("{line}");
    }
    generation.files()
}

fn report_check(
    out: &std::path::Path,
    files: &std::collections::BTreeMap<String, String>,
    checked: std::io::Result<Vec<codegen::write::Drift>>,
) -> ExitCode {
    match checked {
        Ok(drift) if drift.is_empty() => {
            eprintln!(
                "codegen: {} is up to date ({} files)",
                out.display(),
                files.len()
            );
            ExitCode::SUCCESS
        }
        Ok(drift) => {
            for item in &drift {
                eprintln!("{}/{item}", out.display());
            }
            eprintln!(
                "codegen: error: {} is stale ({} files differ); run `cargo run -p codegen -- generate`",
                out.display(),
                drift.len()
            );
            ExitCode::from(1)
        }
        Err(error) => {
            eprintln!("codegen: error: cannot read {}: {error}", out.display());
            ExitCode::from(1)
        }
    }
}

fn lint(args: &LintArgs) -> ExitCode {
    let mut generator = Generator::new();
    for path in &args.metadata {
        generator.metadata(path);
    }
    let loaded = generator.load();
    let mut all = loaded.diagnostics.clone();
    all.extend(loaded.lint());
    for diagnostic in &all {
        eprintln!("{}", diagnostic.render(&loaded.sources));
    }
    let errors = all.iter().filter(|d| d.is_error()).count();
    let warnings = all
        .iter()
        .filter(|d| d.severity == codegen::diagnostics::Severity::Warning)
        .count();
    eprintln!(
        "codegen: {}, {}",
        counted(errors, "error"),
        counted(warnings, "warning")
    );
    let failed = errors > 0 || (args.deny_warnings && warnings > 0);
    ExitCode::from(u8::from(failed))
}

/// `1 error`, `2 errors`.
fn counted(count: usize, noun: &str) -> String {
    match count {
        1 => format!("1 {noun}"),
        _ => format!("{count} {noun}s"),
    }
}
