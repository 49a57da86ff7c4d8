//! Round trips through the generated models: JSON in the shapes the service sends is read into
//! the generated types and written back with nothing lost, and typed access sees the right
//! values.

use generated::microsoft_graph::{
    AnyOfficeClientConfiguration, AnyOfficeConfigurationAssignmentTarget,
    OfficeClientConfigurationAssignment, OfficeConfiguration,
    OfficeConfigurationGroupAssignmentTarget, WindowsOfficeClientConfiguration,
};
use generated::support::{Binary, Nullable};
use serde_json::{json, Value};

/// Reads `json` as `T`, writes it back, and requires the same JSON.
fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(json: Value) -> T {
    let model: T = serde_json::from_value(json.clone()).expect("the JSON reads as the model");
    let written = serde_json::to_value(&model).expect("the model writes");
    assert_eq!(written, json, "reading and writing changed the JSON");
    model
}

fn office_configuration_response() -> Value {
    json!({
        "@odata.context": "https://graph.microsoft.com/beta/$metadata#officeConfiguration",
        "tenantCheckinStatuses": [{
            "appliedPolicies": ["Block macros", "Telemetry"],
            "checkinDateTime": "2021-06-01T08:15:30Z",
            "deviceName": "LAPTOP-7",
            "devicePlatform": "Windows",
            "devicePlatformVersion": "10.0.19043",
            "errorMessage": null,
            "userId": "d9c4a9e8-2f5d-4c43-9b3a-5d0e8f1c2b7a",
            "userPrincipalName": "adele@contoso.com",
            "wasSuccessful": true
        }],
        "tenantUserCheckinSummary": { "failedUserCount": 2, "succeededUserCount": 40 },
        "clientConfigurations": [
            {
                "@odata.type": "#microsoft.graph.windowsOfficeClientConfiguration",
                "id": "4de2ae01-ae01-4de2-01ae-e24d01aee24d",
                "checkinStatuses": [],
                "description": null,
                "displayName": "Finance desktops",
                "policyPayload": "PHBvbGljeS8+",
                "priority": 1,
                "userCheckinSummary": { "failedUserCount": 0, "succeededUserCount": 12 },
                "userPreferencePayload": null,
                "assignments": [{
                    "id": "08f87e97-7e97-08f8-977e-f808977ef808",
                    "target": {
                        "@odata.type": "#microsoft.graph.officeConfigurationGroupAssignmentTarget",
                        "groupId": "5f1a2b3c-0000-4000-8000-000000000001"
                    }
                }]
            },
            {
                "@odata.type": "microsoft.graph.WindowsOfficeClientSecurityConfiguration",
                "id": "second",
                "priority": 2,
                "futureProperty": { "nested": [1, 2, 3] },
                "displayName@odata.annotation": "kept too"
            },
            {
                "@odata.type": "#microsoft.graph.macOfficeClientConfiguration",
                "id": "third",
                "priority": 3,
                "macOnlySetting": true
            }
        ]
    })
}

#[test]
fn office_configuration_response_round_trips_with_nothing_lost() {
    let config: OfficeConfiguration = round_trip(office_configuration_response());
    assert_eq!(
        config.additional_properties["@odata.context"],
        "https://graph.microsoft.com/beta/$metadata#officeConfiguration"
    );
    let summary = config.tenant_user_checkin_summary.value().unwrap();
    assert_eq!(
        (summary.failed_user_count, summary.succeeded_user_count),
        (Some(2), Some(40))
    );
    let status = &config.tenant_checkin_statuses.value().unwrap()[0];
    assert_eq!(
        status
            .checkin_date_time
            .as_ref()
            .unwrap()
            .value()
            .unwrap()
            .to_rfc3339(),
        "2021-06-01T08:15:30+00:00"
    );
    assert!(status.error_message.is_null());
    assert_eq!(status.was_successful, Some(true));

    let configurations = config.client_configurations.into_option().unwrap();
    let AnyOfficeClientConfiguration::WindowsOfficeClientConfiguration(windows) =
        &configurations[0]
    else {
        panic!(
            "the first configuration is a Windows configuration: {:?}",
            configurations[0]
        );
    };
    assert_eq!(
        windows.display_name.value().map(String::as_str),
        Some("Finance desktops")
    );
    assert!(windows.description.is_null());
    assert_eq!(
        windows.policy_payload.value(),
        Some(&Binary::new(b"<policy/>".to_vec()))
    );
    let target = windows.assignments.value().unwrap()[0]
        .target
        .value()
        .unwrap();
    let AnyOfficeConfigurationAssignmentTarget::OfficeConfigurationGroupAssignmentTarget(group) =
        target
    else {
        panic!("the target is a group target: {target:?}");
    };
    assert_eq!(
        group.group_id.value().unwrap(),
        "5f1a2b3c-0000-4000-8000-000000000001"
    );

    // `@odata.type` without `#` and in another case still dispatches; unknown properties stay.
    let AnyOfficeClientConfiguration::WindowsOfficeClientSecurityConfiguration(security) =
        &configurations[1]
    else {
        panic!(
            "the second configuration is a security configuration: {:?}",
            configurations[1]
        );
    };
    assert_eq!(
        security.additional_properties["futureProperty"],
        json!({ "nested": [1, 2, 3] })
    );

    // A type this crate does not know falls back to the base type with every field kept.
    let AnyOfficeClientConfiguration::Other(unknown) = &configurations[2] else {
        panic!("an unknown type falls back: {:?}", configurations[2]);
    };
    assert_eq!(unknown.priority, Some(3));
    assert_eq!(unknown.additional_properties["macOnlySetting"], true);
    assert_eq!(
        configurations[2].odata_type(),
        Some("#microsoft.graph.macOfficeClientConfiguration")
    );
}

#[test]
fn a_value_without_odata_type_reads_as_the_base_type() {
    let value: AnyOfficeClientConfiguration = round_trip(json!({ "id": "x", "priority": 4 }));
    assert!(
        matches!(value, AnyOfficeClientConfiguration::Other(ref base) if base.priority == Some(4))
    );
    assert_eq!(value.odata_type(), None);
}

#[test]
fn creating_an_abstract_type_means_sending_a_derived_one_with_its_type() {
    let config = WindowsOfficeClientConfiguration {
        display_name: "Finance desktops".to_owned().into(),
        priority: Some(1),
        ..Default::default()
    };
    let body: AnyOfficeClientConfiguration = config.into();
    assert_eq!(
        serde_json::to_value(&body).unwrap(),
        json!({
            "@odata.type": "#microsoft.graph.windowsOfficeClientConfiguration",
            "displayName": "Finance desktops",
            "priority": 1
        })
    );
    // Even a value built without its tag is written with it when sent as the base type.
    let untagged = WindowsOfficeClientConfiguration {
        odata_type: None,
        ..Default::default()
    };
    let written = serde_json::to_value(AnyOfficeClientConfiguration::from(untagged)).unwrap();
    assert_eq!(
        written,
        json!({ "@odata.type": "#microsoft.graph.windowsOfficeClientConfiguration" })
    );
}

#[test]
fn patch_bodies_send_only_what_was_set_and_explicit_nulls() {
    let patch = WindowsOfficeClientConfiguration {
        odata_type: None,
        description: Nullable::Null,
        display_name: "Renamed".to_owned().into(),
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({ "description": null, "displayName": "Renamed" })
    );
}

#[test]
fn assignment_with_abstract_target_round_trips() {
    let assignment: OfficeClientConfigurationAssignment = round_trip(json!({
        "@odata.type": "#microsoft.graph.officeClientConfigurationAssignment",
        "id": "08f87e97-7e97-08f8-977e-f808977ef808",
        "target": { "@odata.type": "microsoft.graph.officeConfigurationAssignmentTarget" }
    }));
    assert!(matches!(
        assignment.target,
        Nullable::Value(AnyOfficeConfigurationAssignmentTarget::Other(_))
    ));
    let target = OfficeConfigurationGroupAssignmentTarget {
        group_id: "g1".to_owned().into(),
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(AnyOfficeConfigurationAssignmentTarget::from(target)).unwrap(),
        json!({ "@odata.type": "#microsoft.graph.officeConfigurationGroupAssignmentTarget", "groupId": "g1" })
    );
}

#[test]
fn wrong_types_are_errors_not_panics() {
    let error = serde_json::from_value::<OfficeConfiguration>(
        json!({ "tenantUserCheckinSummary": { "failedUserCount": "many" } }),
    )
    .unwrap_err();
    assert!(error.to_string().contains("invalid type"), "{error}");
    let error = serde_json::from_value::<AnyOfficeClientConfiguration>(json!({
        "@odata.type": "#microsoft.graph.windowsOfficeClientConfiguration",
        "priority": "first"
    }))
    .unwrap_err();
    assert!(error.to_string().contains("invalid type"), "{error}");
}

mod inheritance {
    use fixture_inheritance::example_zoo::{AnyAnimal, AnyHabitat, AnyMammal, Bird, Dog, Keeper};
    use serde_json::json;

    use super::round_trip;

    #[test]
    fn dispatch_reaches_every_level_of_the_hierarchy() {
        let animals: Vec<AnyAnimal> = round_trip(json!([
            { "@odata.type": "#example.zoo.dog", "id": "1", "breed": "collie", "legs": 4 },
            { "@odata.type": "#example.zoo.mammal", "id": "2", "furColor": "grey" },
            { "@odata.type": "#example.zoo.bird", "id": "3", "canFly": true, "wingspan": 1.5 },
            { "id": "4", "name": "mystery" }
        ]));
        assert!(
            matches!(&animals[0], AnyAnimal::Dog(dog) if dog.breed.value().unwrap() == "collie" && dog.legs == Some(4))
        );
        assert!(matches!(&animals[1], AnyAnimal::Mammal(_)));
        assert!(
            matches!(&animals[2], AnyAnimal::Bird(bird) if bird.additional_properties["wingspan"] == 1.5)
        );
        assert!(matches!(&animals[3], AnyAnimal::Other(_)));
        let mammal: AnyMammal =
            round_trip(json!({ "@odata.type": "#example.zoo.dog", "breed": "pug" }));
        assert!(matches!(mammal, AnyMammal::Dog(_)));
    }

    #[test]
    fn navigation_properties_and_nested_polymorphic_complex_values_round_trip() {
        let keeper: Keeper = round_trip(json!({
            "id": "k1",
            "displayName": "Sam",
            "manager": { "id": "k0", "displayName": "Lee" },
            "animals": [{
                "@odata.type": "#example.zoo.bird",
                "id": "3",
                "home": { "@odata.type": "#example.zoo.cage", "area": 2.5, "bars": [{ "material": "steel" }] },
                "offspring": [{ "@odata.type": "#example.zoo.bird", "id": "5" }],
                "keeper": null
            }]
        }));
        let manager = keeper.manager.as_ref().unwrap();
        assert_eq!(manager.display_name.value().unwrap(), "Lee");
        let AnyAnimal::Bird(bird) = &keeper.animals.value().unwrap()[0] else {
            panic!()
        };
        assert!(
            matches!(bird.home.value(), Some(AnyHabitat::Cage(cage)) if cage.area.value().map(|a| a.value()) == Some(2.5))
        );
        assert!(bird.keeper.is_null());
    }

    #[test]
    fn derived_types_name_themselves_by_default_and_abstract_bases_do_not() {
        assert_eq!(
            serde_json::to_value(Dog::default()).unwrap(),
            json!({ "@odata.type": "#example.zoo.dog" })
        );
        assert_eq!(
            serde_json::to_value(Bird::default()).unwrap(),
            json!({ "@odata.type": "#example.zoo.bird" })
        );
        assert_eq!(
            serde_json::to_value(fixture_inheritance::example_zoo::Animal::default()).unwrap(),
            json!({})
        );
    }
}

mod enums {
    use fixture_enums::example_colors::{Color, Palette, Permissions, Shade};
    use fixture_enums::support::Flags;
    use serde_json::json;

    use super::round_trip;

    #[test]
    fn known_unknown_and_flags_values_round_trip() {
        let palette: Palette = round_trip(json!({
            "primary": "red",
            "accent": "ultraviolet",
            "history": ["green", "unknownFutureValue", "infrared"],
            "shade": "dark",
            "access": "read,execute",
            "accessHistory": ["none", "write,read"]
        }));
        assert_eq!(palette.primary, Some(Color::Red));
        assert_eq!(
            palette.accent.value(),
            Some(&Color::Other("ultraviolet".to_owned()))
        );
        assert_eq!(
            palette.history.value().unwrap()[1],
            Color::UnknownFutureValue
        );
        assert_eq!(palette.shade.value().and_then(Shade::value), Some(200));
        let access = palette.access.value().unwrap();
        assert!(access.contains(&Permissions::Read) && access.contains(&Permissions::Execute));
        assert!(!access.contains(&Permissions::Write));
    }

    #[test]
    fn flags_are_a_set_written_comma_separated() {
        let mut flags: Flags<Permissions> = [Permissions::Write, Permissions::Read]
            .into_iter()
            .collect();
        assert!(!flags.insert(Permissions::Read));
        assert_eq!(serde_json::to_value(&flags).unwrap(), json!("write,read"));
        flags.remove(&Permissions::Write);
        assert_eq!(flags.to_string(), "read");
        let parsed: Flags<Permissions> = serde_json::from_value(json!(" read , bogus ")).unwrap();
        assert_eq!(
            parsed.iter().cloned().collect::<Vec<_>>(),
            [Permissions::Read, Permissions::Other("bogus".into())]
        );
    }

    #[test]
    fn numeric_member_values_read_to_their_members_and_flags_to_their_bits() {
        // OData JSON Format 4.01 §7.1 allows a member's value in place of its name (ABNF
        // `enumMemberValue`); such a value is written back by name.
        let palette: Palette = serde_json::from_value(json!({
            "primary": "2",
            "accent": "9",
            "shade": "200",
            "access": "3",
            "accessHistory": ["0", "read,4", "12"]
        }))
        .unwrap();
        assert_eq!(palette.primary, Some(Color::Blue));
        assert_eq!(
            palette.accent.value(),
            Some(&Color::Other("9".to_owned())),
            "no member has 9"
        );
        assert_eq!(palette.shade.value(), Some(&Shade::Dark));
        let members = |flags: &Flags<Permissions>| flags.iter().cloned().collect::<Vec<_>>();
        assert_eq!(
            members(palette.access.value().unwrap()),
            [Permissions::Read, Permissions::Write]
        );
        let history = palette.access_history.value().unwrap();
        assert_eq!(members(&history[0]), [Permissions::None]);
        assert_eq!(
            members(&history[1]),
            [Permissions::Read, Permissions::Execute]
        );
        // 12 is 4 and 8, and no member has 8: kept as read.
        assert_eq!(members(&history[2]), [Permissions::Other("12".to_owned())]);
        assert_eq!(
            serde_json::to_value(&palette).unwrap()["access"],
            json!("read,write")
        );
    }

    #[test]
    fn enum_values_parse_and_print_their_wire_names() {
        assert_eq!("blue".parse::<Color>().unwrap(), Color::Blue);
        assert_eq!(Color::UnknownFutureValue.to_string(), "unknownFutureValue");
        assert_eq!(Color::Green.value(), Some(1));
        assert_eq!(Color::Other("x".into()).value(), None);
    }
}

mod primitives {
    use fixture_primitives::example_types::{AllPrimitives, AnyReading};
    use fixture_primitives::support::{Decimal, Double, Duration, Int64, Single};
    use serde_json::json;

    use super::round_trip;

    /// Reads `text` as `T` and writes it back: the same text, byte for byte (the input is
    /// written in the order the struct writes: declared properties, then undeclared ones
    /// sorted by name).
    fn round_trip_text<T: serde::de::DeserializeOwned + serde::Serialize>(text: &str) -> T {
        let model: T = serde_json::from_str(text).expect("the JSON reads as the model");
        let written = serde_json::to_string(&model).expect("the model writes");
        assert_eq!(written, text, "reading and writing changed the JSON text");
        model
    }

    #[test]
    fn guid_case_binary_alphabets_exponents_and_nulls_come_back_as_read() {
        // An upper-case GUID (a real Graph docs example writes them so), base64url and
        // standard base64 with and without padding, an exponent in capitals.
        let value: AllPrimitives = round_trip_text(
            r#"{"binary":"-_8","double":-1.0E+2,"guid":"8F3A1C2E-0B4D-4E6F-9A1B-2C3D4E5F6A7B","stream":"+/8="}"#,
        );
        assert_eq!(value.binary.value().unwrap().bytes(), [0xfb, 0xff]);
        assert_eq!(value.stream.value().unwrap().bytes(), [0xfb, 0xff]);
        assert_eq!(
            value.guid.value().unwrap().value(),
            "8f3a1c2e-0b4d-4e6f-9a1b-2c3d4e5f6a7b"
                .parse::<fixture_primitives::support::Guid>()
                .unwrap()
                .value()
        );
        // Values made in Rust: base64url with padding, GUIDs in lower case.
        let made = AllPrimitives {
            binary: fixture_primitives::support::Binary::new(vec![0xfb, 0xff]).into(),
            guid: fixture_primitives::support::Guid::from(value.guid.value().unwrap().value())
                .into(),
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_string(&made).unwrap(),
            r#"{"binary":"-_8=","guid":"8f3a1c2e-0b4d-4e6f-9a1b-2c3d4e5f6a7b"}"#
        );
        // A `null` for a property the metadata says is never null is kept, not dropped.
        let kept: AllPrimitives = serde_json::from_str(r#"{"weight":null,"string":"a"}"#).unwrap();
        assert!(kept.weight.is_none());
        assert_eq!(
            serde_json::to_string(&kept).unwrap(),
            r#"{"string":"a","weight":null}"#
        );
        // Text that is no base64 is an error at its path, never changed.
        let error = serde_json::from_str::<AllPrimitives>(r#"{"binary":"YWJj=="}"#).unwrap_err();
        assert!(error.to_string().contains("at `binary`"), "{error}");
    }

    #[test]
    fn every_edm_type_round_trips() {
        let value: AllPrimitives = round_trip(json!({
            "binary": "AAECAwQ=",
            "boolean": false,
            "byte": 255,
            "date": "2021-06-01",
            "dateTimeOffset": "2021-06-01T08:15:30.123+02:00",
            "decimal": "12345678901234567890.1234567",
            "double": 2.5,
            "duration": "P1DT2H3M4.5S",
            "guid": "4de2ae01-ae01-4de2-01ae-e24d01aee24d",
            "int16": -32768,
            "int32": 2147483647,
            "int64": 9007199254740993i64,
            "sByte": -128,
            "single": "INF",
            "stream": "aGVsbG8=",
            "string": "text",
            "timeOfDay": "13:45:00",
            "untyped": { "anything": [true, null] },
            "point": { "type": "Point", "coordinates": [-122.1, 47.6] },
            "shape": null,
            "email": "adele@contoso.com",
            "weight": 1.25,
            "numbers": [1, -2, 9223372036854775807i64],
            "moments": ["2021-06-01T00:00:00Z"],
            "emails": ["a@b.c"]
        }));
        assert_eq!(value.binary.value().unwrap().bytes(), [0, 1, 2, 3, 4]);
        assert_eq!(*value.int64.value().unwrap(), 9007199254740993);
        assert!(value.single.value().unwrap().is_infinite());
        assert_eq!(
            value.duration.value().unwrap().0,
            chrono::TimeDelta::milliseconds(93_784_500)
        );
        assert_eq!(
            value.decimal.value().unwrap().as_str(),
            "12345678901234567890.1234567"
        );
        assert!(value.shape.is_null());
    }

    /// An empty complex type (Microsoft Graph's published `Json`) holds any JSON: arrays,
    /// strings, numbers, objects and nulls come back as they were sent.
    #[test]
    fn an_empty_complex_type_holds_any_json_value() {
        let text =
            r#"{"cells":[[1,"a"],[2.50,null,{"k":1.000}]],"rows":["x",3,null,{"deep":[true]},[]]}"#;
        let value: AllPrimitives = round_trip_text(text);
        assert_eq!(value.cells.value().unwrap()[0][1], "a");
        let text = r#"{"cells":"just text","rows":[]}"#;
        round_trip_text::<AllPrimitives>(text);
    }

    #[test]
    fn numbers_keep_every_digit_declared_or_not() {
        let value: AllPrimitives = round_trip_text(concat!(
            r#"{"decimal":1234567890.123456789012345678,"double":3.14159265358979323846264338,"#,
            r#""int64":-9223372036854775808,"single":0.1,"untyped":[1.10,1e+3,-0,2e-7],"weight":1.50,"#,
            r#""amounts":[0.1000000000000000000000000000001,12345678901234567890123456789012],"#,
            r#""futureCounter":123456789012345678901234567890,"futureRatio":0.10000000000000000000001}"#
        ));
        let decimal = value.decimal.value().unwrap();
        assert_eq!(decimal.as_str(), "1234567890.123456789012345678");
        assert_eq!(
            decimal.to_decimal().unwrap().to_string(),
            "1234567890.123456789012345678"
        );
        assert_eq!(value.double.value().unwrap().value(), std::f64::consts::PI);
        assert_eq!(value.single.value().unwrap().value(), 0.1f32);
        assert_eq!(*value.int64.value().unwrap(), i64::MIN);
        assert_eq!(
            value.weight.as_ref().unwrap(),
            &"1.5".parse::<Decimal>().unwrap()
        );
        assert_eq!(
            value.additional_properties["futureCounter"].to_string(),
            "123456789012345678901234567890"
        );
        // A declared number keeps its exponent as written; the one difference left is
        // serde_json's, in untyped and undeclared values: `e+3` for `e3` and `E+3`.
        let exponents: AllPrimitives =
            serde_json::from_str(r#"{"double":1E3,"untyped":1e3}"#).unwrap();
        assert_eq!(
            serde_json::to_string(&exponents).unwrap(),
            r#"{"double":1E3,"untyped":1e+3}"#
        );
        // Values made in Rust are written in the shortest form that reads back as them.
        assert_eq!(serde_json::to_string(&Double::new(0.1)).unwrap(), "0.1");
        assert_eq!(serde_json::to_string(&Single::new(0.1)).unwrap(), "0.1");
        assert_eq!(serde_json::to_string(&Double::new(2.0)).unwrap(), "2");
        let made: Decimal = "0.1000000000000000000000000001".parse().unwrap();
        assert_eq!(
            serde_json::to_string(&made).unwrap(),
            "0.1000000000000000000000000001"
        );
    }

    #[test]
    fn ieee754_compatible_strings_read_and_write_back_as_strings() {
        let value: AllPrimitives = round_trip_text(concat!(
            r#"{"decimal":"1234567890.123456789012345678","int64":"9007199254740993","#,
            r#""numbers":["1","-2",3,"+0004"],"amounts":["NaN","-INF","1e-3"]}"#
        ));
        let int64 = value.int64.value().unwrap();
        assert!(int64.is_string());
        assert_eq!(*int64, 9007199254740993);
        assert_eq!(int64, &Int64::from(9007199254740993));
        let numbers: Vec<i64> = value.numbers.value().unwrap().iter().map(|n| **n).collect();
        assert_eq!(numbers, [1, -2, 3, 4]);
        assert!(value.decimal.value().unwrap().is_string());
        assert_eq!(serde_json::to_string(&Int64::string(7)).unwrap(), r#""7""#);
        assert_eq!(serde_json::to_string(&Int64::from(7)).unwrap(), "7");
        for bad in [
            r#"{"int64":"seven"}"#,
            r#"{"int64":"1.5"}"#,
            r#"{"decimal":"1,5"}"#,
        ] {
            assert!(serde_json::from_str::<AllPrimitives>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn null_items_and_null_collections_round_trip() {
        let value: AllPrimitives = round_trip_text(concat!(
            r#"{"numbers":[null,1,null,null,2,null],"moments":null,"labels":["a",null,"b"],"#,
            r#""codes":[1,2],"readings":[null,{"at":"2024-02-14T07:37:32Z"}]}"#
        ));
        let labels = value.labels.value().unwrap();
        // The common case reads as a `Vec` of the items that are not null...
        assert_eq!(
            labels.iter().map(String::as_str).collect::<Vec<_>>(),
            ["a", "b"]
        );
        assert_eq!(labels.len(), 2);
        // ...and the array as it came is there too.
        assert_eq!(
            labels
                .with_nulls()
                .map(|l| l.map(String::as_str))
                .collect::<Vec<_>>(),
            [Some("a"), None, Some("b")]
        );
        assert!(value.moments.is_null());
        assert!(value.emails.is_absent());
        assert!(matches!(
            &value.readings.value().unwrap()[0],
            AnyReading::Reading(_)
        ));
        // `Nullable="false"` items may not be null.
        assert!(serde_json::from_str::<AllPrimitives>(r#"{"codes":[1,null]}"#).is_err());
        // Building one is as short as a `Vec`, and items added keep the nulls where they were.
        let mut made = AllPrimitives {
            labels: vec!["x".to_owned()].into(),
            ..Default::default()
        };
        assert_eq!(serde_json::to_string(&made).unwrap(), r#"{"labels":["x"]}"#);
        let mut read = value.labels.clone();
        if let fixture_primitives::support::Nullable::Value(labels) = &mut read {
            labels.push("c".to_owned());
        }
        made.labels = read;
        assert_eq!(
            serde_json::to_string(&made).unwrap(),
            r#"{"labels":["a",null,"b","c"]}"#
        );
    }

    #[test]
    fn date_times_in_every_abnf_form_round_trip_and_a_missing_offset_is_kept() {
        let value: AllPrimitives = round_trip_text(concat!(
            r#"{"dateTimeOffset":"2024-02-14T07:37Z","timeOfDay":"07:37","#,
            r#""moments":["2024-02-14T07:37:32","2024-02-14T07:37:32.123456789012+05:30","#,
            r#""2024-02-14t07:37:32.1234567z","-0001-01-01T00:00:00-12:00","2024-02-14T07:37"]}"#
        ));
        let minute = value.date_time_offset.value().unwrap();
        assert_eq!(
            minute.value().unwrap().to_rfc3339(),
            "2024-02-14T07:37:00+00:00"
        );
        let moments = value.moments.value().unwrap();
        assert_eq!(moments[0].value(), None, "no offset: no instant");
        assert_eq!(moments[0].local().to_string(), "2024-02-14 07:37:32");
        assert_eq!(
            moments[1].value().unwrap().timestamp_subsec_nanos(),
            123_456_789
        );
        assert_eq!(
            moments[2].value().unwrap().timestamp_subsec_nanos(),
            123_456_700
        );
        assert_eq!(value.time_of_day.value().unwrap().to_string(), "07:37");
        assert_eq!(
            value.time_of_day.value().unwrap().value(),
            chrono::NaiveTime::from_hms_opt(7, 37, 0).unwrap()
        );
        for bad in [
            "2024-02-14",
            "2024-02-14T7:37Z",
            "2024-02-14T07:37:32+5:30",
            "yesterday",
        ] {
            let json = format!(r#"{{"dateTimeOffset":"{bad}"}}"#);
            assert!(
                serde_json::from_str::<AllPrimitives>(&json).is_err(),
                "{bad}"
            );
        }
        // A whole page reads although one value has no offset.
        let page: fixture_primitives::request::Page<AllPrimitives> = serde_json::from_str(
            r#"{"value":[{"dateTimeOffset":"2024-02-14T07:37:32Z"},{"dateTimeOffset":"2024-02-14T07:37:32"}],"@odata.count":"2"}"#,
        )
        .unwrap();
        assert_eq!(page.value.len(), 2);
        assert_eq!(page.count.map(i64::from), Some(2));
    }

    #[test]
    fn odata_type_in_every_form_dispatches_to_its_variant() {
        for name in [
            "#example.types.meterReading",
            "example.types.meterReading",
            "#t.meterReading",
            "t.meterReading",
            "#T.METERREADING",
            "https://host/service/$metadata#t.meterReading",
            "https://host/service/$metadata#example.types.meterReading",
        ] {
            let json = format!(r#"{{"@odata.type":"{name}","kilowattHours":12.50}}"#);
            let reading: AnyReading = round_trip_text(&json);
            let AnyReading::MeterReading(meter) = &reading else {
                panic!("{name} dispatches to the derived type: {reading:?}");
            };
            assert_eq!(meter.kilowatt_hours.value().unwrap().as_str(), "12.50");
        }
        let other: AnyReading = round_trip_text(r##"{"@odata.type":"#t.gasReading"}"##);
        assert!(matches!(other, AnyReading::Reading(_)));
    }

    #[test]
    fn special_floats_and_decimals_keep_their_values() {
        for text in ["NaN", "INF", "-INF"] {
            let double: Double = serde_json::from_value(json!(text)).unwrap();
            assert_eq!(serde_json::to_value(double).unwrap(), json!(text));
        }
        let decimal: Decimal = serde_json::from_value(json!(0.1)).unwrap();
        assert_eq!(decimal.as_str(), "0.1");
        assert_eq!(serde_json::to_value(decimal).unwrap(), json!(0.1));
        let long: Decimal =
            serde_json::from_value(json!("0.1000000000000000055511151231")).unwrap();
        assert_eq!(
            serde_json::to_value(long).unwrap(),
            json!("0.1000000000000000055511151231")
        );
        let duration: Duration = serde_json::from_value(json!("-PT0.0000001S")).unwrap();
        assert_eq!(duration.0, -chrono::TimeDelta::nanoseconds(100));
        assert!(serde_json::from_value::<Duration>(json!("P1Y")).is_err());
    }
}

mod hostile_names {
    use fixture_hostile_names::hostile_type::{
        AnyOk, Box, Chicken, Default, Egg, Match, Self_, Some, String, Type2,
    };
    use fixture_hostile_names::support::Nullable;
    use serde_json::json;

    use super::round_trip;

    #[test]
    fn keyword_and_colliding_names_map_back_to_their_wire_names() {
        let value: Type2 = round_trip(json!({
            "type": "t", "ref": "r", "async": true, "match": 3, "_": "underscore", "fn": "f",
            "displayName": "a", "DisplayName": "b", "display_name": "c",
            "odataType": "not the annotation", "additionalProperties": "not the map",
            "request-id": "req", "3dModel": "cube", "naïve": "yes",
            "kind": "self", "flags": "Debug,Clone",
            "dynamic": "open types keep dynamic properties"
        }));
        assert_eq!(value.r#type.value().unwrap(), "t");
        assert_eq!(value.field.value().unwrap(), "underscore");
        assert_eq!(
            [
                &value.display_name,
                &value.display_name_2,
                &value.display_name_3
            ]
            .map(|v| v.value().unwrap().as_str()),
            ["a", "b", "c"]
        );
        assert_eq!(value.odata_type_2.value().unwrap(), "not the annotation");
        assert_eq!(
            value.additional_properties_2.value().unwrap(),
            "not the map"
        );
        assert_eq!(value.request_id.value().unwrap(), "req");
        assert_eq!(value.kind.value(), Option::Some(&Match::Self_));
        assert!(value.flags.value().unwrap().contains(&Default::Debug));
        assert_eq!(
            value.additional_properties["dynamic"],
            "open types keep dynamic properties"
        );
    }

    #[test]
    fn a_property_with_the_json_name_of_control_information_does_not_collide() {
        // The type declares a property named `@odata.type`: it is not generated (with a
        // warning), so the member is read and written once, in `odata_type`.
        let text = r##"{"@odata.type":"#hostile.type.type","odataType":"a property"}"##;
        let value: Type2 = serde_json::from_str(text).unwrap();
        assert_eq!(
            value.odata_type.as_deref(),
            Option::Some("#hostile.type.type")
        );
        assert_eq!(value.odata_type_2.value().unwrap(), "a property");
        assert_eq!(serde_json::to_string(&value).unwrap(), text);
    }

    #[test]
    fn recursive_types_are_boxed_and_prelude_named_types_work() {
        let nested: Box = round_trip(json!({ "inner": { "inner": { "inner": null } } }));
        assert!(nested
            .inner
            .value()
            .unwrap()
            .inner
            .value()
            .unwrap()
            .inner
            .is_null());
        let chicken: Chicken = round_trip(json!({ "egg": { "chicken": { "egg": {} } } }));
        let egg: &Egg = chicken.egg.as_ref().unwrap();
        assert!(egg.chicken.value().is_some());
        let this: Self_ = round_trip(
            json!({ "self": { "Self": "inner" }, "Self": "outer", "super": "s", "crate": "c" }),
        );
        assert_eq!(this.self_2.value().unwrap(), "outer");
        let string: String = round_trip(json!({ "value": "a string type" }));
        assert_eq!(string.value, Nullable::Value("a string type".to_owned()));
        let some: AnyOk = round_trip(
            json!({ "@odata.type": "#hostile.type.Some", "Err": "e", "None": { "Err": "f" } }),
        );
        assert!(matches!(some, AnyOk::Some(ref s) if s.err.as_deref() == Option::Some("e")));
        let _: Option<Some> = None;
    }

    #[test]
    fn names_and_values_that_look_like_code_stay_data() {
        use fixture_hostile_names::hostile_type::Injection;
        let string: String = round_trip(json!({ "value": "v", "\")]mod_x{}": "kept" }));
        assert_eq!(
            string.u0022_u0029_u005d_mod_x_u007b_u007d.value().unwrap(),
            "kept"
        );
        let member: Injection = serde_json::from_value(json!("break\"\nout")).unwrap();
        assert_eq!(member, Injection::BreakU0022U000aOut);
        assert_eq!(
            serde_json::to_value(&member).unwrap(),
            json!("break\"\nout")
        );
    }

    #[test]
    fn primitive_and_trait_named_properties_hold_their_edm_types() {
        use fixture_hostile_names::hostile_type::I32;
        let value: I32 = round_trip(json!({
            "str": "s", "bool": true, "u8": 1, "i8": -1, "i16": 2, "i32": 3, "i64": 4, "f32": 0.5,
            "f64": "NaN", "Decimal": 1.5, "Vec": "AQI=", "Read": "", "Ord": "2020-02-29",
            "Eq": "2020-02-29T23:59:59Z", "Hash": "23:59:59", "Duration": "PT1S",
            "Uuid": "00000000-0000-0000-0000-000000000001", "Value": [1], "Map": { "type": "Point" },
            "Serialize": [1, 2]
        }));
        assert_eq!(value.vec.value().unwrap().bytes(), [1, 2]);
        assert_eq!(value.i32, Nullable::Value(3));
        assert!(value.f64.value().unwrap().is_nan());
    }
}

#[test]
fn dispatch_enums_read_the_base_properties_of_any_variant() {
    let windows: AnyOfficeClientConfiguration = WindowsOfficeClientConfiguration {
        id: Some("w-1".to_owned()),
        display_name: "Windows".into(),
        priority: Some(3),
        ..Default::default()
    }
    .into();
    let unknown: AnyOfficeClientConfiguration = serde_json::from_value(json!({
        "@odata.type": "#microsoft.graph.futureConfiguration",
        "id": "f-1",
        "displayName": null,
        "futureSetting": true
    }))
    .unwrap();
    assert_eq!(windows.id().as_deref(), Some("w-1"));
    assert_eq!(
        windows.display_name(),
        &Nullable::Value("Windows".to_owned())
    );
    assert_eq!(windows.priority(), &Some(3));
    assert_eq!(unknown.id().as_deref(), Some("f-1"));
    assert_eq!(unknown.display_name(), &Nullable::Null);
    assert_eq!(
        unknown.additional_properties()["futureSetting"],
        json!(true)
    );
}

#[test]
fn derived_values_convert_to_any_base_and_its_fields_with_one_into() {
    use generated::microsoft_graph::{AnyEntity, OfficeClientConfiguration};
    let group = OfficeConfigurationGroupAssignmentTarget {
        group_id: "g-1".into(),
        ..Default::default()
    };
    // A `Nullable` field of the base's dispatch enum, from the derived struct.
    let assignment = OfficeClientConfigurationAssignment {
        target: group.clone().into(),
        ..Default::default()
    };
    assert!(matches!(
        assignment.target,
        Nullable::Value(AnyOfficeConfigurationAssignmentTarget::OfficeConfigurationGroupAssignmentTarget(ref g)) if **g == group
    ));
    // An `Option` of a dispatch enum two levels up.
    let windows = WindowsOfficeClientConfiguration::default();
    let entity: Option<AnyEntity> = windows.clone().into();
    assert!(
        matches!(entity, Some(AnyEntity::WindowsOfficeClientConfiguration(ref w)) if **w == windows)
    );
    // A narrower dispatch enum widens variant by variant; its fallback becomes the base's variant.
    let narrow: AnyOfficeClientConfiguration = windows.clone().into();
    let wide: AnyEntity = narrow.into();
    assert!(matches!(
        wide,
        AnyEntity::WindowsOfficeClientConfiguration(_)
    ));
    let base = OfficeClientConfiguration {
        id: Some("base".to_owned()),
        ..Default::default()
    };
    let wide: Nullable<AnyEntity> = AnyOfficeClientConfiguration::from(base.clone()).into();
    assert!(
        matches!(wide, Nullable::Value(AnyEntity::OfficeClientConfiguration(ref b)) if **b == base)
    );
    // The JSON is the same whichever way the value was made.
    assert_eq!(
        serde_json::to_value(AnyEntity::from(windows.clone())).unwrap(),
        serde_json::to_value(AnyOfficeClientConfiguration::from(windows)).unwrap()
    );
}

#[test]
fn dispatched_values_keep_small_numbers_and_member_order() {
    // Read through the dispatch enum, as every polymorphic value and page item is.
    let json = r##"{"@odata.type":"#microsoft.graph.windowsOfficeClientConfiguration","id":"w","tiny":0.0000001,"zeta":-0,"alpha":123456789012345678901234567890}"##;
    let value: AnyOfficeClientConfiguration = serde_json::from_str(json).unwrap();
    assert!(matches!(
        value,
        AnyOfficeClientConfiguration::WindowsOfficeClientConfiguration(_)
    ));
    assert_eq!(serde_json::to_string(&value).unwrap(), json);
}

#[test]
fn leap_seconds_and_five_digit_years_are_date_times() {
    use generated::microsoft_graph::OfficeClientCheckinStatus;
    for json in [
        r#"{"checkinDateTime":"2016-12-31T23:59:60Z"}"#,
        r#"{"checkinDateTime":"10000-01-01T00:00:00Z"}"#,
        r#"{"checkinDateTime":"-0044-03-15T12:00:00+01:00"}"#,
    ] {
        let status: OfficeClientCheckinStatus = serde_json::from_str(json).unwrap();
        assert!(
            status
                .checkin_date_time
                .as_ref()
                .and_then(|d| d.value())
                .is_some(),
            "{json}"
        );
        assert_eq!(serde_json::to_string(&status).unwrap(), json);
    }
}

#[test]
fn control_information_without_the_odata_prefix_is_read() {
    use generated::request::Page;
    // OData JSON Format 4.01 §4.5.1: a 4.01 service may leave out `odata.`.
    let page: Page<AnyOfficeClientConfiguration> = serde_json::from_str(
        r##"{"@count":"3","value":[{"@type":"#microsoft.graph.windowsOfficeClientSecurityConfiguration","id":"s"}],"@nextLink":"clientConfigurations?$skip=1"}"##,
    )
    .unwrap();
    assert_eq!(
        page.next_link.as_deref(),
        Some("clientConfigurations?$skip=1")
    );
    assert_eq!(page.count.as_deref().copied(), Some(3));
    assert!(matches!(
        page.value[0],
        AnyOfficeClientConfiguration::WindowsOfficeClientSecurityConfiguration(_)
    ));
}

/// A type replaced by the user's (`--extern-type Shop.Money=::serde_json::Value` in the
/// `customized` fixture) is read and written through that type, single and in a collection,
/// with nothing lost; the generated `Customer` holds it where a generated `Money` would be.
#[test]
fn a_replaced_type_reads_and_writes_as_the_users_type() {
    use fixture_customized::shop::Customer;
    let json = json!({
        "id": "c1",
        "balance": {"amount": 12.50, "currency": "EUR", "note": "not declared"},
        "payments": [{"amount": 1}, null, "any JSON at all"],
        "home": {"street": "Main 1", "city": "Town"}
    });
    let customer: Customer = round_trip(json.clone());
    let balance: &serde_json::Value = customer.balance.value().unwrap();
    assert_eq!(balance["currency"], "EUR");
    assert_eq!(serde_json::to_value(&customer).unwrap(), json);
}

/// A navigation property `--select` leaves out (`lastChangedBy`, to a `user` the `select`
/// fixture does not keep) has no field: an expanded value is read into
/// `additional_properties` and written back as it came, beside a navigation property whose
/// type is kept (`configuration`), which is read into its field.
#[test]
fn a_navigation_property_select_leaves_out_round_trips_in_additional_properties() {
    use fixture_select::microsoft_graph::{
        AnyOfficeClientConfiguration, OfficeClientConfigurationAssignment,
    };
    let json = json!({
        "id": "a1",
        "lastChangedBy": {"id": "u7", "displayName": "Adele", "memberOf": [{"id": "g1"}]},
        "configuration": {
            "@odata.type": "#microsoft.graph.windowsOfficeClientConfiguration",
            "id": "c1",
            "priority": 3
        }
    });
    let assignment: OfficeClientConfigurationAssignment = round_trip(json.clone());
    assert_eq!(
        assignment.additional_properties["lastChangedBy"],
        json["lastChangedBy"]
    );
    assert_eq!(assignment.additional_properties.len(), 1);
    let configuration = assignment
        .configuration
        .value()
        .expect("read into its field");
    assert!(matches!(
        configuration,
        AnyOfficeClientConfiguration::WindowsOfficeClientConfiguration(_)
    ));
}
