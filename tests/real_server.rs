//! The generated client against a real OData v4 server: SAP CAP (`@sap/cds` with
//! `@cap-js/sqlite` on `sql.js`, installed in `tests/cap` by `npm ci --ignore-scripts`), serving
//! the nursery model of `tests/cap` on loopback with an in-memory database. Each test starts
//! its own server, so each sees only its own data, and reads back what the server then holds.
//!
//! The client is the `cap-nursery` fixture, generated from the server's own `$metadata`
//! (`the_fixture_is_generated_from_the_servers_own_metadata` checks they are the same).
//! Without Node.js or the installed packages, every test here is listed as ignored with the
//! reason (see `tests/build.rs`).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use fixture_cap_nursery::client::Client;
use fixture_cap_nursery::nursery_service::{
    Beds, Deliveries, Greenhouses, Notes, Plants, WaterParameters,
};
use fixture_cap_nursery::request::{Batch, ETag, Error, Step};
use fixture_cap_nursery::support::{ControlInformation, DateTimeOffset, Decimal, Int64, Nullable};
use futures_util::TryStreamExt;

/// A CAP server on a free loopback port, stopped when dropped (also when a test panics).
struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start() -> Server {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("cap");
        let mut child = Command::new("node")
            .arg(dir.join("node_modules/@sap/cds/bin/serve.js"))
            .args(["--port", "0"])
            .current_dir(&dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("node starts (tests/build.rs found it)");
        let (port_tx, port_rx) = mpsc::channel::<String>();
        let stdout = child.stdout.take().unwrap();
        // The server logs every request: read its output to the end so that it never blocks.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(rest) = line
                    .split("server listening on { url: 'http://localhost:")
                    .nth(1)
                {
                    let port: String = rest.chars().take_while(char::is_ascii_digit).collect();
                    let _ = port_tx.send(port);
                }
            }
        });
        let stderr = child.stderr.take().unwrap();
        let (err_tx, err_rx) = mpsc::channel();
        std::thread::spawn(move || {
            let lines: Vec<String> = BufReader::new(stderr)
                .lines()
                .map_while(Result::ok)
                .collect();
            let _ = err_tx.send(lines.join("\n"));
        });
        match port_rx.recv_timeout(Duration::from_secs(60)) {
            Ok(port) => Server {
                child,
                base: format!("http://localhost:{port}/odata/v4/nursery"),
            },
            _ => {
                let _ = child.kill();
                let stderr = err_rx
                    .recv_timeout(Duration::from_secs(5))
                    .unwrap_or_default();
                panic!("the CAP server did not start within 60 s:\n{stderr}");
            }
        }
    }

    fn client(&self) -> Client {
        Client::builder().base_url(&self.base).build().unwrap()
    }

    /// A request the generated client cannot make, sent as is (to read back what the server
    /// holds, independently of the client under test).
    async fn raw(
        &self,
        method: &str,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> (u16, serde_json::Value) {
        let client = self.client();
        let mut builder = http::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base))
            .header("accept", "application/json");
        let body = match body {
            Some(json) => {
                builder = builder.header("content-type", "application/json");
                serde_json::to_vec(&json).unwrap()
            }
            None => Vec::new(),
        };
        let answer = client.execute(builder.body(body).unwrap()).await.unwrap();
        let json = serde_json::from_slice(answer.body()).unwrap_or(serde_json::Value::Null);
        (answer.status().as_u16(), json)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn cap_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("cap")
}

fn greenhouse(name: &str) -> Greenhouses {
    Greenhouses {
        name: name.to_owned().into(),
        ..Default::default()
    }
}

/// Creates a greenhouse and gives it back as stored.
async fn created(client: &Client, value: Greenhouses) -> Greenhouses {
    client
        .greenhouses()
        .create(value)
        .await
        .expect("201 Created")
        .entity_or_read()
        .await
        .unwrap()
}

#[tokio::test]
#[cfg_attr(
    not(real_server),
    ignore = "needs Node.js and SAP CAP: run `npm ci --ignore-scripts` in tests/cap (.ci/run does)"
)]
async fn the_fixture_is_generated_from_the_servers_own_metadata() {
    let server = Server::start();
    let answer = server
        .client()
        .execute(
            http::Request::get(format!("{}/$metadata", server.base))
                .body(Vec::new())
                .unwrap(),
        )
        .await
        .unwrap();
    let served = String::from_utf8(answer.body().clone()).unwrap();
    let committed = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/cap-nursery/input.xml"),
    )
    .unwrap();
    assert!(
        served == committed,
        "the server's $metadata changed (tests/cap changed?): save it as tests/fixtures/cap-nursery/input.xml and regenerate the fixture"
    );
    assert!(cap_dir().join("srv/service.cds").is_file());
}

#[tokio::test]
#[cfg_attr(
    not(real_server),
    ignore = "needs Node.js and SAP CAP: run `npm ci --ignore-scripts` in tests/cap (.ci/run does)"
)]
async fn a_create_with_a_uuid_key_is_read_back_with_every_kind_of_value() {
    let server = Server::start();
    let client = server.client();
    let made = created(
        &client,
        Greenhouses {
            name: "North".to_owned().into(),
            climate: "T".to_owned().into(),
            area: "12.50".parse::<Decimal>().unwrap().into(),
            visitors: Int64::from(42).into(),
            opened_on: chrono::NaiveDate::from_ymd_opt(2021, 3, 14).unwrap().into(),
            last_check: DateTimeOffset::from(
                chrono::DateTime::parse_from_rfc3339("2024-05-01T10:00:00Z").unwrap(),
            )
            .into(),
            humidity: 40.into(),
            ..Default::default()
        },
    )
    .await;
    let id = made.id.expect("the server assigns the UUID key");
    let read = client.greenhouses().by_id(id).get().await.unwrap();
    assert_eq!(read.name, Nullable::Value("North".to_owned()));
    assert_eq!(read.climate, Nullable::Value("T".to_owned()));
    // CAP writes decimals as JSON numbers of its own spelling: compared by value.
    assert_eq!(
        read.area.value().map(|d| d.to_string()).as_deref(),
        Some("12.5")
    );
    assert_eq!(read.visitors.value().map(|v| **v), Some(42));
    assert_eq!(
        read.opened_on.value().map(|d| d.to_string()).as_deref(),
        Some("2021-03-14")
    );
    assert_eq!(
        read.last_check
            .value()
            .and_then(|d| d.value())
            .map(|d| d.timestamp()),
        Some(1_714_557_600)
    );
    assert!(
        read.etag().is_some(),
        "@odata.etag is read as the entity's etag"
    );
}

#[tokio::test]
#[cfg_attr(
    not(real_server),
    ignore = "needs Node.js and SAP CAP: run `npm ci --ignore-scripts` in tests/cap (.ci/run does)"
)]
async fn a_create_answered_204_is_a_success_with_its_location() {
    let server = Server::start();
    let client = server.client();
    // CAP answers `return=minimal` with 204 and Location; and always for an insert-only set,
    // whose entities cannot be read back.
    let minimal = client
        .greenhouses()
        .create(greenhouse("Quiet"))
        .return_minimal()
        .await
        .unwrap();
    assert!(minimal.entity().is_none());
    let location = minimal.location().expect("Location").to_owned();
    assert!(
        location.starts_with(&format!("{}/Greenhouses(", server.base)),
        "{location}"
    );
    let read = minimal.entity_or_read().await.unwrap();
    assert_eq!(read.name, Nullable::Value("Quiet".to_owned()));

    let note = client
        .notes()
        .create(Notes {
            text: "watered the ferns".to_owned().into(),
            ..Default::default()
        })
        .await
        .expect("a 204 create is no error");
    assert!(note.entity().is_none());
    assert!(note.location().is_some_and(|l| l.contains("/Notes(")));
    // The note exists (the server reads it for itself; its clients may not).
    let (status, _) = server.raw("GET", "/Notes", None).await;
    assert_eq!(status, 405, "an insert-only set is not readable");
}

#[tokio::test]
#[cfg_attr(
    not(real_server),
    ignore = "needs Node.js and SAP CAP: run `npm ci --ignore-scripts` in tests/cap (.ci/run does)"
)]
async fn capability_restrictions_refuse_before_sending() {
    let server = Server::start();
    let client = server.client();
    // `@readonly` plants: readable, and not insertable (InsertRestrictions in the metadata).
    let plants: Vec<Plants> = client.plants().list().items().try_collect().await.unwrap();
    assert_eq!(plants.len(), 3);
    let refused = client.plants().create(Plants::default()).await.unwrap_err();
    assert!(
        matches!(refused, Error::Request(ref why) if why.contains("InsertRestrictions")),
        "{refused}"
    );
    // `@insertonly` notes: not readable (ReadRestrictions).
    let refused = client.notes().list().await.unwrap_err();
    assert!(
        matches!(refused, Error::Request(ref why) if why.contains("ReadRestrictions")),
        "{refused}"
    );
}

#[tokio::test]
#[cfg_attr(
    not(real_server),
    ignore = "needs Node.js and SAP CAP: run `npm ci --ignore-scripts` in tests/cap (.ci/run does)"
)]
async fn a_deep_insert_creates_the_contained_beds_and_paging_below_the_navigation_follows_links() {
    let server = Server::start();
    let client = server.client();
    let beds: Vec<Beds> = (1..=5)
        .map(|row| Beds {
            row: Some(row),
            soil: format!("soil {row}").into(),
            sown_code: "FERN".to_owned().into(),
            ..Default::default()
        })
        .collect();
    let made = created(
        &client,
        Greenhouses {
            name: "Deep".to_owned().into(),
            beds: beds.into(),
            ..Default::default()
        },
    )
    .await;
    let id = made.id.unwrap();
    // Two beds a page: the server answers `Greenhouses(id)/beds` with a context URL one level
    // up (`../$metadata#...`) and next links relative to it (JSON Format 4.01 §4.3).
    let pages: Vec<_> = client
        .greenhouses()
        .by_id(id)
        .beds()
        .list()
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        pages.iter().map(|p| p.value.len()).collect::<Vec<_>>(),
        [2, 2, 1]
    );
    assert!(
        pages[0].context().is_some_and(|c| c.starts_with("../")),
        "{:?}",
        pages[0].context()
    );
    let rows: Vec<i32> = pages
        .iter()
        .flat_map(|p| p.value.iter().filter_map(|b| b.row))
        .collect();
    assert_eq!(rows, [1, 2, 3, 4, 5]);
    // A contained bed, by its key below the greenhouse, and its association.
    let bed = client
        .greenhouses()
        .by_id(id)
        .beds()
        .by_row(3)
        .get()
        .await
        .unwrap();
    assert_eq!(bed.soil, Nullable::Value("soil 3".to_owned()));
    let plant = client
        .greenhouses()
        .by_id(id)
        .beds()
        .by_row(3)
        .sown()
        .get()
        .await
        .unwrap();
    assert_eq!(plant.and_then(|p| p.code).as_deref(), Some("FERN"));
}

#[tokio::test]
#[cfg_attr(
    not(real_server),
    ignore = "needs Node.js and SAP CAP: run `npm ci --ignore-scripts` in tests/cap (.ci/run does)"
)]
async fn top_level_paging_reads_every_item_and_counts() {
    let server = Server::start();
    let client = server.client();
    for n in 0..7 {
        created(&client, greenhouse(&format!("house {n}"))).await;
    }
    let pages: Vec<_> = client
        .greenhouses()
        .list()
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        pages.iter().map(|p| p.value.len()).collect::<Vec<_>>(),
        [3, 3, 1]
    );
    let counted = client.greenhouses().list().count(true).await.unwrap();
    assert_eq!(counted.count.map(i64::from), Some(7));
    assert_eq!(client.greenhouses().count().await.unwrap(), 7);
    // CAP does not honour `Prefer: odata.maxpagesize` (no Preference-Applied): its own limit
    // applies, and the answer says which preferences it applied.
    let small = client
        .greenhouses()
        .list()
        .max_page_size(2)
        .with_response()
        .await
        .unwrap();
    assert_eq!((small.preference_applied(), small.value.len()), (None, 3));
}

#[tokio::test]
#[cfg_attr(
    not(real_server),
    ignore = "needs Node.js and SAP CAP: run `npm ci --ignore-scripts` in tests/cap (.ci/run does)"
)]
async fn updates_take_the_etag_the_server_requires() {
    let server = Server::start();
    let client = server.client();
    let made = created(&client, greenhouse("Etag")).await;
    let id = made.id.unwrap();
    let entity = client.greenhouses().by_id(id);
    let change = Greenhouses {
        humidity: 55.into(),
        ..Default::default()
    };
    // The set declares Core.OptimisticConcurrency: without If-Match, 428.
    let missing = entity.update(change.clone()).await.unwrap_err();
    assert!(
        matches!(missing, Error::PreconditionRequired(_)),
        "{missing:?}"
    );
    // With the etag of what was read, the change is made.
    let read = entity.get().with_response().await.unwrap();
    let etag = read.etag().expect("the ETag header of a single entity");
    assert_eq!(
        Some(&etag),
        read.value().etag().as_ref(),
        "the header and @odata.etag agree"
    );
    entity.update(change.clone()).if_match(&etag).await.unwrap();
    assert_eq!(entity.get().await.unwrap().humidity, Nullable::Value(55));
    // That etag is stale now: 412.
    let stale = entity
        .update(change.clone())
        .if_match(&etag)
        .await
        .unwrap_err();
    assert!(matches!(stale, Error::PreconditionFailed(_)), "{stale:?}");
    // A conditional read with the current etag: not modified.
    let current = entity.get().await.unwrap().etag().unwrap();
    assert!(entity
        .get()
        .if_none_match(&current)
        .await
        .unwrap()
        .is_none());
    // A delete, with the etag; then the entity is gone.
    let missing_etag = entity.delete().await.unwrap_err();
    assert!(matches!(missing_etag, Error::PreconditionRequired(_)));
    entity.delete().if_match(&ETag::any()).await.unwrap();
    let gone = entity.get().await.unwrap_err();
    assert_eq!(gone.status(), Some(404));
}

#[tokio::test]
#[cfg_attr(
    not(real_server),
    ignore = "needs Node.js and SAP CAP: run `npm ci --ignore-scripts` in tests/cap (.ci/run does)"
)]
async fn an_update_can_return_the_representation_and_a_replace_puts_the_whole_entity() {
    let server = Server::start();
    let client = server.client();
    let made = created(
        &client,
        Greenhouses {
            humidity: 10.into(),
            ..greenhouse("Replace")
        },
    )
    .await;
    let entity = client.greenhouses().by_id(made.id.unwrap());
    let returned = entity
        .update(Greenhouses {
            humidity: 20.into(),
            ..Default::default()
        })
        .if_match(&ETag::any())
        .return_representation()
        .await
        .unwrap()
        .expect("200 with the entity as stored");
    assert_eq!(returned.humidity, Nullable::Value(20));
    entity
        .replace(Greenhouses {
            name: "Replaced".to_owned().into(),
            ..Default::default()
        })
        .if_match(&ETag::any())
        .await
        .unwrap();
    let read = entity.get().await.unwrap();
    assert_eq!(read.name, Nullable::Value("Replaced".to_owned()));
    // OData 4.01 Part 1 §11.4.4 resets what a PUT leaves out; CAP keeps it, as a PATCH would
    // (a server deviation the README notes; the request is a PUT of the whole body).
    assert_eq!(read.humidity, Nullable::Value(20));
}

#[tokio::test]
#[cfg_attr(
    not(real_server),
    ignore = "needs Node.js and SAP CAP: run `npm ci --ignore-scripts` in tests/cap (.ci/run does)"
)]
async fn the_servers_validation_is_a_service_error_with_its_target() {
    let server = Server::start();
    let client = server.client();
    let refused = client
        .greenhouses()
        .create(Greenhouses {
            humidity: 150.into(),
            ..greenhouse("Too wet")
        })
        .await
        .unwrap_err();
    let Error::Service(error) = refused else {
        panic!("{refused:?}")
    };
    assert_eq!(
        (error.status, error.code.as_str(), error.target.as_deref()),
        (400, "ASSERT_RANGE", Some("humidity"))
    );
    let (_, listed) = server.raw("GET", "/Greenhouses", None).await;
    assert_eq!(
        listed["value"].as_array().map(Vec::len),
        Some(0),
        "nothing was stored"
    );
}

#[tokio::test]
#[cfg_attr(
    not(real_server),
    ignore = "needs Node.js and SAP CAP: run `npm ci --ignore-scripts` in tests/cap (.ci/run does)"
)]
async fn bound_and_unbound_actions_and_functions() {
    let server = Server::start();
    let client = server.client();
    let made = created(
        &client,
        Greenhouses {
            climate: "A".to_owned().into(),
            beds: vec![Beds {
                row: Some(1),
                soil: "sand".to_owned().into(),
                ..Default::default()
            }]
            .into(),
            ..greenhouse("Dry")
        },
    )
    .await;
    let entity = client.greenhouses().by_id(made.id.unwrap());
    let watered = entity
        .water(&WaterParameters {
            humidity: 70.into(),
            ..Default::default()
        })
        .if_match(&ETag::any())
        .await
        .unwrap()
        .expect("the greenhouse as stored");
    assert_eq!(watered.humidity, Nullable::Value(70));
    assert_eq!(entity.get().await.unwrap().humidity, Nullable::Value(70));
    assert_eq!(entity.bed_count().await.unwrap(), Some(1));
    assert_eq!(
        client.count_by_climate(Some("A".to_owned())).await.unwrap(),
        Some(1)
    );
    assert_eq!(client.clear_soil().await.unwrap(), Some(1));
    let bed = entity.beds().by_row(1).get().await.unwrap();
    assert_eq!(bed.soil, Nullable::Null, "the action cleared it");
}

#[tokio::test]
#[cfg_attr(
    not(real_server),
    ignore = "needs Node.js and SAP CAP: run `npm ci --ignore-scripts` in tests/cap (.ci/run does)"
)]
async fn composite_keys_and_a_null_navigation() {
    let server = Server::start();
    let client = server.client();
    client
        .deliveries()
        .create(Deliveries {
            supplier: Some("O'Brien & Sons".to_owned()),
            number: Some(7),
            quantity: 12.into(),
            plant_code: "BASIL".to_owned().into(),
            ..Default::default()
        })
        .await
        .unwrap();
    let delivery = client.deliveries().by_key("O'Brien & Sons", 7);
    assert_eq!(delivery.get().await.unwrap().quantity, Nullable::Value(12));
    let plant = delivery.plant().get().await.unwrap();
    assert_eq!(
        plant.and_then(|p| p.common_name.into_option()).as_deref(),
        Some("Sweet basil")
    );
    // A greenhouse without a keeper: the navigation answers 204, which is `None`.
    let made = created(&client, greenhouse("Alone")).await;
    assert_eq!(
        client
            .greenhouses()
            .by_id(made.id.unwrap())
            .keeper()
            .get()
            .await
            .unwrap(),
        None
    );
}

#[tokio::test]
#[cfg_attr(
    not(real_server),
    ignore = "needs Node.js and SAP CAP: run `npm ci --ignore-scripts` in tests/cap (.ci/run does)"
)]
async fn a_batch_with_an_atomicity_group_and_a_dependency() {
    let server = Server::start();
    let client = server.client();
    let mut batch = Batch::new();
    let group = batch.atomicity_group();
    let first = batch
        .add_to_group(
            &group,
            &client.greenhouses().create(greenhouse("Batched 1")),
        )
        .unwrap();
    let second = batch
        .add_to_group(
            &group,
            &client.greenhouses().create(greenhouse("Batched 2")),
        )
        .unwrap();
    let plants = batch
        .add_after(&client.plants().list(), &[group.id()])
        .unwrap();
    let answers = client.batch(&batch).await.unwrap();
    assert!(answers.get(&first).unwrap().entity().is_some());
    assert!(answers.get(&second).unwrap().entity().is_some());
    assert_eq!(answers.get(&plants).unwrap().value.len(), 3);
    assert_eq!(client.greenhouses().count().await.unwrap(), 2);

    // A group with a failing request stores nothing of it.
    let mut batch = Batch::new();
    let group = batch.atomicity_group();
    let good = batch
        .add_to_group(&group, &client.greenhouses().create(greenhouse("Kept?")))
        .unwrap();
    let bad = batch
        .add_to_group(
            &group,
            &client.greenhouses().create(Greenhouses {
                humidity: 500.into(),
                ..greenhouse("Bad")
            }),
        )
        .unwrap();
    let answers = client.batch(&batch).await.unwrap();
    let Err(Error::Service(refused)) = answers.get(&bad) else {
        panic!("the bad request fails")
    };
    assert_eq!(refused.code, "ASSERT_RANGE");
    // The group is rolled back: nothing of it is stored. CAP still answers the first request
    // `201 Created`; the client reads it as the group's failure (JSON Format 4.01 §19.2).
    let Err(Error::Service(failed)) = answers.get(&good) else {
        panic!("the group failed as one")
    };
    assert!(failed.message.contains("atomicity group"), "{failed:?}");
    assert_eq!(client.greenhouses().count().await.unwrap(), 2);
}

#[tokio::test]
#[cfg_attr(
    not(real_server),
    ignore = "needs Node.js and SAP CAP: run `npm ci --ignore-scripts` in tests/cap (.ci/run does)"
)]
async fn an_asynchronous_request_is_answered_at_once_when_the_server_does_not_support_it() {
    // CAP ignores `Prefer: respond-async`: the answer is the synchronous one, which is done.
    let server = Server::start();
    let client = server.client();
    let step = client
        .start(
            client
                .greenhouses()
                .create(greenhouse("Now"))
                .respond_async(),
        )
        .await
        .unwrap();
    let Step::Done(done) = step else {
        panic!("done at once")
    };
    assert_eq!(done.status(), 201);
}
