//! What every success a service may send yields, per kind of operation, without I/O: the
//! status table of the README's Requests section, etags and preconditions, links resolved
//! against the context URL, asynchronous answers and their monitors, and checked batches.

use generated::microsoft_graph::{
    AnyOfficeClientConfiguration, OfficeClientConfigurationAssignment, OfficeConfiguration,
    UpdatePrioritiesParameters, WindowsOfficeClientConfiguration,
};
use generated::request::{http, Batch, ETag, Error, Page, Progress, RequestUrl, Step};
use generated::requests::microsoft_graph::OfficeClientConfigurationRequest;
use generated::requests::office_configuration;

const BASE: &str = "https://host/service";

/// An answer with `headers`, as if from `url` (the client records where each answer came from).
fn answer(
    status: u16,
    headers: &[(&str, &str)],
    body: &str,
    url: Option<&str>,
) -> http::Response<Vec<u8>> {
    let mut builder = http::Response::builder().status(status);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let mut response = builder.body(body.as_bytes().to_vec()).unwrap();
    if let Some(url) = url {
        response.extensions_mut().insert(RequestUrl(url.to_owned()));
    }
    response
}

fn plain(status: u16, body: &str) -> http::Response<Vec<u8>> {
    answer(status, &[], body, None)
}

fn config(id: &str) -> OfficeClientConfigurationRequest {
    office_configuration().client_configurations().by_id(id)
}

const ENTITY: &str = r##"{"@odata.type":"#microsoft.graph.windowsOfficeClientConfiguration","id":"c1","priority":1}"##;

#[test]
fn a_create_yields_the_entity_on_201_and_where_it_is_on_204() {
    let create = office_configuration()
        .client_configurations()
        .create(WindowsOfficeClientConfiguration::default());
    let created = create.parse_response(plain(201, ENTITY)).unwrap();
    assert_eq!(
        created.entity().and_then(|e| e.id().clone()).as_deref(),
        Some("c1")
    );
    // 200 with the entity (some services) reads the same way.
    assert!(create
        .parse_response(plain(200, ENTITY))
        .unwrap()
        .entity()
        .is_some());

    // 204 No Content with Location (relative: against the URL that answered) and OData-EntityId.
    let created = create
        .parse_response(answer(
            204,
            &[
                ("Location", "clientConfigurations('c2')"),
                ("OData-EntityId", "https://host/service/x('c2')"),
            ],
            "",
            Some("https://host/service/officeConfiguration/clientConfigurations"),
        ))
        .expect("the entity was created: no error");
    assert!(created.entity().is_none());
    assert_eq!(
        created.location(),
        Some("https://host/service/officeConfiguration/clientConfigurations('c2')")
    );
    assert_eq!(created.entity_id(), Some("https://host/service/x('c2')"));
    // Reading it is one more request, only when asked, and to where the service said.
    let read = created.read().expect("a location to read from");
    assert_eq!(read.method(), http::Method::GET);
    assert_eq!(
        read.http_request(BASE).unwrap().uri().to_string(),
        "https://host/service/officeConfiguration/clientConfigurations('c2')"
    );
    let entity: AnyOfficeClientConfiguration = read.parse_response(plain(200, ENTITY)).unwrap();
    assert_eq!(entity.id().as_deref(), Some("c1"));

    // 201 without a body (and without Location) is still the success it is.
    let created = create.parse_response(plain(201, "")).unwrap();
    assert!(created.entity().is_none() && created.location().is_none() && created.read().is_none());
}

#[test]
fn an_update_or_replace_yields_the_entity_when_sent_back_else_none() {
    let body = OfficeConfiguration::default();
    let update = office_configuration().update(body.clone());
    assert_eq!(update.method(), http::Method::PATCH);
    assert_eq!(update.parse_response(plain(204, "")).unwrap(), None);
    let returned = update
        .clone()
        .return_representation()
        .parse_response(plain(200, r#"{"tenantUserCheckinSummary":null}"#))
        .unwrap()
        .expect("200 with the entity");
    assert!(returned.tenant_user_checkin_summary.is_null());
    // 202 Accepted without a monitor: done, nothing sent back.
    assert_eq!(update.parse_response(plain(202, "")).unwrap(), None);

    let replace = config("c1").replace(WindowsOfficeClientConfiguration {
        priority: Some(3),
        ..Default::default()
    });
    let request = replace.http_request(BASE).unwrap();
    assert_eq!(request.method(), http::Method::PUT);
    assert_eq!(
        request.uri().to_string(),
        "https://host/service/officeConfiguration/clientConfigurations/c1"
    );
    assert!(replace
        .parse_response(plain(200, ENTITY))
        .unwrap()
        .is_some());
    assert!(replace.parse_response(plain(204, "")).unwrap().is_none());
}

#[test]
fn deletes_references_and_actions_without_results_take_any_success() {
    for status in [200, 202, 204] {
        let body = if status == 200 {
            r#"{"ignored":true}"#
        } else {
            ""
        };
        config("c1")
            .delete()
            .parse_response(plain(status, body))
            .unwrap();
        config("c1")
            .reference()
            .delete()
            .parse_response(plain(status, body))
            .unwrap();
        office_configuration()
            .client_configurations()
            .update_priorities(&UpdatePrioritiesParameters::default())
            .parse_response(plain(status, body))
            .unwrap();
    }
    for status in [200, 201, 204] {
        office_configuration()
            .client_configurations()
            .references()
            .add("https://host/service/x")
            .parse_response(plain(status, ""))
            .unwrap();
    }
}

#[test]
fn an_action_answered_202_without_a_monitor_is_done_and_with_one_is_accepted() {
    // Microsoft Graph's sendMail answers `202 Accepted` with no body and no Location.
    let action = office_configuration()
        .client_configurations()
        .update_priorities(&UpdatePrioritiesParameters::default());
    let Step::Done(done) = action.parse_step(plain(202, "")).unwrap() else {
        panic!("no monitor: done");
    };
    assert_eq!(done.status(), 202);

    // Graph's driveItem copy: `202 Accepted` with the monitor in Location, on another host.
    let accepted = action
        .parse_step(answer(
            202,
            &[
                ("Location", "https://files.example/monitor/7"),
                ("Retry-After", "2"),
            ],
            "",
            None,
        ))
        .unwrap();
    let Step::Accepted(monitor) = accepted else {
        panic!("a monitor: accepted");
    };
    assert_eq!(monitor.url(), "https://files.example/monitor/7");
    assert_eq!(
        monitor.retry_after(),
        Some(std::time::Duration::from_secs(2))
    );
    let poll = monitor.status_request().unwrap();
    assert_eq!(
        (poll.method(), poll.uri().to_string()),
        (
            &http::Method::GET,
            "https://files.example/monitor/7".to_owned()
        )
    );

    // Running: 202 again, with Graph's status document.
    let running = monitor
        .parse_status(answer(
            202,
            &[("Retry-After", "1.5"), ("Content-Type", "application/json")],
            r#"{"operation":"itemCopy","percentageComplete":27.5,"status":"inProgress"}"#,
            Some("https://files.example/monitor/7"),
        ))
        .unwrap();
    let Progress::Running(status) = running else {
        panic!("still running")
    };
    assert_eq!(status.percentage_complete, Some(27.5));
    assert_eq!(status.status.as_deref(), Some("inProgress"));
    assert_eq!(
        status.retry_after,
        Some(std::time::Duration::from_millis(1500))
    );

    // Completed, as Graph says it: a status document with the resource's id (and location).
    let completed = monitor
        .parse_status(answer(
            200,
            &[("Content-Type", "application/json")],
            r#"{"status":"completed","resourceId":"01ABC","resourceLocation":"https://graph.example/items/01ABC"}"#,
            Some("https://files.example/monitor/7"),
        ))
        .unwrap();
    let Progress::Completed(status) = completed else {
        panic!("completed")
    };
    assert_eq!(status.resource_id.as_deref(), Some("01ABC"));
    assert_eq!(
        status.resource_location.as_deref(),
        Some("https://graph.example/items/01ABC")
    );
    // Without content, an action that returns nothing is done.
    monitor.completed_without_content(&status).unwrap();

    // Failed: the job's error.
    let failed = monitor.parse_status(plain(
        200,
        r#"{"status":"failed","error":{"code":"nameAlreadyExists","message":"a file of that name exists"}}"#,
    ));
    let Err(Error::Service(error)) = failed else {
        panic!("the job's error")
    };
    assert_eq!(error.code, "nameAlreadyExists");
}

#[test]
fn a_monitor_of_an_odata_service_answers_with_the_final_response() {
    // OData 4.01 Part 1 §11.6: when done, the monitor answers 200 with `application/http`,
    // the response the request would have had.
    let create = office_configuration()
        .client_configurations()
        .create(WindowsOfficeClientConfiguration::default())
        .respond_async();
    assert_eq!(
        create.http_request(BASE).unwrap().headers()["prefer"],
        "respond-async"
    );
    let Step::Accepted(monitor) = create
        .parse_step(answer(
            202,
            &[("Location", "monitor/1")],
            "",
            Some("https://host/service/officeConfiguration/clientConfigurations"),
        ))
        .unwrap()
    else {
        panic!("accepted");
    };
    assert_eq!(
        monitor.url(),
        "https://host/service/officeConfiguration/monitor/1"
    );
    let final_answer = format!("HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nLocation: clientConfigurations('c1')\r\n\r\n{ENTITY}");
    let done = monitor
        .parse_status(answer(
            200,
            &[("Content-Type", "application/http")],
            &final_answer,
            Some("https://host/service/officeConfiguration/monitor/1"),
        ))
        .unwrap();
    let Progress::Done(response) = done else {
        panic!("done")
    };
    assert_eq!(response.status(), 201);
    assert!(response.value().entity().is_some());
    // A final answer that is an error is that error.
    let failed = monitor.parse_status(answer(
        200,
        &[("Content-Type", "application/http")],
        "HTTP/1.1 409 Conflict\r\nContent-Type: application/json\r\n\r\n{\"error\":{\"code\":\"Conflict\",\"message\":\"exists\"}}",
        None,
    ));
    assert_eq!(failed.unwrap_err().status(), Some(409));
    // A monitor that redirects (303 See Other) points at the result.
    let Progress::Completed(status) = monitor
        .parse_status(answer(
            303,
            &[("Location", "https://host/service/x('c1')")],
            "",
            None,
        ))
        .unwrap()
    else {
        panic!("completed elsewhere");
    };
    assert_eq!(
        status.resource_location.as_deref(),
        Some("https://host/service/x('c1')")
    );
}

#[test]
fn stream_uploads_yield_the_entity_the_service_sends_back() {
    let put = config("c1").policy_payload().put(b"bytes".to_vec());
    let stored = put.parse_response(plain(201, ENTITY)).unwrap();
    assert_eq!(stored.and_then(|e| e.id().clone()).as_deref(), Some("c1"));
    assert!(put.parse_response(plain(204, "")).unwrap().is_none());
    // A read of the content: any success, its bytes (none for 204).
    let get = config("c1").policy_payload().get();
    assert_eq!(get.parse_response(plain(200, "raw")).unwrap(), b"raw");
    assert!(get.parse_response(plain(204, "")).unwrap().is_empty());
}

#[test]
fn a_nullable_navigation_reads_204_as_none() {
    use fixture_inheritance::requests::animals;
    let keeper = animals().by_id("a1").keeper();
    assert_eq!(keeper.get().parse_response(plain(204, "")).unwrap(), None);
    let read = keeper
        .get()
        .parse_response(plain(200, r#"{"id":"k1"}"#))
        .unwrap();
    assert_eq!(read.and_then(|k| k.id).as_deref(), Some("k1"));
    // Everything else is the builder's (it derefs to it).
    assert_eq!(keeper.context().path(), "/animals('a1')/keeper");
}

#[test]
fn headers_of_every_answer_are_reachable() {
    let get = config("c1").get().with_response();
    let response = get
        .parse_response(answer(
            200,
            &[
                ("ETag", "W/\"3\""),
                ("request-id", "r-9"),
                ("Preference-Applied", "odata.maxpagesize=2"),
            ],
            ENTITY,
            None,
        ))
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.etag(), Some(ETag::new("W/\"3\"")));
    assert!(response.etag().unwrap().is_weak());
    assert_eq!(response.request_id(), Some("r-9"));
    assert_eq!(response.preference_applied(), Some("odata.maxpagesize=2"));
    // The output is still the entity: the response derefs to it.
    assert_eq!(response.id().as_deref(), Some("c1"));
}

#[test]
fn preferences_go_in_one_prefer_header() {
    let request = office_configuration()
        .client_configurations()
        .list()
        .max_page_size(50)
        .include_annotations("*")
        .track_changes()
        .http_request(BASE)
        .unwrap();
    assert_eq!(
        request.headers()["prefer"],
        "odata.maxpagesize=50, odata.include-annotations=\"*\", odata.track-changes"
    );
    let minimal = config("c1")
        .update(WindowsOfficeClientConfiguration::default())
        .return_minimal();
    assert_eq!(
        minimal.http_request(BASE).unwrap().headers()["prefer"],
        "return=minimal"
    );
}

#[test]
fn etags_make_conditional_requests_and_failed_preconditions_are_their_own_errors() {
    let etag = ETag::new("W/\"2024-05-01T10:00:00Z\"");
    let update = config("c1")
        .update(WindowsOfficeClientConfiguration::default())
        .if_match(&etag);
    assert_eq!(
        update.http_request(BASE).unwrap().headers()["if-match"],
        "W/\"2024-05-01T10:00:00Z\""
    );
    let delete = config("c1").delete().if_match(&ETag::any());
    assert_eq!(
        delete.http_request(BASE).unwrap().headers()["if-match"],
        "*"
    );

    let changed = update.parse_response(plain(
        412,
        r#"{"error":{"code":"412","message":"changed"}}"#,
    ));
    let Err(Error::PreconditionFailed(e)) = changed else {
        panic!("412")
    };
    assert_eq!(e.message, "changed");
    let missing = update.parse_response(plain(
        428,
        r#"{"error":{"code":"428","message":"Precondition Required"}}"#,
    ));
    let Err(error @ Error::PreconditionRequired(_)) = missing else {
        panic!("428")
    };
    assert_eq!(error.status(), Some(428));
    assert!(error.to_string().contains("if_match"), "{error}");
    // Without an OData error body too.
    assert!(matches!(
        update.parse_response(plain(412, "")),
        Err(Error::PreconditionFailed(_))
    ));

    // A conditional read: 304 Not Modified is `None`, a change the new value.
    let read = config("c1").get().if_none_match(&etag);
    assert_eq!(
        read.http_request(BASE).unwrap().headers()["if-none-match"],
        etag.as_str()
    );
    assert!(read.parse_response(plain(304, "")).unwrap().is_none());
    assert!(read.parse_response(plain(200, ENTITY)).unwrap().is_some());
    // 304 without asking is no success.
    assert!(config("c1").get().parse_response(plain(304, "")).is_err());
}

#[test]
fn next_links_resolve_against_the_pages_context_url() {
    // A page below a navigation property: `Orders(1)/items` answers with a context URL one
    // level up and a next link relative to it (OData JSON Format 4.01 §4.3).
    let list = office_configuration().client_configurations().list();
    let page: Page<AnyOfficeClientConfiguration> = list
        .parse_response(plain(
            200,
            r#"{"@odata.context":"../$metadata#clientConfigurations","@odata.nextLink":"officeConfiguration/clientConfigurations?$skiptoken=3","value":[]}"#,
        ))
        .unwrap();
    let next = list.next_page(&page).unwrap();
    assert_eq!(
        next.http_request(BASE).unwrap().uri().to_string(),
        "https://host/service/officeConfiguration/clientConfigurations?$skiptoken=3"
    );
    // Without a context URL, against the URL that answered.
    let page: Page<AnyOfficeClientConfiguration> = list
        .parse_response(plain(
            200,
            r#"{"@odata.nextLink":"clientConfigurations?$skiptoken=4","value":[]}"#,
        ))
        .unwrap();
    assert_eq!(
        list.next_page(&page)
            .unwrap()
            .http_request(BASE)
            .unwrap()
            .uri()
            .to_string(),
        "https://host/service/officeConfiguration/clientConfigurations?$skiptoken=4"
    );
    // A chain: the second page's links resolve against the second page's URL.
    let second = list.next_page(&page).unwrap();
    let page2: Page<AnyOfficeClientConfiguration> = second
        .parse_response(plain(
            200,
            r#"{"@odata.context":"$metadata#x","@odata.nextLink":"a/b?$skiptoken=5","value":[]}"#,
        ))
        .unwrap();
    assert_eq!(
        second
            .next_page(&page2)
            .unwrap()
            .http_request(BASE)
            .unwrap()
            .uri()
            .to_string(),
        "https://host/service/officeConfiguration/a/b?$skiptoken=5"
    );
    // The delta link of a change-tracking round's last page.
    let last: Page<AnyOfficeClientConfiguration> = list
        .parse_response(plain(200, r#"{"@odata.deltaLink":"https://host/service/officeConfiguration/clientConfigurations?$deltatoken=9","value":[]}"#))
        .unwrap();
    assert!(list.next_page(&last).is_none());
    assert_eq!(
        list.delta(&last)
            .unwrap()
            .http_request(BASE)
            .unwrap()
            .uri()
            .to_string(),
        "https://host/service/officeConfiguration/clientConfigurations?$deltatoken=9"
    );
    // Links in payloads resolve the same way.
    assert_eq!(
        generated::request::resolve_link(
            "https://host/service/Orders(1)/items",
            Some("../$metadata#Items"),
            "Items(7)"
        )
        .unwrap(),
        "https://host/service/Items(7)"
    );
}

#[test]
fn nested_query_options_are_written_as_the_abnf_has_them() {
    let request = office_configuration()
        .client_configurations()
        .list()
        .expand(["assignments($select=id;$top=2)"])
        .filter("displayName eq 'a=b;c'")
        .http_request(BASE)
        .unwrap();
    assert_eq!(
        request.uri().query().unwrap(),
        "$expand=assignments($select=id;$top=2)&$filter=displayName%20eq%20'a%3Db%3Bc'"
    );
}

#[test]
fn a_fractional_retry_after_is_read() {
    let error = config("c1")
        .get()
        .parse_response(answer(429, &[("Retry-After", "2.128")], "", None))
        .unwrap_err();
    assert_eq!(
        error.retry_after(),
        Some(std::time::Duration::from_millis(2128))
    );
}

/// A batch of two requests, answered with `responses`.
fn batch_answer(responses: &str) -> Result<(), Error> {
    let mut batch = Batch::new();
    batch.add(&config("a").delete()).unwrap();
    batch.add(&config("b").delete()).unwrap();
    let operation = batch.operation().unwrap();
    operation
        .parse_response(plain(200, &format!(r#"{{"responses":{responses}}}"#)))
        .map(drop)
}

#[test]
fn batch_answers_are_checked_against_the_batch() {
    assert!(batch_answer(r#"[{"id":"1","status":204},{"id":"2","status":204}]"#).is_ok());
    let error = |responses: &str| match batch_answer(responses) {
        Err(Error::Decode(e)) => format!("{}: {}", e.path, e.message),
        other => panic!("{other:?}"),
    };
    let repeated =
        error(r#"[{"id":"1","status":204},{"id":"1","status":500},{"id":"2","status":204}]"#);
    assert!(
        repeated.starts_with("responses[1]: a second answer to request `1`"),
        "{repeated}"
    );
    let unknown = error(r#"[{"id":"1","status":204},{"id":"3","status":204}]"#);
    assert!(
        unknown.starts_with("responses[1]: an answer to request `3`"),
        "{unknown}"
    );
    // A partial answer (§19.2) is read: the unanswered request alone is an error.
    assert!(batch_answer(r#"[{"id":"2","status":204}]"#).is_ok());
    // Two million answers to two requests: reading stops at the third.
    let flood = format!(
        "[{}]",
        (0..2_000_000)
            .map(|i| format!(r#"{{"id":"{}","status":204}}"#, i % 2 + 1))
            .collect::<Vec<_>>()
            .join(",")
    );
    let flooded = error(&flood);
    assert!(flooded.starts_with("responses[2]:"), "{flooded}");
}

#[test]
fn atomicity_groups_are_adjacent_and_can_be_depended_on() {
    let mut batch = Batch::new();
    let group = batch.atomicity_group();
    batch.add_to_group(&group, &config("a").delete()).unwrap();
    batch.add_to_group(&group, &config("b").delete()).unwrap();
    let after = batch
        .add_after(&config("c").delete(), &[group.id()])
        .unwrap();
    assert_eq!(after.id(), "3");
    // A group's requests are adjacent: the group cannot take another after `3`.
    assert!(batch.add_to_group(&group, &config("d").delete()).is_err());
    let body: serde_json::Value = serde_json::from_slice(
        batch
            .operation()
            .unwrap()
            .http_request(BASE)
            .unwrap()
            .body(),
    )
    .unwrap();
    assert_eq!(body["requests"][0]["atomicityGroup"], "g1");
    assert_eq!(body["requests"][1]["atomicityGroup"], "g1");
    assert_eq!(body["requests"][2]["dependsOn"], serde_json::json!(["g1"]));
    assert!(body["requests"][2].get("atomicityGroup").is_none());
}

#[test]
fn batch_items_read_every_success_as_the_operation_alone_would() {
    let mut batch = Batch::new();
    let created = batch
        .add(
            &office_configuration()
                .client_configurations()
                .by_id("c1")
                .assignments()
                .create(OfficeClientConfigurationAssignment::default()),
        )
        .unwrap();
    let answers = batch
        .operation()
        .unwrap()
        .parse_response(plain(
            200,
            r#"{"responses":[{"id":"1","status":204,"headers":{"location":"https://host/service/a('x')"}}]}"#,
        ))
        .unwrap();
    let created = answers.get(&created).unwrap();
    assert_eq!(created.location(), Some("https://host/service/a('x')"));
}

/// With the client, on loopback servers: what a real exchange does with these answers.
mod with_the_client {
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use axum::extract::{Request, State};
    use axum::http::{header, StatusCode};
    use axum::response::{IntoResponse, Response};
    use axum::Router;
    use generated::client::Client;
    use generated::microsoft_graph::WindowsOfficeClientConfiguration;
    use generated::request::{Progress, Step};

    const TOKEN: &str = "secret-token";

    /// What a server received: method, path and query, and whether it carried our token.
    type Log = Arc<Mutex<Vec<(String, String, bool)>>>;

    /// A loopback server answering each request with `answer(method, path_and_query, own base,
    /// how many requests came before)`.
    async fn server(answer: fn(&str, &str, &str, usize) -> Response) -> (String, Log) {
        let log: Log = Arc::default();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let state = (log.clone(), base.clone(), answer);
        type Served = (Log, String, fn(&str, &str, &str, usize) -> Response);
        let app = Router::new().fallback(
            |State((log, base, answer)): State<Served>, request: Request| async move {
                let target = request
                    .uri()
                    .path_and_query()
                    .map(|p| p.as_str().to_owned())
                    .unwrap_or_default();
                let method = request.method().to_string();
                let authorized = request
                    .headers()
                    .get(header::AUTHORIZATION)
                    .is_some_and(|v| v.to_str().unwrap_or("").contains(TOKEN));
                let before = {
                    let mut log = log.lock().unwrap();
                    log.push((method.clone(), target.clone(), authorized));
                    log.len() - 1
                };
                answer(&method, &target, &base, before)
            },
        );
        tokio::spawn(async move { axum::serve(listener, app.with_state(state)).await.unwrap() });
        (base, log)
    }

    fn client(base: &str) -> Client {
        Client::builder()
            .base_url(base)
            .bearer_token(TOKEN)
            .retry_delay(Duration::from_millis(10))
            .build()
            .unwrap()
    }

    const ENTITY: &str = super::ENTITY;

    #[tokio::test]
    async fn a_create_answered_204_is_read_from_its_location_only_when_asked() {
        let (base, log) = server(|method, target, _, _| match (method, target) {
            ("POST", _) => (
                StatusCode::NO_CONTENT,
                [(header::LOCATION, "clientConfigurations/c1")],
            )
                .into_response(),
            ("GET", "/officeConfiguration/clientConfigurations/c1") => (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/json")],
                ENTITY,
            )
                .into_response(),
            _ => StatusCode::NOT_FOUND.into_response(),
        })
        .await;
        let client = client(&base);
        let created = client
            .office_configuration()
            .client_configurations()
            .create(WindowsOfficeClientConfiguration::default())
            .await
            .expect("204 is a success");
        assert_eq!(
            created.location(),
            Some(format!("{base}/officeConfiguration/clientConfigurations/c1").as_str())
        );
        assert_eq!(
            log.lock().unwrap().len(),
            1,
            "no second request unless asked"
        );
        let entity = created.entity_or_read().await.unwrap();
        assert_eq!(entity.id().as_deref(), Some("c1"));
        let log = log.lock().unwrap();
        assert_eq!(
            log[1],
            (
                "GET".to_owned(),
                "/officeConfiguration/clientConfigurations/c1".to_owned(),
                true
            )
        );
    }

    #[tokio::test]
    async fn an_asynchronous_answer_is_polled_to_its_final_result() {
        let (base, log) = server(|method, target, _, before| match (method, target) {
            ("POST", _) => (
                StatusCode::ACCEPTED,
                [(header::LOCATION, "/monitor/1"), (header::RETRY_AFTER, "0")],
            )
                .into_response(),
            ("GET", "/monitor/1") if before < 3 => (
                StatusCode::ACCEPTED,
                [
                    (header::RETRY_AFTER, "0.01"),
                    (header::CONTENT_TYPE, "application/json"),
                ],
                r#"{"status":"inProgress","percentageComplete":50}"#,
            )
                .into_response(),
            ("GET", "/monitor/1") => (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/http")],
                format!("HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n\r\n{ENTITY}"),
            )
                .into_response(),
            _ => StatusCode::NOT_FOUND.into_response(),
        })
        .await;
        let client = client(&base);
        let create = client
            .office_configuration()
            .client_configurations()
            .create(WindowsOfficeClientConfiguration::default())
            .respond_async();
        let created = create.clone().await.expect("polled until done");
        assert_eq!(
            created.entity().and_then(|e| e.id().clone()).as_deref(),
            Some("c1")
        );
        assert_eq!(
            log.lock()
                .unwrap()
                .iter()
                .filter(|(_, t, _)| t == "/monitor/1")
                .count(),
            3
        );
        assert!(
            log.lock()
                .unwrap()
                .iter()
                .all(|(_, _, authorized)| *authorized),
            "a monitor on the service's origin gets the token"
        );

        // The handle, for callers who poll themselves.
        let Step::Accepted(monitor) = client.start(create).await.unwrap() else {
            panic!("accepted")
        };
        assert_eq!(monitor.url(), format!("{base}/monitor/1"));
        assert!(matches!(monitor.poll().await.unwrap(), Progress::Done(_)));
    }

    #[tokio::test]
    async fn a_monitor_on_another_origin_gets_no_token_and_the_result_is_read_where_it_is() {
        // The monitor's host: Microsoft Graph's status documents, then a resource location.
        let (monitor_base, monitor_log) = server(|_, target, _, before| match target {
            "/monitor/7" if before == 0 => (
                StatusCode::ACCEPTED,
                [(header::RETRY_AFTER, "0")],
                axum::Json(serde_json::json!({"status": "inProgress", "percentageComplete": 10.0})),
            )
                .into_response(),
            _ => axum::Json(serde_json::json!({"status": "completed", "resourceId": "c1"}))
                .into_response(),
        })
        .await;
        let (base, log) = {
            // The service answers the action with a monitor on the other host.
            static MONITOR: std::sync::OnceLock<String> = std::sync::OnceLock::new();
            MONITOR.set(format!("{monitor_base}/monitor/7")).unwrap();
            server(|_, _, _, _| {
                (
                    StatusCode::ACCEPTED,
                    [(header::LOCATION, MONITOR.get().unwrap().as_str())],
                )
                    .into_response()
            })
            .await
        };
        // Both are http on loopback: allow the scheme by giving an http base URL.
        let client = client(&base);
        client
            .office_configuration()
            .client_configurations()
            .update_priorities(&generated::microsoft_graph::UpdatePrioritiesParameters::default())
            .await
            .expect("the job completed");
        assert!(log.lock().unwrap()[0].2, "the service gets the token");
        let monitor_log = monitor_log.lock().unwrap();
        assert_eq!(monitor_log.len(), 2);
        assert!(
            monitor_log.iter().all(|(_, _, authorized)| !authorized),
            "the other origin gets no token"
        );
    }

    #[tokio::test]
    async fn pages_below_a_navigation_follow_links_relative_to_the_context_url() {
        let (base, log) = server(|_, target, _, _| {
            let body = match target {
                "/svc/officeConfiguration/clientConfigurations" => serde_json::json!({
                    "@odata.context": "../$metadata#clientConfigurations",
                    "@odata.nextLink": "officeConfiguration/clientConfigurations?$skiptoken=2",
                    "value": [{"id": "a"}]
                }),
                "/svc/officeConfiguration/clientConfigurations?$skiptoken=2" => serde_json::json!({
                    "@odata.context": "../$metadata#clientConfigurations",
                    "value": [{"id": "b"}]
                }),
                _ => return StatusCode::NOT_FOUND.into_response(),
            };
            axum::Json(body).into_response()
        })
        .await;
        let client = client(&format!("{base}/svc"));
        let items: Vec<_> = futures_util::TryStreamExt::try_collect(
            client
                .office_configuration()
                .client_configurations()
                .list()
                .items(),
        )
        .await
        .unwrap();
        assert_eq!(
            items
                .iter()
                .map(|i| i.id().clone().unwrap())
                .collect::<Vec<_>>(),
            ["a", "b"]
        );
        assert_eq!(log.lock().unwrap().len(), 2);
    }

    #[tokio::test]
    async fn a_post_answered_504_is_not_sent_again_and_a_get_is() {
        let (base, log) = server(|method, _, _, before| match (method, before) {
            (_, 0) | ("GET", 1) => StatusCode::GATEWAY_TIMEOUT.into_response(),
            ("GET", _) => axum::Json(serde_json::json!({"value": []})).into_response(),
            _ => StatusCode::ACCEPTED.into_response(),
        })
        .await;
        let client = client(&base);
        let sent = client
            .office_configuration()
            .client_configurations()
            .update_priorities(&generated::microsoft_graph::UpdatePrioritiesParameters::default())
            .await
            .unwrap_err();
        assert_eq!(
            sent.status(),
            Some(504),
            "the gateway timed out: the action may have run"
        );
        assert_eq!(log.lock().unwrap().len(), 1, "a POST is not sent twice");
        client
            .office_configuration()
            .client_configurations()
            .list()
            .await
            .unwrap();
        assert_eq!(log.lock().unwrap().len(), 3, "a GET is retried");
    }

    #[tokio::test]
    async fn a_monitor_that_redirects_to_the_result_on_the_service_reads_it_with_the_token() {
        static SERVICE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let (service, service_log) = server(|method, target, _, _| match (method, target) {
            ("POST", _) => (
                StatusCode::ACCEPTED,
                [(
                    header::LOCATION,
                    format!("{}/monitor", MONITOR_BASE.get().unwrap()),
                )],
            )
                .into_response(),
            ("GET", "/officeConfiguration/clientConfigurations/c1") => (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/json")],
                ENTITY,
            )
                .into_response(),
            _ => StatusCode::NOT_FOUND.into_response(),
        })
        .await;
        SERVICE.set(service.clone()).unwrap();
        static MONITOR_BASE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let (monitor, monitor_log) = server(|_, _, _, _| {
            (
                StatusCode::SEE_OTHER,
                [(
                    header::LOCATION,
                    format!(
                        "{}/officeConfiguration/clientConfigurations/c1",
                        SERVICE.get().unwrap()
                    ),
                )],
            )
                .into_response()
        })
        .await;
        MONITOR_BASE.set(monitor).unwrap();
        let client = client(&service);
        let created = client
            .office_configuration()
            .client_configurations()
            .create(WindowsOfficeClientConfiguration::default())
            .await
            .expect("the result, read where the monitor points");
        assert_eq!(
            created.entity().and_then(|e| e.id().clone()).as_deref(),
            Some("c1")
        );
        assert!(
            !monitor_log.lock().unwrap()[0].2,
            "the monitor on another origin gets no token"
        );
        let service_log = service_log.lock().unwrap();
        assert_eq!(
            service_log[1],
            (
                "GET".to_owned(),
                "/officeConfiguration/clientConfigurations/c1".to_owned(),
                true
            )
        );
    }
}

#[test]
fn a_partial_batch_answer_keeps_what_was_answered() {
    let mut batch = Batch::new();
    let deleted = batch.add(&config("a").delete()).unwrap();
    let unanswered = batch.add(&config("b").delete()).unwrap();
    let answers = batch
        .operation()
        .unwrap()
        .parse_response(plain(
            200,
            r#"{"responses":[{"id":"1","status":204}],"@odata.nextLink":"x"}"#,
        ))
        .unwrap();
    answers.get(&deleted).unwrap();
    let Err(Error::Decode(e)) = answers.get(&unanswered) else {
        panic!("no answer: an error")
    };
    assert!(e.message.contains("no answer for request `2`"), "{e:?}");
}

#[test]
fn batch_bodies_of_text_are_text_and_others_base64url() {
    let mut batch = Batch::new();
    let count = batch
        .add(&office_configuration().client_configurations().count())
        .unwrap();
    let content = batch.add(&config("a").policy_payload().get()).unwrap();
    let answers = batch
        .operation()
        .unwrap()
        .parse_response(plain(
            200,
            r#"{"responses":[
                {"id":"1","status":200,"headers":{"content-type":"text/plain; charset=utf-8"},"body":"13"},
                {"id":"2","status":200,"headers":{"content-type":"application/octet-stream"},"body":"__79"}]}"#,
        ))
        .unwrap();
    assert_eq!(answers.get(&count).unwrap(), 13);
    assert_eq!(answers.get(&content).unwrap(), [0xff, 0xfe, 0xfd]);
    // A body sent is base64url too (§19.1).
    let mut batch = Batch::new();
    batch
        .add(&config("a").policy_payload().put(vec![0xff, 0xfe, 0xfd]))
        .unwrap();
    let body: serde_json::Value = serde_json::from_slice(
        batch
            .operation()
            .unwrap()
            .http_request(BASE)
            .unwrap()
            .body(),
    )
    .unwrap();
    assert_eq!(body["requests"][0]["body"], "__79");
}

#[test]
fn batch_urls_are_relative_to_the_batch_or_below_the_service_root_as_graph_writes_them() {
    // The area's metadata declares Graph's conventions (keys as segments): Graph writes batch
    // request URLs as absolute paths below the service root.
    let mut batch = Batch::new();
    batch.add(&config("a").delete()).unwrap();
    let body: serde_json::Value = serde_json::from_slice(
        batch
            .operation()
            .unwrap()
            .http_request(BASE)
            .unwrap()
            .body(),
    )
    .unwrap();
    assert_eq!(
        body["requests"][0]["url"],
        "/officeConfiguration/clientConfigurations/a"
    );
    // An OData service reads them relative to the `$batch` URL (§19.1).
    let mut batch = fixture_inheritance::request::Batch::new();
    batch
        .add(
            &fixture_inheritance::requests::animals()
                .by_id("a1")
                .delete(),
        )
        .unwrap();
    let body: serde_json::Value = serde_json::from_slice(
        batch
            .operation()
            .unwrap()
            .http_request(BASE)
            .unwrap()
            .body(),
    )
    .unwrap();
    assert_eq!(body["requests"][0]["url"], "animals('a1')");
}

#[test]
fn a_failed_request_fails_its_whole_atomicity_group() {
    // §19.2: if one response of an atomicity group fails, every request of the group failed,
    // whatever its own status (a server may still answer the first one 201).
    let mut batch = Batch::new();
    let group = batch.atomicity_group();
    let first = batch.add_to_group(&group, &config("a").delete()).unwrap();
    let second = batch.add_to_group(&group, &config("b").delete()).unwrap();
    let alone = batch.add(&config("c").delete()).unwrap();
    let answers = batch
        .operation()
        .unwrap()
        .parse_response(plain(
            200,
            r#"{"responses":[
                {"id":"1","status":204,"atomicityGroup":"g1"},
                {"id":"2","status":400,"atomicityGroup":"g1","body":{"error":{"code":"Bad","message":"no"}}},
                {"id":"3","status":204}]}"#,
        ))
        .unwrap();
    let Err(Error::Service(e)) = answers.get(&first) else {
        panic!("the group failed")
    };
    assert!(
        e.message
            .contains("request `2` of atomicity group `g1` failed"),
        "{e:?}"
    );
    assert_eq!(answers.get(&second).unwrap_err().status(), Some(400));
    answers.get(&alone).unwrap();
}

#[test]
fn a_batch_items_location_resolves_against_its_own_url() {
    let mut batch = fixture_inheritance::request::Batch::new();
    let created = batch
        .add(
            &fixture_inheritance::requests::keepers()
                .create(fixture_inheritance::example_zoo::Keeper::default()),
        )
        .unwrap();
    let answers = batch
        .operation()
        .unwrap()
        .parse_response({
            let mut response = plain(
                200,
                r#"{"responses":[{"id":"1","status":204,"headers":{"location":"keepers('k9')"}}]}"#,
            );
            // The crate's own `RequestUrl` (each generated crate has its runtime).
            response
                .extensions_mut()
                .insert(fixture_inheritance::request::RequestUrl(
                    "https://host/service/$batch".to_owned(),
                ));
            response
        })
        .unwrap();
    let created = answers.get(&created).unwrap();
    assert_eq!(
        created.location(),
        Some("https://host/service/keepers('k9')")
    );
}

#[test]
fn a_location_of_another_scheme_is_no_place_to_read() {
    let create = office_configuration()
        .client_configurations()
        .create(WindowsOfficeClientConfiguration::default());
    let created = create
        .parse_response(answer(
            204,
            &[("Location", "javascript:alert(1)")],
            "",
            Some("https://host/service/x"),
        ))
        .unwrap();
    assert!(created.read().is_none());
}

#[test]
fn a_status_document_that_says_done_is_done_whatever_its_status_code() {
    let action = office_configuration()
        .client_configurations()
        .update_priorities(&UpdatePrioritiesParameters::default());
    let Step::Accepted(monitor) = action
        .parse_step(answer(
            202,
            &[("Location", "https://files.example/monitor/1")],
            "",
            None,
        ))
        .unwrap()
    else {
        panic!("accepted")
    };
    let done = monitor
        .parse_status(plain(202, r#"{"status":"completed","resourceId":"r1"}"#))
        .unwrap();
    let Progress::Completed(status) = done else {
        panic!("completed, although 202")
    };
    // What the monitor said stays reachable with the output.
    let response = monitor.completed_without_content(&status).unwrap();
    assert_eq!(
        response
            .async_status()
            .and_then(|s| s.resource_id.as_deref()),
        Some("r1")
    );
}

#[test]
fn a_body_takes_the_media_type_it_is_given() {
    let put = config("a")
        .policy_payload()
        .put(b"\x89PNG".to_vec())
        .content_type("image/png");
    let request = put.http_request(BASE).unwrap();
    let types: Vec<_> = request.headers().get_all("content-type").iter().collect();
    assert_eq!(types, ["image/png"]);
    // A path without a leading slash is below the service root too.
    let read = office_configuration()
        .client_configurations()
        .create(WindowsOfficeClientConfiguration::default())
        .parse_response(answer(
            204,
            &[("Location", "clientConfigurations('c2')")],
            "",
            None,
        ))
        .unwrap()
        .read()
        .unwrap();
    assert_eq!(
        read.http_request(BASE).unwrap().uri().to_string(),
        "https://host/service/clientConfigurations('c2')"
    );
}
