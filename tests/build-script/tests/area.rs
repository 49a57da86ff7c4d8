//! The build script's output in use, as a user's crate uses it: the area's JSON read and
//! written back, requests built without I/O, and the client from the service root the
//! metadata's namespace gives (Microsoft Graph's).

use build_script_example::graph::client::Client;
use build_script_example::graph::microsoft_graph::{
    AnyOfficeClientConfiguration, WindowsOfficeClientConfiguration,
};
use build_script_example::graph::request::http;
use build_script_example::graph::requests::office_configuration;
use build_script_example::graph::support::Nullable;
use build_script_example::graph::SERVICE_ROOT;
use serde_json::json;

const BASE: &str = "https://graph.microsoft.com/beta";

#[test]
fn a_payload_of_the_area_round_trips_through_its_derived_type() {
    // A property the metadata does not declare is kept, every digit of its number too.
    let payload: serde_json::Value = serde_json::from_str(
        r##"{
            "@odata.type": "#microsoft.graph.windowsOfficeClientConfiguration",
            "id": "c1",
            "displayName": "Finance desktops",
            "priority": 1,
            "description": null,
            "checkinStatuses": [],
            "policyPayload": "PHBvbGljeS8+",
            "futureProperty": { "kept": 12345678901234567890123 }
        }"##,
    )
    .unwrap();
    let read: AnyOfficeClientConfiguration = serde_json::from_value(payload.clone()).unwrap();
    let AnyOfficeClientConfiguration::WindowsOfficeClientConfiguration(windows) = &read else {
        panic!("dispatched on @odata.type to the derived type: {read:?}");
    };
    assert_eq!(
        windows.display_name,
        Nullable::Value("Finance desktops".to_owned())
    );
    assert_eq!(windows.description, Nullable::Null);
    assert_eq!(read.id().as_deref(), Some("c1"));
    assert_eq!(serde_json::to_value(&read).unwrap(), payload);
}

#[test]
fn requests_build_their_url_method_and_body_without_io() {
    let collection = office_configuration().client_configurations();
    let get = collection.by_id("a/b").get().http_request(BASE).unwrap();
    assert_eq!(get.method(), http::Method::GET);
    assert_eq!(
        get.uri().to_string(),
        "https://graph.microsoft.com/beta/officeConfiguration/clientConfigurations/a%2Fb"
    );
    let list = collection.list().top(5).http_request(BASE).unwrap();
    assert_eq!(
        list.uri().to_string(),
        "https://graph.microsoft.com/beta/officeConfiguration/clientConfigurations?$top=5"
    );
    let create = collection.create(WindowsOfficeClientConfiguration {
        display_name: "Example".to_owned().into(),
        ..Default::default()
    });
    let request = create.http_request(BASE).unwrap();
    assert_eq!(request.method(), http::Method::POST);
    let body: serde_json::Value = serde_json::from_slice(request.body()).unwrap();
    assert_eq!(
        body,
        json!({ "@odata.type": "#microsoft.graph.windowsOfficeClientConfiguration", "displayName": "Example" })
    );
    // The service's answer, read by the same operation.
    let answer = http::Response::builder()
        .status(201)
        .body(request.body().clone())
        .unwrap();
    let created = create.parse_response(answer).unwrap();
    assert!(created.entity().is_some());
}

#[test]
fn the_client_starts_from_the_service_root_and_has_the_area_s_requests() {
    assert_eq!(SERVICE_ROOT, Some(BASE));
    let client = Client::builder().bearer_token("token").build().unwrap();
    // `base_url` is the runtime crate's client's, through `Deref`.
    assert_eq!(client.base_url(), BASE);
    let request = client
        .office_configuration()
        .client_configurations()
        .list()
        .http_request(client.base_url())
        .unwrap();
    assert_eq!(
        request.uri().to_string(),
        "https://graph.microsoft.com/beta/officeConfiguration/clientConfigurations"
    );
    let elsewhere = Client::builder()
        .base_url("https://example.com/service")
        .build()
        .unwrap();
    assert_eq!(elsewhere.base_url(), "https://example.com/service");
}
