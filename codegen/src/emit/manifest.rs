//! The generated crate's `Cargo.toml`.

/// Versions the emitted code is written against.
const DEPENDENCIES: &str = r#"[dependencies]
base64 = "0.23"
chrono = { version = "0.4.40", default-features = false, features = ["serde", "std"] }
rust_decimal = { version = "1.36", default-features = false, features = ["std"] }
serde = { version = "1.0.200", features = ["derive"] }
serde_json = "1.0.120"
uuid = { version = "1.10", features = ["serde"] }
"#;

pub fn cargo_toml(crate_name: &str) -> String {
    format!(
        "{header}\n[package]\nname = \"{crate_name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\nrust-version = \"1.80\"\npublish = false\ndescription = \"Rust models generated from OData CSDL metadata\"\n\n{DEPENDENCIES}",
        header = crate::format::header_comment("#"),
    )
}
