//! The ways in of issue 26, run as users run them: CSDL JSON read by content, `--metadata URL`
//! against a loopback server, and inputs validated before they are trusted. Each run is of the
//! real binary; bad input exits 1 with located errors and leaves `--out` as it was.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

#[path = "binary.rs"]
mod binary;
use binary::codegen;

/// A schema `example` (alias `ex`) around `body`.
fn schema(body: &str) -> String {
    format!(
        r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="example" Alias="ex" xmlns="http://docs.oasis-open.org/odata/ns/edm">
{body}    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#
    )
}

/// Every file under `dir` with its content.
fn snapshot_tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in fs::read_dir(&current).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                pending.push(entry.path());
            } else {
                files.insert(entry.path(), fs::read(entry.path()).unwrap());
            }
        }
    }
    files
}

/// A directory with an `out/` crate generated before, and `metadata/<name>` files.
fn workspace(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("metadata")).unwrap();
    let good = schema("      <ComplexType Name=\"thing\"><Property Name=\"name\" Type=\"Edm.String\" /></ComplexType>\n");
    fs::write(dir.path().join("metadata/good.xml"), good).unwrap();
    let run = codegen(dir.path(), &["generate", "--out", "out"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    fs::remove_file(dir.path().join("metadata/good.xml")).unwrap();
    for (name, contents) in files {
        fs::write(dir.path().join("metadata").join(name), contents).unwrap();
    }
    dir
}

/// Runs `generate` on bad input: exit 1, no panic, output untouched. Returns stderr.
fn rejected(files: &[(&str, &str)]) -> String {
    let dir = workspace(files);
    let before = snapshot_tree(&dir.path().join("out"));
    let run = codegen(dir.path(), &["generate", "--out", "out"]);
    assert_eq!(run.code, 1, "bad input exits 1:\n{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert_eq!(
        before,
        snapshot_tree(&dir.path().join("out")),
        "a failed run changed the output"
    );
    run.stderr
}

/// Facets, default values and navigation property bindings are checked (issue 26, item 4): each
/// problem is a located error naming its section of CSDL 4.01, in XML and in JSON.
#[test]
fn facets_default_values_and_bindings_are_checked_where_they_are_written() {
    let xml = schema(&format!(
        r#"      <EntityType Name="thing">
        <Key><PropertyRef Name="id" /></Key>
        <Property Name="id" Type="Edm.String" Nullable="false" MaxLength="-5" />
        <Property Name="amount" Type="Edm.Decimal" Precision="1e400" Scale="-1" />
        <Property Name="count" Type="Edm.Int32" DefaultValue="{}" />
        <Property Name="price" Type="Edm.Decimal" Precision="4" Scale="2" DefaultValue="123.4" />
        <Property Name="at" Type="Edm.DateTimeOffset" Precision="13" />
        <Property Name="flag" Type="Edm.Boolean" MaxLength="3" />
        <NavigationProperty Name="next" Type="ex.thing" />
      </EntityType>
      <EntityContainer Name="c">
        <EntitySet Name="things" EntityType="ex.thing">
          <NavigationPropertyBinding Path="next" Target="things" />
          <NavigationPropertyBinding Path="nothing" Target="things" />
          <NavigationPropertyBinding Path="next" Target="nowhere" />
          <NavigationPropertyBinding Path="id" Target="things" />
        </EntitySet>
      </EntityContainer>
"#,
        "9".repeat(500)
    ));
    let stderr = rejected(&[("bad.xml", &xml)]);
    for expected in [
        "bad.xml:6:64: error: MaxLength `-5` is not a non-negative integer or `max` (CSDL 4.01 §7.2.2)",
        "bad.xml:7:52: error: Precision `1e400` is not a non-negative integer (CSDL 4.01 §7.2.3)",
        "bad.xml:7:70: error: Scale `-1` is not a non-negative integer, `variable` or `floating` (CSDL 4.01 §7.2.4)",
        "bad.xml:8:9: error: DefaultValue `9999999999999999999999999999999999999999…` of property `count` (Edm.Int32): does not fit `Edm.Int32` (-2147483648 to 2147483647) (CSDL 4.01 §7.2.7)",
        "bad.xml:9:9: error: DefaultValue `123.4` of property `price` (Edm.Decimal): 3 digits before the point, over the property's Precision 4 less its Scale 2",
        "bad.xml:10:9: error: Precision 13 of property `at` (Edm.DateTimeOffset): a temporal value's Precision (digits of the seconds' fraction) is 0 to 12 (CSDL 4.01 §7.2.3)",
        "bad.xml:11:9: warning: MaxLength does not apply to property `flag` of type `Edm.Boolean`; ignored (CSDL 4.01 §7.2.2)",
        "bad.xml:17:38: error: NavigationPropertyBinding of `things`: Path `nothing` names `nothing`, which is no property of `example.thing` (CSDL 4.01 §13.4.1)",
        "bad.xml:18:50: error: NavigationPropertyBinding of `things`: Target `nowhere` names `nowhere`, which is no entity set or singleton of its container (CSDL 4.01 §13.4.2)",
        "bad.xml:19:38: error: NavigationPropertyBinding of `things`: Path `id` ends with `id`, a structural property, not a navigation property (CSDL 4.01 §13.4.1)",
    ] {
        assert!(stderr.contains(expected), "missing {expected}\n{stderr}");
    }
    assert!(
        !stderr.contains(":16:"),
        "a good binding is reported: {stderr}"
    );

    let json = r#"{
  "$Version": "4.01",
  "example": {
    "thing": {
      "$Kind": "ComplexType",
      "count": { "$Type": "Edm.Byte", "$DefaultValue": 300 },
      "size": { "$MaxLength": "max" }
    }
  }
}
"#;
    let stderr = rejected(&[("bad.json", json)]);
    for expected in [
        "bad.json:6:7: error: DefaultValue `300` of property `count` (Edm.Byte): does not fit `Edm.Byte` (0 to 255) (CSDL 4.01 §7.2.7)",
        "bad.json:7:31: error: `$MaxLength` is a number in CSDL JSON: `max` is XML's",
    ] {
        assert!(stderr.contains(expected), "missing {expected}\n{stderr}");
    }
}

/// CSDL JSON is read wherever CSDL XML is, told by its content: a `.json` file, and a saved
/// `$metadata` without an extension; a broken one is a located error.
#[test]
fn csdl_json_is_read_by_content_with_located_errors() {
    let json =
        r#"{"$Version": "4.01", "example": {"thing": {"$Kind": "ComplexType", "name": {}}}}"#;
    let dir = workspace(&[("metadata", json)]);
    let run = codegen(
        dir.path(),
        &[
            "generate",
            "--metadata",
            "metadata/metadata",
            "--out",
            "out",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        fs::read_to_string(dir.path().join("out/src/example/thing.rs"))
            .unwrap()
            .contains("pub struct Thing")
    );

    let stderr = rejected(&[(
        "broken.json",
        "{\n  \"$Version\": \"4.01\",\n  \"example\": {,}\n}\n",
    )]);
    assert!(
        stderr.contains("broken.json:3:15: error: malformed JSON"),
        "{stderr}"
    );
    let stderr = rejected(&[(
        "unknown.json",
        "{\"$Version\": \"4.01\", \"example\": {\"thing\": {\"$Kind\": \"ComplexType\",\n  \"other\": {\"$Type\": \"example.nothing\"}}}}",
    )]);
    assert!(
        stderr.contains("unknown.json:2:22: error: unknown type `example.nothing`"),
        "{stderr}"
    );
}

/// A loopback server for `--metadata URL`: serves `routes` (path → body) and records each
/// request's head; stops by itself after 20 connections or 30 s.
fn serve_metadata(
    routes: Vec<(&'static str, String)>,
) -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let root = format!("http://{}", listener.local_addr().unwrap());
    listener.set_nonblocking(true).unwrap();
    let requests = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = std::sync::Arc::clone(&requests);
    std::thread::spawn(move || {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        let mut served = 0;
        while std::time::Instant::now() < deadline && served < 20 {
            let Ok((mut stream, _)) = listener.accept() else {
                std::thread::sleep(std::time::Duration::from_millis(5));
                continue;
            };
            served += 1;
            stream.set_nonblocking(false).unwrap();
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
                head.push(byte[0]);
            }
            let head = String::from_utf8_lossy(&head).into_owned();
            let path = head.split_whitespace().nth(1).unwrap_or("").to_owned();
            seen.lock().unwrap().push(head);
            let response = match routes.iter().find(|(p, _)| *p == path) {
                Some((_, body)) if body.starts_with("REDIRECT ") => format!(
                    "HTTP/1.1 301 Moved Permanently\r\nLocation: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                    &body["REDIRECT ".len()..]
                ),
                Some((_, body)) => format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                ),
                None => "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_owned(),
            };
            let _ = stream.write_all(response.as_bytes());
        }
    });
    (root, requests)
}

/// A relative reference is resolved against the URL the document was read from, after
/// redirects (RFC 3986 §5.1.3), not the URL first asked; a query's values are not recorded.
#[test]
fn references_are_relative_to_the_url_after_redirects_and_query_values_are_not_recorded() {
    let service = r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:Reference Uri="types.xml"><edmx:Include Namespace="shared.types" Alias="T" /></edmx:Reference>
  <edmx:DataServices>
    <Schema Namespace="shop" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <ComplexType Name="order"><Property Name="address" Type="T.address" /></ComplexType>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#;
    let types = |name: &str| {
        format!(
            r#"<Schema Namespace="shared.types" xmlns="http://docs.oasis-open.org/odata/ns/edm">
  <ComplexType Name="address"><Property Name="{name}" Type="Edm.String" /></ComplexType>
</Schema>
"#
        )
    };
    let (root, requests) = serve_metadata(vec![
        (
            "/moved?access_token=s3cret",
            "REDIRECT /svc/$metadata".to_owned(),
        ),
        ("/svc/$metadata", service.to_owned()),
        ("/svc/types.xml", types("city")),
        ("/types.xml", types("wrongDocument")),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let url = format!("{root}/moved?access_token=s3cret");
    let run = codegen(
        dir.path(),
        &["generate", "--metadata", &url, "--out", "out"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let address = fs::read_to_string(dir.path().join("out/src/shared_types/address.rs")).unwrap();
    assert!(address.contains("pub city:"), "{address}");
    let seen = requests.lock().unwrap().clone();
    assert!(
        !seen.iter().any(|r| r.starts_with("GET /types.xml")),
        "{seen:?}"
    );
    let manifest = fs::read_to_string(dir.path().join("out/Cargo.toml")).unwrap();
    assert_eq!(
        manifest.lines().nth(1),
        Some(format!("# metadata: {root}/moved?access_token=***").as_str())
    );
}

/// `--metadata URL` (issue 26, item 2): the `$metadata` and the document it references by a
/// relative `Uri` are fetched with the header, the URL is recorded in `Cargo.toml` for
/// `check`, and the header's value is never printed or written.
#[test]
fn metadata_urls_are_fetched_with_their_references_and_recorded() {
    let service = r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:Reference Uri="shared/types.xml"><edmx:Include Namespace="shared.types" Alias="T" /></edmx:Reference>
  <edmx:DataServices>
    <Schema Namespace="shop" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="order"><Key><PropertyRef Name="id" /></Key>
        <Property Name="id" Type="Edm.String" Nullable="false" />
        <Property Name="address" Type="T.address" />
      </EntityType>
      <EntityContainer Name="c"><EntitySet Name="orders" EntityType="shop.order" /></EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#;
    let types = r#"<Schema Namespace="shared.types" xmlns="http://docs.oasis-open.org/odata/ns/edm">
  <ComplexType Name="address"><Property Name="city" Type="Edm.String" /></ComplexType>
</Schema>
"#;
    let (root, requests) = serve_metadata(vec![
        ("/odata/$metadata", service.to_owned()),
        ("/odata/shared/types.xml", types.to_owned()),
    ]);
    let url = format!("{root}/odata/$metadata");
    let dir = tempfile::tempdir().unwrap();
    let token = "Authorization: Bearer t0ken-never-shown";
    let args = [
        "--metadata",
        &url,
        "--header",
        token,
        "--out",
        "out",
        "--service-root",
        "https://shop.example/odata",
    ];
    let run = codegen(dir.path(), &[&["generate"][..], &args].concat());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let manifest = fs::read_to_string(dir.path().join("out/Cargo.toml")).unwrap();
    assert_eq!(
        manifest.lines().nth(1),
        Some(format!("# metadata: {url}").as_str())
    );
    assert!(
        fs::read_to_string(dir.path().join("out/src/shared_types/address.rs"))
            .unwrap()
            .contains("pub struct Address")
    );
    let seen = requests.lock().unwrap().clone();
    assert!(
        seen.len() >= 2 && seen.iter().all(|r| r.contains("t0ken-never-shown")),
        "{seen:?}"
    );

    let check = codegen(dir.path(), &[&["check"][..], &args].concat());
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(
        check.stderr.contains(&format!("; metadata from {url})")),
        "{}",
        check.stderr
    );
    for (path, contents) in snapshot_tree(dir.path()) {
        assert!(
            !String::from_utf8_lossy(&contents).contains("t0ken"),
            "{} holds the token",
            path.display()
        );
    }
    assert!(!run.stderr.contains("t0ken") && !check.stderr.contains("t0ken"));

    // Usage errors: a scheme that is not fetched, a header without a URL, a malformed header
    // (whose value is not repeated), a URL holding a password.
    for (args, expected) in [
        (
            &["generate", "--metadata", "ftp://host/$metadata"][..],
            "only http and https URLs are fetched",
        ),
        (
            &["generate", "--header", "X-Key: t0ken"],
            "--header is sent with --metadata URLs",
        ),
        (
            &[
                "generate",
                "--metadata",
                &url,
                "--header",
                "Authorization Bearer t0ken",
            ],
            "a header is NAME:VALUE",
        ),
    ] {
        let run = codegen(dir.path(), args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(expected), "{args:?}: {}", run.stderr);
        assert!(!run.stderr.contains("t0ken"), "{}", run.stderr);
    }
    let run = codegen(
        dir.path(),
        &[
            "generate",
            "--metadata",
            "https://me:t0ken@shop.example/$metadata",
            "--out",
            "out",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("holds a user name or password") && !run.stderr.contains("t0ken"),
        "{}",
        run.stderr
    );
}

#[test]
fn json_that_is_not_csdl_in_a_walked_directory_is_skipped_with_a_warning_and_the_pages_are_linted()
{
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    fs::create_dir_all(docs.join("config")).unwrap();
    // A docs tree's configuration beside its pages, as the Graph docs have one.
    fs::write(
        docs.join("config/outline.json"),
        r#"{"sections": ["HTTP request"]}"#,
    )
    .unwrap();
    fs::write(
        dir.path().join("model.xml"),
        schema("      <EntityType Name=\"thing\"><Key><PropertyRef Name=\"id\"/></Key><Property Name=\"id\" Type=\"Edm.String\" Nullable=\"false\"/></EntityType>\n      <EntityContainer Name=\"c\"><EntitySet Name=\"things\" EntityType=\"example.thing\"/></EntityContainer>\n"),
    )
    .unwrap();
    fs::write(
        docs.join("get.md"),
        "# Get thing\n\n## HTTP request\n\n<!-- { \"blockType\": \"request\" } -->\n```http\nGET /things/1\n```\n\n## Response\n\n<!-- { \"blockType\": \"response\", \"@odata.type\": \"example.thing\" } -->\n```http\nHTTP/1.1 200 OK\nContent-type: application/json\n\n{\"id\": \"1\", \"colour\": \"red\"}\n```\n",
    )
    .unwrap();
    let run = codegen(
        dir.path(),
        &["lint", "--metadata", "model.xml", "--metadata", "docs"],
    );
    assert!(
        run.stderr
            .contains("docs/config/outline.json:1:1: warning: a JSON file that is not CSDL JSON"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("unknown-property"),
        "the page is linted: {}",
        run.stderr
    );
    // Named on the command line, the same file is an error, and then nothing is checked: the
    // summary says so.
    let run = codegen(
        dir.path(),
        &[
            "lint",
            "--metadata",
            "model.xml",
            "--metadata",
            "docs/get.md",
            "--metadata",
            "docs/config/outline.json",
        ],
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("1 page not checked: the metadata has errors"),
        "{}",
        run.stderr
    );
}
