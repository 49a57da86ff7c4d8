//! Links in answers, resolved as OData JSON Format 4.01 §4.3 says: a relative URL in a payload
//! is relative to the context URL of its object (or of the enclosing one), and a relative
//! context URL to the URL that answered.

use super::Error;

/// A link an answer handed out (`@odata.nextLink`, `@odata.deltaLink`), with the context URL
/// of the object that held it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Link {
    pub(crate) context: Option<String>,
    pub(crate) href: String,
}

/// A URL reached by following links: the first request's URL (below the base URL with its
/// query, or absolute) and each link followed from it, resolved against the one before.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Links {
    pub(crate) first: String,
    pub(crate) followed: Vec<Link>,
}

impl Links {
    /// The absolute URL: `first` against `base_url`, then each link against its context URL
    /// (itself against the URL before), else against the URL before.
    pub(crate) fn resolve(&self, base_url: &str) -> Result<String, Error> {
        let mut current = absolute(base_url, &self.first);
        for link in &self.followed {
            let base = match &link.context {
                Some(context) => resolve_against(&current, context)?,
                None => current.clone(),
            };
            current = resolve_against(&base, &link.href)?;
        }
        Ok(current)
    }

    /// The same links, resolved as far as they can be without the base URL: from an absolute
    /// URL on, each link resolves at once, so a page costs the same however many came before.
    pub(crate) fn compacted(self) -> Links {
        if is_absolute(&self.first) {
            if let Ok(resolved) = self.resolve("") {
                return Links {
                    first: resolved,
                    followed: Vec::new(),
                };
            }
        }
        self
    }
}

pub(crate) fn is_absolute(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

/// `link` resolved against the absolute URL `base` (RFC 3986 §5).
pub(crate) fn resolve_against(base: &str, link: &str) -> Result<String, Error> {
    url::Url::parse(base)
        .and_then(|from| from.join(link))
        .map(String::from)
        .map_err(|e| Error::Request(format!("the link `{link}` cannot be resolved against `{base}`: {e}")))
}

/// `url` if it is absolute (or has a scheme of its own, which the client then refuses), else
/// `url` below `base_url`: a path starting with `/` (as request builders write them) or
/// another path, below the service root either way.
pub(crate) fn absolute(base_url: &str, url: &str) -> String {
    if is_absolute(url) || has_scheme(url) {
        url.to_owned()
    } else {
        format!("{}/{}", base_url.trim_end_matches('/'), url.trim_start_matches('/'))
    }
}

/// Whether `url` starts with a URI scheme (RFC 3986 §3.1: a letter, then letters, digits,
/// `+`, `-`, `.`, then `:`).
pub(crate) fn has_scheme(url: &str) -> bool {
    url.split_once(':').is_some_and(|(scheme, _)| {
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    })
}

/// A link of a payload as an absolute URL: `link` against `context` (the context URL of its
/// object or of the enclosing one, if any), itself against `request_url`, the URL that
/// answered (OData JSON Format 4.01 §4.3). Use it for `@odata.id`, `@odata.editLink`,
/// `@odata.readLink` and media links of what an answer held.
///
/// # Errors
/// [`Error::Request`] when a URL cannot be resolved (the request URL is not absolute, say).
pub fn resolve_link(request_url: &str, context: Option<&str>, link: &str) -> Result<String, Error> {
    let base = match context {
        Some(context) => resolve_against(request_url, context)?,
        None => request_url.to_owned(),
    };
    resolve_against(&base, link)
}
