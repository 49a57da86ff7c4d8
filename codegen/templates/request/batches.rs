//! Batches of any size: requests added to one list, sent as as many `POST $batch` requests as
//! the service's limit asks for.

use std::collections::HashMap;

use super::batch::{AtomicityGroup, Batch, BatchItem, BatchResponse};
use super::{Error, Operation};

/// Any number of operations, sent as JSON batches of at most
/// [`Batch::DEFAULT_MAX_REQUESTS`] requests each (Microsoft Graph's limit; another with
/// [`Batches::with_max_requests`]), as the Graph SDKs' batch collections do.
///
/// Add operations as to a [`Batch`]; [`Batches::split`] makes the batches (with the client,
/// `client.batches(&batches)` sends them one after the other), and the answers of all of them
/// read as one [`BatchResponse`], in the order the requests were added. Requests that depend on
/// each other (`dependsOn`, or an atomicity group) go into the same batch, since `dependsOn`
/// names requests of its own batch only (OData JSON Format 4.01 §19.1); a chain longer than a
/// batch holds cannot be split, and [`Batches::split`] says which requests make it.
#[derive(Clone, Debug)]
pub struct Batches {
    all: Batch,
    max_requests: usize,
}

impl Default for Batches {
    fn default() -> Self {
        Batches::new()
    }
}

impl Batches {
    /// No requests yet, in batches of at most [`Batch::DEFAULT_MAX_REQUESTS`].
    pub fn new() -> Self {
        Batches {
            all: Batch::new().with_max_requests(usize::MAX),
            max_requests: Batch::DEFAULT_MAX_REQUESTS,
        }
    }

    /// Batches of at most `max_requests` requests each (at least one).
    pub fn with_max_requests(mut self, max_requests: usize) -> Self {
        self.max_requests = max_requests.max(1);
        self
    }

    /// How many requests were added.
    pub fn len(&self) -> usize {
        self.all.len()
    }

    /// Whether no request was added.
    pub fn is_empty(&self) -> bool {
        self.all.is_empty()
    }

    /// Adds an operation (see [`Batch::add`]); its id is unique among all the batches.
    ///
    /// # Errors
    /// As [`Batch::add`], except that there is no limit.
    pub fn add<T>(&mut self, operation: &Operation<T>) -> Result<BatchItem<T>, Error> {
        self.all.add(operation)
    }

    /// Adds an operation that runs only after the requests (or atomicity groups) `depends_on`
    /// succeeded (see [`Batch::add_after`]); it is sent in their batch.
    ///
    /// # Errors
    /// As [`Batch::add_after`].
    pub fn add_after<T>(&mut self, operation: &Operation<T>, depends_on: &[&str]) -> Result<BatchItem<T>, Error> {
        self.all.add_after(operation, depends_on)
    }

    /// A new atomicity group (see [`Batch::atomicity_group`]); its requests are sent in one
    /// batch.
    pub fn atomicity_group(&mut self) -> AtomicityGroup {
        self.all.atomicity_group()
    }

    /// Adds an operation to an atomicity group (see [`Batch::add_to_group`]).
    ///
    /// # Errors
    /// As [`Batch::add_to_group`].
    pub fn add_to_group<T>(&mut self, group: &AtomicityGroup, operation: &Operation<T>) -> Result<BatchItem<T>, Error> {
        self.all.add_to_group(group, operation)
    }

    /// The batches to send, each of at most the limit: the requests in the order they were
    /// added, a new batch begun when the next requests (with all those linked to them by
    /// `dependsOn` or an atomicity group) do not fit in the current one.
    ///
    /// # Errors
    /// [`Error::Request`] when no request was added, or when requests linked to each other
    /// are more than one batch holds (the error names them).
    pub fn split(&self) -> Result<Vec<Batch>, Error> {
        let requests = &self.all.requests;
        if requests.is_empty() {
            return Err(Error::Request("no requests to batch".to_owned()));
        }
        // Requests linked by dependsOn or a group share a root (union-find, by index).
        let mut parent: Vec<usize> = (0..requests.len()).collect();
        fn root(parent: &mut [usize], mut i: usize) -> usize {
            while parent[i] != i {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            i
        }
        let mut by_name: HashMap<&str, usize> = HashMap::new();
        for (i, request) in requests.iter().enumerate() {
            by_name.insert(request.id.as_str(), i);
            if let Some(group) = &request.atomicity_group {
                match by_name.get(group.as_str()) {
                    Some(&first) => {
                        let (a, b) = (root(&mut parent, first), root(&mut parent, i));
                        parent[b] = a;
                    }
                    None => {
                        by_name.insert(group.as_str(), i);
                    }
                }
            }
        }
        for (i, request) in requests.iter().enumerate() {
            for dependency in &request.depends_on {
                if let Some(&j) = by_name.get(dependency.as_str()) {
                    let (a, b) = (root(&mut parent, j), root(&mut parent, i));
                    parent[b] = a;
                }
            }
        }
        let mut members: HashMap<usize, Vec<usize>> = HashMap::new();
        let mut order = Vec::new();
        for i in 0..requests.len() {
            let r = root(&mut parent, i);
            let entry = members.entry(r).or_default();
            if entry.is_empty() {
                order.push(r);
            }
            entry.push(i);
        }
        // Linked requests together, in the order of their first request.
        let mut batches: Vec<Vec<usize>> = Vec::new();
        for r in order {
            let linked = &members[&r];
            if linked.len() > self.max_requests {
                let ids: Vec<&str> = linked.iter().map(|&i| requests[i].id.as_str()).collect();
                return Err(Error::Request(format!(
                    "requests `{}` depend on each other (dependsOn or an atomicity group): {} requests, more than the {} one batch holds, so they cannot be split",
                    ids.join("`, `"),
                    linked.len(),
                    self.max_requests
                )));
            }
            match batches.last_mut() {
                Some(current) if current.len() + linked.len() <= self.max_requests => current.extend(linked),
                _ => batches.push(linked.clone()),
            }
        }
        Ok(batches
            .into_iter()
            .map(|mut indices| {
                indices.sort_unstable();
                let mut batch = Batch::new().with_max_requests(self.max_requests);
                batch.requests = indices.into_iter().map(|i| requests[i].clone()).collect();
                batch
            })
            .collect())
    }

    /// The `POST $batch` operations of [`Batches::split`], to send one after the other (with
    /// any HTTP stack); read them together with [`Batches::merge`].
    ///
    /// # Errors
    /// As [`Batches::split`].
    pub fn operations(&self) -> Result<Vec<Operation<BatchResponse>>, Error> {
        self.split()?.iter().map(Batch::operation).collect()
    }

    /// The answers of every batch as one, in the order the requests were added, to read each
    /// operation's result with [`BatchResponse::get`].
    pub fn merge(&self, responses: impl IntoIterator<Item = BatchResponse>) -> BatchResponse {
        let index: HashMap<&str, usize> = self.all.requests.iter().enumerate().map(|(i, r)| (r.id.as_str(), i)).collect();
        BatchResponse::merged(responses, |id| index.get(id).copied().unwrap_or(usize::MAX))
    }
}
