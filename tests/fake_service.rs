//! An in-memory fake of the officeConfiguration service on 127.0.0.1, with OData semantics:
//! `201` and a generated id on create, `204` on update and delete, `404` with an OData error
//! for unknown ids, paging with absolute `@odata.nextLink`s, stream properties as raw bytes,
//! and bearer-token checks. It records every request so tests can see what was sent.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Map, Value};

pub const TOKEN: &str = "test-token";
const STREAMS: [&str; 2] = ["policyPayload", "userPreferencePayload"];
const CONFIGURATION_TYPES: [&str; 3] = [
    "microsoft.graph.officeclientconfiguration",
    "microsoft.graph.windowsofficeclientconfiguration",
    "microsoft.graph.windowsofficeclientsecurityconfiguration",
];

/// A request as the fake received it.
#[derive(Clone, Debug)]
pub struct Received {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub body: Vec<u8>,
}

/// Items of a collection with their ids, in creation order.
type Entries = Vec<(String, Map<String, Value>)>;

/// An OData error answer.
struct Problem {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let body = json!({
            "error": {
                "code": self.code,
                "message": self.message,
                "innerError": { "request-id": "fake-request-id", "client-request-id": "fake-client-request-id", "date": "2021-06-01T00:00:00" }
            }
        });
        (self.status, Json(body)).into_response()
    }
}

type Answer = Result<Response, Problem>;

#[derive(Default)]
struct Data {
    root: Map<String, Value>,
    configurations: Entries,
    assignments: HashMap<String, Entries>,
    streams: HashMap<(String, String), Vec<u8>>,
    next_id: u64,
    received: Vec<Received>,
}

impl Data {
    fn new_id(&mut self) -> String {
        self.next_id += 1;
        format!("{:08x}-0000-4000-8000-{:012x}", self.next_id, self.next_id)
    }

    fn configuration(&mut self, id: &str) -> Result<&mut Map<String, Value>, Problem> {
        self.configurations
            .iter_mut()
            .find(|(i, _)| i == id)
            .map(|(_, c)| c)
            .ok_or_else(|| not_found("officeClientConfiguration", id))
    }
}

#[derive(Clone)]
struct Fake {
    data: Arc<Mutex<Data>>,
    base_url: String,
    page_size: usize,
}

/// A running fake; the server stops when the test's runtime ends.
pub struct Running {
    pub base_url: String,
    data: Arc<Mutex<Data>>,
}

impl Running {
    /// Every request received so far.
    pub fn received(&self) -> Vec<Received> {
        self.data.lock().unwrap().received.clone()
    }

    /// The last request received.
    pub fn last(&self) -> Received {
        self.received().pop().expect("a request was received")
    }
}

pub async fn start() -> Running {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let data = Arc::new(Mutex::new(Data::default()));
    data.lock().unwrap().root.insert(
        "tenantUserCheckinSummary".into(),
        json!({ "failedUserCount": 0, "succeededUserCount": 0 }),
    );
    let fake = Fake {
        data: data.clone(),
        base_url: base_url.clone(),
        page_size: 2,
    };
    let configurations = "/officeConfiguration/clientConfigurations";
    let app = Router::new()
        .route("/officeConfiguration", get(get_root).patch(patch_root))
        .route(
            configurations,
            get(list_configurations).post(create_configuration),
        )
        .route(
            &format!("{configurations}/updatePriorities"),
            post(update_priorities),
        )
        .route(
            &format!("{configurations}/{{id}}"),
            get(get_configuration)
                .patch(patch_configuration)
                .delete(delete_configuration),
        )
        .route(&format!("{configurations}/{{id}}/assign"), post(assign))
        .route(
            &format!("{configurations}/{{id}}/assignments"),
            get(list_assignments).post(create_assignment),
        )
        .route(
            &format!("{configurations}/{{id}}/assignments/{{assignment}}"),
            get(get_assignment)
                .patch(patch_assignment)
                .delete(delete_assignment),
        )
        .route(
            &format!("{configurations}/{{id}}/{{stream}}"),
            get(get_stream).put(put_stream),
        );
    let recorded = || middleware::from_fn_with_state(fake.clone(), record_and_authorize);
    // `$batch` runs its requests through the same routes, each recorded as well.
    let api = app.clone().layer(recorded()).with_state(fake.clone());
    let app = app
        .route(
            "/$batch",
            post(move |headers: HeaderMap, body: Json<Value>| batch(api.clone(), headers, body)),
        )
        .layer(recorded())
        .with_state(fake);
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Running { base_url, data }
}

fn error(status: StatusCode, code: &'static str, message: &str) -> Problem {
    Problem {
        status,
        code,
        message: message.to_owned(),
    }
}

fn not_found(what: &str, id: &str) -> Problem {
    error(
        StatusCode::NOT_FOUND,
        "ResourceNotFound",
        &format!("{what} '{id}' does not exist"),
    )
}

fn created(value: &Map<String, Value>) -> Answer {
    Ok((StatusCode::CREATED, Json(Value::Object(value.clone()))).into_response())
}

fn ok_json(value: Value) -> Answer {
    Ok(Json(value).into_response())
}

fn no_content() -> Answer {
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn record_and_authorize(State(fake): State<Fake>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, 1 << 20)
        .await
        .unwrap_or_default();
    fake.data.lock().unwrap().received.push(Received {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        body: body.to_vec(),
    });
    let authorized = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        == Some(&format!("Bearer {TOKEN}"));
    if !authorized {
        let problem = error(
            StatusCode::UNAUTHORIZED,
            "InvalidAuthenticationToken",
            "Access token is empty or invalid.",
        );
        return problem.into_response();
    }
    next.run(Request::from_parts(parts, axum::body::Body::from(body)))
        .await
}

fn object(body: &Bytes) -> Result<Map<String, Value>, Problem> {
    match serde_json::from_slice(body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(error(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            "The body must be a JSON object.",
        )),
    }
}

/// PATCH semantics: the properties sent replace the stored ones; `null` stores `null`.
fn merge(target: &mut Map<String, Value>, patch: Map<String, Value>) {
    for (key, value) in patch {
        if key != "@odata.type" && key != "id" {
            target.insert(key, value);
        }
    }
}

async fn get_root(State(fake): State<Fake>) -> Answer {
    let mut root = fake.data.lock().unwrap().root.clone();
    root.insert(
        "@odata.context".into(),
        json!(format!("{}/$metadata#officeConfiguration", fake.base_url)),
    );
    ok_json(Value::Object(root))
}

async fn patch_root(State(fake): State<Fake>, body: Bytes) -> Answer {
    let patch = object(&body)?;
    merge(&mut fake.data.lock().unwrap().root, patch);
    no_content()
}

async fn list_configurations(
    State(fake): State<Fake>,
    Query(query): Query<HashMap<String, String>>,
) -> Answer {
    let data = fake.data.lock().unwrap();
    let skip: usize = query
        .get("$skiptoken")
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let size: usize = query
        .get("$top")
        .and_then(|s| s.parse().ok())
        .unwrap_or(fake.page_size);
    let items: Vec<Value> = data
        .configurations
        .iter()
        .skip(skip)
        .take(size)
        .map(|(_, c)| Value::Object(c.clone()))
        .collect();
    let mut page = json!({ "@odata.context": format!("{}/$metadata#officeConfiguration/clientConfigurations", fake.base_url), "value": items });
    if skip + size < data.configurations.len() {
        page["@odata.nextLink"] = json!(format!(
            "{}/officeConfiguration/clientConfigurations?$top={size}&$skiptoken={}",
            fake.base_url,
            skip + size
        ));
    }
    ok_json(page)
}

async fn create_configuration(State(fake): State<Fake>, body: Bytes) -> Answer {
    let mut configuration = object(&body)?;
    let kind = configuration
        .get("@odata.type")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !CONFIGURATION_TYPES.contains(&kind.trim_start_matches('#').to_ascii_lowercase().as_str()) {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            "@odata.type must name an officeClientConfiguration type.",
        ));
    }
    let mut data = fake.data.lock().unwrap();
    let id = data.new_id();
    configuration.insert("id".into(), json!(id));
    data.configurations.push((id, configuration.clone()));
    created(&configuration)
}

async fn get_configuration(State(fake): State<Fake>, Path(id): Path<String>) -> Answer {
    let mut data = fake.data.lock().unwrap();
    ok_json(Value::Object(data.configuration(&id)?.clone()))
}

async fn patch_configuration(
    State(fake): State<Fake>,
    Path(id): Path<String>,
    body: Bytes,
) -> Answer {
    let patch = object(&body)?;
    merge(fake.data.lock().unwrap().configuration(&id)?, patch);
    no_content()
}

async fn delete_configuration(State(fake): State<Fake>, Path(id): Path<String>) -> Answer {
    let mut data = fake.data.lock().unwrap();
    data.configuration(&id)?;
    data.configurations.retain(|(i, _)| *i != id);
    data.assignments.remove(&id);
    no_content()
}

async fn update_priorities(State(fake): State<Fake>, body: Bytes) -> Answer {
    let body = object(&body)?;
    let list = |key: &str| {
        body.get(key)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let (ids, priorities) = (
        list("officeConfigurationPolicyIds"),
        list("officeConfigurationPriorities"),
    );
    if ids.len() != priorities.len() {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            "Every id needs a priority.",
        ));
    }
    let mut data = fake.data.lock().unwrap();
    for (id, priority) in ids.iter().zip(priorities) {
        data.configuration(id.as_str().unwrap_or_default())?
            .insert("priority".into(), priority);
    }
    no_content()
}

async fn assign(State(fake): State<Fake>, Path(id): Path<String>, body: Bytes) -> Answer {
    let body = object(&body)?;
    let mut data = fake.data.lock().unwrap();
    data.configuration(&id)?;
    let mut assigned = Entries::new();
    for assignment in body
        .get("officeConfigurationAssignments")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
    {
        let Value::Object(mut assignment) = assignment else {
            return Err(error(
                StatusCode::BAD_REQUEST,
                "BadRequest",
                "Assignments are objects.",
            ));
        };
        let assignment_id = data.new_id();
        assignment.insert("id".into(), json!(assignment_id));
        assigned.push((assignment_id, assignment));
    }
    let value: Vec<Value> = assigned
        .iter()
        .map(|(_, a)| Value::Object(a.clone()))
        .collect();
    data.assignments.insert(id, assigned);
    ok_json(json!({ "value": value }))
}

async fn list_assignments(State(fake): State<Fake>, Path(id): Path<String>) -> Answer {
    let mut data = fake.data.lock().unwrap();
    data.configuration(&id)?;
    let value: Vec<Value> = data
        .assignments
        .get(&id)
        .into_iter()
        .flatten()
        .map(|(_, a)| Value::Object(a.clone()))
        .collect();
    ok_json(json!({ "value": value }))
}

async fn create_assignment(
    State(fake): State<Fake>,
    Path(id): Path<String>,
    body: Bytes,
) -> Answer {
    let mut assignment = object(&body)?;
    let mut data = fake.data.lock().unwrap();
    data.configuration(&id)?;
    let assignment_id = data.new_id();
    assignment.insert("id".into(), json!(assignment_id));
    data.assignments
        .entry(id)
        .or_default()
        .push((assignment_id, assignment.clone()));
    created(&assignment)
}

/// Runs `f` on the assignments of configuration `id` and the index of `assignment` in them.
fn with_assignment(
    fake: &Fake,
    id: &str,
    assignment: &str,
    f: impl FnOnce(&mut Entries, usize) -> Answer,
) -> Answer {
    let mut data = fake.data.lock().unwrap();
    let list = data.assignments.entry(id.to_owned()).or_default();
    let index = list
        .iter()
        .position(|(i, _)| i == assignment)
        .ok_or_else(|| not_found("officeClientConfigurationAssignment", assignment))?;
    f(list, index)
}

async fn get_assignment(
    State(fake): State<Fake>,
    Path((id, assignment)): Path<(String, String)>,
) -> Answer {
    with_assignment(&fake, &id, &assignment, |list, i| {
        ok_json(Value::Object(list[i].1.clone()))
    })
}

async fn patch_assignment(
    State(fake): State<Fake>,
    Path((id, assignment)): Path<(String, String)>,
    body: Bytes,
) -> Answer {
    let patch = object(&body)?;
    with_assignment(&fake, &id, &assignment, |list, i| {
        merge(&mut list[i].1, patch);
        no_content()
    })
}

async fn delete_assignment(
    State(fake): State<Fake>,
    Path((id, assignment)): Path<(String, String)>,
) -> Answer {
    with_assignment(&fake, &id, &assignment, |list, i| {
        list.remove(i);
        no_content()
    })
}

/// The configuration must exist and `stream` be one of its stream properties.
fn stream_key(data: &mut Data, id: String, stream: String) -> Result<(String, String), Problem> {
    if !STREAMS.contains(&stream.as_str()) || data.configuration(&id).is_err() {
        return Err(not_found("resource", &format!("{id}/{stream}")));
    }
    Ok((id, stream))
}

async fn get_stream(
    State(fake): State<Fake>,
    Path((id, stream)): Path<(String, String)>,
) -> Answer {
    let mut data = fake.data.lock().unwrap();
    let key = stream_key(&mut data, id, stream)?;
    let bytes = data.streams.get(&key).cloned().unwrap_or_default();
    Ok(([(header::CONTENT_TYPE, "application/octet-stream")], bytes).into_response())
}

async fn put_stream(
    State(fake): State<Fake>,
    Path((id, stream)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    let mut data = fake.data.lock().unwrap();
    let key = stream_key(&mut data, id, stream)?;
    if headers.get(header::CONTENT_TYPE).map(|v| v.as_bytes()) != Some(b"application/octet-stream")
    {
        return Err(error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UnsupportedMediaType",
            "Streams are sent as application/octet-stream.",
        ));
    }
    data.streams.insert(key, body.to_vec());
    no_content()
}

/// `POST /$batch` (JSON batch format): runs each request against the service itself, in
/// order, with the batch's credentials; a request whose `dependsOn` names a failed one gets
/// `424 Failed Dependency` without running.
async fn batch(api: Router, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    use tower::ServiceExt;
    let mut failed = std::collections::HashSet::new();
    let mut responses = Vec::new();
    for request in body["requests"].as_array().cloned().unwrap_or_default() {
        let id = request["id"].as_str().unwrap_or_default().to_owned();
        let depends_on = request["dependsOn"].as_array().cloned().unwrap_or_default();
        if depends_on
            .iter()
            .any(|d| failed.contains(d.as_str().unwrap_or_default()))
        {
            failed.insert(id.clone());
            responses.push(json!({
                "id": id, "status": 424,
                "headers": {"content-type": "application/json"},
                "body": {"error": {"code": "FailedDependency", "message": "a request this one depends on failed"}}
            }));
            continue;
        }
        let mut sub = axum::http::Request::builder()
            .method(request["method"].as_str().unwrap_or("GET"))
            .uri(request["url"].as_str().unwrap_or("/"));
        if let Some(token) = headers.get(header::AUTHORIZATION) {
            sub = sub.header(header::AUTHORIZATION, token);
        }
        for (name, value) in request["headers"].as_object().cloned().unwrap_or_default() {
            sub = sub.header(name, value.as_str().unwrap_or_default());
        }
        let content = match request.get("body") {
            Some(body) => serde_json::to_vec(body).unwrap(),
            None => Vec::new(),
        };
        let answer = api
            .clone()
            .oneshot(sub.body(axum::body::Body::from(content)).unwrap())
            .await
            .unwrap();
        let status = answer.status().as_u16();
        if !(200..300).contains(&status) {
            failed.insert(id.clone());
        }
        let bytes = axum::body::to_bytes(answer.into_body(), usize::MAX)
            .await
            .unwrap();
        let mut response = json!({"id": id, "status": status});
        if !bytes.is_empty() {
            response["headers"] = json!({"content-type": "application/json"});
            response["body"] = serde_json::from_slice(&bytes).unwrap();
        }
        responses.push(response);
    }
    Json(json!({ "responses": responses })).into_response()
}
