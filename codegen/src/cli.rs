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
    /// How diagnostics are printed: `human` (as rustc prints its own: the source line with a
    /// caret under the place; colored on a terminal unless NO_COLOR is set) or `short` (one
    /// line each, `path:line:col: error: message`, for tools and tests).
    #[arg(
        long,
        global = true,
        value_name = "FORMAT",
        value_enum,
        default_value = "human"
    )]
    message_format: MessageFormat,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum MessageFormat {
    Human,
    Short,
}

/// How this run prints diagnostics: the format, and whether in color (the human form on a
/// terminal, unless `NO_COLOR` is set or `TERM` is `dumb`).
#[derive(Clone, Copy)]
struct Printer {
    format: codegen::diagnostics::MessageFormat,
    color: bool,
}

impl Printer {
    fn new(format: MessageFormat) -> Self {
        use std::io::IsTerminal;
        let format = match format {
            MessageFormat::Human => codegen::diagnostics::MessageFormat::Human,
            MessageFormat::Short => codegen::diagnostics::MessageFormat::Short,
        };
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
            || std::env::var_os("TERM").is_some_and(|t| t == "dumb");
        Printer {
            format,
            color: !no_color && std::io::stderr().is_terminal(),
        }
    }

    /// Prints each diagnostic on stderr; in the human form each is followed by a blank line,
    /// as rustc's are.
    fn print<'d>(
        &self,
        diagnostics: impl IntoIterator<Item = &'d codegen::diagnostics::Diagnostic>,
        sources: &codegen::source::SourceMap,
    ) {
        for diagnostic in diagnostics {
            let text = self.format.render(diagnostic, sources, self.color);
            match self.format {
                codegen::diagnostics::MessageFormat::Human => eprintln!("{text}\n"),
                _ => eprintln!("{text}"),
            }
        }
    }
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

/// Where the metadata comes from: files, directories and URLs.
#[derive(Args)]
struct Inputs {
    /// A metadata file or directory (read recursively), or an http(s) URL such as a service's
    /// `$metadata` (CSDL XML or JSON, with the documents it references that the model needs);
    /// may be repeated.
    #[arg(long = "metadata", value_name = "PATH|URL", default_value = "metadata")]
    metadata: Vec<String>,
    /// A header sent with each request to the metadata URL's host (`NAME:VALUE`, such as
    /// `Authorization: Bearer ...`); may be repeated. Never printed nor recorded.
    /// (Read after clap, whose errors would repeat a value.)
    #[arg(long = "header", value_name = "NAME:VALUE")]
    header: Vec<String>,
    /// The longest exchange for one metadata document, in seconds (connecting may take 10 of
    /// them).
    #[arg(long, value_name = "SECONDS", default_value_t = 100.0, value_parser = parse_seconds)]
    timeout: f64,
}

#[derive(Args)]
struct GenerateArgs {
    #[command(flatten)]
    inputs: Inputs,
    /// The crate root to write: the generator owns DIR/Cargo.toml and DIR/src/**.
    #[arg(long, value_name = "DIR", default_value = "generated")]
    out: PathBuf,
    /// Generate only what this entity set, singleton, operation import or type reaches by
    /// containment, inheritance, property types and bound operations; may be repeated.
    #[arg(long = "select", value_name = "NAME")]
    select: Vec<String>,
    /// With --select: follow navigation properties to other entities too (not only
    /// containment), as --select did before; in Microsoft Graph that reaches almost everything.
    #[arg(long, requires = "select")]
    select_navigation: bool,
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
    /// `SELECTOR=ATTRIBUTE`: an outer attribute (`#[derive(Hash)]`) added to the struct or
    /// enum of a type (`Namespace.Type`), of every type of a namespace, or of every type
    /// (`.`); may be repeated.
    #[arg(long = "type-attribute", value_name = "SELECTOR=ATTRIBUTE", value_parser = parse_pair)]
    type_attribute: Vec<(String, String)>,
    /// `Namespace.Type.property=ATTRIBUTE`: an outer attribute added to a field; may be
    /// repeated.
    #[arg(long = "field-attribute", value_name = "PROPERTY=ATTRIBUTE", value_parser = parse_pair)]
    field_attribute: Vec<(String, String)>,
    /// `Namespace.Type=PATH`: the Rust type at PATH stands for the type, which is not
    /// generated (see the guide); may be repeated.
    #[arg(long = "extern-type", value_name = "TYPE=PATH", value_parser = parse_pair)]
    extern_type: Vec<(String, String)>,
    /// Where the runtime (`support`, `request`, `client`) comes from: `vendored` (default: a
    /// copy in the crate, which builds with no crate of ours) or `crate` (a dependency on the
    /// `codegen-runtime` crate of the generator's exact version).
    #[arg(long, value_name = "FROM", value_enum, default_value = "vendored")]
    runtime: RuntimeFrom,
    /// With `--runtime crate`: the runtime crate's directory (`codegen/templates` in this
    /// repository), written into the manifest as a path dependency, relative to --out unless
    /// absolute.
    #[arg(long, value_name = "DIR")]
    runtime_path: Option<String>,
}

/// `NAME=VALUE`, split at the first `=`.
fn parse_pair(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.is_empty() => Ok((name.to_owned(), value.to_owned())),
        _ => Err(format!("`{text}` is not NAME=VALUE")),
    }
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum RuntimeFrom {
    Vendored,
    Crate,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum UrlStyle {
    Metadata,
    Odata,
    Graph,
}

#[derive(Args)]
struct LintArgs {
    #[command(flatten)]
    inputs: Inputs,
    /// Treat warnings as errors (exit 1 when there are any).
    #[arg(long)]
    deny_warnings: bool,
    /// The service root the pages' absolute request URLs start with (default: the metadata's,
    /// Microsoft Graph's for its namespace); requests to other hosts are counted, not checked.
    #[arg(long, value_name = "URL")]
    service_root: Option<String>,
    /// How to print what lint finds: `human` (lines on stderr and a summary by code), `json`,
    /// `sarif` (SARIF 2.1.0) or `github` (workflow annotations), the last three on stdout.
    #[arg(long, value_name = "FORMAT", value_enum, default_value = "human")]
    format: LintFormat,
    /// The permission names permissions tables may give: a JSON file (an array of names, or
    /// an object whose `permissions` member has a key per name, as Microsoft Graph publishes
    /// them), or a text file with one name a line (`#` starts a comment).
    #[arg(long, value_name = "FILE")]
    permissions: Option<PathBuf>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum LintFormat {
    Human,
    Json,
    Sarif,
    Github,
}

/// `NAME:VALUE`, the name a valid HTTP field name; the value is never shown in an error.
fn parse_header(header: &str) -> Result<(String, String), String> {
    let Some((name, value)) = header.split_once(':') else {
        return Err("--header: a header is NAME:VALUE (its value is not shown)".to_owned());
    };
    let (name, value) = (name.trim(), value.trim());
    codegen::check_header(name, value).map_err(|problem| format!("--header: {problem}"))?;
    Ok((name.to_owned(), value.to_owned()))
}

fn parse_seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(seconds) if seconds > 0.0 && seconds <= 86_400.0 => Ok(seconds),
        _ => Err("a number of seconds, more than 0 and at most 86400".to_owned()),
    }
}

fn parse_crate_name(name: &str) -> Result<String, String> {
    let valid = name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if valid && codegen::is_rust_keyword(name) {
        Err(format!(
            "`{name}` is a Rust keyword: `use {name}::...` would not compile; choose another name"
        ))
    } else if valid {
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
    let package = codegen::package_name(&name);
    if let Some(keyword) = package
        .strip_suffix("-odata")
        .filter(|k| codegen::is_rust_keyword(k))
    {
        eprintln!(
            "codegen: warning: the package is named `{package}`: `{keyword}` (from the output directory's name) is a Rust keyword, which `use` could not name; give `--crate-name` to choose"
        );
    }
    package
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
    let (inputs, service_root) = match &cli.command {
        Command::Generate(args) | Command::Check(args) => (&args.inputs, &args.service_root),
        Command::Lint(args) => (&args.inputs, &args.service_root),
    };
    if let Some(Err(problem)) = service_root.as_deref().map(codegen::check_service_root) {
        eprintln!("codegen: error: {problem}");
        return ExitCode::from(2);
    }
    if let Err(problem) = check_inputs(inputs) {
        eprintln!("codegen: error: {problem}");
        return ExitCode::from(2);
    }
    if let Command::Generate(args) | Command::Check(args) = &cli.command {
        if args.runtime_path.is_some() && args.runtime == RuntimeFrom::Vendored {
            eprintln!(
                "codegen: error: --runtime-path names the runtime crate: give --runtime crate"
            );
            return ExitCode::from(2);
        }
    }
    let printer = Printer::new(cli.message_format);
    match cli.command {
        Command::Generate(args) => generate(&args, false, printer),
        Command::Check(args) => generate(&args, true, printer),
        Command::Lint(args) => lint(&args, printer),
    }
}

/// Whether `--metadata` names a URL rather than a path.
fn is_url(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// Checks the inputs before anything runs: a URL of another scheme (`ftp://`, `file://`) and
/// `--header` without a URL are usage errors.
fn check_inputs(inputs: &Inputs) -> Result<(), String> {
    let other_scheme = |m: &&String| {
        !is_url(m)
            && m.split_once("://").is_some_and(|(scheme, _)| {
                !scheme.is_empty()
                    && scheme
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            })
    };
    if let Some(other) = inputs.metadata.iter().find(other_scheme) {
        return Err(format!(
            "--metadata `{other}`: only http and https URLs are fetched (a file is named by its path)"
        ));
    }
    if !inputs.header.is_empty() && !inputs.metadata.iter().any(|m| is_url(m)) {
        return Err("--header is sent with --metadata URLs, and none is given".to_owned());
    }
    for header in &inputs.header {
        parse_header(header)?;
    }
    Ok(())
}

fn add_inputs(generator: &mut Generator, inputs: &Inputs) {
    for input in &inputs.metadata {
        if is_url(input) {
            generator.metadata_url(input);
        } else {
            generator.metadata(PathBuf::from(input));
        }
    }
    // Checked by `check_inputs` before.
    for (name, value) in inputs.header.iter().filter_map(|h| parse_header(h).ok()) {
        generator.header(name, value);
    }
    generator.fetch_timeout(std::time::Duration::from_secs_f64(inputs.timeout));
}

fn generator(args: &GenerateArgs) -> Generator {
    let mut generator = Generator::new();
    add_inputs(&mut generator, &args.inputs);
    for name in &args.select {
        generator.select(name);
    }
    generator.select_navigation(args.select_navigation);
    if let Some(root) = &args.service_root {
        generator.service_root(root);
    }
    for (selector, attribute) in &args.type_attribute {
        generator.type_attribute(selector, attribute);
    }
    for (property, attribute) in &args.field_attribute {
        generator.field_attribute(property, attribute);
    }
    for (name, path) in &args.extern_type {
        generator.extern_type(name, path);
    }
    if args.runtime == RuntimeFrom::Crate {
        generator.runtime(codegen::Runtime::Crate {
            path: args.runtime_path.clone(),
        });
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

fn generate(args: &GenerateArgs, check_only: bool, printer: Printer) -> ExitCode {
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
        let generator = generator(args);
        let generation = generator.generate_with(|path, text| checking.compare(path, text));
        let Some(files) = files_or_diagnostics(&generation, printer) else {
            return ExitCode::from(1);
        };
        let compared = Compared {
            urls: generator.metadata_urls(),
            recorded: codegen::write::recorded_metadata_urls(out),
        };
        return report_check(out, files, checking.finish(files), &compared);
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
    let Some(files) = files_or_diagnostics(&generation, printer) else {
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
    printer: Printer,
) -> Option<&std::collections::BTreeMap<String, String>> {
    printer.print(&generation.diagnostics, &generation.sources);
    generation.files()
}

/// What `check` compared: the metadata URLs of this run, and those `out/Cargo.toml` records.
struct Compared {
    urls: Vec<String>,
    recorded: Vec<String>,
}

impl Compared {
    /// `; metadata from URL, URL` when the metadata came from URLs.
    fn sources(&self) -> String {
        match self.urls.is_empty() {
            true => String::new(),
            false => format!("; metadata from {}", self.urls.join(", ")),
        }
    }
}

fn report_check(
    out: &std::path::Path,
    files: &std::collections::BTreeMap<String, String>,
    checked: std::io::Result<Vec<codegen::write::Drift>>,
    compared: &Compared,
) -> ExitCode {
    match checked {
        Ok(drift) if drift.is_empty() => {
            eprintln!(
                "codegen: {} is up to date ({} files{})",
                out.display(),
                files.len(),
                compared.sources()
            );
            ExitCode::SUCCESS
        }
        Ok(drift) => {
            for item in &drift {
                eprintln!("{}/{item}", out.display());
            }
            if compared.recorded != compared.urls && !compared.recorded.is_empty() {
                eprintln!(
                    "codegen: note: {} was generated from {}",
                    out.join("Cargo.toml").display(),
                    compared.recorded.join(", ")
                );
            }
            if !compared.urls.is_empty() {
                eprintln!(
                    "codegen: note: compared with metadata from {}",
                    compared.urls.join(", ")
                );
            }
            eprintln!(
                "codegen: error: {} is stale ({} files differ); run `codegen generate` with the options of this check",
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

fn lint(args: &LintArgs, printer: Printer) -> ExitCode {
    use codegen::lint::report;
    let mut generator = Generator::new();
    add_inputs(&mut generator, &args.inputs);
    if let Some(root) = &args.service_root {
        generator.service_root(root);
    }
    let options = match &args.permissions {
        Some(path) => match read_permissions(path) {
            Ok(names) => codegen::lint::Options::with_permissions(names),
            Err(error) => {
                eprintln!(
                    "codegen: error: cannot read the permissions list {}: {error}",
                    path.display()
                );
                return ExitCode::from(1);
            }
        },
        None => codegen::lint::Options::default(),
    };
    let loaded = generator.load();
    let mut all = loaded.diagnostics.clone();
    let report = loaded.lint_with(&options);
    all.extend(report.findings.iter().cloned());
    let sources = &loaded.sources;
    match args.format {
        LintFormat::Human => {
            printer.print(&all, sources);
            for line in report::summary(&all, &report) {
                eprintln!("{line}");
            }
        }
        LintFormat::Json => println!("{}", report::json(&all, &report, sources)),
        LintFormat::Sarif => println!("{}", report::sarif(&all, &report, sources)),
        LintFormat::Github => print!("{}", report::github(&all, &report, sources)),
    }
    let counts = report::counts(&all);
    let failed = counts.errors > 0 || (args.deny_warnings && counts.warnings > 0);
    ExitCode::from(u8::from(failed))
}

/// The permission names of a list: a JSON array of names, a JSON object whose `permissions`
/// member has a key per name (Microsoft Graph's published form), or one name a line.
fn read_permissions(path: &Path) -> Result<Vec<String>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    if !text.trim_start().starts_with(['[', '{']) {
        return Ok(text
            .lines()
            .map(|l| l.split('#').next().unwrap_or("").trim())
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect());
    }
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("not JSON: {e}"))?;
    let names: Vec<String> = match &value {
        serde_json::Value::Array(items) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        serde_json::Value::Object(map) => match map.get("permissions") {
            Some(serde_json::Value::Object(names)) => names.keys().cloned().collect(),
            _ => return Err("a JSON permissions list is an array of names, or an object with a `permissions` object".to_owned()),
        },
        _ => Vec::new(),
    };
    Ok(names)
}
