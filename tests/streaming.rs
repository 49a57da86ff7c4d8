//! Stream properties and media content move through the client as streams: 100 MB down and
//! 100 MB up through a loopback server, with the process's peak heap measured by a counting
//! allocator. Alone in its test binary so that no other test's allocations count.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use futures_util::{stream, AsyncReadExt, StreamExt};
use generated::client::Client;
use generated::request::Error;

/// `System`, counting the bytes allocated now and at most.
struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        unsafe { System.dealloc(pointer, layout) };
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The heap's high-water mark since the last reset, in bytes above the heap at the reset.
fn peak_since(reset_at: usize) -> usize {
    PEAK.load(Ordering::Relaxed).saturating_sub(reset_at)
}

fn reset_peak() -> usize {
    let now = CURRENT.load(Ordering::Relaxed);
    PEAK.store(now, Ordering::Relaxed);
    now
}

const TOTAL: usize = 100 << 20;
const CHUNK: usize = 64 << 10;
const PAYLOAD: &str = "/officeConfiguration/clientConfigurations/c1/policyPayload";

/// Byte `i` of the content: a pattern both ends can check without holding it.
fn byte_at(i: usize) -> u8 {
    (i % 251) as u8
}

/// The content, made chunk by chunk.
fn content() -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static {
    stream::iter((0..TOTAL).step_by(CHUNK)).map(|start| {
        let end = (start + CHUNK).min(TOTAL);
        Ok(Bytes::from((start..end).map(byte_at).collect::<Vec<u8>>()))
    })
}

/// What the server received on `PUT`: (bytes, whether every byte was the pattern's).
type Received = Arc<Mutex<Option<(usize, bool)>>>;

async fn server() -> (String, Received) {
    let received: Received = Arc::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = Router::new()
        .route(
            PAYLOAD,
            get(|| async { Body::from_stream(content()).into_response() }).put(
                |State(received): State<Received>, request: Request| async move {
                    let mut body = request.into_body().into_data_stream();
                    let (mut count, mut intact) = (0, true);
                    while let Some(chunk) = body.next().await {
                        let chunk = chunk.unwrap();
                        intact &= chunk
                            .iter()
                            .enumerate()
                            .all(|(i, b)| *b == byte_at(count + i));
                        count += chunk.len();
                    }
                    *received.lock().unwrap() = Some((count, intact));
                    StatusCode::NO_CONTENT.into_response()
                },
            ),
        )
        .route(
            "/officeConfiguration/clientConfigurations/missing/policyPayload",
            get(|| async {
                let error =
                    r#"{"error":{"code":"ResourceNotFound","message":"no such configuration"}}"#;
                (
                    StatusCode::NOT_FOUND,
                    [("content-type", "application/json")],
                    error,
                )
                    .into_response()
            }),
        )
        .with_state(received.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (base, received)
}

fn client(base: &str) -> Client {
    // The whole-answer limit is far below the content: streams are not held, so it does not apply.
    Client::builder()
        .base_url(base)
        .bearer_token("t")
        .max_response_bytes(1 << 20)
        .build()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_100_mb_stream_goes_down_and_up_in_bounded_memory() {
    let (base, received) = server().await;
    let client = client(&base);
    let payload = client
        .office_configuration()
        .client_configurations()
        .by_id("c1")
        .policy_payload();

    let before = reset_peak();
    let mut download = payload.download().await.unwrap();
    let (mut count, mut intact) = (0, true);
    while let Some(chunk) = download.next().await {
        let chunk = chunk.unwrap();
        intact &= chunk
            .iter()
            .enumerate()
            .all(|(i, b)| *b == byte_at(count + i));
        count += chunk.len();
    }
    let download_peak = peak_since(before);
    assert_eq!((count, intact), (TOTAL, true));

    let before = reset_peak();
    payload.upload(content(), Some(TOTAL as u64)).await.unwrap();
    let upload_peak = peak_since(before);
    assert_eq!(*received.lock().unwrap(), Some((TOTAL, true)));

    // Both ends of both transfers run in this process: a whole copy of the content would be
    // 100 MiB (more while a Vec grows). Chunks in flight take about 1 MiB; the bound is 8 MiB.
    const BOUND: usize = 8 << 20;
    eprintln!(
        "peak heap above the start: download {download_peak} bytes, upload {upload_peak} bytes"
    );
    assert!(download_peak < BOUND, "download peak {download_peak} bytes");
    assert!(upload_peak < BOUND, "upload peak {upload_peak} bytes");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_download_reads_as_async_read_and_an_error_answer_is_the_service_error() {
    let (base, _) = server().await;
    let client = client(&base);
    let configurations = client.office_configuration().client_configurations();
    let mut reader = configurations
        .by_id("c1")
        .policy_payload()
        .download()
        .await
        .unwrap()
        .into_async_read();
    let mut first = vec![0; 1000];
    reader.read_exact(&mut first).await.unwrap();
    assert!(first.iter().enumerate().all(|(i, b)| *b == byte_at(i)));

    let error = configurations
        .by_id("missing")
        .policy_payload()
        .download()
        .await
        .unwrap_err();
    let Error::Service(service) = error else {
        panic!("expected the service's error, got {error:?}");
    };
    assert_eq!(
        (service.status, service.code.as_str()),
        (404, "ResourceNotFound")
    );
}
