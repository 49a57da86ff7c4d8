//! The sans-IO layer: every operation of the area builds the right `http::Request`, and
//! responses (success, OData error, unexpected) are read into the right result. No network.

use generated::microsoft_graph::{
    AnyOfficeClientConfiguration, AssignParameters, OfficeClientConfigurationAssignment,
    OfficeConfiguration, UpdatePrioritiesParameters, WindowsOfficeClientConfiguration,
};
use generated::request::{Error, Operation, Page};
use generated::requests::office_configuration;
use generated::support::Nullable;
use serde_json::{json, Value};

const BASE: &str = "https://graph.microsoft.com/beta";

/// Method, URL and JSON body (or `null`) of the request an operation builds.
fn built<T>(operation: &Operation<T>) -> (String, String, Value) {
    let request = operation.http_request(BASE).expect("the request builds");
    let body = if request.body().is_empty() {
        Value::Null
    } else if request.headers()["content-type"] == "application/json" {
        serde_json::from_slice(request.body()).unwrap()
    } else {
        Value::String(String::from_utf8(request.body().clone()).unwrap())
    };
    (
        request.method().to_string(),
        request.uri().to_string(),
        body,
    )
}

fn response(status: u16, body: &str) -> http::Response<Vec<u8>> {
    http::Response::builder()
        .status(status)
        .body(body.as_bytes().to_vec())
        .unwrap()
}

fn config(id: &str) -> generated::requests::microsoft_graph::OfficeClientConfigurationRequest {
    office_configuration().client_configurations().by_id(id)
}

#[test]
fn every_operation_builds_its_method_path_and_body() {
    let configs = "https://graph.microsoft.com/beta/officeConfiguration/clientConfigurations";
    let windows = WindowsOfficeClientConfiguration {
        display_name: "Finance".to_owned().into(),
        ..Default::default()
    };
    let assignment = OfficeClientConfigurationAssignment::default();
    let cases: Vec<(String, String, Value)> = vec![
        built(&office_configuration().get()),
        built(&office_configuration().update(OfficeConfiguration::default())),
        built(&office_configuration().client_configurations().list()),
        built(
            &office_configuration()
                .client_configurations()
                .create(windows.clone()),
        ),
        built(&config("c1").get()),
        built(&config("c1").update(windows)),
        built(&config("c1").delete()),
        built(&config("c1").assignments().list()),
        built(&config("c1").assignments().create(assignment.clone())),
        built(&config("c1").assignments().by_id("a1").get()),
        built(&config("c1").assignments().by_id("a1").update(assignment)),
        built(&config("c1").assignments().by_id("a1").delete()),
        built(&config("c1").assign(&AssignParameters {
            office_configuration_assignments: Some(vec![
                OfficeClientConfigurationAssignment::default(),
            ]),
            ..Default::default()
        })),
        built(
            &office_configuration()
                .client_configurations()
                .update_priorities(&UpdatePrioritiesParameters {
                    office_configuration_policy_ids: Some(vec!["c1".into(), "c2".into()]),
                    office_configuration_priorities: Some(vec![2, 1]),
                    ..Default::default()
                }),
        ),
        built(&config("c1").policy_payload().get()),
        built(&config("c1").policy_payload().put(b"<policy/>".to_vec())),
        built(&config("c1").user_preference_payload().get()),
        built(&config("c1").user_preference_payload().put(b"{}".to_vec())),
    ];
    let tag = "#microsoft.graph.windowsOfficeClientConfiguration";
    let expected: Vec<(&str, String, Value)> = vec![
        ("GET", format!("{BASE}/officeConfiguration"), Value::Null),
        ("PATCH", format!("{BASE}/officeConfiguration"), json!({})),
        ("GET", configs.to_owned(), Value::Null),
        (
            "POST",
            configs.to_owned(),
            json!({ "@odata.type": tag, "displayName": "Finance" }),
        ),
        ("GET", format!("{configs}/c1"), Value::Null),
        (
            "PATCH",
            format!("{configs}/c1"),
            json!({ "@odata.type": tag, "displayName": "Finance" }),
        ),
        ("DELETE", format!("{configs}/c1"), Value::Null),
        ("GET", format!("{configs}/c1/assignments"), Value::Null),
        (
            "POST",
            format!("{configs}/c1/assignments"),
            json!({ "@odata.type": "#microsoft.graph.officeClientConfigurationAssignment" }),
        ),
        ("GET", format!("{configs}/c1/assignments/a1"), Value::Null),
        (
            "PATCH",
            format!("{configs}/c1/assignments/a1"),
            json!({ "@odata.type": "#microsoft.graph.officeClientConfigurationAssignment" }),
        ),
        (
            "DELETE",
            format!("{configs}/c1/assignments/a1"),
            Value::Null,
        ),
        (
            "POST",
            format!("{configs}/c1/assign"),
            json!({ "officeConfigurationAssignments": [{ "@odata.type": "#microsoft.graph.officeClientConfigurationAssignment" }] }),
        ),
        (
            "POST",
            format!("{configs}/updatePriorities"),
            json!({ "officeConfigurationPolicyIds": ["c1", "c2"], "officeConfigurationPriorities": [2, 1] }),
        ),
        ("GET", format!("{configs}/c1/policyPayload"), Value::Null),
        (
            "PUT",
            format!("{configs}/c1/policyPayload"),
            json!("<policy/>"),
        ),
        (
            "GET",
            format!("{configs}/c1/userPreferencePayload"),
            Value::Null,
        ),
        (
            "PUT",
            format!("{configs}/c1/userPreferencePayload"),
            json!("{}"),
        ),
    ];
    assert_eq!(cases.len(), expected.len());
    for (case, (method, url, body)) in cases.iter().zip(&expected) {
        assert_eq!((case.0.as_str(), &case.1, &case.2), (*method, url, body));
    }
}

#[test]
fn headers_say_what_is_sent_and_accepted() {
    let request = office_configuration()
        .client_configurations()
        .list()
        .header("ConsistencyLevel", "eventual")
        .http_request(BASE)
        .unwrap();
    assert_eq!(request.headers()["accept"], "application/json");
    assert_eq!(request.headers()["consistencylevel"], "eventual");
    assert!(request.headers().get("content-type").is_none());
    let put = config("c")
        .policy_payload()
        .put(vec![1, 2])
        .http_request(BASE)
        .unwrap();
    assert_eq!(put.headers()["content-type"], "application/octet-stream");
    assert_eq!(put.body(), &vec![1, 2]);
    let bad = office_configuration()
        .get()
        .header("bad name", "x")
        .http_request(BASE);
    assert!(matches!(bad, Err(Error::Request(_))));
}

#[test]
fn query_options_are_typed_and_encoded() {
    let operation = office_configuration()
        .client_configurations()
        .list()
        .select(["id", "displayName"])
        .expand(["assignments"])
        .filter("displayName eq 'Finance & Ops'")
        .order_by(["priority desc"])
        .top(5)
        .skip(10)
        .count(true)
        .search("\"office 365\"");
    let (_, url, _) = built(&operation);
    assert_eq!(
        url,
        "https://graph.microsoft.com/beta/officeConfiguration/clientConfigurations\
         ?$select=id,displayName&$expand=assignments&$filter=displayName%20eq%20'Finance%20%26%20Ops'\
         &$orderby=priority%20desc&$top=5&$skip=10&$count=true&$search=%22office%20365%22"
    );
}

#[test]
fn keys_are_percent_encoded_and_cannot_change_the_path() {
    for (key, segment) in [
        ("a/b?c#d", "a%2Fb%3Fc%23d"),
        ("../x", "..%2Fx"),
        ("x.y", "x.y"),
        ("with space", "with%20space"),
        ("ünï", "%C3%BCn%C3%AF"),
        (
            "{officeClientConfiguration-id}",
            "%7BofficeClientConfiguration-id%7D",
        ),
    ] {
        let (_, url, _) = built(&config(key).get());
        assert_eq!(
            url,
            format!("{BASE}/officeConfiguration/clientConfigurations/{segment}")
        );
        let uri: http::Uri = url.parse().unwrap();
        assert_eq!(
            uri.path().matches('/').count(),
            4,
            "{key} moved the path: {url}"
        );
    }
}

#[test]
fn success_responses_are_read_into_the_operation_output() {
    let create = office_configuration()
        .client_configurations()
        .create(WindowsOfficeClientConfiguration::default());
    let created = create
        .parse_response(response(201, r##"{"@odata.type":"#microsoft.graph.windowsOfficeClientConfiguration","id":"new","priority":1}"##))
        .unwrap()
        .into_entity()
        .expect("201 with a body gives the entity");
    assert!(
        matches!(created, AnyOfficeClientConfiguration::WindowsOfficeClientConfiguration(ref c) if c.id.as_deref() == Some("new"))
    );

    let page: Page<AnyOfficeClientConfiguration> = office_configuration()
        .client_configurations()
        .list()
        .parse_response(response(200, r#"{"value":[{"id":"a"}],"@odata.nextLink":"https://next/page?$skiptoken=1","@odata.count":3}"#))
        .unwrap();
    assert_eq!((page.value.len(), page.count.map(i64::from)), (1, Some(3)));

    let assigned = config("c")
        .assign(&AssignParameters::default())
        .parse_response(response(200, r#"{"value":[{"id":"a1"}]}"#))
        .unwrap();
    assert_eq!(assigned.value[0].id.as_deref(), Some("a1"));
    assert_eq!(
        config("c")
            .delete()
            .parse_response(response(204, ""))
            .unwrap(),
        ()
    );
    assert_eq!(
        config("c")
            .policy_payload()
            .get()
            .parse_response(response(200, "raw"))
            .unwrap(),
        b"raw"
    );
    let update = office_configuration().update(OfficeConfiguration {
        tenant_user_checkin_summary: Nullable::Null,
        ..Default::default()
    });
    assert_eq!(
        built(&update).2,
        json!({ "tenantUserCheckinSummary": null })
    );
    assert_eq!(update.parse_response(response(204, "")).unwrap(), None);
}

#[test]
fn next_links_lead_to_the_next_page() {
    let list = office_configuration().client_configurations().list().top(2);
    let page: Page<AnyOfficeClientConfiguration> = list
        .parse_response(response(200, r#"{"value":[],"@odata.nextLink":"https://graph.microsoft.com/beta/officeConfiguration/clientConfigurations?$top=2&$skiptoken=X"}"#))
        .unwrap();
    let next = list.next_page(&page).expect("there is a next page");
    assert_eq!(
        built(&next).1,
        "https://graph.microsoft.com/beta/officeConfiguration/clientConfigurations?$top=2&$skiptoken=X"
    );
    let last: Page<AnyOfficeClientConfiguration> = list
        .parse_response(response(200, r#"{"value":[]}"#))
        .unwrap();
    assert!(list.next_page(&last).is_none());
}

#[test]
fn odata_errors_become_typed_errors() {
    let error = config("missing")
        .get()
        .parse_response(
            http::Response::builder()
                .status(429)
                .header("Retry-After", "7")
                .body(
                    br#"{"error":{"code":"TooManyRequests","message":"Slow down.","innerError":{"request-id":"r-1","client-request-id":"c-1","date":"2021-06-01T00:00:00"}}}"#
                        .to_vec(),
                )
                .unwrap(),
        )
        .unwrap_err();
    let Error::Service(service) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(
        (
            service.status,
            service.code.as_str(),
            service.message.as_str()
        ),
        (429, "TooManyRequests", "Slow down.")
    );
    assert_eq!(service.retry_after, Some(std::time::Duration::from_secs(7)));
    let inner = service.inner_error.as_ref().unwrap();
    assert_eq!(
        (
            inner.request_id.as_deref(),
            inner.client_request_id.as_deref()
        ),
        (Some("r-1"), Some("c-1"))
    );
    assert_eq!(inner.date.as_deref(), Some("2021-06-01T00:00:00"));
    assert_eq!(error.status(), Some(429));
    assert!(error.to_string().contains("TooManyRequests"));
}

#[test]
fn unexpected_statuses_and_bodies_are_errors_not_panics() {
    let get = config("c").get();
    assert!(matches!(
        get.parse_response(response(502, "<html>bad gateway</html>")),
        Err(Error::UnexpectedStatus { status: 502, .. })
    ));
    // A success without the entity a GET asks for is no entity: a decode error that says so.
    let Err(Error::Decode(no_entity)) = get.parse_response(response(202, "")) else {
        panic!("a 202 without content is no entity");
    };
    assert!(
        no_entity.message.contains("202 without content"),
        "{no_entity:?}"
    );
    let decode = office_configuration()
        .client_configurations()
        .list()
        .parse_response(response(
            200,
            r#"{"value":[{"id":"a"},{"id":"b","priority":"high"}]}"#,
        ))
        .unwrap_err();
    let Error::Decode(decode) = decode else {
        panic!("{decode:?}")
    };
    assert!(decode.path.starts_with("value[1]"), "{}", decode.path);
    assert!(
        decode.message.contains("invalid type"),
        "{}",
        decode.message
    );
    assert!(matches!(
        get.parse_response(response(200, "not json")),
        Err(Error::Decode(_))
    ));
}

#[test]
fn operations_without_a_client_say_so_when_awaited() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let error = runtime
        .block_on(async { office_configuration().get().await })
        .unwrap_err();
    assert!(
        error.to_string().contains("not made from a client"),
        "{error}"
    );
}

mod functions {
    use fixture_multi_schema::example_core::{AnyItem, ArchiveParameters};
    use fixture_multi_schema::request::Operation;
    use fixture_multi_schema::requests::{featured, items};

    use super::response;

    fn built<T>(operation: &Operation<T>) -> (String, String, serde_json::Value) {
        let request = operation.http_request(super::BASE).unwrap();
        let body = serde_json::from_slice(request.body()).unwrap_or(serde_json::Value::Null);
        (
            request.method().to_string(),
            request.uri().to_string(),
            body,
        )
    }

    #[test]
    fn bound_functions_and_actions_on_collections_singletons_and_derived_types() {
        let (method, url, _) = built(&items().count());
        assert_eq!(
            (method.as_str(), url.as_str()),
            (
                "GET",
                "https://graph.microsoft.com/beta/items/example.core.count()"
            )
        );
        assert_eq!(
            items()
                .count()
                .parse_response(response(200, r#"{"value": 42}"#))
                .unwrap(),
            42
        );
        // `archive` is bound to the abstract base `item`; the singleton is a `book`, derived.
        let archive = featured().archive(&ArchiveParameters {
            reason: "old".into(),
            ..Default::default()
        });
        let (method, url, body) = built(&archive);
        assert_eq!(
            (method.as_str(), url.as_str()),
            (
                "POST",
                "https://graph.microsoft.com/beta/featured/example.core.archive"
            )
        );
        assert_eq!(body, serde_json::json!({ "reason": "old" }));
        let archived = archive
            .parse_response(response(
                200,
                r##"{"@odata.type":"#example.core.book","pages":3}"##,
            ))
            .unwrap();
        assert!(matches!(archived, Some(AnyItem::Book(_))));
        // The result is nullable (no `Nullable="false"`): no content is `None`.
        assert_eq!(archive.parse_response(response(204, "")).unwrap(), None);
    }

    #[test]
    fn an_action_without_parameters_or_result_posts_no_body_and_accepts_204() {
        let publish = featured().publish();
        let (method, url, body) = built(&publish);
        assert_eq!(
            (method.as_str(), url.as_str(), body),
            (
                "POST",
                "https://graph.microsoft.com/beta/featured/example.core.publish",
                serde_json::Value::Null
            )
        );
        publish.parse_response(response(204, "")).unwrap();
        assert!(featured()
            .publish()
            .parse_response(response(
                404,
                r#"{"error":{"code":"NotFound","message":"no"}}"#
            ))
            .is_err());
    }
}

#[test]
fn batch_bodies_and_pages_keep_every_digit_and_string_counts() {
    // `$batch` keeps each body as raw JSON text; the operation's own parser reads it.
    let mut batch = generated::request::Batch::new();
    let get = batch.add(&config("c").get()).unwrap();
    let answer = r#"{"responses":[{"id":"1","status":200,"headers":{"Content-Type":"application/json"},"body":{"id":"c","futureCounter":123456789012345678901234567890,"ratio":0.10000000000000000000001,"zero":-0}}]}"#;
    let answers = batch
        .operation()
        .unwrap()
        .parse_response(response(200, answer))
        .unwrap();
    let read = answers.get(&get).unwrap();
    assert_eq!(
        serde_json::to_string(read.additional_properties()).unwrap(),
        r#"{"futureCounter":123456789012345678901234567890,"ratio":0.10000000000000000000001,"zero":-0}"#
    );

    // A page: `@odata.count` as an IEEE754Compatible string, and numbers in its items.
    let page: Page<AnyOfficeClientConfiguration> = office_configuration()
        .client_configurations()
        .list()
        .parse_response(response(
            200,
            r#"{"@odata.count":"9007199254740993","value":[{"id":"a","future":1.000000000000000000001}]}"#,
        ))
        .unwrap();
    let count = page.count.as_ref().unwrap();
    assert!(count.is_string());
    assert_eq!(*count, 9007199254740993);
    assert_eq!(
        page.value[0].additional_properties()["future"].to_string(),
        "1.000000000000000000001"
    );
}
