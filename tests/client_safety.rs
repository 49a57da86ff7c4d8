//! The generated client against hostile answers, on loopback servers: credentials never leave
//! the base URL's origin (next links, redirects), relative next links resolve per RFC 3986, and
//! paging ends when a service links back to a page it already gave.

use std::sync::{Arc, Mutex};

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use futures_util::TryStreamExt;
use generated::client::Client;
use generated::request::Error;
use serde_json::json;

const TOKEN: &str = "secret-token";

/// What a server received: (path and query, whether it carried our token).
type Log = Arc<Mutex<Vec<(String, bool)>>>;

/// How a server answers: from the request's path and query, and its own base URL.
type Answer = fn(&str, &str) -> Response;

/// A server's state: its log, its base URL, its answer.
type Served = (Log, String, Answer);

/// A loopback server answering each request with `answer(path_and_query, own base)`.
async fn server(answer: Answer) -> (String, Log) {
    let log: Log = Arc::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let state = (log.clone(), base.clone(), answer);
    let app = Router::new().fallback(
        |State((log, base, answer)): State<Served>, request: Request| async move {
            let target = request
                .uri()
                .path_and_query()
                .map(|p| p.as_str().to_owned())
                .unwrap_or_default();
            let authorized = request
                .headers()
                .get(header::AUTHORIZATION)
                .is_some_and(|v| v.to_str().unwrap_or("").contains(TOKEN));
            log.lock().unwrap().push((target.clone(), authorized));
            answer(&target, &base)
        },
    );
    tokio::spawn(async move { axum::serve(listener, app.with_state(state)).await.unwrap() });
    (base, log)
}

fn page(next: Option<String>) -> Response {
    let mut body = json!({ "value": [{ "id": "a", "priority": 1 }] });
    if let Some(next) = next {
        body["@odata.nextLink"] = json!(next);
    }
    (StatusCode::OK, axum::Json(body)).into_response()
}

fn client(base: &str) -> Client {
    Client::builder()
        .base_url(base)
        .bearer_token(TOKEN)
        .build()
        .unwrap()
}

const LIST: &str = "/officeConfiguration/clientConfigurations";

/// Every item of the area's collection, page by page, as the client lists them.
async fn list_items(
    client: &Client,
) -> Result<Vec<generated::microsoft_graph::AnyOfficeClientConfiguration>, Error> {
    client
        .office_configuration()
        .client_configurations()
        .list()
        .items()
        .try_collect()
        .await
}

/// `ELSEWHERE` is the other server's base URL, set before the main server starts.
static ELSEWHERE: Mutex<String> = Mutex::new(String::new());

#[tokio::test]
async fn a_next_link_to_another_origin_gets_no_token_and_is_an_error() {
    let (other, other_log) = server(|_, _| page(None)).await;
    *ELSEWHERE.lock().unwrap() = other;
    let (base, _) = server(|_, _| page(Some(format!("{}/steal", ELSEWHERE.lock().unwrap())))).await;
    let items: Result<Vec<_>, Error> = list_items(&client(&base)).await;
    let error = items.expect_err("a foreign next link is an error");
    assert!(
        error.to_string().contains("refusing to send a request to"),
        "{error}"
    );
    assert!(
        other_log.lock().unwrap().is_empty(),
        "the other origin was contacted"
    );
}

#[tokio::test]
async fn allowed_hosts_receive_the_pages_they_are_trusted_with() {
    let (other, other_log) = server(|_, _| page(None)).await;
    // Another port of the same host is another origin: `localhost` is allowed by name.
    let other = other.replace("127.0.0.1", "localhost");
    let (base, _) = server(|target, _| {
        let _ = target;
        page(Some(OTHER_FOR_ALLOWED.lock().unwrap().clone()))
    })
    .await;
    *OTHER_FOR_ALLOWED.lock().unwrap() = format!("{other}/more");
    let client = Client::builder()
        .base_url(&base)
        .bearer_token(TOKEN)
        .allowed_hosts(["localhost"])
        .build()
        .unwrap();
    let items: Vec<_> = list_items(&client).await.unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(
        other_log.lock().unwrap().as_slice(),
        [("/more".to_owned(), true)]
    );
}

static OTHER_FOR_ALLOWED: Mutex<String> = Mutex::new(String::new());

#[tokio::test]
async fn a_redirect_to_another_origin_is_followed_without_the_token() {
    // Graph answers downloads with a redirect to pre-authenticated storage: followed, as
    // Kiota's redirect handler does, but the token stays with the base URL's origin.
    let (other, other_log) = server(|_, _| root_answer()).await;
    *REDIRECT_TO.lock().unwrap() = other;
    let (base, _) = server(|_, _| {
        let location = format!("{}/storage", REDIRECT_TO.lock().unwrap());
        (StatusCode::FOUND, [(header::LOCATION, location)]).into_response()
    })
    .await;
    let result = client(&base).office_configuration().get().await;
    assert!(result.is_ok(), "{result:?}");
    assert_eq!(
        *other_log.lock().unwrap(),
        [("/storage".to_owned(), false)],
        "the other origin got the token"
    );
}

static REDIRECT_TO: Mutex<String> = Mutex::new(String::new());

#[tokio::test]
async fn relative_next_links_resolve_against_the_request_that_returned_them() {
    let (base, log) = server(|target, _| {
        let next = match target {
            // Relative to the last segment, as RFC 3986 §5.2 reads it.
            t if t == format!("/v1.0{LIST}") => {
                Some("clientConfigurations?$skiptoken=abc".to_owned())
            }
            // Rooted at the host.
            t if t.ends_with("$skiptoken=abc") => Some(format!("/v1.0{LIST}?$skiptoken=def")),
            _ => None,
        };
        page(next)
    })
    .await;
    let items: Vec<_> = list_items(&client(&format!("{base}/v1.0"))).await.unwrap();
    assert_eq!(items.len(), 3);
    let received: Vec<String> = log.lock().unwrap().iter().map(|(t, _)| t.clone()).collect();
    assert_eq!(
        received,
        [
            format!("/v1.0{LIST}"),
            format!("/v1.0{LIST}?$skiptoken=abc"),
            format!("/v1.0{LIST}?$skiptoken=def"),
        ]
    );
}

#[tokio::test]
async fn paging_ends_when_a_page_links_back() {
    let (base, log) = server(|target, base| {
        // Every page links to itself.
        page(Some(format!("{base}{target}")))
    })
    .await;
    let items: Result<Vec<_>, Error> = list_items(&client(&base)).await;
    let error = items.expect_err("a self-link ends in an error");
    assert!(
        error.to_string().contains("paging would never end"),
        "{error}"
    );
    assert_eq!(log.lock().unwrap().len(), 1);

    // And a bound on the number of pages.
    let (base, _) = server(|target, base| {
        let n: u32 = target
            .rsplit('=')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        page(Some(format!("{base}{LIST}?$skiptoken={}", n + 1)))
    })
    .await;
    let capped = Client::builder()
        .base_url(&base)
        .max_pages(5)
        .build()
        .unwrap();
    let pages: Result<Vec<_>, Error> = capped
        .office_configuration()
        .client_configurations()
        .list()
        .pages()
        .try_collect()
        .await;
    let error = pages.expect_err("more pages than the bound");
    assert!(error.to_string().contains("more than 5 pages"), "{error}");
}

#[tokio::test]
async fn a_server_that_never_answers_is_a_timeout() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    // Accepts connections and never answers.
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let client = Client::builder()
        .base_url(&base)
        .timeout(std::time::Duration::from_millis(300))
        .build()
        .unwrap();
    let result = client.office_configuration().get().await;
    let error = result.expect_err("no answer");
    assert!(error.is_timeout(), "{error:?}");
    assert!(matches!(error, Error::Timeout(_)));
}

#[tokio::test]
async fn gzip_answers_are_asked_for_and_decompressed() {
    let (base, _) = server(|_, _| {
        use std::io::Write;
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder
            .write_all(br#"{"id":"root","@odata.context":"x"}"#)
            .unwrap();
        let body = encoder.finish().unwrap();
        (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, "application/json"),
                (header::CONTENT_ENCODING, "gzip"),
            ],
            body,
        )
            .into_response()
    })
    .await;
    let root = client(&base).office_configuration().get().await.unwrap();
    assert_eq!(root.additional_properties["id"], "root");
}

#[tokio::test]
async fn answers_over_the_limit_are_an_error_not_read_whole() {
    let (base, _) = server(|_, _| {
        let big = format!(r#"{{"note":"{}"}}"#, "x".repeat(2 << 20));
        (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            big,
        )
            .into_response()
    })
    .await;
    let client = Client::builder()
        .base_url(&base)
        .max_response_bytes(1 << 20)
        .build()
        .unwrap();
    let result = client.office_configuration().get().await;
    assert!(
        matches!(result, Err(Error::ResponseTooLarge { limit }) if limit == 1 << 20),
        "{result:?}"
    );
    // The default limit reads it.
    assert!(self::client(&base)
        .office_configuration()
        .get()
        .await
        .is_ok());
}

#[test]
fn unexpected_statuses_show_a_bounded_snippet() {
    let error = Error::UnexpectedStatus {
        status: 502,
        body: format!("<html>bad gateway{}</html>", " ".repeat(100_000)).into_bytes(),
        retry_after: None,
    };
    let text = error.to_string();
    assert!(
        text.starts_with("unexpected status 502 (100024 body bytes): <html>bad gateway"),
        "{text}"
    );
    assert!(text.len() < 300, "{}", text.len());
    // `unwrap()` and `main` print `Debug`: bounded too.
    let debug = format!("{error:?}");
    assert!(
        debug.contains("100024 bytes") && debug.len() < 400,
        "{}",
        debug.len()
    );
}

static THROTTLED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
static UNAVAILABLE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
static TIMED_OUT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

fn root_answer() -> Response {
    (StatusCode::OK, axum::Json(json!({ "id": "root" }))).into_response()
}

#[tokio::test]
async fn throttled_and_unavailable_answers_are_retried_after_the_wait_they_ask() {
    use std::sync::atomic::Ordering::SeqCst;
    // 429 with Retry-After in seconds, then success.
    let (base, log) = server(|_, _| match THROTTLED.fetch_add(1, SeqCst) {
        0 => (StatusCode::TOO_MANY_REQUESTS, [(header::RETRY_AFTER, "1")]).into_response(),
        _ => root_answer(),
    })
    .await;
    let read = client(&base).office_configuration().get().await.unwrap();
    assert_eq!(read.additional_properties["id"], "root");
    assert_eq!(log.lock().unwrap().len(), 2);

    // 503 with Retry-After as an HTTP date, then success.
    let (base, log) = server(|_, _| match UNAVAILABLE.fetch_add(1, SeqCst) {
        0 => {
            let when = std::time::SystemTime::now() + std::time::Duration::from_secs(1);
            let date = httpdate::fmt_http_date(when);
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::RETRY_AFTER, date)],
            )
                .into_response()
        }
        _ => root_answer(),
    })
    .await;
    assert!(client(&base).office_configuration().get().await.is_ok());
    assert_eq!(log.lock().unwrap().len(), 2);

    // 504 without Retry-After: exponential backoff, until the retries run out.
    let (base, log) = server(|_, _| {
        TIMED_OUT.fetch_add(1, SeqCst);
        (StatusCode::GATEWAY_TIMEOUT, "").into_response()
    })
    .await;
    let quick = Client::builder()
        .base_url(&base)
        .retry_delay(std::time::Duration::from_millis(5))
        .max_retries(2)
        .build()
        .unwrap();
    let result = quick.office_configuration().get().await;
    assert!(
        matches!(result, Err(Error::UnexpectedStatus { status: 504, .. })),
        "{result:?}"
    );
    assert_eq!(log.lock().unwrap().len(), 3, "one try and two retries");

    // Retries off: the throttling answer is the error, with its wait.
    let (base, _) = server(|_, _| {
        let body = json!({ "error": { "code": "TooManyRequests", "message": "slow down" } });
        (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, "7")],
            axum::Json(body),
        )
            .into_response()
    })
    .await;
    let once = Client::builder()
        .base_url(&base)
        .max_retries(0)
        .build()
        .unwrap();
    match once.office_configuration().get().await {
        Err(Error::Service(e)) => {
            assert_eq!(
                (e.status, e.retry_after),
                (429, Some(std::time::Duration::from_secs(7)))
            )
        }
        other => panic!("{other:?}"),
    }
}

/// An Azure SDK credential that hands out one token and records the scopes asked for.
#[derive(Debug, Default)]
struct FakeCredential {
    scopes: Mutex<Vec<Vec<String>>>,
}

#[async_trait::async_trait]
impl generated::client::azure_core::credentials::TokenCredential for FakeCredential {
    async fn get_token(
        &self,
        scopes: &[&str],
        _: Option<generated::client::azure_core::credentials::TokenRequestOptions<'_>>,
    ) -> generated::client::azure_core::Result<
        generated::client::azure_core::credentials::AccessToken,
    > {
        self.scopes
            .lock()
            .unwrap()
            .push(scopes.iter().map(|s| (*s).to_owned()).collect());
        let expires = generated::client::azure_core::time::OffsetDateTime::now_utc()
            + generated::client::azure_core::time::Duration::hours(1);
        Ok(generated::client::azure_core::credentials::AccessToken::new(TOKEN, expires))
    }
}

#[tokio::test]
async fn an_azure_credential_gives_the_token_for_the_base_urls_default_scope() {
    let (base, log) = server(|_, _| page(None)).await;
    let credential = Arc::new(FakeCredential::default());
    let client = Client::builder()
        .base_url(&base)
        .azure_credential(credential.clone())
        .build()
        .unwrap();
    let items: Vec<_> = list_items(&client).await.unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(log.lock().unwrap()[0], (LIST.to_owned(), true));
    assert_eq!(
        *credential.scopes.lock().unwrap(),
        [[format!("{base}/.default")]]
    );
}

#[test]
fn allowed_hosts_are_host_names_and_match_in_any_case() {
    let build = |host: &str| {
        Client::builder()
            .base_url("https://graph.example")
            .allowed_hosts([host])
            .build()
    };
    for bad in [
        "https://files.example",
        "files.example:8443",
        "files.example/path",
    ] {
        assert!(
            matches!(build(bad), Err(Error::Request(_))),
            "{bad} was accepted"
        );
    }
    assert!(build("Files.Example.").is_ok());
    assert!(build("bücher.example").is_ok());
}

#[tokio::test]
async fn a_base_url_or_a_link_that_is_not_a_uri_is_an_error_not_a_panic() {
    let (base, log) = server(|_, _| root_answer()).await;
    // `url` accepts a space and percent-encodes it; so does the client.
    let client = client(&format!("{base}/a b"));
    assert_eq!(client.base_url(), format!("{base}/a%20b"));
    assert!(client.office_configuration().get().await.is_ok());
    assert_eq!(log.lock().unwrap()[0].0, "/a%20b/officeConfiguration");
    // Sans-IO, a base URL without a scheme is an error.
    let operation = generated::requests::office_configuration().get();
    assert!(matches!(
        operation.http_request("graph.microsoft.com"),
        Err(Error::Request(_))
    ));
}

#[tokio::test]
async fn a_stream_outlasts_the_overall_timeout_while_bytes_keep_coming() {
    use axum::body::{Body, Bytes};
    use futures_util::StreamExt;
    // 30 chunks, 100 ms apart: 3 s in all, against an overall timeout of 0.8 s (margins wide
    // enough for a loaded CI machine).
    let (base, _) = server(|_, _| {
        let chunks = futures_util::stream::iter(0..30).then(|_| async {
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            Ok::<_, std::io::Error>(Bytes::from(vec![7u8; 1024]))
        });
        Body::from_stream(chunks).into_response()
    })
    .await;
    let client = Client::builder()
        .base_url(&base)
        .timeout(std::time::Duration::from_millis(800))
        .build()
        .unwrap();
    let payload = client
        .office_configuration()
        .client_configurations()
        .by_id("c")
        .policy_payload();
    let chunks: Vec<_> = payload
        .download()
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(chunks.iter().map(|c| c.len()).sum::<usize>(), 30 * 1024);
    // A stalled stream still ends: the read timeout.
    let stalled = Client::builder()
        .base_url(&base)
        .read_timeout(std::time::Duration::from_millis(50))
        .build()
        .unwrap();
    let payload = stalled
        .office_configuration()
        .client_configurations()
        .by_id("c")
        .policy_payload();
    let error = match payload.download().await {
        Ok(stream) => stream.try_collect::<Vec<_>>().await.unwrap_err(),
        Err(error) => error,
    };
    assert!(error.is_timeout(), "{error:?}");
}

#[tokio::test]
async fn an_upload_that_keeps_going_outlasts_the_timeouts_and_a_stalled_one_ends() {
    use axum::body::Bytes;
    use futures_util::StreamExt;
    // A server that reads the whole body before it answers.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let received = Arc::new(Mutex::new(Vec::new()));
    let log = received.clone();
    let app = Router::new().fallback(move |request: Request| {
        let log = log.clone();
        async move {
            let body = axum::body::to_bytes(request.into_body(), usize::MAX)
                .await
                .unwrap();
            log.lock().unwrap().push(body.len());
            StatusCode::NO_CONTENT
        }
    });
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let client = Client::builder()
        .base_url(&base)
        .timeout(std::time::Duration::from_millis(800))
        .read_timeout(std::time::Duration::from_millis(800))
        .build()
        .unwrap();
    let payload = client
        .office_configuration()
        .client_configurations()
        .by_id("c")
        .policy_payload();
    // 30 chunks, 100 ms apart: 3 s in all, each well within the read timeout.
    let slow = futures_util::stream::iter(0..30).then(|_| async {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        Ok::<_, std::io::Error>(Bytes::from(vec![1u8; 1024]))
    });
    payload.upload(slow, Some(30 * 1024)).await.unwrap();
    assert_eq!(*received.lock().unwrap(), [30 * 1024]);
    // A body that stops coming ends with a timeout.
    let stalled =
        futures_util::stream::iter([Ok::<_, std::io::Error>(Bytes::from_static(b"start"))])
            .chain(futures_util::stream::pending());
    let error = payload.upload(stalled, None).await.unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
}

static ELSEWHERE_FOR_WRITES: Mutex<String> = Mutex::new(String::new());

#[tokio::test]
async fn a_request_with_a_body_does_not_follow_a_redirect_to_another_origin() {
    let (other, other_log) = server(|_, _| root_answer()).await;
    *ELSEWHERE_FOR_WRITES.lock().unwrap() = other;
    let (base, _) = server(|_, _| {
        let location = format!("{}/collect", ELSEWHERE_FOR_WRITES.lock().unwrap());
        (
            StatusCode::TEMPORARY_REDIRECT,
            [(header::LOCATION, location)],
        )
            .into_response()
    })
    .await;
    let created = client(&base)
        .office_configuration()
        .client_configurations()
        .create(generated::microsoft_graph::WindowsOfficeClientConfiguration::default())
        .await;
    assert!(
        matches!(created, Err(Error::UnexpectedStatus { status: 307, .. })),
        "{created:?}"
    );
    assert!(
        other_log.lock().unwrap().is_empty(),
        "the body went to another origin"
    );
}

#[test]
fn a_base_url_with_a_query_or_fragment_is_refused() {
    for base in [
        "https://graph.example/beta?x=1",
        "https://graph.example/beta#top",
        "graph.example",
    ] {
        let built = Client::builder().base_url(base).build();
        assert!(
            matches!(built, Err(Error::Request(_))),
            "{base} was accepted"
        );
    }
}

#[test]
fn service_errors_print_a_bounded_message_and_body() {
    let operation = generated::requests::office_configuration().get();
    let long = "x".repeat(100_000);
    let body = json!({"error": {"code": "Big", "message": long, "details": [{"message": long}]}});
    let answer = http::Response::builder()
        .status(500)
        .body(serde_json::to_vec(&body).unwrap())
        .unwrap();
    let error = operation.parse_response(answer).unwrap_err();
    assert!(
        matches!(&error, Error::Service(e) if e.message.len() == 100_000),
        "the message is kept whole"
    );
    assert!(error.to_string().len() < 400, "{}", error.to_string().len());
    assert!(
        format!("{error:?}").len() < 1_500,
        "{}",
        format!("{error:?}").len()
    );
}

#[test]
fn a_wrong_value_inside_a_polymorphic_answer_names_its_path() {
    let operation = generated::requests::office_configuration()
        .client_configurations()
        .by_id("c")
        .get();
    let body = json!({"@odata.type": "#microsoft.graph.windowsOfficeClientConfiguration", "priority": "high"});
    let answer = http::Response::builder()
        .status(200)
        .body(serde_json::to_vec(&body).unwrap())
        .unwrap();
    let Err(Error::Decode(decode)) = operation.parse_response(answer) else {
        panic!("a string priority read as a number");
    };
    assert_eq!(decode.path, "priority");
    assert!(decode.to_string().contains("`priority`"), "{decode}");
}
