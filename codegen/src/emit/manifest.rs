//! The generated crate's `Cargo.toml`.

/// Versions the emitted code is written against.
const DEPENDENCIES: &str = r#"[features]
default = ["client"]
# The async client on reqwest (rustls). Without it the crate builds and parses `http` requests
# and responses for any HTTP stack.
client = ["dep:reqwest", "dep:futures-util"]
# Values and requests by the metadata's names at run time (for tools and tests).
dynamic = []

[dependencies]
base64 = "0.23"
chrono = { version = "0.4.40", default-features = false, features = ["serde", "std"] }
futures-util = { version = "0.3.30", default-features = false, features = ["std"], optional = true }
http = "1.1"
percent-encoding = "2.3"
reqwest = { version = "0.12.9", default-features = false, features = ["rustls-tls"], optional = true }
rust_decimal = { version = "1.36", default-features = false, features = ["std"] }
serde = { version = "1.0.200", features = ["derive"] }
serde_json = "1.0.120"
serde_path_to_error = "0.1.16"
uuid = { version = "1.10", features = ["serde"] }
"#;

pub fn cargo_toml(crate_name: &str) -> String {
    format!(
        "{header}\n[package]\nname = \"{crate_name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\nrust-version = \"1.80\"\npublish = false\ndescription = \"Rust models generated from OData CSDL metadata\"\n\n{DEPENDENCIES}",
        header = crate::format::header_comment("#"),
    )
}
