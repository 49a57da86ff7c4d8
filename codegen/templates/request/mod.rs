/// The `http` crate, whose `Request` and `Response` the sans-IO layer builds and reads: no need
/// to add it to your own manifest.
pub use http;

mod batch;
mod batches;
mod context;
#[cfg(feature = "dynamic")]
mod dynamic;
mod error;
mod links;
mod operation;
mod page;
mod parse;
mod property;
mod response;
mod upload;

pub use batch::{AtomicityGroup, Batch, BatchItem, BatchResponse};
pub use batches::Batches;
pub use context::{
    literal, Context, Conventions, Literal, LiteralKind, NullableRequest, Reference, ReferenceRequest,
    ReferencesRequest, Restrictions, StreamRequest,
};
#[cfg(feature = "dynamic")]
pub use dynamic::{
    dynamic_argument, dynamic_arguments, dynamic_arguments_fit, dynamic_body, dynamic_call, dynamic_calls, dynamic_compose,
    dynamic_key, dynamic_name, dynamic_operation, dynamic_segments, DynamicOperation, DynamicPath, DynamicResult,
};
pub use error::{retry_after, DecodeError, Error, InnerError, ServiceError};
pub use links::resolve_link;
pub use operation::{Answer, Operation, Parser, RequestUrl};
pub use page::{Change, Page, RemovalReason, Removed};
pub use property::PropertyRequest;
pub use parse::{
    parse_bytes, parse_count, parse_empty, parse_json, parse_optional_json, parse_optional_value, parse_single,
    parse_value, read_bytes, read_created, read_entity, read_nothing, read_optional_entity, read_page, read_result,
    read_updated,
};
pub use response::{AsyncStatus, Created, ETag, Monitor, Progress, Response, Step};
pub use upload::{
    read_upload_session, UploadSession, UploadStep, UploadTask, DEFAULT_UPLOAD_RANGE, MAX_UPLOAD_RANGE, UPLOAD_RANGE_UNIT,
};
