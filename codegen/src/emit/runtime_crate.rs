//! The two small modules a crate on the runtime crate (`codegen-runtime`) has instead of the
//! vendored copies: `support`, which re-exports the runtime's and defines the macros that
//! name this crate's types, and `client`, whose `Client` wraps the runtime's so that the
//! crate can add its requests as methods (a type of another crate takes no inherent methods)
//! and start from its own `SERVICE_ROOT`. `request` is the runtime's module, re-exported by
//! the crate root.

/// `src/support.rs`.
pub fn support_rs() -> String {
    format!(
        "//! Types and helpers shared by the models: the runtime crate's [`codegen_runtime::support`],
//! and the macros that define this crate's dispatch enums and convert derived values into them
//! (they name this crate's types, so they are defined here).

pub use ::codegen_runtime::support::*;

{}",
        dispatch_macros()
    )
}

/// `src/client.rs`.
pub fn client_rs() -> String {
    "//! The reqwest client: the runtime crate's [`codegen_runtime::client`], with this crate's
//! requests as methods of [`Client`] and [`crate::SERVICE_ROOT`] as its default base URL.

pub use ::codegen_runtime::client::*;

/// The base URL used when none is given: the service root the generator knew
/// ([`crate::SERVICE_ROOT`]). Without one, [`ClientBuilder::build`] asks for
/// [`ClientBuilder::base_url`], so that no token goes to a host the user did not name.
pub const DEFAULT_BASE_URL: Option<&str> = crate::SERVICE_ROOT;

/// Configures a [`Client`], from [`DEFAULT_BASE_URL`]: the options of the runtime's
/// [`codegen_runtime::client::ClientBuilder`].
pub type ClientBuilder = ::codegen_runtime::service::ClientBuilder<Client>;

/// Sends operations: the runtime crate's client (it derefs to it, for `send`, `batch`,
/// `execute`, ...), with this crate's requests as methods. Cloning is cheap: clones share one
/// connection pool.
#[derive(Clone, Debug)]
pub struct Client(::codegen_runtime::client::Client);

impl Client {
    /// A builder with the default base URL ([`DEFAULT_BASE_URL`]), no token, and the default
    /// timeouts and limits.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new(DEFAULT_BASE_URL)
    }
}

impl ::std::ops::Deref for Client {
    type Target = ::codegen_runtime::client::Client;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl ::std::convert::From<::codegen_runtime::client::Client> for Client {
    fn from(client: ::codegen_runtime::client::Client) -> Self {
        Client(client)
    }
}
"
    .to_owned()
}

/// The `dispatch_from` and `dispatch_enum` macros of the support template, with their docs and
/// their crate-wide re-exports: their expansions name the crate's own types (`crate::...`), so
/// they are crate-private in the runtime and each crate defines them. Taken from the template,
/// so that they are written once.
pub fn dispatch_macros() -> String {
    let template = super::RUNTIME
        .iter()
        .find(|m| m.path == "src/support/nullable.rs")
        .map(|m| m.code)
        .unwrap_or_default();
    let lines: Vec<&str> = template.lines().collect();
    let (Some(definition), Some(export)) = (
        lines
            .iter()
            .position(|l| l.starts_with("macro_rules! dispatch_from")),
        lines
            .iter()
            .position(|l| *l == "pub(crate) use dispatch_enum;"),
    ) else {
        return String::new();
    };
    // The docs, comments and attributes just above the definition belong to it.
    let start = lines[..definition]
        .iter()
        .rposition(|l| !(l.starts_with("///") || l.starts_with("//") || l.starts_with("#[")))
        .map_or(0, |blank| blank + 1);
    let mut text = lines[start..=export].join("\n");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_dispatch_macros_are_found_in_their_template_with_their_docs_and_exports() {
        let text = super::dispatch_macros();
        assert!(text.starts_with("/// `From` impls for a dispatch enum"), "{text}");
        assert!(text.contains("#[allow(unused_macros)]\nmacro_rules! dispatch_from {"));
        assert!(text.contains("#[allow(unused_imports)]\npub(crate) use dispatch_from;\n"));
        assert!(text.contains("#[allow(unused_macros)]\nmacro_rules! dispatch_enum {"));
        assert!(text.ends_with("#[allow(unused_imports)]\npub(crate) use dispatch_enum;\n"));
    }
}

#[cfg(test)]
mod builder_tests {
    /// The names of the `pub fn`s in the block that starts with the line `start`.
    fn methods(source: &str, start: &str) -> Vec<String> {
        let block = &source[source.find(start).expect("the impl block is there")..];
        let block = &block[..block.find("\n}\n").expect("the block ends")];
        block
            .lines()
            .filter_map(|l| l.trim().strip_prefix("pub fn "))
            .map(|l| l[..l.find(['(', '<']).unwrap()].to_owned())
            .collect()
    }

    /// A generated crate's `ClientBuilder` is the runtime's `service::ClientBuilder`, which
    /// forwards each option of `client::ClientBuilder`: none may be missing.
    #[test]
    fn the_service_builder_has_every_option_of_the_client_builder() {
        let client = super::super::RUNTIME
            .iter()
            .find(|m| m.path == "src/client/mod.rs")
            .unwrap()
            .code;
        let service = include_str!("../../templates/service.rs");
        let mut options = methods(client, "\nimpl ClientBuilder {");
        let mut forwarded = methods(service, "\nimpl<C> ClientBuilder<C> {");
        assert!(options.len() > 10, "{options:?}");
        forwarded.retain(|name| name != "new");
        options.sort();
        forwarded.sort();
        assert_eq!(forwarded, options);
    }
}
