//! Structs for entity and complex types, and the enums that dispatch on `@odata.type`.

use quote::quote;
use syn::{Attribute, Item};

use super::docs::{alias, code, doc_attrs, doc_paragraph};
use super::template::{
    attribute, field_value, items, parse, public_field, string_expr,
    template, Holes,
};
use super::types::{field_type, optional, primitive_type, type_path, Spelling};
use super::{cfg_member, ident};
use crate::ir::{
    Dispatch, Docs, Model, Primitive, PropertyKind, StructType, StructuredKind, TypeDef,
};

/// A struct's items (its dispatch enum is [`dispatch_source`] and [`dispatch_extras`]), naming std and support items as `spelling`
/// says for its module.
pub fn struct_items(
    model: &Model,
    ty: &TypeDef,
    s: &StructType,
    spelling: Spelling,
) -> Vec<Item> {
    let mut nullable_fields = s
        .properties
        .iter()
        .filter(|p| p.nullable || p.ty.collection);
    let mut items = Vec::new();
    if spelling == Spelling::Short {
        // Fields gated by other areas' features may be all that use it (a complex type whose
        // only nullable members are navigation properties of another area).
        match nullable_fields.next() {
            None => {}
            Some(first)
                if std::iter::once(first)
                    .chain(nullable_fields)
                    .any(|p| cfg_member(model, p.gate.as_ref()).is_none()) =>
            {
                items.extend(self::items(template!(syn::File;
                    use crate::support::Nullable;
                )))
            }
            Some(_) => items.extend(self::items(template!(syn::File;
                #[allow(unused_imports)]
                use crate::support::Nullable;
            ))),
        }
    }
    items.extend(struct_definition(model, ty, s, spelling));
    if let Some(dispatch) = &s.dispatch {
        items.extend(dispatch_definition(model, ty, dispatch));
    }
    items
}

fn struct_definition(model: &Model, ty: &TypeDef, s: &StructType, spelling: Spelling) -> Vec<Item> {
    let docs = doc_attrs(&ty.docs, &struct_notes(model, ty, s));
    let fields = s.properties.iter().map(|p| {
        let (field_type, _) = field_type(model, p, spelling);
        let mut notes = Vec::new();
        if s.key.contains(&p.name) {
            notes.push("Key property.".to_owned());
        }
        notes.extend(facet_notes(&p.facets));
        if let PropertyKind::Navigation { contains_target } = p.kind {
            notes.push(if contains_target {
                "Navigation property (contained): present when expanded.".to_owned()
            } else {
                "Navigation property: present when expanded.".to_owned()
            });
        }
        let mut attrs = doc_attrs(&p.docs, &notes);
        attrs.extend(alias(&p.rust_name, &p.name));
        attrs.extend(cfg_member(model, p.gate.as_ref()));
        attrs.extend(super::template::user_attributes(&p.attributes));
        public_field(attrs, ident(&p.rust_name), field_type)
    });
    let (optional_string, _) = optional(primitive_type(Primitive::String, spelling), spelling);
    let tags_itself = s.tags_itself();
    let derive = if tags_itself {
        quote!(Clone, Debug, PartialEq)
    } else {
        quote!(Clone, Debug, Default, PartialEq)
    };
    let mut attrs = docs;
    attrs.extend(alias(&ty.rust_name, &ty.name));
    attrs.push(attribute("derive", derive));
    attrs.extend(super::template::user_attributes(&ty.attributes));
    let holes = Holes::new()
        .attrs("__attrs", attrs)
        .ident("__Name", ident(&ty.rust_name))
        .ident("__odata_type", ident(&s.odata_type_field))
        .ident("__additional", ident(&s.additional_properties_field))
        .ty("__OptionalString", optional_string)
        .fields("__fields", fields.collect())
        .expr("__odata_type_value", string_expr(&ty.odata_type()))
        .field_values("__empty", empty_fields(model, s))
        .arms("__read_arms", read_arms(model, s))
        .stmts("__write_members", write_members(model, s));
    let mut items = holes.fill_items(items(template!(syn::File;
        #[__attrs]
        pub struct __Name {
            /// The `@odata.type` annotation: which type this value is, as the service names it.
            pub __odata_type: __OptionalString,
            __fields: (),
            /// Properties and instance annotations that the metadata does not declare, kept so
            /// that reading and writing a value loses nothing.
            pub __additional: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
        }

        impl __Name {
            /// The `@odata.type` value that names this type.
            pub const ODATA_TYPE: &str = __odata_type_value;

            /// Reads the members of a JSON object of this type.
            #[doc(hidden)]
            pub fn read_members(members: crate::support::Members<'_>) -> ::std::result::Result<Self, crate::support::JsonError> {
                let mut value = Self {
                    __odata_type: ::std::option::Option::None,
                    __empty: (),
                    __additional: ::serde_json::Map::new(),
                };
                for (key, text) in members {
                    match &*key {
                        "@odata.type" => crate::support::read_required(&mut value.__odata_type, "@odata.type", text, &mut value.__additional)?,
                        __read_arms => {}
                        _ => crate::support::read_additional(&mut value.__additional, key, text)?,
                    }
                }
                ::std::result::Result::Ok(value)
            }

            /// Writes the members of this value into a JSON object.
            #[doc(hidden)]
            pub fn write_members(&self, object: &mut crate::support::Object<'_>) {
                object.member("@odata.type", &self.__odata_type);
                __write_members!();
                object.additional(&self.__additional);
            }
        }

        impl crate::support::Json for __Name {
            fn read_json(text: &str) -> ::std::result::Result<Self, crate::support::JsonError> {
                Self::read_members(crate::support::members(text)?)
            }

            fn write_json(&self, out: &mut crate::support::Writer) {
                let mut object = out.object();
                self.write_members(&mut object);
                object.end();
            }
        }

        impl ::serde::Serialize for __Name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                crate::support::serialize_json(self, serializer)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for __Name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                crate::support::deserialize_json(deserializer)
            }
        }

        impl crate::support::ControlInformation for __Name {
            fn annotations(&self) -> &::serde_json::Map<::std::string::String, ::serde_json::Value> {
                &self.__additional
            }
        }
    )));
    if tags_itself {
        items.extend(self_tagging_default(model, ty, s));
    }
    items
}

/// `field: Default::default()` for every property (absent), gated as the fields are.
fn empty_fields(model: &Model, s: &StructType) -> Vec<syn::FieldValue> {
    s.properties
        .iter()
        .map(|p| {
            field_value(
                cfg_member(model, p.gate.as_ref()).into_iter().collect(),
                ident(&p.rust_name),
                template!(syn::Expr; ::std::default::Default::default()),
            )
        })
        .collect()
}

/// A match arm per property: its JSON name reads into its field. A property the metadata says
/// is never null keeps a `null` the service sends among the undeclared members.
fn read_arms(model: &Model, s: &StructType) -> Vec<syn::Arm> {
    s.properties
        .iter()
        .map(|p| {
            let holes = Holes::new()
                .attrs("__cfg", cfg_member(model, p.gate.as_ref()).into_iter().collect())
                .string("__wire", &p.name)
                .ident("__field", ident(&p.rust_name));
            if p.nullable || p.ty.collection {
                holes.fill(template!(syn::Arm;
                    #[__cfg]
                    "__wire" => value.__field = crate::support::read_member("__wire", text)?,
                ))
            } else {
                holes.ident("__additional", ident(&s.additional_properties_field)).fill(template!(syn::Arm;
                    #[__cfg]
                    "__wire" => crate::support::read_required(&mut value.__field, "__wire", text, &mut value.__additional)?,
                ))
            }
        })
        .collect()
}

/// A statement per property: its field written under its JSON name, unless absent.
fn write_members(model: &Model, s: &StructType) -> Vec<syn::Stmt> {
    s.properties
        .iter()
        .map(|p| {
            Holes::new()
                .attrs("__cfg", cfg_member(model, p.gate.as_ref()).into_iter().collect())
                .string("__wire", &p.name)
                .ident("__field", ident(&p.rust_name))
                .fill(template!(syn::Stmt;
                    #[__cfg]
                    object.member("__wire", &self.__field);
                ))
        })
        .collect()
}

/// `Default` for a concrete derived type: an empty value that already names its type, so
/// that it can be sent where its base is expected.
fn self_tagging_default(model: &Model, ty: &TypeDef, s: &StructType) -> Vec<Item> {
    let initializers = s.properties.iter().map(|p| {
        field_value(
            cfg_member(model, p.gate.as_ref()).into_iter().collect(),
            ident(&p.rust_name),
            template!(syn::Expr; ::std::default::Default::default()),
        )
    });
    Holes::new()
        .ident("__Name", ident(&ty.rust_name))
        .ident("__odata_type", ident(&s.odata_type_field))
        .ident("__additional", ident(&s.additional_properties_field))
        .field_values("__initializers", initializers.collect())
        .fill_items(items(template!(syn::File;
            impl ::std::default::Default for __Name {
                /// An empty value that names its own type in `@odata.type`.
                fn default() -> Self {
                    Self {
                        __odata_type: ::std::option::Option::Some(::std::string::String::from(Self::ODATA_TYPE)),
                        __initializers: (),
                        __additional: ::std::default::Default::default(),
                    }
                }
            }
        )))
}

/// Facets as doc lines; the values are metadata text, so they are shown as code.
fn facet_notes(facets: &crate::ir::Facets) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(max) = &facets.max_length {
        notes.push(format!("Maximum length: {}.", code(max)));
    }
    match (&facets.precision, &facets.scale) {
        (Some(p), Some(s)) => notes.push(format!("Precision {}, scale {}.", code(p), code(s))),
        (Some(p), None) => notes.push(format!("Precision {}.", code(p))),
        (None, Some(s)) => notes.push(format!("Scale {}.", code(s))),
        (None, None) => {}
    }
    if let Some(default) = &facets.default_value {
        notes.push(format!("Default value: {}.", code(default)));
    }
    notes
}

fn struct_notes(model: &Model, ty: &TypeDef, s: &StructType) -> Vec<String> {
    let kind = match s.kind {
        StructuredKind::Entity => "entity type",
        StructuredKind::Complex => "complex type",
    };
    let mut notes = vec![format!("The {} {kind}.", code(&ty.qualified_name))];
    if let Some(base) = s.base {
        notes.push(format!(
            "Derived from {}; its properties are included.",
            link(model, ty, base, None)
        ));
    }
    if s.is_abstract {
        let mut text = "Abstract: the service only sends and accepts derived types.".to_owned();
        let compiled_with = |d: &&crate::ir::TypeId| model.ty(**d).gate.covers(&ty.gate);
        if let (Some(dispatch), Some(first)) = (&s.dispatch, s.derived.iter().find(compiled_with)) {
            text.push_str(&format!(
                " Create a derived type such as {} and pass it where {} is expected.",
                link(model, ty, *first, None),
                link(model, ty, ty.id, Some(&dispatch.rust_name)),
            ));
        }
        notes.push(text);
    }
    if s.is_open {
        notes.push("Open type: dynamic properties are kept in `additional_properties`.".to_owned());
    }
    if s.has_stream {
        notes.push("Media entity: it has a stream as its content.".to_owned());
    }
    if !s.unselected_navigation.is_empty() {
        let names: Vec<String> = s.unselected_navigation.iter().map(|n| code(n)).collect();
        let (what, their) = match names.len() {
            1 => ("navigation property", "its type is"),
            _ => ("navigation properties", "their types are"),
        };
        notes.push(format!(
            "Not generated: the {what} {}, as {their} not in the `--select` selection; expanded values are kept in {}.",
            names.join(", "),
            code(&s.additional_properties_field),
        ));
    }
    notes
}

/// A rustdoc link to a type, or with `item` to its dispatch enum or a variant, written from
/// the file of `from`. Items of that file are in scope, so they are linked by name alone
/// (rustdoc rejects a redundant path).
fn link(model: &Model, from: &TypeDef, id: crate::ir::TypeId, item: Option<&str>) -> String {
    let ty = model.ty(id);
    let item = item.unwrap_or(&ty.rust_name);
    if id == from.id {
        format!("[`{item}`]")
    } else {
        let module = &model.namespace(ty.namespace).module;
        format!("[`{item}`](crate::{module}::{item})")
    }
}

/// What a dispatch enum has besides its `dispatch_enum!` list ([`dispatch_source`]): `From`
/// it for its ancestors' enums, and the accessors whose field some variant names differently
/// (the macro's accessors take one field name for all).
pub fn dispatch_extras(model: &Model, ty: &TypeDef, spelling: Spelling) -> Vec<Item> {
    let (Some(s), Some(dispatch)) = (ty.as_struct(), ty.as_struct().and_then(|s| s.dispatch.as_ref())) else {
        return Vec::new();
    };
    let odd: Vec<syn::ImplItem> = base_accessors(model, s, dispatch, spelling)
        .into_iter()
        .filter_map(|a| a.item)
        .collect();
    let name = ident(&dispatch.rust_name);
    let mut items: Vec<Item> = Vec::new();
    if !odd.is_empty() {
        items.extend(self::items(parse(quote! {
            impl #name {
                #(#odd)*
            }
        })));
    }
    items.extend(ancestor_conversions(model, ty, dispatch));
    items
}

/// A dispatch enum's definition: a boxed variant per derived type, with its docs and gate, and
/// the fallback. What it has besides is written by [`dispatch_source`]'s macro.
fn dispatch_definition(model: &Model, ty: &TypeDef, dispatch: &Dispatch) -> Vec<Item> {
    let variants = dispatch.variants.iter().map(|v| {
        let variant = model.ty(v.ty);
        let doc = doc_paragraph(&format!("A {}.", code(&variant.odata_type())));
        let cfg = cfg_member(model, v.gate.as_ref());
        let name = ident(&v.rust_name);
        let path = type_path(model, v.ty);
        quote! {
            #(#doc)*
            #cfg
            #name(::std::boxed::Box<#path>),
        }
    });
    let docs = doc_attrs(
        &Docs::default(),
        &[
            format!(
                "Any {}: the value's `@odata.type` tells which derived type it is. Reading falls back to [`{}::{}`] with every field kept; writing a derived type adds its `@odata.type`.",
                code(&ty.qualified_name), dispatch.rust_name, dispatch.fallback,
            ),
            format!(
                "The properties of {} are read through methods of the same names, whichever variant the value is. A value of any derived type converts with one `.into()`, to this enum and to the `Option` and `Nullable` fields that hold it.",
                code(&ty.qualified_name),
            ),
            "Not exhaustive: a regeneration adds a variant for each derived type the metadata adds, so match with a `_` arm.".to_owned(),
        ],
    );
    let fallback_doc = doc_paragraph(&format!(
        "A value whose `@odata.type` is missing, is {}, or names a type this crate does not know.",
        code(&ty.odata_type())
    ));
    let name = ident(&dispatch.rust_name);
    let fallback = ident(&dispatch.fallback);
    let base = ident(&ty.rust_name);
    items(parse(quote! {
        #(#docs)*
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #(#fallback_doc)*
            #fallback(::std::boxed::Box<#base>),
        }
    }))
}

/// The `crate::support::dispatch_enum!` invocation that writes what a dispatch enum has from
/// one list of its variants (one line each, with its gate), written as text: prettyplease would
/// print a macro's tokens as one paragraph.
pub fn dispatch_source(model: &Model, ty: &TypeDef) -> String {
    let (Some(s), Some(dispatch)) = (ty.as_struct(), ty.as_struct().and_then(|s| s.dispatch.as_ref())) else {
        return String::new();
    };
    let spelling = super::modules::file_spelling(ty);
    let mut out = format!(
        "// What `{}` has (its methods, `Json`, serde, `ControlInformation`, `From` each variant's\n// type), written by the macro from a line per variant.\ncrate::support::dispatch_enum! {{\n",
        dispatch.rust_name
    );
    out.push_str(&format!(
        "    {}({}, {}, {}) {{\n",
        dispatch.rust_name,
        ty.rust_name,
        s.odata_type_field,
        additional_method(s)
    ));
    out.push_str(&format!("        {};\n", dispatch.fallback));
    let mut seen_keys = std::collections::HashSet::new();
    for v in &dispatch.variants {
        let variant = model.ty(v.ty);
        if let Some(gate) = v.gate.as_ref().filter(|_| !model.areas.is_empty()) {
            out.push_str(&format!(
                "        #[cfg(feature = \"{}\")]\n",
                super::gate_feature(model, gate)
            ));
        }
        let mut keys: Vec<String> = odata_type_keys(model, variant)
            .into_iter()
            .filter(|key| seen_keys.insert(key.clone()))
            .map(|key| super::template::string_literal(&key).to_string())
            .collect();
        if keys.is_empty() {
            // Its names are another variant's (in another letter case): a key no
            // `@odata.type` gives (keys never hold `#`), its own so that no arm repeats one.
            keys.push(super::template::string_literal(&format!("#{}", v.rust_name)).to_string());
        }
        let path = type_path(model, v.ty);
        out.push_str(&format!(
            "        {}({}) = {};\n",
            v.rust_name,
            tokens_text(quote!(#path)),
            keys.join(" | ")
        ));
    }
    out.push_str("    }\n    accessors {\n");
    for accessor in base_accessors(model, s, dispatch, spelling) {
        let Some((method, field, field_type)) = accessor.listed else {
            continue;
        };
        let field_type = match spelling {
            Spelling::Short => short_type(field_type),
            Spelling::Full => field_type,
        };
        let field_type = tokens_text(quote!(#field_type));
        push_docs(&mut out, "        ", &accessor.docs);
        if let Some(cfg) = &accessor.cfg {
            out.push_str(&format!("        {}\n", tokens_text(quote!(#cfg))));
        }
        out.push_str(&format!("        fn {method} -> {field}: {field_type};\n"));
    }
    out.push_str("    }\n}\n");
    out
}

/// A type with its std paths in their prelude names ([`super::types::shorten_std_paths`]).
fn short_type(ty: syn::Type) -> syn::Type {
    let mut items = [parse(quote!(type T = #ty;))];
    super::types::shorten_std_paths(&mut items);
    match items {
        [Item::Type(alias)] => *alias.ty,
        _ => ty,
    }
}

/// `///` lines for doc attributes (a line with a control character as `#[doc = "..."]`, which
/// a `///` line cannot hold).
fn push_docs(out: &mut String, indent: &str, docs: &[Attribute]) {
    for attr in docs {
        let syn::Meta::NameValue(name_value) = &attr.meta else {
            continue;
        };
        let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(text), .. }) = &name_value.value else {
            continue;
        };
        let text = text.value();
        if text.contains(|c: char| c.is_control()) {
            out.push_str(&format!("{indent}#[doc = {text:?}]\n"));
        } else {
            out.push_str(&format!("{indent}///{text}\n"));
        }
    }
}

/// Tokens (a path, a type, an attribute) on one line, spaced as rustfmt spaces them.
fn tokens_text(tokens: proc_macro2::TokenStream) -> String {
    use proc_macro2::{Delimiter, Spacing, TokenTree};
    let mut out = String::new();
    // Whether the last token written was a word (an identifier or literal), which a next word
    // is set apart from.
    let mut after_word = false;
    for token in tokens {
        match token {
            TokenTree::Ident(ident) => {
                if after_word {
                    out.push(' ');
                }
                out.push_str(&ident.to_string());
                after_word = true;
            }
            TokenTree::Literal(literal) => {
                if after_word {
                    out.push(' ');
                }
                out.push_str(&literal.to_string());
                after_word = true;
            }
            TokenTree::Punct(punct) => {
                let c = punct.as_char();
                match c {
                    ',' => out.push_str(", "),
                    '=' | '+' if punct.spacing() == Spacing::Alone => {
                        out.push(' ');
                        out.push(c);
                        out.push(' ');
                    }
                    _ => out.push(c),
                }
                // `dyn` after `&`, `mut` after `&`: words after punctuation touch it.
                after_word = false;
            }
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::Brace => ("{ ", " }"),
                    Delimiter::None => ("", ""),
                };
                out.push_str(open);
                out.push_str(&tokens_text(group.stream()));
                out.push_str(close);
                after_word = false;
            }
        }
    }
    out.trim_end().replace(",  ", ", ").replace(" ,", ",")
}

/// The `@odata.type` names of a type as dispatching compares them (lower case, without `#`):
/// qualified by its namespace, and by the namespace's alias when it has one.
fn odata_type_keys(model: &Model, ty: &TypeDef) -> Vec<String> {
    let mut keys = vec![ty.qualified_name.to_ascii_lowercase()];
    if let Some(alias) = &model.namespace(ty.namespace).alias {
        keys.push(format!("{alias}.{}", ty.name).to_ascii_lowercase());
    }
    keys
}

/// Names of methods every dispatch enum has besides [`crate::ir::TRAIT_METHOD_NAMES`]: its own
/// `odata_type`, `PartialEq`'s, and `ControlInformation`'s, which an accessor of the same name
/// would hide (`any.etag()` would read the property), and `From`'s and `TryFrom`'s, which
/// `AnyX::from(derived)` calls; such an accessor takes a `_property` suffix.
const DISPATCH_METHOD_NAMES: [&str; 15] = [
    "odata_type",
    "from",
    "try_from",
    "eq",
    "ne",
    "annotations",
    "control_information",
    "etag",
    "odata_id",
    "odata_context",
    "edit_link",
    "read_link",
    "media_read_link",
    "media_edit_link",
    "media_etag",
];

/// The names a dispatch enum's accessor cannot take.
fn taken_method_names() -> impl Iterator<Item = &'static str> {
    crate::ir::TRAIT_METHOD_NAMES.into_iter().chain(DISPATCH_METHOD_NAMES)
}

/// Whether a dispatch enum's accessor of the field `rust_name` has the field's name.
pub(super) fn accessor_keeps_name(rust_name: &str) -> bool {
    let name = rust_name.trim_start_matches("r#");
    !taken_method_names().any(|taken| taken == name)
}

/// The name of the accessor for the additional properties of a dispatch enum whose base is
/// `s`.
fn additional_method(s: &StructType) -> String {
    accessor_names(s)(&s.additional_properties_field)
}

/// Names accessor methods: a field's name, or with a `_property` suffix where the field's name
/// is taken (see [`taken_method_names`]).
fn accessor_names(s: &StructType) -> impl FnMut(&str) -> String {
    let mut taken: std::collections::HashSet<String> =
        taken_method_names().map(str::to_owned).collect();
    taken.extend(s.properties.iter().map(|p| p.rust_name.clone()));
    move |field: &str| {
        if accessor_keeps_name(field) {
            return field.to_owned();
        }
        let mut name = format!("{}_property", field.trim_start_matches("r#"));
        while !taken.insert(name.clone()) {
            name.push('_');
        }
        name
    }
}

/// One accessor of a dispatch enum.
struct Accessor {
    docs: Vec<Attribute>,
    cfg: Option<Attribute>,
    /// For `dispatch_enum!`'s list: the method, the field and its type, when every variant
    /// holds the property in a field of the base's name.
    listed: Option<(String, String, syn::Type)>,
    /// The accessor as a method with its own `match`, when some variant does not (when it is
    /// not listed).
    item: Option<syn::ImplItem>,
}

/// An accessor per property of the base type (and its additional properties), each a `match`
/// over the variants: every variant holds the base's properties as its own fields.
fn base_accessors(
    model: &Model,
    s: &StructType,
    dispatch: &Dispatch,
    spelling: Spelling,
) -> Vec<Accessor> {
    let mut method_name = accessor_names(s);
    let fallback = ident(&dispatch.fallback);
    let variant_field = |variant: &crate::ir::DispatchVariant, wire: &str| {
        model
            .ty(variant.ty)
            .as_struct()
            .and_then(|d| d.properties.iter().find(|p| p.name == wire))
            .map(|p| ident(&p.rust_name))
    };
    let accessor = |method: String,
                    field: syn::Ident,
                    wire: Option<&str>,
                    ty: syn::Type,
                    docs: Vec<Attribute>,
                    cfg: Option<Attribute>| {
        let fields: Vec<syn::Ident> = dispatch
            .variants
            .iter()
            .map(|v| match wire {
                Some(wire) => variant_field(v, wire).unwrap_or_else(|| field.clone()),
                None => match model.ty(v.ty).as_struct() {
                    Some(d) => ident(&d.additional_properties_field),
                    None => field.clone(),
                },
            })
            .collect();
        if fields.iter().all(|f| *f == field) {
            let listed = Some((method, field.to_string(), ty));
            return Accessor { docs, cfg, listed, item: None };
        }
        let arms = dispatch.variants.iter().zip(&fields).map(|(v, field)| {
            let variant = ident(&v.rust_name);
            let variant_cfg = cfg_member(model, v.gate.as_ref());
            quote!(#variant_cfg Self::#variant(v) => &v.#field,)
        });
        let method = ident(&method);
        let item = Some(parse(quote! {
            #(#docs)*
            #cfg
            pub fn #method(&self) -> &#ty {
                match self {
                    #(#arms)*
                    Self::#fallback(v) => &v.#field,
                }
            }
        }));
        Accessor { docs, cfg, listed: None, item }
    };
    let mut accessors: Vec<Accessor> = s
        .properties
        .iter()
        .map(|p| {
            let (ty, _) = field_type(model, p, spelling);
            let note = format!(
                "The {} property, whichever variant this value is.",
                code(&p.name)
            );
            let docs = doc_attrs(&p.docs, &[note]);
            accessor(
                method_name(&p.rust_name),
                ident(&p.rust_name),
                Some(&p.name),
                ty,
                docs,
                cfg_member(model, p.gate.as_ref()),
            )
        })
        .collect();
    let additional_docs = doc_paragraph(
        "Properties and instance annotations that the metadata does not declare, whichever variant this value is.",
    );
    accessors.push(accessor(
        method_name(&s.additional_properties_field),
        ident(&s.additional_properties_field),
        None,
        parse(quote!(::serde_json::Map<::std::string::String, ::serde_json::Value>)),
        additional_docs,
        None,
    ));
    accessors
}

/// `From` this dispatch enum for the dispatch enum of every ancestor (and the `Option` and
/// `Nullable` fields holding one): each of this enum's variants is a variant there too, and
/// its fallback (the base type itself) is the ancestor's variant for the base.
fn ancestor_conversions(model: &Model, ty: &TypeDef, dispatch: &Dispatch) -> Vec<Item> {
    let name = ident(&dispatch.rust_name);
    model.lineage(ty.id)[1..]
        .iter()
        .filter_map(|&ancestor| {
            let ancestor_ty = model.ty(ancestor);
            let ancestor_dispatch = ancestor_ty.as_struct()?.dispatch.as_ref()?;
            let own_variant = ancestor_dispatch.variants.iter().find(|v| v.ty == ty.id)?;
            // Compiled wherever this type is, or gated on the ancestor's areas.
            let cfg = (!ancestor_ty.gate.covers(&ty.gate))
                .then(|| cfg_member(model, Some(&ancestor_ty.gate)))
                .flatten();
            let target = path_below_crate(model, ancestor_ty, &ancestor_dispatch.rust_name);
            let arms = dispatch.variants.iter().map(|v| {
                let variant_cfg = cfg_member(model, v.gate.as_ref());
                let variant = ident(&v.rust_name);
                let there = ancestor_dispatch
                    .variants
                    .iter()
                    .find(|a| a.ty == v.ty)
                    .map_or_else(|| variant.clone(), |a| ident(&a.rust_name));
                quote!(#variant_cfg #variant => #there,)
            });
            let fallback = ident(&dispatch.fallback);
            let own = ident(&own_variant.rust_name);
            Some(items(parse(quote! {
                #cfg
                crate::support::dispatch_from!(#name => #target {
                    #(#arms)*
                    #fallback => #own,
                });
            })))
        })
        .flatten()
        .collect()
}

/// `module::item` (below `crate`) for an item of `ty`'s namespace.
fn path_below_crate(model: &Model, ty: &TypeDef, item: &str) -> proc_macro2::TokenStream {
    let module = ident(&model.namespace(ty.namespace).module);
    let item = ident(item);
    quote!(#module::#item)
}
