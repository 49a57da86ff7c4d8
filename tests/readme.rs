//! The README's Rust examples are compiled here: every line of each ```rust block in the README
//! must appear, in order, in one function of this file, which the compiler checks against the
//! generated crate and the generator's library. The README shows them without the `async fn`
//! around them, as users read them.

use std::error::Error;

const README: &str = include_str!("../README.md");
const THIS_FILE: &str = include_str!("readme.rs");

/// The README's ```rust blocks, each as its trimmed, non-empty lines.
fn readme_examples() -> Vec<Vec<&'static str>> {
    let mut blocks = Vec::new();
    let mut current: Option<Vec<&str>> = None;
    for line in README.lines() {
        match (&mut current, line.trim()) {
            (None, "```rust") => current = Some(Vec::new()),
            (Some(_), "```") => blocks.extend(current.take()),
            (Some(block), text) if !text.is_empty() => block.push(text),
            _ => {}
        }
    }
    blocks
}

#[test]
fn every_readme_example_is_compiled_here() {
    let examples = readme_examples();
    assert!(examples.len() >= 2, "the README lost its examples");
    let compiled: Vec<&str> = THIS_FILE
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    for example in examples {
        let start = compiled.iter().position(|line| *line == example[0]);
        let start = start.unwrap_or_else(|| panic!("not compiled here: {}", example[0]));
        for (offset, line) in example.iter().enumerate() {
            assert_eq!(
                compiled.get(start + offset),
                Some(line),
                "the README's example starting `{}` differs here at its line {}",
                example[0],
                offset + 1
            );
        }
    }
}

/// "Regenerate": the generator as a library.
#[allow(dead_code)]
#[rustfmt::skip]
fn regenerate() -> Result<(), Box<dyn Error>> {
    let generation = codegen::Generator::new()
        .metadata("metadata")
        .type_attribute("microsoft.graph.officeClientCheckinStatus", "#[must_use]")
        .extern_type("microsoft.graph.officeUserCheckinSummary", "::serde_json::Value")
        .generate();
    for line in generation.rendered_diagnostics() { eprintln!("{line}"); }
    let files = generation.files().ok_or("the metadata has errors")?;
    codegen::write::write("generated".as_ref(), files)?;
    Ok(())
}

/// "Consume": the client of the generated crate.
#[allow(dead_code)]
#[rustfmt::skip]
async fn consume(token: &str) -> Result<(), Box<dyn Error>> {
use futures_util::TryStreamExt;
use generated::client::Client;
use generated::microsoft_graph::WindowsOfficeClientConfiguration;
use generated::support::{ControlInformation, Nullable};

let client = Client::builder().bearer_token(token).build()?; // base URL: Graph's
let configurations = client.office_configuration().client_configurations();

// officeClientConfiguration is abstract: create a derived type; it names itself in @odata.type.
let created = configurations
    .create(WindowsOfficeClientConfiguration { priority: Some(1), ..Default::default() })
    .await?;                                   // 201 with the entity, or 204 with its location
let created = created.entity_or_read().await?;  // reads it only when it was not sent
let (id, etag) = (created.id().clone().unwrap_or_default(), created.etag());

let mut items = configurations.list().select(["id", "displayName"]).items(); // follows nextLink
while let Some(item) = items.try_next().await? { println!("{:?}", item.display_name()); }

configurations.by_id(&id)
    .update(WindowsOfficeClientConfiguration { description: Nullable::Null, ..Default::default() })
    .if_match(&etag.unwrap())                   // services that demand etags get them
    .await?;                                    // PATCH: only what is set; null clears
    Ok(())
}

/// "Consume", sans-IO: a request for any HTTP stack, and its answer read.
#[allow(dead_code)]
#[rustfmt::skip]
fn sans_io(response: http::Response<Vec<u8>>) -> Result<(), Box<dyn Error>> {
let operation = generated::requests::office_configuration().client_configurations().list().top(10);
let request: http::Request<Vec<u8>> = operation.http_request("https://graph.microsoft.com/beta")?;
// ... send it with your HTTP stack, then:
let page = operation.parse_response(response)?;         // the same outcomes as the client's
    assert_eq!(request.method(), http::Method::GET);
    assert!(page.value.is_empty());
    Ok(())
}
