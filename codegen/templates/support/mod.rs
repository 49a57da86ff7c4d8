use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserializer};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};

mod binary;
mod collection;
mod control;
mod dispatch;
mod duration;
mod enums;
mod json;
mod nullable;
mod numbers;
mod temporal;

pub use binary::*;
pub use collection::*;
pub use control::*;
pub use dispatch::*;
pub use duration::*;
pub use enums::*;
pub use json::*;
pub use nullable::*;
pub use numbers::*;
pub use temporal::*;


/// At most the first 100 characters of `text`, for messages.
fn clipped(text: &str) -> String {
    match text.char_indices().nth(100) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}
