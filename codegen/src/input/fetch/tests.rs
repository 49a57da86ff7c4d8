//! Fetching against loopback servers started by each test (std's `TcpListener` on 127.0.0.1,
//! a thread per connection, a bounded number of connections, stopping by itself).

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::*;

/// What a route answers.
#[derive(Clone)]
enum Answer {
    Document(&'static str, String),
    Status(u16),
    Redirect(String),
    /// A body without Content-Length, ended by closing the connection.
    Unsized(String),
    /// Accepts and never answers.
    Silent,
}

struct Server {
    root: String,
    /// The head of every request received.
    requests: Arc<Mutex<Vec<String>>>,
}

fn serve(routes: Vec<(&'static str, Answer)>) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let root = format!("http://{}", listener.local_addr().unwrap());
    listener.set_nonblocking(true).unwrap();
    let requests = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&requests);
    std::thread::spawn(move || {
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut served = 0;
        while Instant::now() < deadline && served < 40 {
            let Ok((stream, _)) = listener.accept() else {
                std::thread::sleep(Duration::from_millis(5));
                continue;
            };
            served += 1;
            let routes = routes.clone();
            let seen = Arc::clone(&seen);
            // Each connection on its own thread, so that a silent route never delays the next
            // request past the client's timeout.
            std::thread::spawn(move || answer(stream, &routes, &seen));
        }
    });
    Server { root, requests }
}

fn answer(mut stream: std::net::TcpStream, routes: &[(&'static str, Answer)], seen: &Mutex<Vec<String>>) {
    stream.set_nonblocking(false).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let path = head.split_whitespace().nth(1).unwrap_or("").to_owned();
    seen.lock().unwrap().push(head);
    let answer = routes.iter().find(|(p, _)| *p == path).map(|(_, a)| a.clone());
    let response = match answer {
        Some(Answer::Document(content_type, body)) => format!(
            "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
        Some(Answer::Unsized(body)) => {
            format!("HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nConnection: close\r\n\r\n{body}")
        }
        Some(Answer::Redirect(location)) => format!(
            "HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        ),
        Some(Answer::Status(code)) => {
            format!("HTTP/1.1 {code} Whatever\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        }
        Some(Answer::Silent) => {
            std::thread::sleep(Duration::from_secs(3));
            return;
        }
        None => "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_owned(),
    };
    let _ = stream.write_all(response.as_bytes());
}

const SERVICE: &str = r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:Reference Uri="../common/types.xml"><edmx:Include Namespace="Common.Types" Alias="C"/></edmx:Reference>
  <edmx:Reference Uri="https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Core.V1.xml"><edmx:Include Namespace="Org.OData.Core.V1" Alias="Core"/></edmx:Reference>
  <edmx:Reference Uri="/vendor/ui.xml"><edmx:Include Namespace="Vendor.UI" Alias="UI"/></edmx:Reference>
  <edmx:DataServices>
    <Schema Namespace="Shop" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <ComplexType Name="customer"><Property Name="address" Type="C.address"/></ComplexType>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"#;

const TYPES: &str = r#"<Schema Namespace="Common.Types" xmlns="http://docs.oasis-open.org/odata/ns/edm">
  <ComplexType Name="address"><Property Name="city" Type="Edm.String"/></ComplexType>
</Schema>
"#;

struct Fetched {
    ok: bool,
    documents: Vec<Document>,
    diagnostics: Vec<String>,
}

fn fetch(url: &str, options: &FetchOptions) -> Fetched {
    let mut sources = SourceMap::default();
    let mut diagnostics = Diagnostics::default();
    let mut documents = Vec::new();
    let ok = fetch_all(&parse_url(url).unwrap(), options, &mut sources, &mut diagnostics, &mut documents);
    let diagnostics = diagnostics.into_sorted().iter().map(|d| d.render(&sources)).collect();
    Fetched { ok, documents, diagnostics }
}

fn with_token() -> FetchOptions {
    FetchOptions {
        headers: vec![("Authorization".to_owned(), "Bearer s3cret-token".to_owned())],
        ..FetchOptions::default()
    }
}

#[test]
fn a_document_and_the_relative_reference_it_needs_are_fetched_with_the_headers() {
    let server = serve(vec![
        ("/svc/$metadata", Answer::Document("application/xml", SERVICE.to_owned())),
        ("/common/types.xml", Answer::Document("application/xml", TYPES.to_owned())),
    ]);
    let url = format!("{}/svc/$metadata", server.root);
    let fetched = fetch(&url, &with_token());
    assert!(fetched.ok, "{:?}", fetched.diagnostics);
    let namespaces: Vec<&str> = fetched
        .documents
        .iter()
        .flat_map(|d| d.schemas.iter().map(|s| s.namespace.text.as_str()))
        .collect();
    assert_eq!(namespaces, ["Shop", "Common.Types"]);
    let requests = server.requests.lock().unwrap().clone();
    let paths: Vec<&str> = requests.iter().map(|r| r.split_whitespace().nth(1).unwrap()).collect();
    // The standard vocabulary and the unused one are not fetched.
    assert_eq!(paths, ["/svc/$metadata", "/common/types.xml"]);
    assert!(requests.iter().all(|r| r.contains("Bearer s3cret-token")), "{requests:?}");
    assert_eq!(fetched.diagnostics.len(), 1, "{:?}", fetched.diagnostics);
    assert!(
        fetched.diagnostics[0].starts_with(&format!("{url}:4:40: warning: the referenced document is not fetched: no type of the model is in namespace `Vendor.UI`")),
        "{:?}",
        fetched.diagnostics
    );
}

#[test]
fn csdl_json_metadata_and_its_reference_are_fetched() {
    let service = r#"{"$Version": "4.01",
 "$Reference": {"types.json": {"$Include": [{"$Namespace": "Common.Types", "$Alias": "C"}]}},
 "Shop": {"customer": {"$Kind": "ComplexType", "address": {"$Type": "C.address"}}}}"#;
    let types = r#"{"$Version": "4.01", "Common.Types": {"address": {"$Kind": "ComplexType", "city": {}}}}"#;
    let server = serve(vec![
        ("/svc/$metadata?$format=json", Answer::Document("application/json", service.to_owned())),
        ("/svc/types.json", Answer::Document("application/json", types.to_owned())),
    ]);
    let fetched = fetch(&format!("{}/svc/$metadata?$format=json", server.root), &FetchOptions::default());
    assert!(fetched.ok, "{:?}", fetched.diagnostics);
    assert_eq!(fetched.documents.len(), 2);
}

#[test]
fn headers_go_to_the_origin_given_and_nowhere_else() {
    let elsewhere = serve(vec![("/metadata.xml", Answer::Document("application/xml", TYPES.to_owned()))]);
    let home = serve(vec![("/$metadata", Answer::Redirect(format!("{}/metadata.xml", elsewhere.root)))]);
    let fetched = fetch(&format!("{}/$metadata", home.root), &with_token());
    assert!(fetched.ok, "{:?}", fetched.diagnostics);
    assert!(home.requests.lock().unwrap()[0].contains("s3cret-token"));
    let there = elsewhere.requests.lock().unwrap().clone();
    assert_eq!(there.len(), 1);
    assert!(!there[0].contains("s3cret-token"), "the token followed a redirect to another port: {there:?}");
}

#[test]
fn each_failure_is_its_own_clear_error_and_never_shows_a_header_value() {
    let big = format!("<Schema Namespace=\"A\">{}</Schema>", " ".repeat(2000));
    let server = serve(vec![
        ("/missing", Answer::Status(404)),
        ("/locked", Answer::Status(401)),
        ("/html", Answer::Document("text/html; charset=utf-8", "<!DOCTYPE html><html>Sign in</html>".to_owned())),
        ("/text", Answer::Document("text/plain", "Service Unavailable".to_owned())),
        ("/big", Answer::Document("application/xml", big.clone())),
        ("/big-unsized", Answer::Unsized(big)),
        ("/loop", Answer::Redirect("/loop".to_owned())),
        ("/slow", Answer::Silent),
        ("/needs-more", Answer::Document("application/xml", SERVICE.to_owned())),
    ]);
    let options = FetchOptions {
        timeout: Duration::from_millis(1500),
        max_bytes: 1000,
        max_documents: 1,
        ..with_token()
    };
    for (path, expected) in [
        ("/missing", "HTTP 404 Not Found (is this the service's `$metadata` URL?)"),
        ("/locked", "HTTP 401 Unauthorized (pass credentials with --header"),
        ("/html", "not CSDL: the server answered with an HTML page (Content-Type: text/html; charset=utf-8)"),
        ("/text", "not CSDL: the document starts with `Service Unavailable`"),
        ("/big", "the document is 2031 bytes, over the limit of 1000"),
        ("/big-unsized", "the document is larger than 1000 bytes"),
        ("/loop", "more than 10 redirects"),
        ("/slow", "timed out: the exchange took longer than 1.5 s (--timeout)"),
        ("/needs-more", "would be document 2 of this URL, over the limit of 1"),
    ] {
        let fetched = fetch(&format!("{}{path}", server.root), &options);
        assert!(!fetched.ok, "{path}");
        let all = fetched.diagnostics.join("\n");
        assert!(all.contains(expected), "{path}: {all}");
        assert!(!all.contains("s3cret"), "{path}: {all}");
    }
    let refused = fetch(&format!("{}/nothing-listens", "http://127.0.0.1:9"), &options);
    assert!(refused.diagnostics[0].contains("connection failed"), "{:?}", refused.diagnostics);
}

#[test]
fn urls_and_headers_are_checked_before_anything_is_sent() {
    assert!(parse_url("https://host/svc/$metadata").is_ok());
    for (url, reason) in [
        ("ftp://host/x", "http or https"),
        ("https://user:pw@host/x", "`https://user:***@host/x` holds a user name or password"),
        ("not a url", "is not a URL"),
    ] {
        let error = parse_url(url).unwrap_err();
        assert!(error.contains(reason), "{url}: {error}");
    }
    assert!(check_header("Authorization", "Bearer x").is_ok());
    assert!(check_header("Bad Name", "x").is_err());
    let error = check_header("X-Token", "a\r\nInjected: yes").unwrap_err();
    assert!(!error.contains("Injected"), "{error}");
}
