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
mod nullable;
mod numbers;
mod temporal;

pub use binary::*;
pub use collection::*;
pub use control::*;
pub use dispatch::*;
pub use duration::*;
pub use enums::*;
pub use nullable::*;
pub use numbers::*;
pub use temporal::*;

