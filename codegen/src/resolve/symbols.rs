//! The symbol table: every namespace, alias and type of the input, and the lookup of names as
//! CSDL writes them (`graph.entity`, `microsoft.graph.entity`, `Collection(Edm.String)`).

use std::collections::{BTreeMap, HashMap};

use crate::csdl::{self, valid_simple_identifier, Spanned};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::ir::{Primitive, Target, TypeId, TypeRef};
use crate::source::Span;

/// Where a type was declared.
#[derive(Clone, Copy)]
pub enum Declaration<'a> {
    Structured(&'a csdl::StructuredType),
    Enum(&'a csdl::EnumType),
    Definition(&'a csdl::TypeDefinition),
}

impl Declaration<'_> {
    pub fn name(&self) -> &Spanned {
        match self {
            Declaration::Structured(t) => &t.name,
            Declaration::Enum(t) => &t.name,
            Declaration::Definition(t) => &t.name,
        }
    }
}

pub struct TypeEntry<'a> {
    pub namespace: String,
    pub qualified_name: String,
    pub declaration: Declaration<'a>,
    /// The document the type was declared in (for its `edmx:Include` aliases).
    pub document: usize,
}

pub struct Symbols<'a> {
    /// Namespace name → the schemas that declare it (several files may add to one namespace).
    pub namespaces: BTreeMap<String, Vec<(usize, &'a csdl::Schema)>>,
    aliases: HashMap<String, String>,
    /// Indexed by [`TypeId`], sorted by qualified name.
    pub types: Vec<TypeEntry<'a>>,
    by_name: HashMap<String, TypeId>,
    /// Per document: alias → namespace of vocabulary `edmx:Include`s.
    pub includes: Vec<HashMap<String, String>>,
    documents: &'a [csdl::Document],
}

impl<'a> Symbols<'a> {
    pub fn collect(documents: &'a [csdl::Document], diagnostics: &mut Diagnostics) -> Self {
        let mut namespaces: BTreeMap<String, Vec<(usize, &'a csdl::Schema)>> = BTreeMap::new();
        let mut aliases: HashMap<String, (String, Span)> = HashMap::new();
        let mut declared: BTreeMap<String, TypeEntry<'a>> = BTreeMap::new();
        let mut includes = Vec::new();
        for (index, document) in documents.iter().enumerate() {
            includes.push(include_aliases(document, diagnostics));
            for schema in &document.schemas {
                let namespace = schema.namespace.text.clone();
                if !valid_namespace(&namespace) {
                    diagnostics.error(
                        schema.namespace.span,
                        format!(
                            "`{namespace}` is not a valid namespace (dot-separated identifiers)"
                        ),
                    );
                    continue;
                }
                if let Some(alias) = &schema.alias {
                    register_alias(&mut aliases, alias, &namespace, diagnostics);
                }
                namespaces
                    .entry(namespace.clone())
                    .or_default()
                    .push((index, schema));
                let declarations = schema
                    .structured_types
                    .iter()
                    .map(Declaration::Structured)
                    .chain(schema.enum_types.iter().map(Declaration::Enum))
                    .chain(schema.type_definitions.iter().map(Declaration::Definition));
                for declaration in declarations {
                    declare(&mut declared, &namespace, declaration, index, diagnostics);
                }
            }
        }
        let types: Vec<_> = declared.into_values().collect();
        let by_name = types
            .iter()
            .enumerate()
            .map(|(i, t)| (t.qualified_name.clone(), TypeId(i)))
            .collect();
        Symbols {
            namespaces,
            aliases: aliases.into_iter().map(|(k, (ns, _))| (k, ns)).collect(),
            types,
            by_name,
            includes,
            documents,
        }
    }

    /// Replaces a leading alias by its namespace: `graph.entity` → `microsoft.graph.entity`.
    pub fn qualify(&self, name: &str) -> String {
        if let Some((prefix, rest)) = name.split_once('.') {
            if let Some(namespace) = self.aliases.get(prefix) {
                if !self.namespaces.contains_key(prefix) {
                    return format!("{namespace}.{rest}");
                }
            }
        }
        name.to_owned()
    }

    /// [`qualify`](Self::qualify), then the aliases of the document's `edmx:Include`s.
    fn qualify_in(&self, document: usize, name: &str) -> String {
        let qualified = self.qualify(name);
        if let Some((prefix, rest)) = qualified.split_once('.') {
            if let Some(namespace) = self.includes[document].get(prefix) {
                if !self.namespaces.contains_key(prefix) {
                    return format!("{namespace}.{rest}");
                }
            }
        }
        qualified
    }

    /// The type a name written in `document` names.
    pub fn type_id_in(&self, document: usize, name: &str) -> Option<TypeId> {
        self.by_name.get(&self.qualify_in(document, name)).copied()
    }

    /// The error for a type name that names no type: when its namespace is one that an
    /// `edmx:Reference` includes from a document that was not passed, it names the reference
    /// and says how to pass the document.
    pub fn unknown_type(&self, document: usize, name: &Spanned, what: &str) -> Diagnostic {
        let message = format!("unknown {what} `{}`", name.text.trim());
        let Some((include, in_document)) = self.missing_include(document, name.text.trim()) else {
            return Diagnostic::error(name.span, message);
        };
        let mut namespace = format!("namespace `{}`", include.namespace);
        if let Some(alias) = &include.alias {
            namespace.push_str(&format!(" (alias `{alias}`)"));
        }
        let from = match &include.uri {
            Some(uri) => format!("the document `{uri}`"),
            None => "a document".to_owned(),
        };
        let note = match in_document {
            true => "the edmx:Include is here",
            false => "the edmx:Include is here, in another document",
        };
        Diagnostic::error(
            name.span,
            format!(
                "{message}: {namespace} is included by an edmx:Reference from {from}, which is not among the inputs; save that document and pass it too, with another `--metadata PATH`"
            ),
        )
        .with_note(include.span, note)
    }

    /// The `edmx:Include` of the namespace (or alias) a qualified name starts with, when no
    /// schema of the inputs declares that namespace: this document's first, else any's.
    fn missing_include(&self, document: usize, name: &str) -> Option<(&'a csdl::Include, bool)> {
        let (prefix, _) = name.rsplit_once('.')?;
        let qualified = self.qualify_in(document, name);
        let (namespace, _) = qualified.rsplit_once('.')?;
        if self.namespaces.contains_key(namespace) {
            return None;
        }
        let names = |include: &&csdl::Include| {
            include.namespace == prefix || include.alias.as_deref() == Some(prefix)
        };
        let documents = self.documents;
        if let Some(include) = documents[document].includes.iter().find(names) {
            return Some((include, true));
        }
        documents
            .iter()
            .flat_map(|d| d.includes.iter())
            .find(names)
            .map(|include| (include, false))
    }

    pub fn entry(&self, id: TypeId) -> &TypeEntry<'a> {
        &self.types[id.0]
    }

    /// Resolves a type reference such as `Collection(graph.officeClientCheckinStatus)`.
    pub fn type_ref(
        &self,
        document: usize,
        name: &Spanned,
        diagnostics: &mut Diagnostics,
    ) -> Option<TypeRef> {
        let text = name.text.trim();
        let (inner, collection) = match text
            .strip_prefix("Collection(")
            .and_then(|rest| rest.strip_suffix(')'))
        {
            Some(inner) => (inner.trim(), true),
            None => (text, false),
        };
        let target = if let Some(edm) = inner.strip_prefix("Edm.") {
            match Primitive::from_edm_name(edm) {
                Some(primitive) => Target::Primitive(primitive),
                None => {
                    diagnostics.error(name.span, format!("unknown primitive type `{inner}`"));
                    return None;
                }
            }
        } else {
            match self.type_id_in(document, inner) {
                Some(id) => Target::Named(id),
                None if inner.is_empty() => {
                    diagnostics.error(name.span, "empty type name");
                    return None;
                }
                None => {
                    let inner = Spanned {
                        text: inner.to_owned(),
                        span: name.span,
                    };
                    diagnostics.push(self.unknown_type(document, &inner, "type"));
                    return None;
                }
            }
        };
        Some(TypeRef { target, collection })
    }
}

fn valid_namespace(namespace: &str) -> bool {
    !namespace.is_empty()
        && namespace.split('.').all(|part| {
            part.starts_with(|c: char| c.is_alphabetic() || c == '_')
                && part.chars().all(|c| c.is_alphanumeric() || c == '_')
        })
}

/// The aliases of a document's `edmx:Include`s; an alias given twice (for different
/// namespaces), or naming a namespace of the document itself, is a located error: qualified
/// names using it would be ambiguous (CSDL 4.01 §3.3).
fn include_aliases(
    document: &csdl::Document,
    diagnostics: &mut Diagnostics,
) -> HashMap<String, String> {
    let mut aliases: HashMap<String, &csdl::Include> = HashMap::new();
    for include in &document.includes {
        let Some(alias) = &include.alias else {
            continue;
        };
        if document
            .schemas
            .iter()
            .any(|schema| &schema.namespace.text == alias)
        {
            diagnostics.error(
                include.span,
                format!(
                    "the include alias `{alias}` is the name of a namespace this document declares"
                ),
            );
            continue;
        }
        match aliases.get(alias) {
            Some(first) if first.namespace != include.namespace => diagnostics.push(
                Diagnostic::error(
                    include.span,
                    format!(
                        "the include alias `{alias}` is already used for namespace `{}`",
                        first.namespace
                    ),
                )
                .with_note(first.span, "the alias is first given here"),
            ),
            Some(_) => {}
            None => {
                aliases.insert(alias.clone(), include);
            }
        }
    }
    aliases
        .into_iter()
        .map(|(alias, include)| (alias, include.namespace.clone()))
        .collect()
}

fn register_alias(
    aliases: &mut HashMap<String, (String, Span)>,
    alias: &Spanned,
    namespace: &str,
    diagnostics: &mut Diagnostics,
) {
    match aliases.get(&alias.text) {
        Some((existing, _)) if existing == namespace => {}
        Some((existing, first)) => {
            diagnostics.push(
                Diagnostic::error(
                    alias.span,
                    format!(
                        "alias `{}` is already used for namespace `{existing}`",
                        alias.text
                    ),
                )
                .with_note(*first, "the alias is first declared here"),
            );
        }
        None => {
            aliases.insert(alias.text.clone(), (namespace.to_owned(), alias.span));
        }
    }
}

fn declare<'a>(
    declared: &mut BTreeMap<String, TypeEntry<'a>>,
    namespace: &str,
    declaration: Declaration<'a>,
    document: usize,
    diagnostics: &mut Diagnostics,
) {
    let name = declaration.name();
    if name.text.is_empty() || too_long(name, "type", diagnostics) {
        return; // an empty name is reported by the parser
    }
    if name.text.contains('.') {
        diagnostics.error(
            name.span,
            format!("`{}` is not a valid type name", name.text),
        );
        return;
    }
    if !valid_simple_identifier(&name.text) {
        diagnostics.warning(name.span, invalid_identifier(&name.text, "a type"));
    }
    let qualified_name = format!("{namespace}.{}", name.text);
    if let Some(first) = declared.get(&qualified_name) {
        diagnostics.push(
            Diagnostic::error(
                name.span,
                format!("type `{qualified_name}` is declared twice"),
            )
            .with_note(
                first.declaration.name().span,
                "the first declaration is here",
            ),
        );
        return;
    }
    declared.insert(
        qualified_name.clone(),
        TypeEntry {
            namespace: namespace.to_owned(),
            qualified_name,
            declaration,
            document,
        },
    );
}

/// The warning for a name that is not a CSDL SimpleIdentifier, generated anyway with a Rust
/// name made of its letters and digits and `_uXXXX_` escapes of everything else.
pub fn invalid_identifier(name: &str, what: &str) -> String {
    match crate::bidi::first_control(name) {
        Some(control) => format!(
            "the name of {what} `{name}` contains the bidirectional control character U+{code:04X}, which can make text read differently from what it is; its Rust name spells it `_u{code:04x}_`",
            code = control as u32
        ),
        None => format!("`{name}` is not a valid CSDL identifier for {what}; generating it anyway"),
    }
}

/// A CSDL SimpleIdentifier: a letter or underscore, then letters, digits or underscores.
/// CSDL's limit on the length of a simple identifier.
pub const MAX_IDENTIFIER_CHARS: usize = 128;

/// Reports a name longer than CSDL allows (such names are skipped: they would make identifiers
/// and file names without bound). True when the name is too long.
pub fn too_long(name: &Spanned, what: &str, diagnostics: &mut Diagnostics) -> bool {
    let length = name.text.chars().count();
    if length <= MAX_IDENTIFIER_CHARS {
        return false;
    }
    diagnostics.error(
        name.span,
        format!("a {what} name of {length} characters; CSDL identifiers have at most {MAX_IDENTIFIER_CHARS}"),
    );
    true
}
