//! Documentation pages as an input of resolution: [`enrich`] adds what the pages say to the
//! model, with or without CSDL: descriptions the metadata lacks, and the documented operations
//! (for docs-only input, only those). Without CSDL the pages are first read as metadata by
//! [`crate::pages::synthesize`].

use std::collections::{BTreeMap, HashMap};

use crate::ir::{BuilderId, Docs, MemberKind, Model, OperationId, TypeId, UrlMatch};
use crate::pages::{
    description_text, documented_request, member_name, page_resource, useful, Page,
};

/// The member a documented request (`method` on a matched path) describes: the operation
/// the last segment names, or the builder's own operation of that HTTP method.
pub fn documented_member(
    model: &Model,
    found: &UrlMatch,
    method: &str,
) -> Option<(BuilderId, usize)> {
    let builder = found.builder?;
    if let Some(member) = found.member {
        return Some((builder, member));
    }
    let members = &model.resources.builder(builder).members;
    members
        .iter()
        .position(|m| {
            matches!(
                m.kind,
                MemberKind::Get
                    | MemberKind::Update
                    | MemberKind::Replace
                    | MemberKind::Delete
                    | MemberKind::List
                    | MemberKind::Create
            ) && m.kind.http_method(model) == Some(method)
        })
        .map(|index| (builder, index))
}

/// Adds what the pages say to the model, where the metadata says nothing: a resource page's
/// description to its type, its tables' descriptions to the type's properties, and an API
/// page's description to the builder member that every path of its request block reaches
/// (and to the operation it calls, wherever it is offered). Linear in the pages' rows and
/// paths: types are found by name in a map built once, and each page's rows in a map of its
/// type's properties.
pub fn enrich(model: &mut Model, pages: &[Page], docs_only: bool) {
    let mut types: HashMap<String, TypeId> = HashMap::with_capacity(model.types.len());
    for t in &model.types {
        types
            .entry(t.qualified_name.to_ascii_lowercase())
            .or_insert(t.id);
    }
    for page in pages {
        describe_type(model, &types, page);
        describe_properties(model, &types, page);
    }
    describe_property_members(model);
    describe_members(model, pages);
    if docs_only {
        keep_documented_operations(model);
    }
}

/// A page's front matter description, when it says something.
fn page_description(page: &Page) -> Option<String> {
    page.front("description")
        .map(|d| description_text(&d.text))
        .filter(|d| useful(d))
}

/// A resource page (`doc_type: resourcePageType`) describes its type: the type's summary is
/// the page's description where the metadata has none, and the page is the type's page. Of
/// several pages about one type, the first (in input order) does.
fn describe_type(model: &mut Model, types: &HashMap<String, TypeId>, page: &Page) {
    if !page
        .doc_type()
        .is_some_and(|t| t.eq_ignore_ascii_case("resourcePageType"))
    {
        return;
    }
    let named = page_resource(page)
        .map(|(name, _)| name)
        .into_iter()
        .chain(enum_page_type(page));
    let Some(id) = named
        .into_iter()
        .find_map(|name| types.get(&name.to_ascii_lowercase()).copied())
    else {
        return;
    };
    let docs = &mut model.types[id.0].docs;
    if docs.summary.is_none() {
        docs.summary = page_description(page);
    }
    if docs.page.is_none() {
        docs.page = page.published.clone();
    }
}

/// The enumeration an enum page is about: its title's word before "enum type"
/// (`# bodyType enum type`), in the page's namespace.
fn enum_page_type(page: &Page) -> Option<String> {
    let title = page.title.as_ref()?.text.trim();
    let name = title
        .strip_suffix(" enum type")
        .or_else(|| title.strip_suffix(" enumeration type"))?
        .split_whitespace()
        .last()?;
    Some(format!("{}.{name}", crate::pages::page_namespace(page)))
}

/// A navigation, complex or stream property's member of a builder is described as its
/// property is, pages included.
fn describe_property_members(model: &mut Model) {
    let Model {
        types, resources, ..
    } = model;
    for builder in &mut resources.builders {
        let Some(s) = types[builder.kind.ty().0].as_struct() else {
            continue;
        };
        for member in &mut builder.members {
            let property = match &member.kind {
                MemberKind::Navigation { property, .. }
                | MemberKind::ComplexProperty { property, .. }
                | MemberKind::StreamProperty { property } => property,
                _ => continue,
            };
            if member.docs.summary.is_some() {
                continue;
            }
            if let Some(p) = s.properties.iter().find(|p| p.name == *property) {
                member.docs.summary.clone_from(&p.docs.summary);
            }
        }
    }
}

/// Which page describes a member: one about the builder's type (the page's resource, as
/// [`page_resource`] reads it) rather than another, then one whose title names the type, then
/// the one whose path to it is the shortest (`GET /me` rather than `GET
/// /education/users/{id}/user` for a user's `get`), then the one with the most paths to it,
/// then the first in input order.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Rank {
    about_another_type: bool,
    /// The title does not name the type (`Get special folder` beside `Get driveItem`).
    title_without_type: bool,
    segments: usize,
    /// How many of the page's paths reach the member: more is better.
    paths: std::cmp::Reverse<usize>,
    page: usize,
}

/// Every path of every API page's documented request block marks the member it reaches as
/// documented; the best-ranked page's description and link describe it. The description of a
/// bound operation reaches every builder that offers that operation. A `$ref` member is not
/// described: its pages are about one navigation property (`Remove member`), while one
/// builder serves them all.
fn describe_members(model: &mut Model, pages: &[Page]) {
    let mut best: BTreeMap<(BuilderId, usize), Rank> = BTreeMap::new();
    for (index, page) in pages.iter().enumerate() {
        let Some(request) = documented_request(page) else {
            continue;
        };
        let about = page_resource(page).map(|(name, _)| name.to_ascii_lowercase());
        let title = page
            .front("title")
            .or(page.title.as_ref())
            .map_or(String::new(), |t| t.text.to_ascii_lowercase());
        let paths = std::iter::once((request.method.as_str(), request.path.as_str())).chain(
            request
                .more
                .iter()
                .map(|r| (r.method.as_str(), r.path.as_str())),
        );
        let mut reached: BTreeMap<(BuilderId, usize), Rank> = BTreeMap::new();
        for (method, path) in paths {
            let Some(found) = model.match_path(path) else {
                continue;
            };
            let Some((builder, member)) = documented_member(model, &found, method) else {
                continue;
            };
            model.resources.builders[builder.0].members[member].documented = true;
            let ty = model.ty(model.resources.builder(builder).kind.ty());
            let rank = Rank {
                about_another_type: about.as_deref()
                    != Some(ty.qualified_name.to_ascii_lowercase().as_str()),
                title_without_type: !title.contains(&ty.name.to_ascii_lowercase()),
                segments: crate::ir::split_segments(path).len(),
                paths: std::cmp::Reverse(1),
                page: index,
            };
            reached
                .entry((builder, member))
                .and_modify(|r| {
                    r.segments = r.segments.min(rank.segments);
                    r.paths.0 += 1;
                })
                .or_insert(rank);
        }
        for (member, rank) in reached {
            best.entry(member)
                .and_modify(|r| *r = (*r).min(rank))
                .or_insert(rank);
        }
    }
    let mut operations: BTreeMap<OperationId, Rank> = BTreeMap::new();
    for ((builder, member), rank) in best {
        let page = &pages[rank.page];
        let member = &mut model.resources.builders[builder.0].members[member];
        if member.kind == MemberKind::Reference {
            continue;
        }
        if member.docs.summary.is_none() {
            member.docs.summary = page_description(page);
        }
        if member.docs.page.is_none() {
            member.docs.page = page.published.clone();
        }
        if let MemberKind::Call { operation, .. } = member.kind {
            operations
                .entry(operation)
                .and_modify(|r| *r = (*r).min(rank))
                .or_insert(rank);
        }
    }
    for (operation, rank) in operations {
        let page = &pages[rank.page];
        let docs = &mut model.operations[operation.0].docs;
        if docs.summary.is_none() {
            docs.summary = page_description(page);
        }
        if docs.page.is_none() {
            docs.page = page.published.clone();
        }
        let docs = docs.clone();
        for member in model.resources.builders.iter_mut().flat_map(|b| &mut b.members) {
            if matches!(member.kind, MemberKind::Call { operation: o, .. } if o == operation) {
                if member.docs.summary.is_none() {
                    member.docs.summary.clone_from(&docs.summary);
                }
                if member.docs.page.is_none() {
                    member.docs.page.clone_from(&docs.page);
                }
            }
        }
    }
}

fn describe_properties(model: &mut Model, types: &HashMap<String, TypeId>, page: &Page) {
    let Some((resource, _)) = page_resource(page) else {
        return;
    };
    let Some(id) = types.get(&resource.to_ascii_lowercase()) else {
        return;
    };
    let crate::ir::TypeKind::Struct(s) = &mut model.types[id.0].kind else {
        return;
    };
    let mut by_name: HashMap<&str, usize> = HashMap::with_capacity(s.properties.len());
    for (index, p) in s.properties.iter().enumerate() {
        by_name.entry(p.name.as_str()).or_insert(index);
    }
    let mut described = Vec::new();
    for (table, row, name) in page.member_rows() {
        let Some(description) = table.cell(row, "description") else {
            continue;
        };
        if !useful(&description.text) {
            continue;
        }
        if let Some(&index) = by_name.get(member_name(&name.text)) {
            described.push((index, &description.text));
        }
    }
    for (index, description) in described {
        let p = &mut s.properties[index];
        if p.docs.summary.is_none() {
            p.docs = Docs {
                summary: Some(description.clone()),
                ..Docs::default()
            };
        }
    }
}

/// For docs-only input: the operations the pages describe, and the ways that lead to them.
fn keep_documented_operations(model: &mut Model) {
    for builder in &mut model.resources.builders {
        builder
            .members
            .retain(|m| m.documented || m.kind.leads_on());
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::{DocPage, MemberKind, Model};

    const CSDL: &str = r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="microsoft.graph" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EnumType Name="shade"><Member Name="dark" Value="0" /></EnumType>
      <EntityType Name="widget">
        <Key><PropertyRef Name="id" /></Key>
        <Property Name="id" Type="Edm.String" Nullable="false" />
        <Property Name="shade" Type="microsoft.graph.shade" />
        <NavigationProperty Name="parts" Type="Collection(microsoft.graph.part)" ContainsTarget="true" />
      </EntityType>
      <EntityType Name="sprocket" BaseType="microsoft.graph.widget" />
      <EntityType Name="part">
        <Key><PropertyRef Name="id" /></Key>
        <Property Name="id" Type="Edm.String" Nullable="false" />
        <NavigationProperty Name="spare" Type="microsoft.graph.widget" />
      </EntityType>
      <Action Name="ping" IsBound="true">
        <Parameter Name="bindingParameter" Type="microsoft.graph.widget" />
      </Action>
      <EntityContainer Name="service">
        <EntitySet Name="widgets" EntityType="microsoft.graph.widget" />
        <EntitySet Name="sprockets" EntityType="microsoft.graph.sprocket" />
        <Singleton Name="favorite" Type="microsoft.graph.widget" />
      </EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>"#;

    fn page(title: &str, description: &str, kind: &str, body: &str) -> String {
        format!("---\ntitle: \"{title}\"\ndescription: \"{description}\"\ndoc_type: {kind}\n---\n\n# {title}\n\nNamespace: microsoft.graph\n\n{body}")
    }

    fn model(pages: &[(&str, String)]) -> Model {
        let mut generator = crate::Generator::new();
        generator.text("service.xml", CSDL);
        for (path, text) in pages {
            generator.text(*path, text.clone());
        }
        let loaded = generator.load();
        loaded.model.expect("the model resolves")
    }

    /// The summary and page of a builder's member, the builder named by its type and kind.
    fn member(model: &Model, builder: &str, name: &str) -> (Option<String>, Option<String>) {
        let builder = model
            .resources
            .builders
            .iter()
            .find(|b| b.rust_name == builder)
            .unwrap_or_else(|| panic!("no builder {builder}"));
        let member = builder
            .members
            .iter()
            .find(|m| m.rust_name == name)
            .unwrap_or_else(|| panic!("no member {name}"));
        (
            member.docs.summary.clone(),
            member.docs.page.as_ref().map(|p| p.url.clone()),
        )
    }

    #[test]
    fn resource_pages_describe_their_types_with_a_link_where_the_tree_says_it() {
        let resource = |name: &str, description: &str| {
            page(
                &format!("{name} resource type"),
                description,
                "resourcePageType",
                &format!("## JSON representation\n\n<!-- {{ \"blockType\": \"resource\", \"@odata.type\": \"microsoft.graph.{name}\" }} -->\n```json\n{{}}\n```\n"),
            )
        };
        let model = model(&[
            ("docs/v1.0/resources/widget.md", resource("widget", "A thing that turns.")),
            ("docs/v1.0/resources/other-widget.md", resource("widget", "Second page.")),
            ("docs/v1.0/resources/part.md", resource("part", "Not yet documented")),
            (
                "docs/beta/resources/shade.md",
                page("shade enum type", "How dark a widget is.", "resourcePageType", ""),
            ),
            ("elsewhere/sprocket.md", resource("sprocket", "A widget with teeth.")),
        ]);
        let docs = |name: &str| model.find_type(&format!("microsoft.graph.{name}")).unwrap().docs.clone();
        assert_eq!(docs("widget").summary.as_deref(), Some("A thing that turns."));
        assert_eq!(
            docs("widget").page,
            Some(DocPage {
                title: "widget resource type".into(),
                url: "https://learn.microsoft.com/graph/api/resources/widget?view=graph-rest-1.0"
                    .into(),
            })
        );
        // A placeholder is no description; the page is still the type's.
        assert_eq!(docs("part").summary, None);
        assert!(docs("part").page.is_some());
        assert_eq!(docs("shade").summary.as_deref(), Some("How dark a widget is."));
        assert_eq!(
            docs("shade").page.map(|p| p.url),
            Some("https://learn.microsoft.com/graph/api/resources/shade?view=graph-rest-beta".into())
        );
        // Outside a `v1.0` or `beta` tree no URL is made up.
        assert_eq!(docs("sprocket").summary.as_deref(), Some("A widget with teeth."));
        assert_eq!(docs("sprocket").page, None);
    }

    #[test]
    fn every_path_of_a_request_block_is_described_by_the_best_page() {
        let api = |title: &str, description: &str, block: &str| {
            page(title, description, "apiPageType", &format!("## HTTP request\n\n```http\n{block}\n```\n\n## Response\n\n```http\nHTTP/1.1 204 No Content\n```\n"))
        };
        let model = model(&[
            // The first path reaches nothing; the second the widget's `ping`.
            (
                "docs/v1.0/api/widget-ping.md",
                api("Ping a widget", "Makes the widget answer.", "POST /nowhere/ping\nPOST /widgets/{id}/ping"),
            ),
            // About a widget too, by its response, and as short a path: a title that names
            // the type wins over it.
            (
                "docs/v1.0/api/a-favorite.md",
                page(
                    "Get the favorite",
                    "Reads the favorite.",
                    "apiPageType",
                    "## HTTP request\n\n```http\nGET /favorite\n```\n\n## Response\n\n<!-- { \"blockType\": \"response\", \"@odata.type\": \"microsoft.graph.widget\" } -->\n```http\nHTTP/1.1 200 OK\n```\n",
                ),
            ),
            // As good but for the number of paths to the member: `widget-get` has two.
            (
                "docs/v1.0/api/b-widget-read.md",
                api("Read widget", "Reads one widget.", "GET /favorite"),
            ),
            // Both reach a widget's `get`; the shorter path wins, whatever the order.
            (
                "docs/v1.0/api/part-get-spare.md",
                api("Get spare", "The spare of a part.", "GET /widgets/{id}/parts/{id}/spare"),
            ),
            (
                "docs/v1.0/api/widget-get.md",
                api("Get widget", "Reads a widget.", "GET /widgets/{id}\nGET /favorite"),
            ),
            // `$ref` serves every navigation: its pages do not describe it.
            (
                "docs/v1.0/api/part-delete-spare.md",
                api("Remove spare", "Unlinks the spare.", "DELETE /widgets/{id}/parts/{id}/spare/$ref"),
            ),
        ]);
        let ping = (
            Some("Makes the widget answer.".to_owned()),
            Some("https://learn.microsoft.com/graph/api/widget-ping?view=graph-rest-1.0".to_owned()),
        );
        assert_eq!(member(&model, "WidgetRequest", "ping"), ping);
        // The operation is described wherever it is offered.
        assert_eq!(member(&model, "SprocketRequest", "ping"), ping);
        assert_eq!(
            member(&model, "WidgetRequest", "get").0.as_deref(),
            Some("Reads a widget.")
        );
        let reference = model
            .resources
            .builders
            .iter()
            .find(|b| b.rust_name == "WidgetRequest")
            .and_then(|b| b.members.iter().find(|m| m.kind == MemberKind::Reference))
            .unwrap();
        assert!(reference.documented);
        assert_eq!(reference.docs.summary, None);
    }
}
