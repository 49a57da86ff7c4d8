//! The two operations the documentation seeds show, built and read with the generated crate,
//! without a network: `cargo run -p generated --example seed_operations`.
//!
//! (This file is written by hand; the generator owns only `Cargo.toml` and `src/`.)

use generated::microsoft_graph::{
    AnyOfficeClientConfiguration, AnyOfficeConfigurationAssignmentTarget,
    OfficeClientConfigurationAssignment, OfficeConfigurationGroupAssignmentTarget,
    WindowsOfficeClientConfiguration,
};
use generated::request::Error;
use generated::requests::office_configuration;

const BASE_URL: &str = "https://graph.microsoft.com/beta";

fn main() -> Result<(), Error> {
    // POST /officeConfiguration/clientConfigurations → 201 Created.
    // officeClientConfiguration is abstract: we create a derived type, which names itself.
    let create =
        office_configuration()
            .client_configurations()
            .create(WindowsOfficeClientConfiguration {
                display_name: "Finance desktops".to_owned().into(),
                description: "Macros off, telemetry on".to_owned().into(),
                priority: Some(1),
                ..Default::default()
            });
    let request = create.http_request(BASE_URL)?;
    println!(
        "{} {}\n{}\n",
        request.method(),
        request.uri(),
        String::from_utf8_lossy(request.body())
    );

    let answer = http::Response::builder()
        .status(201)
        .body(
            br##"{"@odata.type":"#microsoft.graph.windowsOfficeClientConfiguration",
                 "id":"4de2ae01-ae01-4de2-01ae-e24d01aee24d","displayName":"Finance desktops","priority":1}"##
                .to_vec(),
        )
        .expect("a valid response");
    // 201 with the entity; a 204 would give its `Location` instead (`Created::location`).
    let created = create
        .parse_response(answer)?
        .into_entity()
        .expect("201 sends the entity");
    let AnyOfficeClientConfiguration::WindowsOfficeClientConfiguration(created) = created else {
        unreachable!("the service answered with the type we created");
    };
    let id = created.id.expect("the service assigns an id");
    println!("created {id}\n");

    // POST /officeConfiguration/clientConfigurations/{officeClientConfigurationId}/assignments → 201 Created.
    let assign = office_configuration()
        .client_configurations()
        .by_id(&id)
        .assignments()
        .create(OfficeClientConfigurationAssignment {
            target: AnyOfficeConfigurationAssignmentTarget::from(
                OfficeConfigurationGroupAssignmentTarget {
                    group_id: "5f1a2b3c-0000-4000-8000-000000000001".to_owned().into(),
                    ..Default::default()
                },
            )
            .into(),
            ..Default::default()
        });
    let request = assign.http_request(BASE_URL)?;
    println!(
        "{} {}\n{}\n",
        request.method(),
        request.uri(),
        String::from_utf8_lossy(request.body())
    );

    let answer = http::Response::builder()
        .status(201)
        .body(
            br##"{"@odata.type":"#microsoft.graph.officeClientConfigurationAssignment","id":"08f87e97-7e97-08f8-977e-f808977ef808",
                 "target":{"@odata.type":"#microsoft.graph.officeConfigurationGroupAssignmentTarget","groupId":"5f1a2b3c-0000-4000-8000-000000000001"}}"##
                .to_vec(),
        )
        .expect("a valid response");
    let assignment = assign
        .parse_response(answer)?
        .into_entity()
        .expect("201 sends the entity");
    println!(
        "assigned {:?} to {:?}",
        assignment.id,
        assignment.target.value().and_then(|t| t.odata_type())
    );
    Ok(())
}
