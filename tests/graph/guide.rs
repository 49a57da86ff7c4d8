//! The examples of the user guide's Microsoft Graph part (`codegen/guide/graph.md`), on the
//! `graph-workflows` fixture (a slice of Graph v1.0 generated as a crate, named `graph` here as
//! a user would name it). `tests/graph.rs` runs each against a loopback server that answers as
//! Graph's documentation shows, and checks that every code block of the guide is taken from
//! this file.

#![allow(dead_code)]

use fixture_graph_workflows as graph;

use futures_util::TryStreamExt;
use graph::client::{CancelUpload, Client, UploadProgress};
use graph::microsoft_graph::{
    AnyDirectoryObject, AnyUser, AutomaticRepliesSetting, AutomaticRepliesStatus, BodyType,
    DriveItem, DriveItemCopyParameters, DriveItemCreateUploadSessionParameters,
    DriveItemUploadableProperties, EmailAddress, ItemBody, ItemReference, MailboxSettings, Message,
    Recipient, SendMailParameters,
};
use graph::request::{Batches, Change, Created, Error, Progress, RemovalReason, Step};
use graph::support::Int64;

// --- client
pub fn client(base_url: &str, token: &str) -> Result<Client, Error> {
    Client::builder()
        .base_url(base_url) // default: graph::SERVICE_ROOT, https://graph.microsoft.com/v1.0
        .bearer_token(token)
        .build()
}
// ---

// --- users
/// Every user's display name, 999 a page, across every page Graph links to.
pub async fn display_names(client: &Client) -> Result<Vec<String>, Error> {
    let users = client
        .users()
        .list()
        .select(["id", "displayName"])
        .top(999)
        .items(); // follows @odata.nextLink
    users
        // `AnyUser`: a user, or one of its derived types (`agentUser`); its properties by method.
        .map_ok(|user: AnyUser| {
            user.display_name()
                .clone()
                .into_option()
                .unwrap_or_default()
        })
        .try_collect()
        .await
}
// ---

// --- delta
/// One round of changes to users: the first round when `saved` is `None`, else the changes
/// since the round that gave `saved`. Returns what changed and the link to save for the next.
pub async fn sync_users(
    client: &Client,
    saved: Option<&str>,
) -> Result<(Vec<String>, Option<String>), Error> {
    let mut delta = client.users().delta();
    if let Some(link) = saved {
        delta = delta.with_url(link); // the same typed operation, from the saved link
    }
    let mut changes = delta.changes();
    let mut seen = Vec::new();
    while let Some(change) = changes.try_next().await? {
        match change {
            Change::Changed(user) => {
                seen.push(format!("changed {}", user.id().clone().unwrap_or_default()))
            }
            Change::Removed(removed) => {
                let how = match removed.reason() {
                    RemovalReason::Deleted => "deleted",
                    RemovalReason::Changed | RemovalReason::Other => "removed",
                };
                seen.push(format!("{how} {}", removed.id().unwrap_or_default()));
            }
        }
    }
    Ok((seen, changes.delta_url())) // after the last page: its @odata.deltaLink, absolute
}
// ---

// --- mail
/// Sends a message from the signed-in user (Graph answers `202 Accepted`: done).
pub async fn send_note(client: &Client, to: &str) -> Result<(), Error> {
    let message = Message {
        subject: "Quarterly numbers".into(),
        body: ItemBody {
            content_type: BodyType::Text.into(),
            content: "They are in the shared folder.".into(),
            ..Default::default()
        }
        .into(),
        to_recipients: vec![Recipient {
            email_address: EmailAddress {
                address: to.into(),
                ..Default::default()
            }
            .into(),
            ..Default::default()
        }
        .into()] // a `Recipient` as an `AnyRecipient`
        .into(),
        ..Default::default()
    };
    client
        .me()
        .send_mail(&SendMailParameters {
            message: Some(message.into()), // a `Message` as an `AnyMessage`
            save_to_sent_items: false.into(),
            ..Default::default()
        })
        .await
}
// ---

// --- members
/// Adds a user to a group's members: a `$ref` to the directory object (Graph answers `204`).
pub async fn add_member(client: &Client, group: &str, user: &str) -> Result<(), Error> {
    let member = format!("{}/directoryObjects/{user}", client.base_url());
    client
        .groups()
        .by_id(group)
        .members()
        .references()
        .add(member)
        .await
}

/// The group's members, any kind of directory object.
pub async fn members(client: &Client, group: &str) -> Result<Vec<String>, Error> {
    let members = client.groups().by_id(group).members().list().items();
    members
        .map_ok(|member: AnyDirectoryObject| member.id().clone().unwrap_or_default())
        .try_collect()
        .await
}
// ---

// --- upload
/// Uploads `size` bytes of `content` as the file at `path` in a drive (made or replaced),
/// through an upload session: in ranges of 10 × 320 KiB, to the session's own URL (no token
/// goes there), resumed after a failure, one range in memory at a time. Calls `progress` after
/// each range; `cancel.cancel()` stops it and deletes the session.
pub async fn upload_file<S>(
    client: &Client,
    drive: &str,
    path: &str,
    content: S,
    size: u64,
    progress: impl FnMut(UploadProgress) + Send + 'static,
    cancel: &CancelUpload,
) -> Result<Created<DriveItem>, Error>
where
    S: futures_util::Stream<Item = Result<bytes::Bytes, std::io::Error>> + Send + Unpin + 'static,
{
    let session = client
        .drives()
        .by_id(drive)
        .root()
        .by_path(path) // POST /drives/{drive}/root:/{path}:/createUploadSession
        .create_upload_session(&DriveItemCreateUploadSessionParameters {
            item: DriveItemUploadableProperties {
                file_size: Int64::from(i64::try_from(size).unwrap_or(i64::MAX)).into(),
                ..Default::default()
            }
            .into(),
            ..Default::default()
        })
        .await?; // graph::request::UploadSession<DriveItem>
    session
        .upload(content, size)
        .range_size(10 * graph::request::UPLOAD_RANGE_UNIT)
        .on_progress(progress)
        .cancel_with(cancel)
        .await // 201 Created (or 200 OK for a file replaced) with the drive item
}
// ---

// --- settings
/// Turns automatic replies on: one property of the user, changed on its own.
pub async fn set_automatic_replies(client: &Client, message: &str) -> Result<(), Error> {
    let settings = client.me().mailbox_settings(); // …/me/mailboxSettings
    let current = settings.get().await?.unwrap_or_default(); // `None` if Graph sent none
    println!("time zone: {:?}", current.time_zone.value());
    settings
        .update(MailboxSettings {
            automatic_replies_setting: AutomaticRepliesSetting {
                status: AutomaticRepliesStatus::AlwaysEnabled.into(),
                external_reply_message: message.into(),
                ..Default::default()
            }
            .into(),
            ..Default::default()
        })
        .await // PATCH: only what is set
}
// ---

// --- copy
/// Copies a file into another folder: Graph answers `202 Accepted` with a monitor on another
/// host (polled without the token) and works in the background. Returns the new item's id.
pub async fn copy_file(
    client: &Client,
    drive: &str,
    item: &str,
    folder: &str,
) -> Result<Option<String>, Error> {
    let copy = client
        .drives()
        .by_id(drive)
        .items()
        .by_id(item)
        .copy(&DriveItemCopyParameters {
            parent_reference: ItemReference {
                drive_id: drive.into(),
                id: folder.into(),
                ..Default::default()
            }
            .into(),
            name: "copy of the report.docx".into(),
            ..Default::default()
        });
    let Step::Accepted(monitor) = client.start(copy).await? else {
        return Ok(None); // done at once
    };
    loop {
        match monitor.poll().await? {
            Progress::Running(status) => {
                println!("{:?}% copied", status.percentage_complete); // 0 to 100
                                                                      // As long as Graph asks (`Retry-After`), else a second.
                let wait = status
                    .retry_after
                    .unwrap_or(std::time::Duration::from_secs(1));
                tokio::time::sleep(wait).await;
            }
            Progress::Completed(status) => return Ok(status.resource_id),
            Progress::Done(_) => return Ok(None),
        }
    }
}
// ---

// --- batch
/// Reads many users in JSON batches of at most 20 requests each (Graph's limit), in order.
pub async fn read_users(
    client: &Client,
    ids: &[String],
) -> Result<Vec<Result<AnyUser, Error>>, Error> {
    let mut batches = Batches::new(); // .with_max_requests(n) for another limit
    let mut items = Vec::new();
    for id in ids {
        items.push(batches.add(&client.users().by_id(id).get())?);
    }
    let answers = client.batches(&batches).await?; // ceil(n / 20) POST $batch, one after the other
    Ok(items.iter().map(|item| answers.get(item)).collect())
}
// ---

/// Every change of `changes` is an entity or a removal (used by the tests).
pub fn describe(change: &Change<AnyUser>) -> String {
    match change {
        Change::Changed(user) => format!("changed {}", user.id().clone().unwrap_or_default()),
        Change::Removed(removed) => format!("removed {}", removed.id().unwrap_or_default()),
    }
}

/// Streams `size` bytes of a repeating pattern in chunks of `chunk` bytes, never holding more.
pub fn pattern(
    size: u64,
    chunk: usize,
) -> impl futures_util::Stream<Item = Result<bytes::Bytes, std::io::Error>> + Send + Unpin {
    let chunk = chunk as u64;
    futures_util::stream::iter((0..size.div_ceil(chunk)).map(move |i| {
        let start = i * chunk;
        let end = (start + chunk).min(size);
        Ok(bytes::Bytes::from(
            (start..end).map(|b| (b % 251) as u8).collect::<Vec<u8>>(),
        ))
    }))
}
