//! The generated crate's `Cargo.toml`.

use crate::ir::Model;

/// Versions the emitted code is written against.
const FEATURES: &str = r#"# The async client on reqwest (rustls). Without it the crate builds and parses `http` requests
# and responses for any HTTP stack.
client = ["dep:reqwest", "dep:futures-util", "dep:backon", "dep:bytes", "dep:tokio"]
# Values and requests by the metadata's names at run time (for tools and tests).
dynamic = []
# Bearer tokens from the Azure SDK's credentials (`azure_identity`: client secret, managed
# identity, developer tools, ...): `ClientBuilder::azure_credential`. Needs Rust 1.88.
azure-identity = ["client", "dep:azure_core", "dep:azure_identity"]
"#;

const DEPENDENCIES: &str = r#"[dependencies]
azure_core = { version = "1.0", default-features = false, optional = true }
azure_identity = { version = "1.0", optional = true }
backon = { version = "1.6", default-features = false, features = ["std", "tokio-sleep"], optional = true }
base64 = "0.23"
bytes = { version = "1.6", optional = true }
chrono = { version = "0.4.40", default-features = false, features = ["serde", "std"] }
futures-util = { version = "0.3.30", default-features = false, features = ["std", "io"], optional = true }
http = "1.1"
httpdate = "1.0"
percent-encoding = "2.3"
reqwest = { version = "0.12.28", default-features = false, features = ["rustls-tls", "gzip", "stream"], optional = true }
rust_decimal = { version = "1.36", default-features = false, features = ["std"] }
serde = { version = "1.0.200", features = ["derive"] }
serde_json = { version = "1.0.120", features = ["raw_value", "arbitrary_precision", "preserve_order"] }
tokio = { version = "1.38", default-features = false, features = ["time"], optional = true }
url = "2.5"
uuid = { version = "1.10", features = ["serde"] }
"#;

/// The runtime's features with the runtime crate: each turns on the crate's feature of the
/// same name (`futures-util` stays for the client's streams, as in the crate's examples).
const CRATE_FEATURES: &str = r#"# The async client on reqwest (rustls). Without it the crate builds and parses `http` requests
# and responses for any HTTP stack.
client = ["codegen-runtime/client", "dep:futures-util"]
# Values and requests by the metadata's names at run time (for tools and tests).
dynamic = ["codegen-runtime/dynamic"]
# Bearer tokens from the Azure SDK's credentials (`azure_identity`: client secret, managed
# identity, developer tools, ...): `ClientBuilder::azure_credential`. Needs Rust 1.88.
azure-identity = ["client", "codegen-runtime/azure-identity"]
"#;

/// The dependencies with the runtime crate: it, and the crates emitted code names itself
/// (`::serde_json::Value`, ...), at the runtime's versions.
fn crate_dependencies(runtime: &crate::Runtime) -> String {
    let path = match runtime {
        crate::Runtime::Crate { path: Some(path) } => format!(", path = {}", toml_string(path)),
        _ => String::new(),
    };
    let mut lines: Vec<String> = DEPENDENCIES
        .lines()
        .filter(|line| {
            let name = line.split_once(" = ").map_or("", |(name, _)| name);
            ["chrono", "futures-util", "http", "serde", "serde_json"].contains(&name)
        })
        .map(str::to_owned)
        .collect();
    lines.push(format!(
        "{} = {{ version = \"={}\"{path}, default-features = false }}",
        crate::RUNTIME_CRATE,
        crate::RUNTIME_VERSION
    ));
    lines.sort();
    format!("[dependencies]\n{}\n", lines.join("\n"))
}

/// A TOML basic string.
fn toml_string(text: &str) -> String {
    let mut quoted = String::from('"');
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            c if c.is_control() => quoted.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// Whether a package name is that of one of the generated crate's dependencies (`-` and `_`
/// alike, as cargo compares them): such a crate could not sit beside them.
pub fn is_dependency_name(name: &str) -> bool {
    let normalized = |n: &str| n.replace('-', "_");
    DEPENDENCIES
        .lines()
        .filter_map(|line| line.split_once(" = ").map(|(name, _)| name))
        .chain([crate::RUNTIME_CRATE])
        .any(|dependency| normalized(dependency) == normalized(name))
}

/// docs.rs documents every feature, and marks each item with the features it needs; the
/// `docsrs` cfg it sets is declared, so that rustc does not warn about it.
const DOCS: &str = r#"[package.metadata.docs.rs]
all-features = true
rustdoc-args = ["--cfg", "docsrs"]

[lints.rust]
unexpected_cfgs = { level = "warn", check-cfg = ["cfg(docsrs)"] }
"#;

/// The manifest; under its header, one `# metadata: URL` line per metadata URL (so that
/// `codegen check` can say what it compared; no header's value is ever recorded), and one
/// `# with: --extern-type ...` line per extension point given (regenerating needs them).
pub fn cargo_toml(options: &super::EmitOptions<'_>, model: &Model) -> String {
    let (runtime_features, dependencies) = match options.runtime_crate() {
        true => (CRATE_FEATURES, crate_dependencies(options.runtime)),
        false => (FEATURES, DEPENDENCIES.to_owned()),
    };
    let mut header = super::header_comment("#");
    for url in options.metadata_urls {
        header.push_str(crate::METADATA_URL_LINE);
        header.push_str(url);
        header.push('\n');
    }
    for option in options.customizations {
        header.push_str("# with: ");
        header.push_str(&option.replace('\n', " "));
        header.push('\n');
    }
    format!(
        "{header}\n[package]\nname = \"{crate_name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\nrust-version = \"1.85\"\npublish = false\ndescription = \"Rust models generated from OData CSDL metadata\"\n\n{DOCS}\n{features}\n{dependencies}",
        crate_name = options.crate_name,
        features = features(model, runtime_features),
    )
}

/// `[features]`: the runtime's, and one per area; `full` (on by default) is every area. An item
/// several areas reach is gated on one internal feature (`_g-…`, see `gate_feature`) that each
/// of those areas enables.
fn features(model: &Model, runtime: &str) -> String {
    if model.areas.is_empty() {
        return format!("[features]\ndefault = [\"client\"]\n{runtime}");
    }
    let all: Vec<String> = model
        .areas
        .iter()
        .map(|a| format!("\n    \"{}\",", a.feature))
        .collect();
    let mut text = format!(
        "[features]\ndefault = [\"client\", \"full\"]\n{runtime}# Every area below, and the types no area reaches.\nfull = [{}\n]\n\n# One feature per entity set, singleton or operation import: its root and the types (with their request builders) it reaches.\n",
        all.concat()
    );
    let shared: Vec<&crate::ir::Gate> = crate::ir::Gate::all_of(model)
        .into_iter()
        .filter(|g| g.0.len() > 1)
        .collect();
    let mut enables: Vec<Vec<String>> = vec![Vec::new(); model.areas.len()];
    let mut internal: Vec<String> = Vec::new();
    for gate in &shared {
        let feature = super::gate_feature(model, gate);
        for area in &gate.0 {
            enables[area.0].push(format!("\"{feature}\""));
        }
        internal.push(feature);
    }
    for (area, enabled) in model.areas.iter().zip(&mut enables) {
        enabled.sort();
        enabled.dedup();
        text.push_str(&format!("{} = [{}]\n", area.feature, enabled.join(", ")));
    }
    internal.sort();
    internal.dedup();
    if !internal.is_empty() {
        text.push_str("\n# Internal: what several areas compile, enabled by each of them (not to be named directly).\n");
        for feature in internal {
            text.push_str(&format!("{feature} = []\n"));
        }
    }
    text
}

#[cfg(test)]
mod tests {
    /// The runtime crate's manifest (`codegen/templates/Cargo.toml`).
    const RUNTIME_MANIFEST: &str = include_str!("../../templates/Cargo.toml");

    /// The runtime crate builds the templates as a vendored crate does: the same dependencies
    /// and runtime features, and the version a crate on it pins.
    #[test]
    fn the_runtime_crate_has_the_vendored_crate_s_dependencies_features_and_our_version() {
        let dependencies = &RUNTIME_MANIFEST[RUNTIME_MANIFEST
            .find("[dependencies]\n")
            .expect("the runtime crate has dependencies")..];
        assert_eq!(dependencies, super::DEPENDENCIES);
        assert!(RUNTIME_MANIFEST.contains(super::FEATURES));
        assert!(RUNTIME_MANIFEST.contains(&format!(
            "\nname = \"{}\"\nversion = \"{}\"\n",
            crate::RUNTIME_CRATE,
            crate::RUNTIME_VERSION
        )));
    }
}
