//! Permissions tables (`Permission type | Permissions (from least to most privileged)`, or
//! the newer `Permission type | Least privileged permissions | Higher privileged
//! permissions`): `permission-table` for their shape, and `unknown-permission` for names the
//! list given with `--permissions` lacks.

use std::collections::HashSet;

use super::{Code, PageLint};
use crate::pages::{Table, TableKind};
use crate::source::Span;

/// The rows a permissions table has, one per kind of permission.
const PERMISSION_TYPES: [&str; 3] = [
    "Delegated (work or school account)",
    "Delegated (personal Microsoft account)",
    "Application",
];

/// What a cell says for a kind of permission that the API does not take.
const NONE: [&str; 5] = [
    "not supported",
    "not applicable",
    "not available",
    "none",
    "n/a",
];

impl PageLint<'_> {
    /// Every permissions table of the page.
    pub(super) fn permissions(&mut self) {
        let page = self.page;
        for table in page
            .tables
            .iter()
            .filter(|t| t.kind == TableKind::Permissions)
        {
            self.permission_header(table);
            let mut seen: HashSet<String> = HashSet::new();
            // A permission type whose row leaves its permissions empty, for the rows under it.
            let mut grouping = false;
            for row in &table.rows {
                let Some(kind) = row.first() else { continue };
                let name = kind.text.trim();
                let known = PERMISSION_TYPES
                    .iter()
                    .find(|t| t.eq_ignore_ascii_case(name));
                // Intune's shared pages list a permission type's workloads under it (`&nbsp;
                // **Policy Set**`), the type's own row left empty: rows of the type above.
                if known.is_none() && grouping {
                    for cell in row.iter().skip(1) {
                        self.permission_cell(&cell.text, cell.span);
                    }
                    continue;
                }
                grouping = known.is_some() && row.iter().skip(1).all(|c| c.text.trim().is_empty());
                match known {
                    None => self.find(
                        kind.span,
                        Code::PermissionTable,
                        format!(
                            "`{name}` is not a permission type; the rows are {}",
                            quoted(&PERMISSION_TYPES)
                        ),
                    ),
                    Some(known) if !seen.insert((*known).to_owned()) => self.find(
                        kind.span,
                        Code::PermissionTable,
                        format!("the table has a second `{known}` row"),
                    ),
                    Some(_) => {}
                }
                for cell in row.iter().skip(1) {
                    self.permission_cell(&cell.text, cell.span);
                }
            }
        }
    }

    /// The header: `Permission type`, then `Permissions (...)`, or the least and higher
    /// privileged permissions.
    fn permission_header(&mut self, table: &Table) {
        let header: Vec<String> = table
            .header
            .iter()
            .map(|h| h.trim().to_ascii_lowercase())
            .collect();
        let shape = match header.as_slice() {
            [_, permissions] => permissions.starts_with("permission"),
            // `Least privileged permissions | Higher privileged permissions`, or two kinds of
            // permissions (`Permissions acting on self | Permissions acting on others`).
            [_, least, higher] => {
                (least.starts_with("least privileged") && higher.starts_with("higher privileged"))
                    || (least.starts_with("permission") && higher.starts_with("permission"))
            }
            _ => false,
        };
        if !shape {
            self.find(
                table.span,
                Code::PermissionTable,
                format!(
                    "the permissions table's columns are `{}`: they are `Permission type | Permissions (from least to most privileged)`, or `Permission type | Least privileged permissions | Higher privileged permissions`",
                    table.header.join(" | ")
                ),
            );
        }
    }

    /// A cell of permissions: a comma-separated list of names (two joined by `and`, `or` or
    /// `plus` when both are needed or either does), or `Not supported.`. A cell that explains
    /// per resource ("For **group** resource: Group.Read.All") has its names checked, not
    /// its shape.
    fn permission_cell(&mut self, text: &str, span: Span) {
        let text = text.trim();
        let lower = text.trim_end_matches('.').to_ascii_lowercase();
        if text.is_empty() || NONE.contains(&lower.trim()) {
            return;
        }
        let atoms: Vec<&str> = text
            .split(',')
            .flat_map(|piece| {
                piece
                    .split(" and ")
                    .flat_map(|p| p.split(" or "))
                    .flat_map(|p| p.split(" plus "))
            })
            .map(|atom| atom.trim().trim_end_matches(['.', '*']).trim_matches('`'))
            .filter(|atom| !atom.is_empty())
            .collect();
        let prose = text.contains(':') || lower.starts_with("for ");
        let names: Vec<&str> = match atoms.iter().find(|a| !is_permission_name(a)) {
            Some(wrong) if !prose => {
                self.find(
                    span,
                    Code::PermissionTable,
                    format!("`{wrong}` is not a permission name: a cell lists names separated by commas, or says `Not supported.`"),
                );
                atoms
                    .into_iter()
                    .filter(|a| is_permission_name(a))
                    .collect()
            }
            Some(_) => text
                .split(|c: char| c.is_whitespace() || c == ',' || c == '*')
                .map(|w| w.trim_matches(|c: char| !c.is_ascii_alphanumeric()))
                .filter(|w| w.contains('.') && is_permission_name(w))
                .collect(),
            None => atoms,
        };
        let Some(known) = &self.options.permissions else {
            return;
        };
        let unknown: Vec<&str> = names.into_iter().filter(|n| !known.contains(*n)).collect();
        for name in unknown {
            let cased = known.iter().find(|k| k.eq_ignore_ascii_case(name));
            let message = match cased {
                Some(k) => format!("the permission `{name}` differs in case from `{k}`"),
                None => {
                    format!("`{name}` is not a permission of the list given with `--permissions`")
                }
            };
            self.find(span, Code::UnknownPermission, message);
        }
    }
}

/// `User.Read.All`, `Sites.Selected`, `ChannelMessage.Read.Group`, `email`: a word, then
/// dot-separated words of letters, digits and hyphens.
fn is_permission_name(text: &str) -> bool {
    !text.is_empty()
        && text.starts_with(|c: char| c.is_ascii_alphabetic())
        && text.split('.').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
}

fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::is_permission_name;

    #[test]
    fn permission_names() {
        for name in [
            "User.Read.All",
            "Sites.Selected",
            "email",
            "BackupRestore-Control.ReadWrite.All",
        ] {
            assert!(is_permission_name(name), "{name}");
        }
        for text in [
            "TODO: Determine scopes",
            "A.B C.D",
            "",
            ".Read",
            "User..Read",
        ] {
            assert!(!is_permission_name(text), "{text}");
        }
    }
}
