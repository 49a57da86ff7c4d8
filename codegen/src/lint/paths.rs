//! Request paths against the metadata's URL model: `unknown-path`, and `unknown-action` for a
//! segment that names a namespace-qualified operation the metadata lacks.

use super::{Code, PageLint};

impl PageLint<'_> {
    /// Every request block to the service, the documented template among them.
    pub(super) fn paths(&mut self) {
        let requests: Vec<_> = self
            .blocks()
            .filter_map(|block| self.service_request(block))
            .collect();
        for r in requests {
            let path = self.service_path(r);
            // An elided path (`/childFolders/{id}/.../contacts/{id}`) stands for many.
            let elided = path
                .split('/')
                .any(|s| matches!(s.trim(), "..." | "\u{2026}"));
            if elided || self.match_path(&path).is_some() || self.property_path(&path).is_some() {
                continue;
            }
            match self.unknown_qualified_segment(&path, &r.method) {
                Some(segment) => self.find(
                    r.span,
                    Code::UnknownAction,
                    format!("`{segment}` is not an action or function of the metadata"),
                ),
                None => self.find(
                    r.span,
                    Code::UnknownPath,
                    format!("`{} {}` matches no path of the metadata", r.method, path),
                ),
            }
        }
    }

    /// A segment qualified by a namespace (or alias) of the metadata that names neither an
    /// operation nor a type, and reads as an operation: a call (`ns.op(...)`), or the last
    /// segment of a `POST` (an action without parameters). A cast to a type the metadata
    /// lacks (`GET .../ns.gizmo`) is `unknown-path`. Keys with dots (`ann@contoso.com`) are
    /// not qualified names.
    fn unknown_qualified_segment<'p>(&self, path: &'p str, method: &str) -> Option<&'p str> {
        let model = self.model;
        let last = path.rsplit('/').next().unwrap_or("");
        path.split('/').find(|segment| {
            let (name, call) = match segment.split_once('(') {
                Some((name, _)) => (name, true),
                None => (*segment, false),
            };
            let Some((qualifier, simple)) = name.rsplit_once('.') else {
                return false;
            };
            let known_namespace = model.namespaces.iter().any(|n| {
                n.name.eq_ignore_ascii_case(qualifier)
                    || n.alias
                        .as_deref()
                        .is_some_and(|a| a.eq_ignore_ascii_case(qualifier))
            });
            let operation_like = call
                || (method == "POST" && std::ptr::eq(*segment, last))
                || model
                    .operations
                    .iter()
                    .any(|o| o.name.eq_ignore_ascii_case(simple));
            known_namespace
                && operation_like
                && !model
                    .operations
                    .iter()
                    .any(|o| o.qualified_name.eq_ignore_ascii_case(name))
                && !model
                    .types
                    .iter()
                    .any(|t| t.qualified_name.eq_ignore_ascii_case(name))
        })
    }
}
