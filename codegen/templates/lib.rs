//! The runtime of the crates that `codegen` generates from OData CSDL metadata, as a crate of
//! its own: JSON support for the models ([`support`]), requests without I/O ([`request`]) and,
//! with the `client` feature (on by default), an async client on reqwest ([`client`]).
//!
//! A generated crate carries a copy of these modules by default (`codegen generate --runtime
//! vendored`). A crate generated with `--runtime crate`, and the module a build script writes
//! (`codegen::Generator::build_script`), depend on this crate instead: they re-export its
//! `support` and `request` modules, and wrap its [`client::Client`] in a `Client` of their own
//! that adds the service's requests (`client.users()`) and starts from the service's root
//! ([`service::ClientBuilder`]).
//!
//! Its version is the generator's: a generated crate names it exactly (`codegen-runtime =
//! "=0.1.0"`), as the emitted code and the runtime change together.
//!
//! Cargo features, as in a generated crate: `client` (the reqwest client, on by default),
//! `dynamic` (requests by the metadata's names at run time) and `azure-identity` (tokens from
//! the Azure SDK's credentials).

#![forbid(unsafe_code)]

/// The service root a [`client::Client`] of this crate alone uses when given none: none, so
/// [`client::ClientBuilder::build`] asks for a base URL. (A generated crate's `Client::builder`
/// starts from its own `SERVICE_ROOT`.)
pub const SERVICE_ROOT: Option<&str> = None;

// The modules are the templates that codegen vendors, with their docs as the vendored crate's
// (naming this crate: see build.rs); inner docs, so that their links resolve in the module.
// Submodules resolve beside the template (`support/binary.rs`).

pub mod support {
    #![doc = include_str!(concat!(env!("OUT_DIR"), "/support.md"))]
    include!("support/mod.rs");
}

pub mod request {
    #![doc = include_str!(concat!(env!("OUT_DIR"), "/request.md"))]
    include!("request/mod.rs");
}

#[cfg(feature = "client")]
pub mod client {
    #![doc = include_str!(concat!(env!("OUT_DIR"), "/client.md"))]
    include!("client.rs");
}

#[cfg(feature = "client")]
pub mod service;

/// The crates that generated code names by absolute paths (`::serde_json::Value`). A build
/// script's file reaches them here (`::codegen_runtime::deps::serde_json::Value`), so that the
/// crate including it needs no dependency on them.
pub mod deps {
    pub use {chrono, http, serde, serde_json};
}
