//! Every URL form of the request builders (OData URL Conventions 4.01 §4.3 to §4.15), on the
//! `url-forms` fixture (a lending library, keys in parentheses and qualified operations, the
//! specification's defaults): the method, URL and body each built request has. No network.

use fixture_url_forms::library::{CloseEarlyParameters, PromoteParameters, Shelf};
use fixture_url_forms::request::{Error, Operation};
use fixture_url_forms::requests::{boxes, close_early, countries, desk, find, loans, members};
use serde_json::{json, Value};

const BASE: &str = "https://lib.example/odata";

/// Method, URL (percent-decoded, without the base) and JSON body of a built request.
fn built<T>(operation: &Operation<T>) -> (String, String, Value) {
    let request = operation.http_request(BASE).expect("the request builds");
    let body = if request.body().is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(request.body()).unwrap()
    };
    let url = request.uri().to_string();
    let url = url.strip_prefix(BASE).unwrap().to_owned();
    (request.method().to_string(), url, body)
}

fn get(url: &str) -> (String, String, Value) {
    ("GET".to_owned(), url.to_owned(), Value::Null)
}

#[test]
fn navigation_contained_or_not_single_or_collection() {
    let member = members().by_id("ann");
    assert_eq!(
        built(&member.friends().list()),
        get("/members('ann')/friends")
    );
    assert_eq!(
        built(&member.sponsor().get()),
        get("/members('ann')/sponsor")
    );
    assert_eq!(
        built(&boxes().by_id("b1").binders().by_id("x").get()),
        get("/boxes('b1')/binders('x')")
    );
    // A complex property leads on to its own navigation and bound functions.
    assert_eq!(
        built(&member.home().country().get()),
        get("/members('ann')/home/country")
    );
    assert_eq!(
        built(&member.home().overdue()),
        get("/members('ann')/home/library.overdue()")
    );
}

#[test]
fn references_count_and_values() {
    let friends = members().by_id("ann").friends();
    assert_eq!(
        built(&friends.references().list()),
        get("/members('ann')/friends/$ref")
    );
    assert_eq!(
        built(&friends.references().add("members('bob')")),
        (
            "POST".to_owned(),
            "/members('ann')/friends/$ref".to_owned(),
            json!({"@odata.id": "members('bob')"})
        )
    );
    assert_eq!(
        built(&friends.references().remove("members('bob')")),
        (
            "DELETE".to_owned(),
            "/members('ann')/friends/$ref?$id=members('bob')".to_owned(),
            Value::Null
        )
    );
    assert_eq!(
        built(&friends.by_id("bob").reference().delete()),
        (
            "DELETE".to_owned(),
            "/members('ann')/friends('bob')/$ref".to_owned(),
            Value::Null
        )
    );
    let sponsor = members().by_id("ann").sponsor().reference();
    assert_eq!(built(&sponsor.get()), get("/members('ann')/sponsor/$ref"));
    assert_eq!(
        built(&sponsor.set("members('cy')")),
        (
            "PUT".to_owned(),
            "/members('ann')/sponsor/$ref".to_owned(),
            json!({"@odata.id": "members('cy')"})
        )
    );
    assert_eq!(
        built(&friends.count()),
        get("/members('ann')/friends/$count")
    );
    let count = friends
        .count()
        .parse_response(http::Response::new(b"42".to_vec()))
        .unwrap();
    assert_eq!(count, 42);
    // A media entity's content, and a stream property.
    let binder = boxes().by_id("b1").binders().by_id("x");
    assert_eq!(
        built(&binder.content().get()),
        get("/boxes('b1')/binders('x')/$value")
    );
    let put = binder
        .content()
        .put(b"%PDF".to_vec())
        .http_request(BASE)
        .unwrap();
    assert_eq!(put.method(), "PUT");
    assert_eq!(put.body(), b"%PDF");
    assert_eq!(
        built(&members().by_id("ann").card().get()),
        get("/members('ann')/card")
    );
}

#[test]
fn accept_headers_fit_the_answer() {
    let accept =
        |request: http::Request<Vec<u8>>| request.headers()["accept"].to_str().unwrap().to_owned();
    let member = members().by_id("ann");
    assert_eq!(
        accept(member.get().http_request(BASE).unwrap()),
        "application/json"
    );
    assert_eq!(
        accept(member.friends().count().http_request(BASE).unwrap()),
        "text/plain"
    );
    assert_eq!(
        accept(member.card().get().http_request(BASE).unwrap()),
        "*/*"
    );
    let scan = boxes().by_id("b").binders().by_id("x").scan();
    assert_eq!(accept(scan.http_request(BASE).unwrap()), "*/*");
}

#[test]
fn type_casts_on_entities_and_collections() {
    assert_eq!(
        built(&members().as_librarian().list()),
        get("/members/library.librarian")
    );
    assert_eq!(
        built(&members().by_id("ann").as_librarian().get()),
        get("/members('ann')/library.librarian")
    );
    // An action bound to the derived type, reached through the cast.
    assert_eq!(
        built(
            &members()
                .by_id("ann")
                .as_librarian()
                .promote(&PromoteParameters {
                    desk: 7.into(),
                    ..Default::default()
                })
        ),
        (
            "POST".to_owned(),
            "/members('ann')/library.librarian/library.promote".to_owned(),
            json!({"desk": 7})
        )
    );
}

#[test]
fn operation_imports_at_the_root() {
    let (method, url, body) = built(&close_early(&CloseEarlyParameters {
        reason: "storm".into(),
        ..Default::default()
    }));
    assert_eq!(
        (method.as_str(), url.as_str(), body),
        ("POST", "/closeEarly", json!({"reason": "storm"}))
    );
    let (method, url, _) = built(&find(
        "O'Neil",
        Some("2024-02-14T07:37:00+01:00".parse().unwrap()),
        Some("2024-02-14".parse().unwrap()),
        Some("4f1c2b9e-8f7a-4a53-9b55-1c2d3e4f5a6b".parse().unwrap()),
        Shelf::Reference,
        None,
        true,
        Some("P1DT2H".parse().unwrap()),
        ["sea".to_owned(), "ships".to_owned()],
    ));
    assert_eq!(method, "GET");
    let decoded = percent_decode(&url);
    assert_eq!(
        decoded,
        "/find(title=@title,since=@since,day=@day,copy=@copy,shelf=@shelf,limit=@limit,available=@available,within=@within,tags=@tags)\
         ?@title='O''Neil'&@since=2024-02-14T07:37:00+01:00&@day=2024-02-14\
         &@copy=4f1c2b9e-8f7a-4a53-9b55-1c2d3e4f5a6b&@shelf=library.shelf'reference'&@limit=null\
         &@available=true&@within=duration'P1DT2H'&@tags=[\"sea\",\"ships\"]"
    );
    // `+` of the offset is percent-encoded (a bare `+` reads as a space in a query).
    assert!(url.contains("@since=2024-02-14T07:37:00%2B01:00"), "{url}");
}

#[test]
fn composite_keys_and_literal_keys() {
    assert_eq!(
        built(&loans().by_key(7, "O'Neil copy").get()),
        get("/loans(bookId=7,copy='O''Neil%20copy')")
    );
    // A key cannot add segments or a query, in either form.
    assert_eq!(
        built(&members().by_id("a/b?c#d").get()),
        get("/members('a%2Fb%3Fc%23d')")
    );
}

#[test]
fn functions_write_stream_results_as_bytes_and_compose() {
    let scan = boxes().by_id("b1").binders().by_id("x").scan();
    assert_eq!(
        built(&scan),
        get("/boxes('b1')/binders('x')/library.scan()")
    );
    let pdf = scan
        .parse_response(http::Response::new(b"%PDF-1.7".to_vec()))
        .unwrap();
    assert_eq!(pdf, b"%PDF-1.7");
    // A composable function: the path goes on, and its alias travels with every operation.
    let top = members().most_lent(3).by_id("ann").friends().list();
    assert_eq!(
        built(&top),
        get("/members/library.mostLent(top=@top)('ann')/friends?@top=3")
    );
}

#[test]
fn capability_restrictions_refuse_before_sending() {
    let refused = loans()
        .create(fixture_url_forms::library::Loan::default())
        .http_request(BASE);
    assert!(
        matches!(&refused, Err(Error::Request(m)) if m.contains("not insertable (Capabilities.InsertRestrictions)")),
        "{refused:?}"
    );
    let refused = loans().by_key(1, "a").delete().http_request(BASE);
    assert!(matches!(refused, Err(Error::Request(m)) if m.contains("not deletable")));
    // What the annotations do not restrict is built as usual.
    assert_eq!(built(&loans().list()), get("/loans"));
    assert_eq!(
        built(&loans().by_key(1, "a").get()),
        get("/loans(bookId=1,copy='a')")
    );
    // `NavigationRestrictions/Referenceable` on a navigation property: no `$ref` there.
    let mentor = members().by_id("ann").mentor();
    assert_eq!(built(&mentor.get()), get("/members('ann')/mentor"));
    let refused = mentor.reference().set("members('bo')").http_request(BASE);
    assert!(
        matches!(&refused, Err(Error::Request(m)) if m.contains("`/members('ann')/mentor` is not referenceable (Capabilities.NavigationRestrictions)")),
        "{refused:?}"
    );
    // A singleton exists always: it cannot be deleted.
    assert!(desk().delete().http_request(BASE).is_err());
}

#[test]
fn recursive_containment_reaches_ten_levels() {
    let mut binders = boxes().by_id("0").binders();
    let mut expected = "/boxes('0')/binders".to_owned();
    for level in 1..10 {
        let next = binders
            .by_id(&level.to_string())
            .boxes()
            .by_id(&level.to_string());
        expected.push_str(&format!("('{level}')/boxes('{level}')/binders"));
        binders = next.binders();
    }
    let (_, url, _) = built(&binders.list());
    assert_eq!(url, expected);
    // Ten levels of binders, each inside a box inside the binder above: 20 segments.
    assert_eq!(url.matches("/binders").count(), 10);
    assert_eq!(url.matches('/').count(), 20);
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() + 1 {
            if let Ok(byte) = u8::from_str_radix(&text[i + 1..i + 3], 16) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

/// The `dynamic` feature walks concrete URLs through the same builders: keys in either form,
/// casts, `$ref`, `$count`, `$value`, and a bound operation named by the last segment.
#[test]
fn dynamic_requests_walk_the_same_builders() {
    use fixture_url_forms::dynamic::request;
    let path = |p: &str, method: &str, call: Option<&str>| {
        let built = request(p, method, call, Value::Null, BASE)
            .unwrap_or_else(|| panic!("{p}: no request"))
            .unwrap_or_else(|e| panic!("{p}: {e}"));
        (
            built.method().to_string(),
            built.uri().to_string().replace(BASE, ""),
        )
    };
    let get = |p: &str| ("GET".to_owned(), p.to_owned());
    assert_eq!(
        path("/members('O''Neil')/friends", "GET", None),
        get("/members('O''Neil')/friends")
    );
    assert_eq!(
        path("/members/ann/friends", "GET", None),
        get("/members('ann')/friends")
    );
    assert_eq!(
        path("/members('ann')/friends/$count", "GET", None),
        get("/members('ann')/friends/$count")
    );
    assert_eq!(
        path("/members('ann')/sponsor/$ref", "GET", None),
        get("/members('ann')/sponsor/$ref")
    );
    assert_eq!(
        path("/members/library.librarian", "GET", None),
        get("/members/library.librarian")
    );
    assert_eq!(
        path("/boxes('b')/binders('x')/$value", "GET", None),
        get("/boxes('b')/binders('x')/$value")
    );
    assert_eq!(
        path(
            "/boxes('b')/binders('x')/library.scan()",
            "GET",
            Some("library.scan()")
        ),
        get("/boxes('b')/binders('x')/library.scan()")
    );
    assert!(request("/members('ann')/nothing", "GET", None, Value::Null, BASE).is_none());
    // A composable function with its arguments, and the path going on from its result; its
    // call as the last segment reads the result.
    assert_eq!(
        path("/members/library.mostLent(top=3)/$count", "GET", None),
        get("/members/library.mostLent(top=@top)/$count?@top=3")
    );
    assert_eq!(
        path(
            "/members/library.mostLent(top=3)",
            "GET",
            Some("library.mostLent")
        ),
        get("/members/library.mostLent(top=@top)?@top=3")
    );
    // A member spelled in another letter case is the member (Graph reads segments in any case).
    assert_eq!(
        path("/MEMBERS('ann')/Friends", "GET", None),
        get("/members('ann')/friends")
    );
    // A stream's content deleted; a reference removed from a collection by its id.
    assert_eq!(
        path("/boxes('b')/binders('x')/$value", "DELETE", None),
        (
            "DELETE".to_owned(),
            "/boxes('b')/binders('x')/$value".to_owned()
        )
    );
    let removed = request(
        "/members('ann')/friends/$ref",
        "DELETE",
        None,
        json!({"@odata.id": "members('bo')"}),
        BASE,
    )
    .unwrap()
    .unwrap();
    assert_eq!(
        removed.uri().to_string().replace(BASE, ""),
        "/members('ann')/friends/$ref?$id=members('bo')"
    );
}

#[test]
fn quotes_are_doubled_in_every_quoted_literal() {
    // An enum value the crate does not know cannot end its literal early.
    let (_, url, _) = built(&find(
        "t",
        None,
        None,
        None,
        Shelf::Other("fiction',copy='x".to_owned()),
        None,
        None,
        None,
        Vec::<String>::new(),
    ));
    assert!(
        percent_decode(&url).contains("@shelf=library.shelf'fiction'',copy=''x'&"),
        "{url}"
    );
}

#[test]
fn a_client_for_a_service_without_a_known_root_needs_a_base_url() {
    // CSDL names no service root: no default host receives this client's token.
    assert_eq!(fixture_url_forms::SERVICE_ROOT, None);
    let refused = fixture_url_forms::client::Client::builder()
        .bearer_token("secret")
        .build();
    assert!(
        matches!(&refused, Err(Error::Request(m)) if m.contains("no base URL")),
        "{:?}",
        refused.map(|_| ())
    );
    let client = fixture_url_forms::client::Client::builder()
        .base_url("https://lib.example/odata/")
        .build()
        .unwrap();
    assert_eq!(client.base_url(), "https://lib.example/odata");
}

/// A `200` answer with `body`.
fn answer(body: &Value) -> http::Response<Vec<u8>> {
    http::Response::builder()
        .status(200)
        .body(serde_json::to_vec(body).unwrap())
        .unwrap()
}

#[test]
fn a_collection_page_in_place_of_one_entity_is_an_error() {
    let page = json!({
        "@odata.context": "https://elsewhere.example/$metadata#things",
        "value": [{"id": "a"}, {"id": "b"}],
        "@odata.nextLink": "https://elsewhere.example/things?page=2"
    });
    // A member declares no `value` property: the page would read as an empty member.
    let member = members().by_id("m1").get();
    let error = member.parse_response(answer(&page)).unwrap_err();
    let Error::Decode(decode) = error else {
        panic!("expected a decode error, got {error:?}");
    };
    assert_eq!(decode.path, "value");
    assert!(decode.message.contains("collection"), "{}", decode.message);
    // So is an OData error object sent with a success status.
    let error_object = json!({"error": {"code": "nope", "message": "not here"}});
    let Err(Error::Decode(decode)) = member.parse_response(answer(&error_object)) else {
        panic!("an error object read as a member");
    };
    assert_eq!(decode.path, "error");
    // Create reads its answer the same way.
    let created = members().create(fixture_url_forms::library::Member::default());
    assert!(matches!(
        created.parse_response(answer(&page)),
        Err(Error::Decode(_))
    ));
    // One entity with its properties reads, annotations and all.
    let one = json!({"@odata.context": "https://lib.example/odata/$metadata#members/$entity", "id": "m1"});
    let read = member.parse_response(answer(&one)).unwrap();
    assert_eq!(read.id().as_deref(), Some("m1"));
    // A country declares `value` (a collection): the same shape is one of its values.
    let country = countries()
        .by_code("NL")
        .get()
        .parse_response(answer(&json!({"value": ["a", "b"]})))
        .unwrap();
    assert_eq!(country.value.value().unwrap().as_slice(), ["a", "b"]);
}

#[test]
fn a_nullable_function_result_reads_null_as_none() {
    // `lastLoan` returns `Edm.DateTimeOffset` without `Nullable="false"`: it may be null.
    let last_loan = members().by_id("m1").last_loan();
    assert_eq!(
        last_loan
            .parse_response(answer(&json!({"value": null})))
            .unwrap(),
        None
    );
    let no_content = http::Response::builder()
        .status(204)
        .body(Vec::new())
        .unwrap();
    assert_eq!(last_loan.parse_response(no_content).unwrap(), None);
    let read = last_loan
        .parse_response(answer(&json!({"value": "2024-02-14T07:37Z"})))
        .unwrap()
        .expect("a date");
    assert_eq!(read.as_str(), "2024-02-14T07:37Z");
}
