//! A code generator for OData CSDL metadata (and Microsoft Graph docs pages): it reads the
//! metadata, resolves it into one intermediate model ([`ir::Model`]) and emits a Rust crate of
//! models and requests.
//!
//! The pipeline flows one way: parse (CSDL with quick-xml, pages with pulldown-cmark) →
//! resolve into the [`ir`] → emit syntax trees (from `quote`-written templates, parsed once)
//! → format them into source text (prettyplease) → [`write`](mod@write) the files under the
//! output directory. The public API is small, as prost-build's is:
//!
//! - [`Generator`], a builder that runs it all, and its results: [`Generation`] (the files
//!   and diagnostics) and [`Loaded`] (the model, for [`lint`](mod@lint));
//! - [`ir`], a read-only view of the model the emitters read;
//! - [`diagnostics`], the located errors and warnings;
//! - [`write`](mod@write), which writes a generation (only changed files, all or nothing) or
//!   compares it with a directory;
//! - [`BuildScript`], the same generation from a `build.rs`: one file in `OUT_DIR` that the
//!   crate `include!`s, on the `codegen-runtime` crate ([`Runtime`]; guide:
//!   `codegen/guide/build-script.md`).
//!
//! The stages themselves are public only with the `internals` feature (for the benchmark, the
//! fuzz targets and the integration tests).
//!
//! ```no_run
//! let generation = codegen::Generator::new()
//!     .metadata("metadata")
//!     .crate_name("office-configuration")
//!     .generate();
//! for line in generation.rendered_diagnostics() {
//!     eprintln!("{line}");
//! }
//! if let Some(files) = generation.files() {
//!     codegen::write::write("generated".as_ref(), files)?;
//! }
//! # Ok::<(), std::io::Error>(())
//! ```

// The public API is documented in full; the stages, public only with `internals`, are not.
#![cfg_attr(not(feature = "internals"), deny(missing_docs))]

mod build_script;
pub mod diagnostics;
#[deny(missing_docs)]
pub mod ir;
#[deny(missing_docs)]
pub mod lint;
pub mod source;
pub mod write;

/// The stages and their helpers. They are public only with the `internals` feature, for the
/// benchmark (which times each stage), the fuzz targets (which drive the parsers) and the
/// integration tests; they are not a stable API.
macro_rules! internal_modules {
    ($($(#[$attr:meta])* $module:ident;)*) => {
        $(
            $(#[$attr])*
            #[cfg(feature = "internals")]
            #[doc(hidden)]
            pub mod $module;
            $(#[$attr])*
            #[cfg(not(feature = "internals"))]
            mod $module;
        )*
    };
}

internal_modules! {
    bidi;
    csdl;
    emit;
    format;
    input;
    pages;
    resolve;
    schedule;
}

pub use build_script::{BuildScript, BuildScriptError};
pub use emit::{RuntimeModule, RUNTIME};

/// The runtime crate's package name (its library is `codegen_runtime`), as the manifest of a
/// crate generated with [`Runtime::Crate`] names it.
pub const RUNTIME_CRATE: &str = "codegen-runtime";

/// The runtime crate's version: the generator's own, which a generated crate pins exactly
/// (`=0.1.0`), since emitted code and runtime change together.
pub const RUNTIME_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Where a generated crate's runtime (the `support`, `request` and `client` modules: JSON
/// support, sans-IO requests, the reqwest client) comes from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Runtime {
    /// Copied into the crate (`src/support/`, `src/request/`, `src/client.rs`), which then
    /// builds with no crate of ours: the default.
    #[default]
    Vendored,
    /// A dependency on the `codegen-runtime` crate ([`RUNTIME_CRATE`]), which the crate
    /// re-exports as its `support` and `request` modules; its `client::Client` wraps the
    /// runtime's to add the service's requests. The manifest names the crate by its exact
    /// version ([`RUNTIME_VERSION`]) and, given `path` (as the manifest writes it: relative to
    /// the generated crate's directory, or absolute), by path too, for a checkout of this
    /// repository (`codegen/templates`).
    Crate {
        /// The runtime crate's directory, for a path dependency.
        path: Option<String>,
    },
}

/// The limits on input that the parsers enforce: past them, a located error.
pub mod limits {
    pub use crate::csdl::{MAX_DEPTH, MAX_VALUE_BYTES};
    #[cfg(feature = "fetch")]
    pub use crate::input::fetch::{CONNECT_TIMEOUT, MAX_DOCUMENTS, MAX_REDIRECTS, TIMEOUT};
    pub use crate::input::MAX_FILE_BYTES;
}

/// How the generated `Cargo.toml` records each metadata URL, on a line of its own under the
/// `@generated` header: this prefix, then the URL.
pub const METADATA_URL_LINE: &str = "# metadata: ";

use std::collections::BTreeMap;
use std::path::PathBuf;

use diagnostics::{Diagnostic, Diagnostics};
use input::InputKind;
use source::SourceMap;

/// Configures and runs a generation.
#[derive(Clone, Debug, Default)]
pub struct Generator {
    metadata: Vec<PathBuf>,
    texts: Vec<(PathBuf, String)>,
    selection: resolve::Selection,
    crate_name: Option<String>,
    url_conventions: Option<ir::UrlConventions>,
    service_root: Option<String>,
    customizations: resolve::customize::Customizations,
    runtime: Runtime,
    /// Metadata URLs, as given.
    #[cfg(feature = "fetch")]
    urls: Vec<String>,
    #[cfg(feature = "fetch")]
    fetch: input::fetch::FetchOptions,
}

impl Generator {
    /// A generator with no input yet; add some with [`Generator::metadata`] or
    /// [`Generator::text`].
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a metadata file or directory (read recursively).
    pub fn metadata(&mut self, path: impl Into<PathBuf>) -> &mut Self {
        self.metadata.push(path.into());
        self
    }

    /// Adds a metadata URL (`http` or `https`, such as a service's `$metadata`): fetched with
    /// the [`header`](Self::header)s, and the documents its references point to that the
    /// model needs with it (see the guide, `codegen/guide/inputs.md`). The URL is recorded in
    /// the generated `Cargo.toml` (`# metadata: URL`); headers never are.
    ///
    /// A URL that is not `http(s)`, holds a user name or password, or cannot be fetched
    /// (status, timeout, too large, not CSDL) is an error of the generation.
    #[cfg(feature = "fetch")]
    pub fn metadata_url(&mut self, url: impl Into<String>) -> &mut Self {
        self.urls.push(url.into());
        self
    }

    /// A header sent with every request to the origin (scheme, host, port) of the metadata
    /// URLs, such as `Authorization: Bearer ...`; never sent to another host, printed or
    /// recorded. A name that is no HTTP field name, or a value with a line break, is an error
    /// of the generation (naming the header, not its value).
    #[cfg(feature = "fetch")]
    pub fn header(&mut self, name: impl Into<String>, value: impl Into<String>) -> &mut Self {
        self.fetch.headers.push((name.into(), value.into()));
        self
    }

    /// The longest exchange for one metadata document, redirects and body included (default
    /// 100 s; connecting may take 10 s of it).
    #[cfg(feature = "fetch")]
    pub fn fetch_timeout(&mut self, timeout: std::time::Duration) -> &mut Self {
        self.fetch.timeout = timeout;
        self
    }

    /// The metadata URLs as the generated `Cargo.toml` records them (normalized, RFC 3986),
    /// with every query value written `***`: a query may hold a token (`?access_token=`).
    pub fn metadata_urls(&self) -> Vec<String> {
        #[cfg(feature = "fetch")]
        return self
            .urls
            .iter()
            .filter_map(|u| input::fetch::parse_url(u).ok())
            .map(|u| input::fetch::redacted(&u))
            .collect();
        #[cfg(not(feature = "fetch"))]
        Vec::new()
    }

    /// Adds metadata held in memory; `name` stands for its path in diagnostics, and its
    /// extension says what it is, as for files (`.xml`, `.json`, `.md`, ...); without one, text
    /// that starts with `<` or `{` is CSDL (XML or JSON).
    pub fn text(&mut self, name: impl Into<PathBuf>, text: impl Into<String>) -> &mut Self {
        self.texts.push((name.into(), text.into()));
        self
    }

    /// Generates only what the named entity set, singleton, operation import or type reaches:
    /// its types, what they contain, their base types, the derived types of those whose values
    /// it exchanges, the types of their structural properties, and the operations bound to
    /// them with their parameter and return types. Navigation to another entity (not
    /// contained) is not followed, unless [`select_navigation`](Self::select_navigation) says
    /// so: such a property whose type the selection does not keep otherwise is not generated
    /// (its JSON member is read into the struct's `additional_properties`), with one warning.
    pub fn select(&mut self, name: impl Into<String>) -> &mut Self {
        self.selection.names.push(name.into());
        self
    }

    /// Whether [`select`](Self::select) follows navigation properties that are not contained
    /// too (default `false`): the closure before areas, which in Microsoft Graph reaches almost
    /// the whole service from any entity set.
    pub fn select_navigation(&mut self, follow: bool) -> &mut Self {
        self.selection.navigation = follow;
        self
    }

    /// How keys and bound operations are written in URLs, overriding what the metadata
    /// declares with `Capabilities.KeyAsSegmentSupported` (without it, the OData default: keys
    /// in parentheses, OData URL Conventions 4.01 §4.3.1) and how operations are qualified.
    /// Operations of a schema annotated `Core.DefaultNamespace` are written unqualified
    /// whatever this says, as the annotation allows. [`ir::UrlConventions::GRAPH`] is Microsoft
    /// Graph's form.
    pub fn url_conventions(&mut self, conventions: ir::UrlConventions) -> &mut Self {
        self.url_conventions = Some(conventions);
        self
    }

    /// The service root the generated client uses when its user gives none (default: Microsoft
    /// Graph's beta endpoint for the `microsoft.graph` namespace, and none otherwise, so that
    /// the client asks for one rather than sending tokens to a host the user did not name).
    /// It must pass [`check_service_root`]; otherwise the generation has that error and no
    /// files.
    pub fn service_root(&mut self, url: impl Into<String>) -> &mut Self {
        self.service_root = Some(url.into());
        self
    }

    /// Adds an outer attribute (or several, as written: `#[derive(Hash, Eq)]`,
    /// `#[cfg_attr(feature = "x", derive(...))]`) to the struct or enum generated for the
    /// types `selector` names: a qualified type name (`Namespace.Type`, or with the
    /// namespace's alias), a namespace (all of its types), or `.` (every type). Generated
    /// structs derive `Clone`, `Debug`, `Default` and `PartialEq`, enumerations also `Eq`,
    /// `Hash`, `Copy` where they can; what an attribute adds must hold for the fields (a
    /// `derive(Hash)` on a struct with a `Double` does not compile).
    ///
    /// A selector that names nothing, or text that is no outer attribute, is an error of the
    /// generation. prost-build's `type_attribute`.
    pub fn type_attribute(
        &mut self,
        selector: impl Into<String>,
        attribute: impl Into<String>,
    ) -> &mut Self {
        let entry = (selector.into(), attribute.into());
        self.customizations.type_attributes.push(entry);
        self
    }

    /// Adds an outer attribute to the field generated for the property
    /// `Namespace.Type.property` in that type's struct (structs of derived types repeat
    /// inherited fields: name each type whose field should have it). A name that is no
    /// property, or text that is no outer attribute, is an error of the generation.
    /// prost-build's `field_attribute`.
    pub fn field_attribute(
        &mut self,
        property: impl Into<String>,
        attribute: impl Into<String>,
    ) -> &mut Self {
        let entry = (property.into(), attribute.into());
        self.customizations.field_attributes.push(entry);
        self
    }

    /// Uses the Rust type at `path` (such as `::serde_json::Value` or
    /// `::my_crate::Money`) wherever the model uses the type `Namespace.Type`, and generates
    /// nothing for it. The type must implement `Clone`, `Debug`, `PartialEq`,
    /// `serde::Serialize`, `serde::de::DeserializeOwned` and the crate's `support::Json`
    /// (which reads and writes it in the generated models' own JSON path). Only a complex
    /// type outside any hierarchy, an enumeration or a type definition can be replaced; an
    /// entity type, or a complex type with a base or derived types, is an error of the
    /// generation (request builders and `@odata.type` dispatch are generated from those).
    /// prost-build's `extern_path`, progenitor's `with_replacement`.
    pub fn extern_type(&mut self, name: impl Into<String>, path: impl Into<String>) -> &mut Self {
        let entry = (name.into(), path.into());
        self.customizations.extern_types.push(entry);
        self
    }

    /// Where the generated crate's runtime comes from (default [`Runtime::Vendored`]). A
    /// [`BuildScript`] always depends on the runtime crate.
    pub fn runtime(&mut self, runtime: Runtime) -> &mut Self {
        self.runtime = runtime;
        self
    }

    /// The generation for a build script: one Rust file in `OUT_DIR`, which the crate
    /// `include!`s (see [`BuildScript`]).
    pub fn build_script(&self) -> BuildScript {
        BuildScript::new(self.clone())
    }

    /// The generated package's name (default `generated`).
    pub fn crate_name(&mut self, name: impl Into<String>) -> &mut Self {
        self.crate_name = Some(name.into());
        self
    }

    /// Reads, parses and resolves the metadata into the model, without emitting anything.
    pub fn load(&self) -> Loaded {
        let mut sources = SourceMap::default();
        let mut diagnostics = Diagnostics::default();
        let mut pages = Vec::new();
        let mut has_csdl = false;
        let model = self.load_into(&mut sources, &mut diagnostics, &mut pages, &mut has_csdl);
        Loaded {
            sources,
            diagnostics: diagnostics.into_sorted(),
            model,
            pages,
            has_csdl,
        }
    }

    fn load_into(
        &self,
        sources: &mut SourceMap,
        diagnostics: &mut Diagnostics,
        pages_out: &mut Vec<pages::Page>,
        has_csdl: &mut bool,
    ) -> Option<ir::Model> {
        let found = match input::discover_all(&self.metadata) {
            Ok(found) => found,
            Err(errors) => {
                errors.into_iter().for_each(|e| diagnostics.push(e));
                return None;
            }
        };
        // Links to directories are not followed (a cycle cannot loop), and each one says so.
        for (file, why) in &found.skipped_files {
            diagnostics.push(input::skipped_file(sources, file, *why));
        }
        for link in &found.skipped_links {
            diagnostics.push(input::skipped_link(sources, link));
        }
        let files = found.files;
        let mut documents = Vec::new();
        let mut pages = Vec::new();
        let mut unreadable = false;
        let mut read = Vec::new();
        let mut page_diagnostics = Diagnostics::default();
        for (path, kind) in files {
            match input::read(sources, &path) {
                Ok(id) => read.push((id, kind)),
                Err(error) => {
                    diagnostics.push(error);
                    unreadable = true;
                }
            }
        }
        for (name, text) in &self.texts {
            match input::kind_of(name).or_else(|| input::kind_of_text(text.as_bytes())) {
                Some(kind) => read.push((sources.add(name.clone(), text.clone()), kind)),
                None => {
                    diagnostics.push(input::not_metadata(name));
                    unreadable = true;
                }
            }
        }
        for (id, kind) in read {
            match kind {
                InputKind::Csdl => match csdl::parse(id, &sources.file(id).text, diagnostics) {
                    Some(document) => documents.push(document),
                    None => unreadable = true,
                },
                // An empty page would make an empty crate of a docs-only input and remove the
                // previous generation: refused, as an empty CSDL file is.
                InputKind::Docs
                    if sources
                        .file(id)
                        .text
                        .trim_start_matches('\u{feff}')
                        .trim()
                        .is_empty() =>
                {
                    diagnostics.push(Diagnostic::error(
                        source::Span::new(id, 0),
                        "no documentation page content: the file is empty",
                    ));
                    unreadable = true;
                }
                // A page's own problems (an unreadable metadata comment) stay with that
                // block: the other pages and the model are still built and linted.
                InputKind::Docs => {
                    let mut page = pages::parse(id, &sources.file(id).text, &mut page_diagnostics);
                    page.published = pages::published(&page, sources.path(id));
                    pages.push(page);
                }
            }
        }
        #[cfg(feature = "fetch")]
        if !self.fetch_urls(sources, diagnostics, &mut documents) {
            unreadable = true;
        }
        // A file that could not be read at all would make every reference into it look
        // unknown; problems inside readable files are all reported by resolution.
        if unreadable {
            diagnostics.extend(page_diagnostics);
            *pages_out = pages;
            return None;
        }
        if documents.is_empty() && pages.is_empty() {
            diagnostics.push(Diagnostic::global_error(
                "no CSDL metadata or documentation pages found in the given --metadata paths",
            ));
            return None;
        }
        let model = resolve::resolve(
            &documents,
            &pages,
            &self.selection,
            self.url_conventions,
            diagnostics,
        );
        diagnostics.extend(page_diagnostics);
        if let Some(Err(problem)) = self.service_root.as_deref().map(check_service_root) {
            diagnostics.push(Diagnostic::global_error(problem));
            return None;
        }
        let model = model.and_then(|mut model| {
            resolve::customize::apply(&mut model, &self.customizations, diagnostics)
                .then_some(model)
        });
        let model = model.map(|mut model| {
            // A service's `$metadata` URL names its service root (OData 4.01 Part 1 §11.1.2):
            // the default where none is given.
            #[cfg(feature = "fetch")]
            let from_url = || {
                self.urls
                    .iter()
                    .find_map(|url| url.split(['?', '#']).next()?.strip_suffix("/$metadata"))
                    .filter(|root| check_service_root(root).is_ok())
                    .map(str::to_owned)
            };
            // Without `fetch` there are no metadata URLs.
            #[cfg(not(feature = "fetch"))]
            let from_url = || None;
            if let Some(root) = self.service_root.clone().or_else(from_url) {
                model.resources.service_root = Some(root);
                model.resources.service_root_assumed = false;
            }
            model
        });
        *pages_out = pages;
        *has_csdl = !documents.is_empty();
        model
    }

    /// Fetches every metadata URL (after the files, so that their namespaces need not be
    /// fetched); false when any could not be read.
    #[cfg(feature = "fetch")]
    fn fetch_urls(
        &self,
        sources: &mut SourceMap,
        diagnostics: &mut Diagnostics,
        documents: &mut Vec<csdl::Document>,
    ) -> bool {
        let mut ok = true;
        for (name, value) in &self.fetch.headers {
            if let Err(problem) = input::fetch::check_header(name, value) {
                diagnostics.push(Diagnostic::global_error(format!("--header: {problem}")));
                ok = false;
            }
        }
        if !ok {
            return false;
        }
        for url in &self.urls {
            match input::fetch::parse_url(url) {
                Ok(url) => {
                    ok &=
                        input::fetch::fetch_all(&url, &self.fetch, sources, diagnostics, documents)
                }
                Err(problem) => {
                    diagnostics.push(Diagnostic::global_error(problem));
                    ok = false;
                }
            }
        }
        ok
    }

    /// Runs the whole pipeline up to formatted files in memory.
    pub fn generate(&self) -> Generation {
        self.generate_with(|_, _| {})
    }

    /// [`generate`](Self::generate), handing each file (relative path, contents) to `on_file`
    /// as soon as it is formatted, on this thread, while the other files are being formatted:
    /// for writing them meanwhile (see [`write::Staging`]). A file handed over is final only if
    /// the generation has files in the end.
    pub fn generate_with(&self, on_file: impl FnMut(&str, &str)) -> Generation {
        self.generate_for(&self.runtime, false, on_file)
    }

    /// [`generate_with`](Self::generate_with) with this runtime; `ungated` leaves out the
    /// area features (every item compiled), for a build script, whose crate does not have them.
    fn generate_for(
        &self,
        runtime: &Runtime,
        ungated: bool,
        mut on_file: impl FnMut(&str, &str),
    ) -> Generation {
        let mut loaded = self.load();
        if ungated {
            if let Some(model) = loaded.model.as_mut() {
                model.areas.clear();
            }
        }
        // A metadata comment that cannot be read is an error of its page for `lint`; the
        // generator reads the block without it (as if the comment were not there) and says so.
        for diagnostic in &mut loaded.diagnostics {
            if diagnostic.code == Some(pages::METADATA_COMMENT) && diagnostic.is_error() {
                diagnostic.severity = diagnostics::Severity::Warning;
                diagnostic.message.push_str(
                    " (the block is read without it; `codegen lint` reports this as an error)",
                );
            }
        }
        let has_errors = loaded.diagnostics.iter().any(Diagnostic::is_error);
        let model = loaded.model.as_ref().filter(|_| !has_errors);
        let files = model.map(|model| {
            let crate_name = self.crate_name.as_deref().unwrap_or("generated");
            let metadata_urls = self.metadata_urls();
            let customizations = self.customizations.as_options();
            let options = emit::EmitOptions {
                crate_name,
                metadata_urls: &metadata_urls,
                customizations: &customizations,
                runtime,
            };
            let plan = emit::parts(model, &options);
            schedule::emit_and_format(model, &options, &plan, &mut on_file)
        });
        let mut diagnostics = Diagnostics::default();
        loaded
            .diagnostics
            .into_iter()
            .for_each(|d| diagnostics.push(d));
        if let Some(root) = model
            .filter(|m| m.resources.service_root_assumed)
            .and_then(|m| m.resources.service_root.as_deref())
        {
            diagnostics.push(Diagnostic::global_warning(format!(
                "the metadata does not say which version of Microsoft Graph it describes (its schema declares no `Core.SchemaVersion`, and no page's example calls one): the client's default base URL is {root}; for another version or cloud, pass --service-root (such as https://graph.microsoft.com/beta)"
            )));
        }
        // Examples that are not JSON are left out of what pages contribute: said where.
        lint::invalid_json(&loaded.pages)
            .into_iter()
            .for_each(|d| diagnostics.push(d));
        let files = match files {
            Some(Ok(files)) => Some(files),
            Some(Err(internal)) => {
                diagnostics.push(Diagnostic::global_error(internal));
                None
            }
            None => None,
        };
        Generation {
            sources: loaded.sources,
            diagnostics: diagnostics.into_sorted(),
            files,
        }
    }
}

/// The model of a run, with the input it came from.
#[derive(Debug)]
pub struct Loaded {
    /// The text of every input, for rendering diagnostics.
    pub sources: SourceMap,
    /// What parsing and resolving found, sorted by position.
    pub diagnostics: Vec<Diagnostic>,
    /// `None` when the input had errors.
    pub model: Option<ir::Model>,
    /// The documentation pages read; their syntax tree is internal.
    pages: Vec<pages::Page>,
    /// Whether any CSDL was read (otherwise the model comes from the pages alone).
    pub has_csdl: bool,
}

impl Loaded {
    /// The documentation pages read, for the integration tests.
    #[cfg(feature = "internals")]
    pub fn pages(&self) -> &[pages::Page] {
        &self.pages
    }

    /// Lint findings of the pages against the model, sorted by position.
    pub fn lint(&self) -> Vec<Diagnostic> {
        self.lint_with(&lint::Options::default()).findings
    }

    /// Lints the pages against the model with `options`: the findings, sorted by position,
    /// and what was counted instead of checked.
    pub fn lint_with(&self, options: &lint::Options) -> lint::Report {
        match &self.model {
            Some(model) => lint::lint(model, &self.pages, &self.sources, !self.has_csdl, options),
            None => lint::Report {
                unchecked_pages: self.pages.len(),
                ..lint::Report::default()
            },
        }
    }
}

/// The outcome of [`Generator::generate`].
#[derive(Debug)]
pub struct Generation {
    /// The text of every input, for rendering diagnostics.
    pub sources: SourceMap,
    /// Every diagnostic of the run, sorted by position.
    pub diagnostics: Vec<Diagnostic>,
    files: Option<BTreeMap<String, String>>,
}

impl Generation {
    /// The generated files by relative path, or `None` if the input had errors.
    pub fn files(&self) -> Option<&BTreeMap<String, String>> {
        self.files.as_ref()
    }

    /// Whether any diagnostic is an error (then [`Generation::files`] is `None`).
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// Every diagnostic as a `path:line:col: severity: message` line.
    pub fn rendered_diagnostics(&self) -> Vec<String> {
        self.diagnostics
            .iter()
            .map(|d| d.render(&self.sources))
            .collect()
    }
}

#[cfg(feature = "fetch")]
pub use input::fetch::check_header;

/// Checks a service root (`--service-root`) as the generated client's `build` checks a base
/// URL: an absolute `http` or `https` URL (RFC 3986) with a host, and without user
/// information (which would sit in the generated source), a query or a fragment (OData URL
/// Conventions 4.01 §2: resource paths and query options are appended to the service root).
///
/// # Errors
/// The reason, naming the URL (any password in it shown as `***`).
pub fn check_service_root(root: &str) -> Result<(), String> {
    let url =
        url::Url::parse(root).map_err(|e| format!("--service-root `{root}` is not a URL: {e}"))?;
    let mut shown = url.clone();
    if url.password().is_some() {
        let _ = shown.set_password(Some("***"));
    }
    let problem = if !matches!(url.scheme(), "http" | "https") {
        Some(format!(
            "its scheme is `{}`; a service root is an http or https URL",
            url.scheme()
        ))
    } else if url.host().is_none() {
        Some("it names no host".to_owned())
    } else if !url.username().is_empty() || url.password().is_some() {
        Some("it holds a user name or password, which would be written into the generated source; give credentials to the client at run time".to_owned())
    } else if url.query().is_some() {
        Some("it has a query (`?...`); a service root is the URL that resource paths are appended to".to_owned())
    } else if url.fragment().is_some() {
        Some("it has a fragment (`#...`)".to_owned())
    } else {
        None
    };
    match problem {
        Some(problem) => Err(format!("--service-root `{shown}` is refused: {problem}")),
        None => Ok(()),
    }
}

/// `name` (as a directory's name) as a valid lower-case package name: ASCII letters and digits in kebab-case words,
/// starting with a letter. Other scripts are transliterated (`über` → `uber`, with
/// `deunicode`), and a name the generated crate's dependencies take gets `-odata`
/// (`serde` → `serde-odata`), so that it can sit beside them; so does a Rust keyword (`gen`,
/// reserved in Rust 2024, → `gen-odata`), which `use` could not name.
pub fn package_name(name: &str) -> String {
    use heck::ToKebabCase;
    let words: String = deunicode::deunicode(name)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let kebab = words.to_kebab_case();
    let name = match kebab.starts_with(|c: char| c.is_ascii_lowercase()) {
        true => kebab,
        false => format!("generated-{kebab}")
            .trim_end_matches('-')
            .to_owned(),
    };
    if emit::is_dependency_name(&name) || is_rust_keyword(&name) {
        format!("{name}-odata")
    } else {
        name
    }
}

/// Whether `name` is a Rust keyword of any edition, reserved ones included (`gen` since 2024,
/// `try` since 2018): a crate of that name cannot be named in `use` (`r#` does not apply to
/// crate names).
pub fn is_rust_keyword(name: &str) -> bool {
    const KEYWORDS: &[&str] = &[
        "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum",
        "extern", "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod",
        "move", "mut", "pub", "ref", "return", "self", "static", "struct", "super", "trait",
        "true", "try", "type", "unsafe", "use", "where", "while", "abstract", "become", "box",
        "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield",
    ];
    KEYWORDS.contains(&name.replace('-', "_").as_str())
}

#[cfg(test)]
mod tests {
    use super::package_name;

    #[test]
    fn package_names_from_directory_names_are_lower_case_kebab_case() {
        for (directory, package) in [
            ("MyShop", "my-shop"),
            ("out-Core", "out-core"),
            ("trip_service", "trip-service"),
            ("HTTPServer v2", "http-server-v2"),
            ("generated", "generated"),
            ("2024.shop", "generated-2024-shop"),
            ("café", "cafe"),
            ("über", "uber"),
            ("serde", "serde-odata"),
            ("serde_json", "serde-json-odata"),
            ("futures-util", "futures-util-odata"),
            ("gen", "gen-odata"),
            ("Type", "type-odata"),
            ("my-type", "my-type"),
            ("", "generated"),
        ] {
            assert_eq!(package_name(directory), package, "{directory:?}");
        }
    }
}
