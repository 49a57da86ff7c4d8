//! Build-script mode: the generation as one Rust file in `OUT_DIR`, which the crate
//! `include!`s, on the runtime crate (`codegen-runtime`). See `codegen/guide/build-script.md`.
//!
//! The files of a crate generated with [`Runtime::Crate`](crate::Runtime) are joined into one:
//! each `mod name;` becomes `mod name { ... }` with its file's items (a file holding `mod`
//! declarations would resolve them beside itself once included, not beside `OUT_DIR`'s file).
//! What only a package has goes: the manifest, the crate's docs and inner attributes, and the
//! cargo features (areas are left out, every item compiled: `Generator::select` chooses what
//! is generated; `client` and `dynamic` are chosen here). Paths are rewritten for where the
//! file is included: `crate::x` becomes `crate::MODULE::x`, and the crates emitted code names
//! (`::serde_json::Value`, ...) are reached through the runtime crate
//! (`::codegen_runtime::deps::serde_json::Value`), so that the including crate needs no other
//! dependency.

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::io::Write;
use std::path::PathBuf;

use proc_macro2::{Ident, Punct, Spacing, Span, TokenStream, TokenTree};
use syn::visit_mut::VisitMut;

use crate::diagnostics::MessageFormat;
use crate::{Generator, Runtime};

/// The crates emitted code names by absolute paths, which the runtime crate re-exports from
/// its `deps` module.
const DEPENDENCIES: [&str; 4] = ["chrono", "http", "serde", "serde_json"];

/// Runs a [`Generator`] from a crate's `build.rs`: writes the models and request builders as
/// one Rust file into `OUT_DIR`, for the crate to `include!`; prints
/// `cargo:rerun-if-changed` for every input, and each diagnostic as a `cargo:warning`
/// (`path:line:col: error: message`), with the errors again on stderr as rustc shows its own.
/// Made by [`Generator::build_script`].
///
/// The file's code depends on the runtime crate, `codegen-runtime` (a dependency of the
/// including crate; the file names it `::codegen_runtime`), which it re-exports as its
/// `support` and `request` modules. Its paths start from the module that includes it,
/// [`BuildScript::module`] (by default the crate root):
///
/// ```no_run
/// // build.rs
/// fn main() -> Result<(), codegen::BuildScriptError> {
///     codegen::Generator::new()
///         .metadata("metadata")
///         .build_script()
///         .module("graph")
///         .run()?;
///     Ok(())
/// }
/// ```
///
/// ```ignore
/// // src/lib.rs
/// pub mod graph {
///     include!(concat!(env!("OUT_DIR"), "/odata.rs"));
/// }
/// ```
#[derive(Clone, Debug)]
pub struct BuildScript {
    generator: Generator,
    module: String,
    file_name: String,
    client: bool,
    dynamic: bool,
    out_dir: Option<PathBuf>,
}

impl BuildScript {
    pub(crate) fn new(generator: Generator) -> Self {
        BuildScript {
            generator,
            module: String::new(),
            file_name: "odata.rs".to_owned(),
            client: true,
            dynamic: false,
            out_dir: None,
        }
    }

    /// The module whose body `include!`s the file, as a path from the crate root (`graph`,
    /// `api::graph`, or `crate::api::graph`); `""` (the default) is the crate root itself.
    pub fn module(mut self, path: impl Into<String>) -> Self {
        self.module = path.into();
        self
    }

    /// The file's name in `OUT_DIR` (default `odata.rs`).
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = name.into();
        self
    }

    /// Whether the file has the client's requests (`client.users()` on its `client::Client`),
    /// which need the runtime crate's `client` feature (on by default). Default: `true`.
    pub fn client(mut self, client: bool) -> Self {
        self.client = client;
        self
    }

    /// Whether the file has the `dynamic` module and the requests by name, which need the
    /// runtime crate's `dynamic` feature. Default: `false`.
    pub fn dynamic(mut self, dynamic: bool) -> Self {
        self.dynamic = dynamic;
        self
    }

    /// Where the file goes, instead of the `OUT_DIR` cargo gives a build script.
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// Generates, and writes the file if its content changed (so that an unchanged
    /// generation does not rebuild the crate).
    ///
    /// # Errors
    /// The metadata's errors (each also printed, located), no `OUT_DIR`, a module path that
    /// is not one, or a file that cannot be written.
    pub fn run(&self) -> Result<PathBuf, BuildScriptError> {
        self.run_printing(&mut std::io::stdout().lock(), &mut std::io::stderr().lock())
    }

    /// [`run`](Self::run), printing cargo's instructions to `directives` and the errors as
    /// rustc shows its own to `messages`.
    fn run_printing(
        &self,
        directives: &mut dyn Write,
        messages: &mut dyn Write,
    ) -> Result<PathBuf, BuildScriptError> {
        let module = module_path(&self.module).map_err(BuildScriptError::new)?;
        if self.file_name.is_empty() || self.file_name.contains(['/', '\\']) {
            return Err(BuildScriptError::new(format!(
                "`{}` is not a file name",
                self.file_name
            )));
        }
        let out_dir = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or_else(|| {
                    BuildScriptError::new(
                        "OUT_DIR is not set: run this from a build script, or give BuildScript::out_dir",
                    )
                })?,
        };
        // Printing fails only when cargo is gone; the generation goes on all the same.
        for line in rerun_directives(&self.generator.metadata) {
            let _ = writeln!(directives, "{line}");
        }
        let runtime = Runtime::Crate { path: None };
        let generation = self.generator.generate_for(&runtime, true, |_, _| {});
        let mut errors = Vec::new();
        for diagnostic in &generation.diagnostics {
            let short = diagnostic.render(&generation.sources);
            for line in short.lines() {
                let _ = writeln!(directives, "cargo:warning={line}");
            }
            if diagnostic.is_error() {
                let human = MessageFormat::Human.render(diagnostic, &generation.sources, false);
                let _ = writeln!(messages, "{human}\n");
                errors.extend(short.lines().map(str::to_owned));
            }
        }
        let Some(files) = generation.files() else {
            let count = generation
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .count();
            let plural = if count == 1 { "" } else { "s" };
            return Err(BuildScriptError {
                message: format!("codegen: the metadata has {count} error{plural}"),
                diagnostics: errors,
            });
        };
        let text =
            bundle(files, &module, self.client, self.dynamic).map_err(BuildScriptError::new)?;
        let path = out_dir.join(&self.file_name);
        let cannot_write = |e: std::io::Error| {
            BuildScriptError::new(format!("cannot write {}: {e}", path.display()))
        };
        if std::fs::read(&path).ok().as_deref() != Some(text.as_bytes()) {
            std::fs::create_dir_all(&out_dir).map_err(cannot_write)?;
            std::fs::write(&path, text).map_err(cannot_write)?;
        }
        Ok(path)
    }
}

/// Why a [`BuildScript`] wrote nothing: the metadata's errors, each located
/// (`path:line:col: error: message`), or what else stopped it. Its `Debug` is its `Display`,
/// so that `fn main() -> Result<(), BuildScriptError>` and `.unwrap()` print it readably.
pub struct BuildScriptError {
    message: String,
    diagnostics: Vec<String>,
}

impl BuildScriptError {
    fn new(message: impl Into<String>) -> Self {
        BuildScriptError {
            message: message.into(),
            diagnostics: Vec::new(),
        }
    }

    /// The metadata's errors, one `path:line:col: error: message` line each (with `note:`
    /// lines for related places); empty when something else failed.
    pub fn diagnostics(&self) -> &[String] {
        &self.diagnostics
    }
}

impl fmt::Display for BuildScriptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        for line in &self.diagnostics {
            write!(f, "\n{line}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for BuildScriptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for BuildScriptError {}

/// `cargo:rerun-if-changed` for each metadata path as given (a directory: cargo looks for
/// any change under it, a new file included) and each file found under them.
fn rerun_directives(metadata: &[PathBuf]) -> Vec<String> {
    let mut paths: Vec<PathBuf> = metadata.to_vec();
    if let Ok(found) = crate::input::discover_all(metadata) {
        paths.extend(found.files.into_iter().map(|(path, _)| path));
    }
    let mut seen = HashSet::new();
    paths
        .iter()
        .map(|path| path.display().to_string())
        // A line break would end cargo's instruction early.
        .filter(|path| !path.contains(['\n', '\r']) && seen.insert(path.clone()))
        .map(|path| format!("cargo:rerun-if-changed={path}"))
        .collect()
}

/// `graph`, `api::graph` or `crate::api::graph` as its segments below the crate root.
fn module_path(path: &str) -> Result<Vec<String>, String> {
    let path = path.trim();
    let path = path.strip_prefix("crate").map_or(path, |rest| {
        rest.strip_prefix("::")
            .unwrap_or(if rest.is_empty() { "" } else { path })
    });
    if path.is_empty() {
        return Ok(Vec::new());
    }
    path.split("::")
        .map(|segment| {
            let segment = segment.trim();
            let name = segment.strip_prefix("r#").unwrap_or(segment);
            let valid = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && name != "_"
                && (segment.starts_with("r#") || !crate::is_rust_keyword(name));
            match valid {
                true => Ok(segment.to_owned()),
                false => Err(format!(
                    "BuildScript::module: `{path}` is not a module path (`graph`, `api::graph`)"
                )),
            }
        })
        .collect()
}

/// The crate's files (from `src/lib.rs`) as one file, for `module`.
fn bundle(
    files: &BTreeMap<String, String>,
    module: &[String],
    client: bool,
    dynamic: bool,
) -> Result<String, String> {
    let mut file = parse(files, "src/lib.rs")?;
    // The crate's docs and inner attributes are the package's: an included file has none.
    file.attrs.clear();
    inline_modules(&mut file.items, files, "src/lib.rs")?;
    resolve_features(&mut file.items, client, dynamic)?;
    Paths {
        module: module.iter().map(|s| ident(s)).collect(),
    }
    .visit_file_mut(&mut file);
    let place = match module {
        [] => "the crate root".to_owned(),
        module => format!("`crate::{}`", module.join("::")),
    };
    Ok(format!(
        "{}// For `include!` at {place}: its paths start there. On the `codegen-runtime` crate.\n\n{}",
        crate::emit::header_comment("//"),
        crate::format::space_out_items(&prettyplease::unparse(&file))
    ))
}

fn parse(files: &BTreeMap<String, String>, path: &str) -> Result<syn::File, String> {
    let text = files
        .get(path)
        .ok_or_else(|| format!("internal error: the generation has no {path}"))?;
    syn::parse_file(text).map_err(|e| format!("internal error: {path} is not valid Rust: {e}"))
}

/// Replaces each `mod name;` with `mod name { ... }` holding its file's items (and its inner
/// attributes: the module's docs), as rustc would find the file from `path`'s.
fn inline_modules(
    items: &mut [syn::Item],
    files: &BTreeMap<String, String>,
    path: &str,
) -> Result<(), String> {
    let dir = match path.strip_suffix("/mod.rs") {
        Some(dir) => dir.to_owned(),
        None if path == "src/lib.rs" => "src".to_owned(),
        None => path.trim_end_matches(".rs").to_owned(),
    };
    for item in items {
        let syn::Item::Mod(module) = item else {
            continue;
        };
        if module.content.is_some() {
            continue;
        }
        let name = module.ident.to_string();
        let name = name.strip_prefix("r#").unwrap_or(&name);
        let file_path = [format!("{dir}/{name}.rs"), format!("{dir}/{name}/mod.rs")]
            .into_iter()
            .find(|candidate| files.contains_key(candidate))
            .ok_or_else(|| format!("internal error: no file for `mod {name};` of {path}"))?;
        let mut file = parse(files, &file_path)?;
        inline_modules(&mut file.items, files, &file_path)?;
        module.attrs.extend(file.attrs);
        module.content = Some((syn::token::Brace::default(), file.items));
        module.semi = None;
    }
    Ok(())
}

/// Compiles the items gated on the runtime's features `client` and `dynamic` (without their
/// `cfg`) or leaves them out, as chosen; no other feature gate is left once areas are.
fn resolve_features(items: &mut Vec<syn::Item>, client: bool, dynamic: bool) -> Result<(), String> {
    let mut failure = None;
    items.retain_mut(|item| {
        let Some(attrs) = item_attrs(item) else {
            return true;
        };
        let mut keep = true;
        attrs.retain(|attr| match feature_gate(attr) {
            Some(feature) if feature == "client" => {
                keep &= client;
                false
            }
            Some(feature) if feature == "dynamic" => {
                keep &= dynamic;
                false
            }
            Some(feature) => {
                failure = Some(format!(
                    "internal error: the feature gate `{feature}` is left in a build script's file"
                ));
                true
            }
            None => true,
        });
        keep
    });
    if let Some(failure) = failure {
        return Err(failure);
    }
    for item in items {
        if let syn::Item::Mod(syn::ItemMod {
            content: Some((_, inner)),
            ..
        }) = item
        {
            resolve_features(inner, client, dynamic)?;
        }
    }
    Ok(())
}

/// The feature of `#[cfg(feature = "...")]`.
fn feature_gate(attr: &syn::Attribute) -> Option<String> {
    if !attr.path().is_ident("cfg") {
        return None;
    }
    let meta: syn::MetaNameValue = attr.parse_args().ok()?;
    match &meta.value {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(feature),
            ..
        }) if meta.path.is_ident("feature") => Some(feature.value()),
        _ => None,
    }
}

fn item_attrs(item: &mut syn::Item) -> Option<&mut Vec<syn::Attribute>> {
    use syn::Item;
    Some(match item {
        Item::Const(i) => &mut i.attrs,
        Item::Enum(i) => &mut i.attrs,
        Item::Fn(i) => &mut i.attrs,
        Item::Impl(i) => &mut i.attrs,
        Item::Macro(i) => &mut i.attrs,
        Item::Mod(i) => &mut i.attrs,
        Item::Static(i) => &mut i.attrs,
        Item::Struct(i) => &mut i.attrs,
        Item::Trait(i) => &mut i.attrs,
        Item::Type(i) => &mut i.attrs,
        Item::Union(i) => &mut i.attrs,
        Item::Use(i) => &mut i.attrs,
        _ => return None,
    })
}

fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// Rewrites paths for the file's place: `crate::x` to `crate::MODULE::x` (in code, in macro
/// bodies, where `$crate::x` is rewritten too, and in doc links), and `::serde::x` (and the
/// other [`DEPENDENCIES`]) to `::codegen_runtime::deps::serde::x` (in macro tokens too).
struct Paths {
    module: Vec<Ident>,
}

impl Paths {
    /// `crate :: x` and `$crate :: x` in a macro's tokens, with the module's segments after
    /// `crate`; `:: serde :: x` with `codegen_runtime :: deps` before `serde`.
    fn tokens(&self, tokens: TokenStream) -> TokenStream {
        let tokens: Vec<TokenTree> = tokens.into_iter().collect();
        let mut out = Vec::with_capacity(tokens.len());
        for (index, token) in tokens.iter().enumerate() {
            match token {
                TokenTree::Group(group) => {
                    let mut rewritten =
                        proc_macro2::Group::new(group.delimiter(), self.tokens(group.stream()));
                    rewritten.set_span(group.span());
                    out.push(TokenTree::Group(rewritten));
                }
                TokenTree::Ident(name)
                    if DEPENDENCIES.contains(&name.to_string().as_str())
                        && index >= 2
                        && is_path_separator(&tokens[index - 2..])
                        && starts_path(&tokens[..index - 2]) =>
                {
                    for segment in ["codegen_runtime", "deps"] {
                        out.push(ident(segment).into());
                        out.push(Punct::new(':', Spacing::Joint).into());
                        out.push(Punct::new(':', Spacing::Alone).into());
                    }
                    out.push(token.clone());
                }
                TokenTree::Ident(name)
                    if name == "crate" && is_path_separator(&tokens[index + 1..]) =>
                {
                    out.push(token.clone());
                    for segment in &self.module {
                        out.push(Punct::new(':', Spacing::Joint).into());
                        out.push(Punct::new(':', Spacing::Alone).into());
                        out.push(segment.clone().into());
                    }
                }
                _ => out.push(token.clone()),
            }
        }
        out.into_iter().collect()
    }

    /// Doc text: `crate::x` links.
    fn docs(&self, text: &str) -> String {
        if self.module.is_empty() {
            return text.to_owned();
        }
        let prefix: String = self.module.iter().map(|s| format!("{s}::")).collect();
        text.replace("crate::", &format!("crate::{prefix}"))
    }
}

/// Whether a `::` after `before` starts a path (`&::serde_json::Map`, `-> ::serde::X`,
/// `impl ::serde::Serialize`) rather than continuing one (`a::serde`, `self::serde`).
fn starts_path(before: &[TokenTree]) -> bool {
    match before {
        [] => true,
        [.., TokenTree::Ident(word)] => {
            let word = word.to_string();
            crate::is_rust_keyword(&word)
                && !matches!(word.as_str(), "crate" | "self" | "super" | "Self")
        }
        [.., TokenTree::Literal(_)] => false,
        // After `>` too (`impl<'de> ::serde::Deserialize<'de>`): a generic type's associated
        // item named after a dependency (`Vec<T>::serde`) is not in generated code.
        [.., TokenTree::Punct(_) | TokenTree::Group(_)] => true,
    }
}

fn is_path_separator(tokens: &[TokenTree]) -> bool {
    matches!(
        tokens,
        [TokenTree::Punct(a), TokenTree::Punct(b), ..]
            if a.as_char() == ':' && a.spacing() == Spacing::Joint && b.as_char() == ':'
    )
}

impl VisitMut for Paths {
    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        syn::visit_mut::visit_path_mut(self, path);
        let first = path.segments.first().map(|s| s.ident.to_string());
        match first.as_deref() {
            // `pub(crate)` is a path of one segment, and stays.
            Some("crate") if path.leading_colon.is_none() && path.segments.len() > 1 => {
                let segments = std::mem::take(&mut path.segments);
                let mut segments = segments.into_iter();
                path.segments = segments
                    .next()
                    .into_iter()
                    .chain(self.module.iter().cloned().map(syn::PathSegment::from))
                    .chain(segments)
                    .collect();
            }
            Some(dependency)
                if path.leading_colon.is_some() && DEPENDENCIES.contains(&dependency) =>
            {
                let segments = std::mem::take(&mut path.segments);
                path.segments = [ident("codegen_runtime"), ident("deps")]
                    .map(syn::PathSegment::from)
                    .into_iter()
                    .chain(segments)
                    .collect();
            }
            _ => {}
        }
    }

    fn visit_item_use_mut(&mut self, item: &mut syn::ItemUse) {
        syn::visit_mut::visit_item_use_mut(self, item);
        if let syn::UseTree::Path(path) = &mut item.tree {
            if item.leading_colon.is_none() && path.ident == "crate" {
                for segment in self.module.iter().rev() {
                    let placeholder = syn::UseTree::Glob(syn::UseGlob {
                        star_token: Default::default(),
                    });
                    let inner = std::mem::replace(&mut *path.tree, placeholder);
                    *path.tree = syn::UseTree::Path(syn::UsePath {
                        ident: segment.clone(),
                        colon2_token: Default::default(),
                        tree: Box::new(inner),
                    });
                }
            }
        }
    }

    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        syn::visit_mut::visit_macro_mut(self, mac);
        if !self.module.is_empty() {
            mac.tokens = self.tokens(std::mem::take(&mut mac.tokens));
        }
    }

    fn visit_attribute_mut(&mut self, attr: &mut syn::Attribute) {
        syn::visit_mut::visit_attribute_mut(self, attr);
        if let syn::Meta::NameValue(doc) = &mut attr.meta {
            if let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(text),
                ..
            }) = &mut doc.value
            {
                if doc.path.is_ident("doc") && text.value().contains("crate::") {
                    *text = syn::LitStr::new(&self.docs(&text.value()), text.span());
                }
            }
        }
    }
}

/// Cargo instructions as `run` prints them, with the errors it returns, for tests.
#[cfg(test)]
fn run_captured(script: &BuildScript) -> (String, String, Result<PathBuf, BuildScriptError>) {
    let (mut directives, mut messages) = (Vec::new(), Vec::new());
    let result = script.run_printing(&mut directives, &mut messages);
    (
        String::from_utf8(directives).unwrap(),
        String::from_utf8(messages).unwrap(),
        result,
    )
}

#[cfg(test)]
mod tests {
    use super::{module_path, run_captured};
    use crate::Generator;

    const SERVICE: &str = r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="shop" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="item">
        <Key><PropertyRef Name="id" /></Key>
        <Property Name="id" Type="Edm.String" Nullable="false" />
        <Property Name="size" Type="SIZE" />
      </EntityType>
      <EntityContainer Name="Shop">
        <EntitySet Name="items" EntityType="shop.item" />
      </EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#;

    fn temp_dir(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "codegen-build-script-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn bad_metadata_fails_with_located_diagnostics_and_writes_nothing() {
        let dir = temp_dir("bad");
        let input = dir.join("shop.xml");
        std::fs::write(&input, SERVICE.replace("SIZE", "shop.nowhere")).unwrap();
        let script = Generator::new()
            .metadata(&input)
            .build_script()
            .out_dir(dir.join("out"));
        let (directives, messages, result) = run_captured(&script);
        let error = result.unwrap_err();
        let located = format!(
            "{}:7:31: error: unknown type `shop.nowhere`",
            input.display()
        );
        assert_eq!(error.diagnostics(), std::slice::from_ref(&located));
        assert!(error.to_string().ends_with(&located), "{error}");
        assert!(
            directives.contains(&format!("cargo:warning={located}\n")),
            "{directives}"
        );
        assert!(
            directives.starts_with(&format!("cargo:rerun-if-changed={}\n", input.display())),
            "{directives}"
        );
        // The human form, with the source line, for the build's stderr.
        assert!(messages.contains("^^^^^^^^^^^^"), "{messages}");
        assert!(!dir.join("out").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_file_is_written_once_for_its_module_and_rerun_follows_every_input() {
        let dir = temp_dir("good");
        std::fs::create_dir_all(dir.join("metadata/docs")).unwrap();
        std::fs::write(
            dir.join("metadata/shop.xml"),
            SERVICE.replace("SIZE", "Edm.Int32"),
        )
        .unwrap();
        let script = Generator::new()
            .metadata(dir.join("metadata"))
            .build_script()
            .module("crate::api::shop")
            .out_dir(&dir);
        let (directives, _, result) = run_captured(&script);
        let path = result.unwrap();
        assert_eq!(path, dir.join("odata.rs"));
        let root = dir.join("metadata");
        assert_eq!(
            directives,
            format!(
                "cargo:rerun-if-changed={}\ncargo:rerun-if-changed={}\n",
                root.display(),
                root.join("shop.xml").display()
            )
        );
        let text = std::fs::read_to_string(&path).unwrap();
        for expected in [
            "// For `include!` at `crate::api::shop`",
            "pub use ::codegen_runtime::request;",
            "crate::api::shop::support::dispatch_from",
            "::codegen_runtime::deps::serde_json::Value",
            // In a macro's tokens too (prettyplease spaces them), after a keyword and `>`.
            "::codegen_runtime::deps::serde::Serialize for $name",
            "::codegen_runtime::deps::serde::Deserialize <'de > for $name",
            "impl crate::api::shop::client::Client {",
            "pub fn items() -> crate::api::shop::requests::shop::ItemCollectionRequest",
        ] {
            assert!(text.contains(expected), "no {expected:?} in:\n{text}");
        }
        for absent in [
            "#![",
            "\n//!",
            "cfg(feature",
            " ::serde_json::",
            "mod item;",
            "crate::support",
        ] {
            assert!(!text.contains(absent), "{absent:?} in:\n{text}");
        }
        // Unchanged, the file is not written again (its mtime stays, so nothing rebuilds).
        let written = std::fs::metadata(&path).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        run_captured(&script).2.unwrap();
        assert_eq!(
            std::fs::metadata(&path).unwrap().modified().unwrap(),
            written
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_client_and_dynamic_features_are_chosen_by_the_build_script() {
        let dir = temp_dir("features");
        let input = dir.join("shop.xml");
        std::fs::write(&input, SERVICE.replace("SIZE", "Edm.Int32")).unwrap();
        let script = Generator::new()
            .metadata(&input)
            .build_script()
            .client(false)
            .dynamic(true)
            .file_name("shop.rs")
            .out_dir(&dir);
        let text = std::fs::read_to_string(run_captured(&script).2.unwrap()).unwrap();
        for absent in ["mod client", "impl crate::client::Client", "with_client("] {
            assert!(!text.contains(absent), "{absent:?} in:\n{text}");
        }
        assert!(text.contains("pub mod dynamic {"), "{text}");
        assert!(
            text.contains("impl crate::request::DynamicPath for"),
            "{text}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn module_paths_are_read_from_the_crate_root() {
        assert_eq!(module_path("").unwrap(), Vec::<String>::new());
        assert_eq!(module_path("crate").unwrap(), Vec::<String>::new());
        assert_eq!(module_path("graph").unwrap(), ["graph"]);
        assert_eq!(module_path("crate::api::graph").unwrap(), ["api", "graph"]);
        assert_eq!(module_path("r#type").unwrap(), ["r#type"]);
        assert_eq!(module_path("crater").unwrap(), ["crater"]);
        for bad in ["a::", "::a", "a-b", "type", "1a", "a b"] {
            assert!(module_path(bad).is_err(), "{bad}");
        }
    }
}
