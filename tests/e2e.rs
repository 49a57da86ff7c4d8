//! End to end: the generated client against a real HTTP server on 127.0.0.1 (the in-memory fake
//! in `fake_service.rs`), driven only through the generated crate's API.

mod fake_service;

use std::time::Duration;

use futures_util::TryStreamExt;
use generated::client::Client;
use generated::microsoft_graph::{
    AnyOfficeClientConfiguration, AnyOfficeConfigurationAssignmentTarget, AssignParameters,
    OfficeClientCheckinStatus, OfficeClientConfiguration, OfficeClientConfigurationAssignment,
    OfficeConfigurationAssignmentTarget, OfficeConfigurationGroupAssignmentTarget,
    OfficeUserCheckinSummary, UpdatePrioritiesParameters, WindowsOfficeClientConfiguration,
    WindowsOfficeClientSecurityConfiguration,
};
use generated::request::Error;
use generated::support::{Binary, Nullable};
use serde_json::{json, Value};

fn client(base_url: &str) -> Client {
    Client::builder()
        .base_url(base_url)
        .bearer_token(fake_service::TOKEN)
        .timeout(Duration::from_secs(10))
        .user_agent("codegen-e2e")
        .build()
        .unwrap()
}

fn body(received: &fake_service::Received) -> Value {
    serde_json::from_slice(&received.body).unwrap()
}

fn windows(name: &str, priority: i32) -> WindowsOfficeClientConfiguration {
    WindowsOfficeClientConfiguration {
        display_name: name.to_owned().into(),
        priority: Some(priority),
        ..Default::default()
    }
}

/// Seed 000: `POST /officeConfiguration/clientConfigurations` with the seed's body (placeholders
/// replaced by typed values) answers `201 Created` with the object.
#[tokio::test]
async fn seed_create_office_client_configuration() {
    let fake = fake_service::start().await;
    let client = client(&fake.base_url);
    let configuration = OfficeClientConfiguration {
        odata_type: Some("#microsoft.graph.officeClientConfiguration".into()),
        checkin_statuses: vec![OfficeClientCheckinStatus {
            odata_type: Some("microsoft.graph.officeClientCheckinStatus".into()),
            ..Default::default()
        }]
        .into(),
        description: "String".to_owned().into(),
        display_name: "String".to_owned().into(),
        policy_payload: Binary::new(b"Stream".to_vec()).into(),
        priority: Some(1024),
        user_checkin_summary: OfficeUserCheckinSummary {
            odata_type: Some("microsoft.graph.officeUserCheckinSummary".into()),
            ..Default::default()
        }
        .into(),
        user_preference_payload: Binary::new(b"Stream".to_vec()).into(),
        ..Default::default()
    };
    let created = client
        .office_configuration()
        .client_configurations()
        .create(configuration)
        .await
        .expect("201 Created")
        .into_entity()
        .expect("201 sends the entity back");
    let sent = fake.last();
    assert_eq!(
        (sent.method.as_str(), sent.path.as_str()),
        ("POST", "/officeConfiguration/clientConfigurations")
    );
    assert_eq!(
        body(&sent),
        json!({
            "@odata.type": "#microsoft.graph.officeClientConfiguration",
            "checkinStatuses": [{ "@odata.type": "microsoft.graph.officeClientCheckinStatus" }],
            "description": "String",
            "displayName": "String",
            "policyPayload": "U3RyZWFt",
            "priority": 1024,
            "userCheckinSummary": { "@odata.type": "microsoft.graph.officeUserCheckinSummary" },
            "userPreferencePayload": "U3RyZWFt"
        })
    );
    let AnyOfficeClientConfiguration::Other(created) = created else {
        panic!("the base type comes back as the base type: {created:?}");
    };
    assert_eq!(
        created.id.as_ref().map(String::len),
        Some(36),
        "a GUID-shaped id"
    );
    assert_eq!(created.priority, Some(1024));
    assert_eq!(created.policy_payload.value().unwrap().bytes(), b"Stream");
}

/// Seed 004: `POST .../clientConfigurations/{id}/assignments` answers `201 Created`.
#[tokio::test]
async fn seed_create_office_client_configuration_assignment() {
    let fake = fake_service::start().await;
    let client = client(&fake.base_url);
    let configurations = client.office_configuration().client_configurations();
    let parent = configurations
        .create(windows("Parent", 1))
        .await
        .unwrap()
        .entity_or_read()
        .await
        .unwrap();
    let parent_id = match &parent {
        AnyOfficeClientConfiguration::WindowsOfficeClientConfiguration(c) => c.id.clone().unwrap(),
        other => panic!("{other:?}"),
    };
    let assignment = OfficeClientConfigurationAssignment {
        target: AnyOfficeConfigurationAssignmentTarget::from(OfficeConfigurationAssignmentTarget {
            odata_type: Some("microsoft.graph.officeConfigurationAssignmentTarget".into()),
            ..Default::default()
        })
        .into(),
        ..Default::default()
    };
    let created = configurations
        .by_id(&parent_id)
        .assignments()
        .create(assignment)
        .await
        .expect("201 Created")
        .into_entity()
        .expect("201 sends the entity back");
    let sent = fake.last();
    assert_eq!(
        sent.path,
        format!("/officeConfiguration/clientConfigurations/{parent_id}/assignments")
    );
    assert_eq!(
        body(&sent),
        json!({
            "@odata.type": "#microsoft.graph.officeClientConfigurationAssignment",
            "target": { "@odata.type": "microsoft.graph.officeConfigurationAssignmentTarget" }
        })
    );
    assert_eq!(
        created.odata_type.as_deref(),
        Some("#microsoft.graph.officeClientConfigurationAssignment")
    );
    assert!(created.id.is_some());
    assert!(matches!(
        created.target,
        Nullable::Value(AnyOfficeConfigurationAssignmentTarget::Other(_))
    ));
}

/// Create configuration → create assignment → list both → assign → update priorities → patch
/// (with a null) → put/get policyPayload → delete.
#[tokio::test]
async fn full_lifecycle() {
    let fake = fake_service::start().await;
    let client = client(&fake.base_url);
    let configurations = client.office_configuration().client_configurations();

    let first = configurations
        .create(windows("Finance", 1))
        .await
        .unwrap()
        .entity_or_read()
        .await
        .unwrap();
    let second = configurations
        .create(WindowsOfficeClientSecurityConfiguration {
            display_name: "Security".to_owned().into(),
            description: "locked down".to_owned().into(),
            priority: Some(2),
            ..Default::default()
        })
        .await
        .unwrap()
        .entity_or_read()
        .await
        .unwrap();
    // The base type's properties are read from any variant.
    let id = |c: &AnyOfficeClientConfiguration| c.id().clone().unwrap();
    let (first_id, second_id) = (id(&first), id(&second));
    let first_item = configurations.by_id(&first_id);

    let group = OfficeConfigurationGroupAssignmentTarget {
        group_id: "group-1".to_owned().into(),
        ..Default::default()
    };
    let assignment = first_item
        .assignments()
        .create(OfficeClientConfigurationAssignment {
            // A derived value is one `.into()` where its base's dispatch enum is expected.
            target: group.clone().into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_entity()
        .unwrap();
    let assignment_id = assignment.id.clone().unwrap();

    let listed: Vec<_> = configurations.list().items().try_collect().await.unwrap();
    assert_eq!(
        listed.iter().map(id).collect::<Vec<_>>(),
        [first_id.clone(), second_id.clone()]
    );
    assert!(matches!(
        listed[1],
        AnyOfficeClientConfiguration::WindowsOfficeClientSecurityConfiguration(_)
    ));
    let assignments = first_item.assignments().list().await.unwrap();
    assert_eq!(assignments.value.len(), 1);
    let fetched = first_item
        .assignments()
        .by_id(&assignment_id)
        .get()
        .await
        .unwrap();
    let Nullable::Value(
        AnyOfficeConfigurationAssignmentTarget::OfficeConfigurationGroupAssignmentTarget(target),
    ) = fetched.target
    else {
        panic!("the group target comes back typed: {fetched:?}");
    };
    assert_eq!(target.group_id.value().unwrap(), "group-1");

    let assigned = first_item
        .assign(&AssignParameters {
            office_configuration_assignments: Some(vec![
                OfficeClientConfigurationAssignment {
                    target: AnyOfficeConfigurationAssignmentTarget::from(group.clone()).into(),
                    ..Default::default()
                },
                OfficeClientConfigurationAssignment {
                    target: AnyOfficeConfigurationAssignmentTarget::from(
                        OfficeConfigurationGroupAssignmentTarget {
                            group_id: "group-2".to_owned().into(),
                            ..Default::default()
                        },
                    )
                    .into(),
                    ..Default::default()
                },
            ]),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(assigned.value.len(), 2);
    assert_eq!(
        first_item.assignments().list().await.unwrap().value.len(),
        2
    );

    configurations
        .update_priorities(&UpdatePrioritiesParameters {
            office_configuration_policy_ids: Some(vec![first_id.clone(), second_id.clone()]),
            office_configuration_priorities: Some(vec![2, 1]),
            ..Default::default()
        })
        .await
        .unwrap();
    let AnyOfficeClientConfiguration::WindowsOfficeClientConfiguration(reread) =
        first_item.get().await.unwrap()
    else {
        panic!("still a Windows configuration");
    };
    assert_eq!(reread.priority, Some(2));

    let second_item = configurations.by_id(&second_id);
    second_item
        .update(WindowsOfficeClientSecurityConfiguration {
            odata_type: None,
            description: Nullable::Null,
            display_name: "Security (renamed)".to_owned().into(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        body(&fake.last()),
        json!({ "@odata.type": "#microsoft.graph.windowsOfficeClientSecurityConfiguration", "description": null, "displayName": "Security (renamed)" })
    );
    let AnyOfficeClientConfiguration::WindowsOfficeClientSecurityConfiguration(patched) =
        second_item.get().await.unwrap()
    else {
        panic!("still a security configuration");
    };
    assert!(
        patched.description.is_null(),
        "the explicit null cleared the description"
    );
    assert_eq!(patched.display_name.value().unwrap(), "Security (renamed)");

    let policy = b"<policy><macros>off</macros></policy>\x00\xff".to_vec();
    first_item
        .policy_payload()
        .put(policy.clone())
        .await
        .unwrap();
    assert_eq!(first_item.policy_payload().get().await.unwrap(), policy);
    assert!(first_item
        .user_preference_payload()
        .get()
        .await
        .unwrap()
        .is_empty());

    first_item
        .assignments()
        .by_id(&assignment_id)
        .delete()
        .await
        .ok();
    first_item.delete().await.unwrap();
    let gone = first_item.get().await.unwrap_err();
    let Error::Service(gone) = gone else {
        panic!("{gone:?}")
    };
    assert_eq!((gone.status, gone.code.as_str()), (404, "ResourceNotFound"));
    let remaining: Vec<_> = configurations.list().items().try_collect().await.unwrap();
    assert_eq!(remaining.len(), 1);

    client
        .office_configuration()
        .update(generated::microsoft_graph::OfficeConfiguration {
            tenant_user_checkin_summary: Nullable::Null,
            ..Default::default()
        })
        .await
        .unwrap();
    let root = client.office_configuration().get().await.unwrap();
    assert!(root.tenant_user_checkin_summary.is_null());
    assert!(root.additional_properties.contains_key("@odata.context"));
}

#[tokio::test]
async fn lists_follow_next_links_across_pages() {
    let fake = fake_service::start().await;
    let client = client(&fake.base_url);
    let configurations = client.office_configuration().client_configurations();
    for n in 0..5 {
        configurations
            .create(windows(&format!("configuration {n}"), n))
            .await
            .unwrap();
    }
    let pages: Vec<_> = configurations.list().pages().try_collect().await.unwrap();
    assert_eq!(
        pages.iter().map(|p| p.value.len()).collect::<Vec<_>>(),
        [2, 2, 1]
    );
    assert!(pages[0]
        .next_link
        .as_deref()
        .unwrap()
        .starts_with(&fake.base_url));
    assert!(pages[2].next_link.is_none());
    let items: Vec<_> = configurations.list().items().try_collect().await.unwrap();
    assert_eq!(items.len(), 5);
    let requested: Vec<_> = fake
        .received()
        .iter()
        .filter(|r| r.method == "GET")
        .map(|r| r.query.clone().unwrap_or_default())
        .collect();
    assert!(
        requested.contains(&"$top=2&$skiptoken=4".to_owned()),
        "{requested:?}"
    );
    // `$top` reaches the service; the first page of three holds three.
    let first = configurations.list().top(3).await.unwrap();
    assert_eq!(first.value.len(), 3);
    assert_eq!(fake.last().query.as_deref(), Some("$top=3"));
}

#[tokio::test]
async fn errors_are_typed() {
    let fake = fake_service::start().await;
    let configurations = client(&fake.base_url)
        .office_configuration()
        .client_configurations();
    let missing = configurations.by_id("no-such-id").get().await.unwrap_err();
    let Error::Service(missing) = missing else {
        panic!("{missing:?}")
    };
    assert_eq!(
        (missing.status, missing.code.as_str()),
        (404, "ResourceNotFound")
    );
    let inner = missing.inner_error.unwrap();
    assert_eq!(inner.request_id.as_deref(), Some("fake-request-id"));
    assert_eq!(inner.date.as_deref(), Some("2021-06-01T00:00:00"));

    // The fake refuses a body without a configuration type.
    let bad = configurations
        .create(OfficeClientConfiguration::default())
        .await
        .unwrap_err();
    assert_eq!(bad.status(), Some(400));

    let anonymous = Client::builder().base_url(&fake.base_url).build().unwrap();
    let denied = anonymous.office_configuration().get().await.unwrap_err();
    let Error::Service(denied) = denied else {
        panic!("{denied:?}")
    };
    assert_eq!(
        (denied.status, denied.code.as_str()),
        (401, "InvalidAuthenticationToken")
    );

    let nowhere = Client::builder()
        .base_url("http://127.0.0.1:9")
        .bearer_token("x")
        .build()
        .unwrap();
    assert!(matches!(
        nowhere.office_configuration().get().await,
        Err(Error::Transport(_))
    ));
}

#[tokio::test]
async fn hostile_keys_stay_in_their_segment() {
    let fake = fake_service::start().await;
    let configurations = client(&fake.base_url)
        .office_configuration()
        .client_configurations();
    for key in ["a/b?c#d", "../x", "%2e%2e", "x/../../y"] {
        let error = configurations.by_id(key).get().await.unwrap_err();
        let Error::Service(error) = error else {
            panic!("{error:?}")
        };
        assert_eq!(
            error.message,
            format!("officeClientConfiguration '{key}' does not exist"),
            "the key arrived whole"
        );
        let sent = fake.last();
        assert!(
            sent.path
                .starts_with("/officeConfiguration/clientConfigurations/"),
            "{}",
            sent.path
        );
        assert_eq!(sent.query, None);
    }
    // A dot-only key cannot reach the collection or its parent: it stays a key.
    for key in ["..", ".", ""] {
        let error = configurations.by_id(key).delete().await.unwrap_err();
        assert_eq!(error.status(), Some(404), "{key}: {error:?}");
        let sent = fake.last();
        assert_eq!(
            sent.path,
            format!("/officeConfiguration/clientConfigurations('{key}')")
        );
    }
}

/// `POST $batch`: a create, an assignment that depends on it, and a request that depends on a
/// failing one, sent as one request; each result reads as the operation alone would read it.
#[tokio::test]
async fn a_batch_runs_requests_in_dependency_order_and_answers_each() {
    use generated::request::Batch;
    let fake = fake_service::start().await;
    let client = client(&fake.base_url);
    let configurations = client.office_configuration().client_configurations();
    let existing = configurations
        .create(WindowsOfficeClientConfiguration {
            display_name: "existing".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_entity()
        .unwrap();
    let existing_id = existing.id().clone().unwrap();

    let mut batch = Batch::new();
    let created = batch
        .add(&configurations.create(WindowsOfficeClientConfiguration {
            display_name: "batched".into(),
            priority: Some(7),
            ..Default::default()
        }))
        .unwrap();
    let assigned = batch
        .add_after(
            &configurations.by_id(&existing_id).assignments().create(
                OfficeClientConfigurationAssignment {
                    target: OfficeConfigurationGroupAssignmentTarget {
                        group_id: "group-9".into(),
                        ..Default::default()
                    }
                    .into(),
                    ..Default::default()
                },
            ),
            &[created.id()],
        )
        .unwrap();
    let missing = batch.add(&configurations.by_id("missing").get()).unwrap();
    let skipped = batch
        .add_after(
            &configurations.by_id(&existing_id).delete(),
            &[missing.id()],
        )
        .unwrap();
    let answers = client.batch(&batch).await.unwrap();

    let created = answers.get(&created).unwrap().into_entity().unwrap();
    assert_eq!(
        created.display_name(),
        &Nullable::Value("batched".to_owned())
    );
    assert_eq!(created.priority(), &Some(7));
    let assigned = answers.get(&assigned).unwrap().into_entity().unwrap();
    assert!(matches!(
        assigned.target,
        Nullable::Value(
            AnyOfficeConfigurationAssignmentTarget::OfficeConfigurationGroupAssignmentTarget(_)
        )
    ));
    let Err(Error::Service(not_found)) = answers.get(&missing) else {
        panic!("the missing configuration is the service's 404");
    };
    assert_eq!(not_found.status, 404);
    let Err(Error::Service(failed_dependency)) = answers.get(&skipped) else {
        panic!("a request after a failed one is not run");
    };
    assert_eq!(
        (failed_dependency.status, failed_dependency.code.as_str()),
        (424, "FailedDependency")
    );
    // The delete never ran: the configuration is still there.
    assert!(configurations.by_id(&existing_id).get().await.is_ok());

    // One request went over the wire for the four, in the JSON batch format.
    let sent = fake
        .received()
        .into_iter()
        .find(|r| r.path == "/$batch")
        .expect("a batch was sent");
    let sent: Value = serde_json::from_slice(&sent.body).unwrap();
    assert_eq!(sent["requests"][1]["dependsOn"], json!(["1"]));
    assert_eq!(
        sent["requests"][1]["url"],
        json!(format!(
            "/officeConfiguration/clientConfigurations/{existing_id}/assignments"
        ))
    );
    assert_eq!(sent["requests"][0]["body"]["priority"], json!(7));
}

#[test]
fn a_batch_refuses_what_it_cannot_hold() {
    use generated::request::Batch;
    let configurations = generated::requests::office_configuration().client_configurations();
    let mut batch = Batch::new();
    for _ in 0..Batch::DEFAULT_MAX_REQUESTS {
        batch.add(&configurations.list()).unwrap();
    }
    assert!(matches!(
        batch.add(&configurations.list()),
        Err(Error::Request(_))
    ));
    assert!(matches!(
        Batch::new().add_after(&configurations.list(), &["9"]),
        Err(Error::Request(_))
    ));
    assert!(matches!(Batch::new().operation(), Err(Error::Request(_))));
}
