//! Templates: Rust written with `quote!`, parsed by syn once per thread, and filled per use.
//!
//! The emitted code repeats a few shapes thousands of times (a field, a match arm, a request
//! method). Building each one with `quote!` and having syn parse the tokens again was most of
//! the generator's time on large inputs; a template is parsed once, and each use clones the
//! syntax tree and fills its holes, which costs about as much as the clone.
//!
//! A hole is a name that starts with `__`, written where Rust allows it:
//! - an identifier (`__Name`), a path or its first segments (`__Path::ODATA_TYPE`), a type
//!   (`Option<__T>`), an expression (`Some(__value)`), or a string literal (`"__template"`);
//! - a list: impl items (`__methods!();`), fields (`__fields: (),`), enum variants
//!   (`__variants,`), match arms (`__arms => {}`), or the fields of a struct expression
//!   (`Self { __values: () }`), function arguments (`fn f(&self, __args: ()) {}`), or the
//!   statements of a block (`{ __statements!(); }`);
//! - attributes (`#[__docs]`), on items, impl items, fields, variants and arms; unlike the
//!   other lists, attributes may fill several places.
//!
//! Holes are filled in the template's own nodes only: what fills a hole is never searched for
//! holes, so text from the metadata cannot be taken for one. Holes inside attribute arguments
//! or macro bodies are not seen (syn keeps those as tokens); such attributes are built with
//! [`attribute`], and such items with `quote!` and [`parse`].
//!
//! To add a template: write the Rust with `__` names where values go, as
//! `template!(syn::Arm; Self::__Variant => __wire,)`, and give each hole its value with the
//! setter of its kind (`.ident("__Variant", …)`, `.expr("__wire", …)`), then `.fill(…)` (or
//! `.fill_items(…)` for a `syn::File`). Debug builds, and so every test, check each use: a hole
//! without a value, or a value without a hole (a misspelling), panics with its name.

use proc_macro2::{Ident, Literal, Span, TokenStream};
use syn::punctuated::Punctuated;
use syn::visit_mut::{self, VisitMut};
use syn::{
    Arm, Attribute, Expr, Field, FieldValue, FnArg, ImplItem, Item, LitStr, Path, Stmt, Type,
    Variant,
};

/// A template of one syntax node (`syn::Type`, `syn::Arm`, `syn::ImplItem`, ...) or of items
/// (`syn::File`), parsed the first time this thread uses it; evaluates to a fresh clone.
macro_rules! template {
    ($node:ty; $($tokens:tt)*) => {{
        ::std::thread_local! {
            static PARSED: $node = $crate::emit::template::parse(::quote::quote!($($tokens)*));
        }
        PARSED.with(::std::clone::Clone::clone)
    }};
}
pub(crate) use template;

/// Parses a template. Templates are written in this crate, and every one of them is used by
/// the fixtures, so a template that is not Rust fails the tests the first time it is used.
pub fn parse<T: syn::parse::Parse>(tokens: TokenStream) -> T {
    match syn::parse2(tokens) {
        Ok(node) => node,
        Err(error) => panic!("a template is not valid Rust: {error}"),
    }
}

/// Items from a `syn::File` template.
pub fn items(file: syn::File) -> Vec<Item> {
    file.items
}

/// Syntax that repeats thousands of times (a `cfg` gate, a field's serde attribute), built once
/// per thread for each key and cloned afterwards. The key must determine the syntax completely:
/// it is text (feature names, wire names), never an index into one model, since the cache
/// outlives a model. A cache that grows past a bound starts again.
pub fn memoized<T: Clone + 'static>(
    cache: &'static std::thread::LocalKey<std::cell::RefCell<std::collections::HashMap<String, T>>>,
    key: &str,
    build: impl FnOnce() -> T,
) -> T {
    const BOUND: usize = 4096;
    cache.with(|cache| {
        if let Some(hit) = cache.borrow().get(key) {
            return hit.clone();
        }
        let built = build();
        let mut cache = cache.borrow_mut();
        if cache.len() >= BOUND {
            cache.clear();
        }
        cache.insert(key.to_owned(), built.clone());
        built
    })
}

/// A file of these items.
pub fn file(items: Vec<Item>) -> syn::File {
    syn::File {
        shebang: None,
        frontmatter: None,
        attrs: Vec::new(),
        items,
    }
}

/// An outer attribute `#[name(tokens)]`; its arguments stay tokens, as syn keeps them.
/// The outer attributes a generator user asked for, as written (checked when they were
/// given: text that is not one is left out).
pub fn user_attributes(texts: &[String]) -> Vec<Attribute> {
    use syn::parse::Parser;
    texts
        .iter()
        .flat_map(|text| Attribute::parse_outer.parse_str(text).unwrap_or_default())
        .collect()
}

pub fn attribute(name: &str, tokens: TokenStream) -> Attribute {
    let mut attribute: Attribute = template!(AttributeOf; #[__name()]).0;
    if let syn::Meta::List(list) = &mut attribute.meta {
        list.path = Path::from(Ident::new(name, Span::call_site()));
        list.tokens = tokens;
    }
    attribute
}

/// A `#[doc = "line"]` attribute, or `#![doc = "line"]` when `inner`.
pub fn doc_attribute(line: &str, inner: bool) -> Attribute {
    let mut attribute: Attribute = if inner {
        template!(InnerAttributeOf; #![doc = ""]).0
    } else {
        template!(AttributeOf; #[doc = ""]).0
    };
    if let syn::Meta::NameValue(name_value) = &mut attribute.meta {
        // rustc refuses bidirectional controls in doc comments; they stay visible as escapes.
        name_value.value = string_expr(&crate::bidi::escape(line));
    }
    attribute
}

/// A public named field with these attributes and type.
pub fn public_field(attrs: Vec<Attribute>, name: Ident, ty: Type) -> Field {
    let mut field: Field = template!(FieldOf; pub __field: ()).0;
    field.attrs = attrs;
    field.ident = Some(name);
    field.ty = ty;
    field
}

/// `crate::a::b` from its segments after `crate`.
pub fn crate_path(segments: &[Ident]) -> Path {
    let mut path = Path::from(Ident::new("crate", Span::call_site()));
    path.segments
        .extend(segments.iter().cloned().map(syn::PathSegment::from));
    path
}

/// `name: value` in a struct expression, with these attributes.
pub fn field_value(attrs: Vec<Attribute>, name: Ident, value: Expr) -> FieldValue {
    let Expr::Struct(mut expr) = template!(Expr; Self { __field: () }) else {
        unreachable!("the template is a struct expression")
    };
    let mut field = expr.fields.pop().expect("the template has a field");
    field.attrs = attrs;
    field.member = syn::Member::Named(name);
    field.expr = value;
    field
}

/// A type named by a path.
pub fn path_type(path: Path) -> Type {
    Holes::new().path("__T", path).fill(template!(Type; __T))
}

/// A string literal expression.
pub fn string_expr(text: &str) -> Expr {
    Expr::Lit(syn::ExprLit {
        attrs: Vec::new(),
        lit: syn::Lit::Str(lit_str(text)),
    })
}

/// A string literal token, the same as `Literal::string` makes. Nearly every string the
/// generator writes (docs, wire names, feature names) is printable ASCII without `"` or `\`,
/// whose literal is the text in quotes; reading that back is about 4× faster than proc-macro2's
/// escaping, which goes character by character (measured on doc lines; a few percent of
/// emission time in all).
pub fn string_literal(text: &str) -> Literal {
    let plain = text
        .bytes()
        .all(|b| (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\');
    if plain {
        if let Ok(literal) = format!("\"{text}\"").parse::<Literal>() {
            return literal;
        }
    }
    Literal::string(text)
}

/// [`string_literal`] as syn's string literal.
pub fn lit_str(text: &str) -> LitStr {
    match syn::Lit::new(string_literal(text)) {
        syn::Lit::Str(lit) => lit,
        _ => LitStr::new(text, Span::call_site()),
    }
}

/// A setter per kind of hole: `fn kind(self, hole, value) -> Self`.
macro_rules! holes {
    ($($(#[$doc:meta])* $setter:ident($list:ident: $value:ty)),* $(,)?) => {
        $(
            $(#[$doc])*
            pub fn $setter(mut self, hole: &'static str, value: $value) -> Self {
                self.$list.push((hole, value));
                self
            }
        )*
    };
}

/// What fills the holes of one template use; see the module docs.
#[derive(Default)]
pub struct Holes {
    idents: Vec<(&'static str, Ident)>,
    paths: Vec<(&'static str, Path)>,
    types: Vec<(&'static str, Type)>,
    exprs: Vec<(&'static str, Expr)>,
    strings: Vec<(&'static str, LitStr)>,
    attrs: Vec<(&'static str, Vec<Attribute>)>,
    impl_items: Vec<(&'static str, Vec<ImplItem>)>,
    fields: Vec<(&'static str, Vec<Field>)>,
    variants: Vec<(&'static str, Vec<Variant>)>,
    arms: Vec<(&'static str, Vec<Arm>)>,
    field_values: Vec<(&'static str, Vec<FieldValue>)>,
    args: Vec<(&'static str, Vec<FnArg>)>,
    stmts: Vec<(&'static str, Vec<Stmt>)>,
}

impl Holes {
    pub fn new() -> Self {
        Self::default()
    }

    holes! {
        ident(idents: Ident),
        /// Replaces the hole where it is a whole path or the first segments of one.
        path(paths: Path),
        ty(types: Type),
        expr(exprs: Expr),
        attrs(attrs: Vec<Attribute>),
        impl_items(impl_items: Vec<ImplItem>),
        fields(fields: Vec<Field>),
        variants(variants: Vec<Variant>),
        arms(arms: Vec<Arm>),
        field_values(field_values: Vec<FieldValue>),
        args(args: Vec<FnArg>),
        stmts(stmts: Vec<Stmt>),
    }

    /// Replaces the string literal whose value is the hole's name.
    pub fn string(mut self, hole: &'static str, value: &str) -> Self {
        self.strings.push((hole, lit_str(value)));
        self
    }

    /// Fills the holes of `node` (a template's clone) and returns it.
    pub fn fill<T: Fillable + quote::ToTokens>(mut self, mut node: T) -> T {
        #[cfg(debug_assertions)]
        self.check_against(&node);
        node.accept(&mut self);
        node
    }

    /// Fills the holes of items.
    pub fn fill_items(mut self, mut items: Vec<Item>) -> Vec<Item> {
        #[cfg(debug_assertions)]
        self.check_against(
            &items
                .iter()
                .map(quote::ToTokens::to_token_stream)
                .collect::<TokenStream>(),
        );
        for item in &mut items {
            self.visit_item_mut(item);
        }
        items
    }

    /// The names of the holes given a value.
    #[cfg(debug_assertions)]
    fn supplied(&self) -> Vec<&'static str> {
        fn names<'a, T>(holes: &'a [(&'static str, T)]) -> impl Iterator<Item = &'static str> + 'a {
            holes.iter().map(|(name, _)| *name)
        }
        names(&self.idents)
            .chain(names(&self.paths))
            .chain(names(&self.types))
            .chain(names(&self.exprs))
            .chain(names(&self.strings))
            .chain(names(&self.attrs))
            .chain(names(&self.impl_items))
            .chain(names(&self.fields))
            .chain(names(&self.variants))
            .chain(names(&self.arms))
            .chain(names(&self.field_values))
            .chain(names(&self.args))
            .chain(names(&self.stmts))
            .collect()
    }

    /// In debug builds (and so in every test), a template hole without a value is a bug: the
    /// placeholder would stay in the output and still compile (`pub struct __Name`). So is a
    /// value without a hole: a misspelled hole, or a value the template has no place for.
    #[cfg(debug_assertions)]
    fn check_against(&self, template: &impl quote::ToTokens) {
        let supplied = self.supplied();
        let mut placeholders = Vec::new();
        template_placeholders(template.to_token_stream(), &mut placeholders);
        if let Some(missing) = placeholders
            .iter()
            .find(|name| !supplied.contains(&name.as_str()))
        {
            panic!("template hole `{missing}` has no value (supplied: {supplied:?})");
        }
        if let Some(unused) = supplied
            .iter()
            .find(|name| !placeholders.iter().any(|p| p == *name))
        {
            panic!(
                "the value of `{unused}` has no hole in this template (holes: {placeholders:?})"
            );
        }
    }
}

/// Every `__`-prefixed identifier and string literal of a template: its holes.
#[cfg(debug_assertions)]
fn template_placeholders(tokens: TokenStream, out: &mut Vec<String>) {
    for token in tokens {
        match token {
            proc_macro2::TokenTree::Ident(ident) => {
                let name = ident.to_string();
                if name.starts_with("__") {
                    out.push(name);
                }
            }
            proc_macro2::TokenTree::Literal(literal) => {
                let text = literal.to_string();
                if let Some(name) = text.strip_prefix("\"__").and_then(|t| t.strip_suffix('"')) {
                    out.push(format!("__{name}"));
                }
            }
            proc_macro2::TokenTree::Group(group) => template_placeholders(group.stream(), out),
            proc_macro2::TokenTree::Punct(_) => {}
        }
    }
}

/// Syntax nodes that a template can be.
pub trait Fillable {
    fn accept(&mut self, holes: &mut Holes);
}

macro_rules! fillable {
    ($($node:ty => $visit:ident),* $(,)?) => {
        $(impl Fillable for $node {
            fn accept(&mut self, holes: &mut Holes) {
                holes.$visit(self);
            }
        })*
    };
}

fillable! {
    Type => visit_type_mut,
    Expr => visit_expr_mut,
    Arm => visit_arm_mut,
    ImplItem => visit_impl_item_mut,
    Stmt => visit_stmt_mut,
    Variant => visit_variant_mut,
    Item => visit_item_mut,
    FnArg => visit_fn_arg_mut,
}

/// Replaces each marker element that names a list hole with that list; the rest stay in order.
/// A list fills one marker; the elements move into it.
fn expand<T>(
    elements: Vec<T>,
    lists: &mut [(&'static str, Vec<T>)],
    marker: impl Fn(&T) -> Option<&Ident>,
) -> Vec<T> {
    expand_with(elements, lists, marker, |values, out| out.append(values))
}

fn expand_with<T>(
    elements: Vec<T>,
    lists: &mut [(&'static str, Vec<T>)],
    marker: impl Fn(&T) -> Option<&Ident>,
    mut put: impl FnMut(&mut Vec<T>, &mut Vec<T>),
) -> Vec<T> {
    if lists.is_empty() {
        return elements;
    }
    let mut out = Vec::with_capacity(elements.len());
    for element in elements {
        let list =
            marker(&element).and_then(|name| lists.iter_mut().find(|(hole, _)| name == hole));
        match list {
            Some((_, values)) => put(values, &mut out),
            None => out.push(element),
        }
    }
    out
}

fn expand_punctuated<T, P: Default>(
    elements: &mut Punctuated<T, P>,
    lists: &mut [(&'static str, Vec<T>)],
    marker: impl Fn(&T) -> Option<&Ident>,
) {
    if lists.is_empty() || !elements.iter().any(|e| marker(e).is_some()) {
        return;
    }
    let taken = std::mem::take(elements).into_iter().collect();
    *elements = expand(taken, lists, marker).into_iter().collect();
}

fn attribute_marker(attribute: &Attribute) -> Option<&Ident> {
    match &attribute.meta {
        syn::Meta::Path(path) => marker_name(path),
        _ => None,
    }
}

fn marker_name(path: &Path) -> Option<&Ident> {
    path.get_ident()
}

fn lookup<'a, T>(holes: &'a [(&'static str, T)], ident: &Ident) -> Option<&'a T> {
    holes.iter().find(|(hole, _)| ident == hole).map(|(_, v)| v)
}

/// The hole a type or an expression is, when it is a single identifier such as `__T`.
fn path_hole<'a, T>(
    holes: &'a [(&'static str, T)],
    qself: Option<&syn::QSelf>,
    path: &Path,
) -> Option<&'a T> {
    if holes.is_empty() || qself.is_some() {
        return None;
    }
    marker_name(path).and_then(|ident| lookup(holes, ident))
}

impl Holes {
    /// Attribute holes may stand in several places (a `cfg` on a module and on its `use`).
    fn splice_attrs(&mut self, attrs: &mut Vec<Attribute>) {
        if self.attrs.is_empty() || attrs.is_empty() {
            return;
        }
        let taken = std::mem::take(attrs);
        *attrs = expand_with(taken, &mut self.attrs, attribute_marker, |values, out| {
            out.extend(values.iter().cloned())
        });
    }
}

fn item_attrs(item: &mut Item) -> Option<&mut Vec<Attribute>> {
    Some(match item {
        Item::Const(i) => &mut i.attrs,
        Item::Enum(i) => &mut i.attrs,
        Item::Fn(i) => &mut i.attrs,
        Item::Impl(i) => &mut i.attrs,
        Item::Macro(i) => &mut i.attrs,
        Item::Mod(i) => &mut i.attrs,
        Item::Static(i) => &mut i.attrs,
        Item::Struct(i) => &mut i.attrs,
        Item::Type(i) => &mut i.attrs,
        Item::Use(i) => &mut i.attrs,
        _ => return None,
    })
}

fn impl_item_attrs(item: &mut ImplItem) -> Option<&mut Vec<Attribute>> {
    Some(match item {
        ImplItem::Const(i) => &mut i.attrs,
        ImplItem::Fn(i) => &mut i.attrs,
        ImplItem::Type(i) => &mut i.attrs,
        ImplItem::Macro(i) => &mut i.attrs,
        _ => return None,
    })
}

// Each override visits the template's own nodes first and splices afterwards, so that what a
// hole is filled with is never visited.
impl VisitMut for Holes {
    fn visit_ident_mut(&mut self, ident: &mut Ident) {
        if let Some(value) = lookup(&self.idents, ident) {
            *ident = value.clone();
        }
    }

    fn visit_path_mut(&mut self, path: &mut Path) {
        let replacement = path
            .segments
            .first()
            .filter(|s| s.arguments.is_none() && path.leading_colon.is_none())
            .and_then(|s| lookup(&self.paths, &s.ident));
        match replacement {
            Some(value) => {
                let rest: Vec<_> = path.segments.iter().skip(1).cloned().collect();
                let mut filled = value.clone();
                for segment in rest {
                    filled.segments.push(segment);
                }
                *path = filled;
                // Generic arguments of the rest may hold holes of their own.
                for segment in path.segments.iter_mut().skip(value.segments.len()) {
                    self.visit_path_arguments_mut(&mut segment.arguments);
                }
            }
            None => visit_mut::visit_path_mut(self, path),
        }
    }

    fn visit_type_mut(&mut self, ty: &mut Type) {
        let hole = match ty {
            Type::Path(p) => path_hole(&self.types, p.qself.as_ref(), &p.path),
            _ => None,
        };
        match hole {
            Some(value) => *ty = value.clone(),
            None => visit_mut::visit_type_mut(self, ty),
        }
    }

    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        let hole = match expr {
            Expr::Path(p) => path_hole(&self.exprs, p.qself.as_ref(), &p.path),
            _ => None,
        };
        match hole {
            Some(value) => *expr = value.clone(),
            None => visit_mut::visit_expr_mut(self, expr),
        }
    }

    fn visit_lit_str_mut(&mut self, lit: &mut LitStr) {
        if self.strings.is_empty() {
            return;
        }
        let value = lit.value();
        if let Some((_, filled)) = self.strings.iter().find(|(hole, _)| value == *hole) {
            *lit = filled.clone();
        }
    }

    fn visit_item_mut(&mut self, item: &mut Item) {
        visit_mut::visit_item_mut(self, item);
        if let Some(attrs) = item_attrs(item) {
            self.splice_attrs(attrs);
        }
    }

    fn visit_impl_item_mut(&mut self, item: &mut ImplItem) {
        visit_mut::visit_impl_item_mut(self, item);
        if let Some(attrs) = impl_item_attrs(item) {
            self.splice_attrs(attrs);
        }
    }

    fn visit_field_mut(&mut self, field: &mut Field) {
        visit_mut::visit_field_mut(self, field);
        self.splice_attrs(&mut field.attrs);
    }

    fn visit_variant_mut(&mut self, variant: &mut Variant) {
        visit_mut::visit_variant_mut(self, variant);
        self.splice_attrs(&mut variant.attrs);
    }

    fn visit_arm_mut(&mut self, arm: &mut Arm) {
        visit_mut::visit_arm_mut(self, arm);
        self.splice_attrs(&mut arm.attrs);
    }

    fn visit_item_impl_mut(&mut self, block: &mut syn::ItemImpl) {
        visit_mut::visit_item_impl_mut(self, block);
        let taken = std::mem::take(&mut block.items);
        block.items = expand(taken, &mut self.impl_items, |item| match item {
            ImplItem::Macro(m) => marker_name(&m.mac.path),
            _ => None,
        });
    }

    fn visit_fields_named_mut(&mut self, fields: &mut syn::FieldsNamed) {
        visit_mut::visit_fields_named_mut(self, fields);
        expand_punctuated(&mut fields.named, &mut self.fields, |f| f.ident.as_ref());
    }

    fn visit_item_enum_mut(&mut self, item: &mut syn::ItemEnum) {
        visit_mut::visit_item_enum_mut(self, item);
        expand_punctuated(&mut item.variants, &mut self.variants, |v| Some(&v.ident));
    }

    fn visit_signature_mut(&mut self, signature: &mut syn::Signature) {
        visit_mut::visit_signature_mut(self, signature);
        expand_punctuated(&mut signature.inputs, &mut self.args, |arg| match arg {
            FnArg::Typed(typed) => match &*typed.pat {
                syn::Pat::Ident(p) => Some(&p.ident),
                _ => None,
            },
            FnArg::Receiver(_) => None,
        });
    }

    fn visit_expr_struct_mut(&mut self, expr: &mut syn::ExprStruct) {
        visit_mut::visit_expr_struct_mut(self, expr);
        expand_punctuated(&mut expr.fields, &mut self.field_values, |f| {
            match &f.member {
                syn::Member::Named(name) => Some(name),
                syn::Member::Unnamed(_) => None,
            }
        });
    }

    fn visit_stmt_mut(&mut self, stmt: &mut Stmt) {
        visit_mut::visit_stmt_mut(self, stmt);
        let attrs = match stmt {
            Stmt::Expr(Expr::MethodCall(e), _) => &mut e.attrs,
            Stmt::Expr(Expr::Call(e), _) => &mut e.attrs,
            Stmt::Expr(Expr::Assign(e), _) => &mut e.attrs,
            Stmt::Local(local) => &mut local.attrs,
            _ => return,
        };
        self.splice_attrs(attrs);
    }

    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        visit_mut::visit_block_mut(self, block);
        let taken = std::mem::take(&mut block.stmts);
        block.stmts = expand(taken, &mut self.stmts, |stmt| match stmt {
            Stmt::Macro(m) => marker_name(&m.mac.path),
            _ => None,
        });
    }

    fn visit_expr_match_mut(&mut self, expr: &mut syn::ExprMatch) {
        visit_mut::visit_expr_match_mut(self, expr);
        let taken = std::mem::take(&mut expr.arms);
        expr.arms = expand(taken, &mut self.arms, |arm| match &arm.pat {
            syn::Pat::Ident(p) => Some(&p.ident),
            _ => None,
        });
    }
}

/// Wrappers that let an attribute or a field be parsed as a template.
#[derive(Clone)]
pub struct AttributeOf(pub Attribute);
#[derive(Clone)]
pub struct InnerAttributeOf(pub Attribute);
#[derive(Clone)]
pub struct FieldOf(pub Field);

impl syn::parse::Parse for AttributeOf {
    fn parse(input: syn::parse::ParseStream) -> syn::Result<Self> {
        let mut attrs = Attribute::parse_outer(input)?;
        attrs
            .pop()
            .map(Self)
            .ok_or_else(|| input.error("no attribute"))
    }
}

impl syn::parse::Parse for InnerAttributeOf {
    fn parse(input: syn::parse::ParseStream) -> syn::Result<Self> {
        let mut attrs = Attribute::parse_inner(input)?;
        attrs
            .pop()
            .map(Self)
            .ok_or_else(|| input.error("no attribute"))
    }
}

impl syn::parse::Parse for FieldOf {
    fn parse(input: syn::parse::ParseStream) -> syn::Result<Self> {
        Field::parse_named(input).map(Self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    /// As the generator writes it: formatted by prettyplease.
    fn text(items: Vec<Item>) -> String {
        prettyplease::unparse(&file(items))
    }

    fn ident(name: &str) -> Ident {
        Ident::new(name, Span::call_site())
    }

    #[test]
    fn every_kind_of_hole_is_filled() {
        let method: ImplItem = template!(ImplItem; pub fn get(&self) -> u8 { 1 });
        let arm: Arm = template!(Arm; 1 => "one",);
        let filled = Holes::new()
            .attrs("__docs", vec![doc_attribute(" A thing.", false)])
            .ident("__Name", ident("Thing"))
            .path("__Path", crate_path(&[ident("model"), ident("Base")]))
            .ty("__T", parse(quote!(Vec<u8>)))
            .expr("__value", parse(quote!(7)))
            .string("__template", "/things")
            .fields(
                "__fields",
                vec![public_field(vec![], ident("size"), parse(quote!(u8)))],
            )
            .impl_items("__methods", vec![method])
            .arms("__arms", vec![arm])
            .fill_items(items(template!(syn::File;
                #[__docs]
                pub struct __Name { __fields: (), pub value: __T }
                impl __Name {
                    const TEMPLATE: &str = "__template";
                    const BASE: &str = __Path::ODATA_TYPE;
                    __methods!();
                    fn pick(n: u8) -> &'static str { match n { __arms => {} _ => "other" } }
                    fn value() -> i64 { __value }
                }
            )));
        let expected = quote! {
            #[doc = " A thing."]
            pub struct Thing { pub size: u8, pub value: Vec<u8> }
            impl Thing {
                const TEMPLATE: &str = "/things";
                const BASE: &str = crate::model::Base::ODATA_TYPE;
                pub fn get(&self) -> u8 { 1 }
                fn pick(n: u8) -> &'static str { match n { 1 => "one", _ => "other" } }
                fn value() -> i64 { 7 }
            }
        };
        let expected: syn::File = parse(expected);
        assert_eq!(text(filled), text(expected.items));
    }

    #[test]
    fn what_fills_a_hole_is_not_searched_for_holes() {
        // Metadata text that happens to look like a hole stays as it is.
        let filled = Holes::new()
            .string("__a", "__b")
            .string("__b", "filled twice")
            .attrs("__docs", vec![doc_attribute("__a", false)])
            .fill_items(items(template!(syn::File;
                #[__docs]
                const A: &str = "__a";
                const B: &str = "__b";
            )));
        let expected: syn::File = parse(quote!(
            #[doc = "__a"]
            const A: &str = "__b";
            const B: &str = "filled twice";
        ));
        assert_eq!(text(filled), text(expected.items));
    }

    #[test]
    fn string_literals_are_what_proc_macro2_writes() {
        for text in [
            "plain text, with 'quotes' and (punctuation)!",
            "",
            "say \"hi\"",
            "back\\slash",
            "tab\tand\nnewline",
            "nul\0 and \u{1}",
            "caf\u{e9} \u{200b} \u{1F600}",
            "~ and \u{7f}",
        ] {
            assert_eq!(
                string_literal(text).to_string(),
                Literal::string(text).to_string(),
                "{text:?}"
            );
            assert_eq!(lit_str(text).value(), text);
        }
    }

    #[test]
    fn variants_are_spliced_among_the_template_variants() {
        let variant: Variant = template!(Variant; #[doc = " One."] One);
        let filled = Holes::new()
            .variants("__variants", vec![variant])
            .ident("__Other", ident("Unknown"))
            .fill_items(items(template!(syn::File;
                enum E { First, __variants, __Other(String) }
            )));
        let expected: syn::File = parse(quote!(
            enum E {
                First,
                #[doc = " One."]
                One,
                Unknown(String),
            }
        ));
        assert_eq!(text(filled), text(expected.items));
    }
}

#[cfg(all(test, debug_assertions))]
mod hole_checks {
    use super::*;

    #[test]
    #[should_panic(expected = "template hole `__T` has no value")]
    fn a_hole_without_a_value_is_a_bug() {
        let _: Type = Holes::new().fill(template!(Type; Option<__T>));
    }

    #[test]
    #[should_panic(expected = "the value of `__Tpye` has no hole")]
    fn a_value_without_a_hole_is_a_bug() {
        let _: Type = Holes::new()
            .ty("__T", template!(Type; u8))
            .ty("__Tpye", template!(Type; u8))
            .fill(template!(Type; Option<__T>));
    }

    #[test]
    fn every_hole_with_its_value_fills() {
        let filled: Type = Holes::new()
            .ty("__T", template!(Type; u8))
            .fill(template!(Type; Option<__T>));
        assert_eq!(quote::quote!(#filled).to_string(), "Option < u8 >");
    }
}
