//! The generator's cost per stage: parse, resolve, emit, emit+format (as the pipeline runs it,
//! on all cores), write (to a fresh directory), and end to end from files. Prints medians.
//!
//! ```text
//! cargo bench -p codegen --features internals --bench pipeline -- [--input PATH]... [--runs N] [--scales 1,4,16]
//!                                             [--table-rows 10000,40000,200000]
//! ```
//!
//! Inputs: the area's metadata, each `--input` CSDL file (for example
//! `../shared/corpus/graph-v1.0.csdl.xml`), and synthetic CSDL at each scale, where 1× has about
//! as many types, operations and entry points as Microsoft Graph v1.0.
//!
//! `--table-rows` measures instead one documentation page, made in memory, whose property table
//! has each given number of rows, read without CSDL: page parsing, resolution (which synthesizes
//! the type and runs `docs::enrich`), and `docs::enrich` once more on its own. Each stage should
//! grow linearly with the rows.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use codegen::diagnostics::Diagnostics;
use codegen::source::SourceMap;
use codegen::{csdl, emit, resolve, schedule, write};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

struct Options {
    inputs: Vec<PathBuf>,
    runs: usize,
    scales: Vec<usize>,
    table_rows: Vec<usize>,
}

fn options() -> Options {
    let mut options = Options {
        inputs: Vec::new(),
        runs: 5,
        scales: vec![1, 4, 16],
        table_rows: Vec::new(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--input" => options
                .inputs
                .extend(args.next().map(|p| locate(PathBuf::from(p)))),
            "--runs" => {
                options.runs = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(options.runs)
                    .max(1)
            }
            "--scales" => {
                options.scales = args
                    .next()
                    .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
                    .unwrap_or_default()
            }
            "--table-rows" => {
                options.table_rows = args
                    .next()
                    .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
                    .unwrap_or_default()
            }
            _ => {} // `cargo bench` passes `--bench`
        }
    }
    options
}

/// `cargo bench` runs in the package directory; a relative path may mean the workspace root.
fn locate(path: PathBuf) -> PathBuf {
    let from_root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(&path);
    if path.is_relative() && !path.exists() && from_root.exists() {
        from_root
    } else {
        path
    }
}

fn main() {
    // As the CLI does (see `avoid_transparent_huge_pages` in src/main.rs).
    #[cfg(target_os = "linux")]
    let _ = nix::sys::prctl::set_thp_disable(true);
    let options = options();
    if !options.table_rows.is_empty() {
        return table_rows(&options);
    }
    let scratch = std::env::temp_dir().join(format!("codegen-bench-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).expect("a scratch directory");
    let mut inputs: Vec<(String, PathBuf)> = vec![(
        "area".into(),
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../metadata/office-configuration.csdl.xml"),
    )];
    for input in &options.inputs {
        if !input.is_file() {
            eprintln!("pipeline: {} is not a file; skipped", input.display());
            continue;
        }
        inputs.push((
            input
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            input.clone(),
        ));
    }
    for &scale in &options.scales {
        let path = scratch.join(format!("synthetic-{scale}x.xml"));
        std::fs::write(&path, synthetic(scale)).expect("the synthetic input is written");
        inputs.push((format!("synthetic {scale}x"), path));
    }
    println!("| input | size | types | files | parse | resolve | emit | emit+format | write | end to end | peak RSS |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (name, path) in inputs {
        // Big inputs take long; fewer runs keep the bench usable (but more than one, so that
        // the median is not the first run on a cold heap).
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        let runs = if size > 8 << 20 {
            options.runs.min(3)
        } else {
            options.runs
        };
        measure(&name, &path, size, runs, &scratch);
    }
    let _ = std::fs::remove_dir_all(&scratch);
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn time<T>(samples: &mut Vec<Duration>, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let value = f();
    samples.push(start.elapsed());
    value
}

/// Resets the kernel's peak-RSS mark of this process (Linux), so each input gets its own peak.
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn peak_rss_mb() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or("n/a".into(), |kb| format!("{:.0} MB", kb / 1024.0))
}

fn measure(name: &str, path: &Path, size: u64, runs: usize, scratch: &Path) {
    let text = std::fs::read_to_string(path).expect("the input is readable");
    let (mut parse, mut resolve_t, mut emit_t, mut format_t, mut write_t, mut total) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    let (mut types, mut files) = (0, 0);
    reset_peak();
    for run in 0..runs {
        let mut sources = SourceMap::default();
        let id = sources.add(path.to_path_buf(), text.clone());
        let mut diagnostics = Diagnostics::default();
        let document = time(&mut parse, || {
            csdl::parse(id, &sources.file(id).text, &mut diagnostics)
        })
        .expect("the input parses");
        // Outside the timed closure, so that resolve is not charged for dropping the syntax tree.
        let documents = [document];
        let Some(model) = time(&mut resolve_t, || {
            resolve::resolve(&documents, &[], &Default::default(), None, &mut diagnostics)
        }) else {
            for d in diagnostics.into_sorted().iter().take(5) {
                eprintln!("{}", d.render(&sources));
            }
            panic!("{name} does not resolve");
        };
        let options = emit::EmitOptions {
            crate_name: "bench",
            metadata_urls: &[],
            customizations: &[],
            runtime: &codegen::Runtime::Vendored,
        };
        let plan = emit::parts(&model, &options);
        time(&mut emit_t, || {
            for file in &plan {
                drop(emit::contents(&model, &options, file));
            }
        });
        let output = time(&mut format_t, || {
            schedule::emit_and_format(&model, &options, &plan, &mut |_, _| {})
        })
        .expect("the output formats");
        let out = scratch.join(format!("out-{run}"));
        time(&mut write_t, || write::write(&out, &output)).expect("the output is written");
        let _ = std::fs::remove_dir_all(&out);
        types = model.types.len();
        files = output.len();
        // End to end starts from what the CLI starts from: nothing of the runs above is kept
        // (at 16x they are gigabytes, which the CLI never holds).
        drop((output, plan, model, documents, sources));
        let out = scratch.join(format!("end-{run}"));
        // As the CLI does it: each file is written as soon as it is formatted.
        time(&mut total, || {
            let mut staging = write::Staging::open(&out, &write::WriteOptions::default())
                .expect("the output directory can be written");
            let generation = codegen::Generator::new()
                .metadata(path)
                .crate_name("bench")
                .generate_with(|path, text| staging.stage(path, text));
            staging
                .commit(generation.files().expect("the input generates"))
                .expect("the output is written");
        });
        let _ = std::fs::remove_dir_all(&out);
    }
    println!(
        "| {name} | {:.1} MB | {types} | {files} | {} | {} | {} | {} | {} | {} | {} |",
        size as f64 / (1 << 20) as f64,
        ms(median(parse)),
        ms(median(resolve_t)),
        ms(median(emit_t)),
        ms(median(format_t)),
        ms(median(write_t)),
        ms(median(total)),
        peak_rss_mb()
    );
}

/// CSDL with, per scale unit, about Microsoft Graph v1.0's numbers: ~3,800 types (enums, complex
/// and entity types in hierarchies with containment), ~1,200 bound actions, 40 entry points.
fn synthetic(scale: usize) -> String {
    use std::fmt::Write as _;
    let mut xml = String::from(
        r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices><Schema Namespace="synthetic" Alias="s" xmlns="http://docs.oasis-open.org/odata/ns/edm">"#,
    );
    xml.push('\n');
    let (enums, complexes, entities, actions) =
        (850 * scale, 1800 * scale, 1150 * scale, 1200 * scale);
    for e in 0..enums {
        let _ = write!(xml, r#"<EnumType Name="enum{e}">"#);
        for m in 0..6 {
            let _ = write!(xml, r#"<Member Name="member{m}" Value="{m}"/>"#);
        }
        xml.push_str("<Member Name=\"unknownFutureValue\" Value=\"99\"/></EnumType>\n");
    }
    let primitives = [
        "Edm.String",
        "Edm.Int32",
        "Edm.Boolean",
        "Edm.DateTimeOffset",
        "Edm.Double",
        "Edm.Guid",
        "Edm.Int64",
        "Collection(Edm.String)",
    ];
    for c in 0..complexes {
        let base = if c % 5 == 4 {
            format!(r#" BaseType="s.complex{}""#, c - 1)
        } else {
            String::new()
        };
        let _ = write!(xml, r#"<ComplexType Name="complex{c}"{base}>"#);
        for p in 0..5 {
            let _ = write!(
                xml,
                r#"<Property Name="value{c}x{p}" Type="{}"><Annotation Term="Org.OData.Core.V1.Description" String="Value {p} of complex {c}."/></Property>"#,
                primitives[(c + p) % primitives.len()]
            );
        }
        let _ = write!(
            xml,
            r#"<Property Name="kind{c}" Type="s.enum{}"/>"#,
            c % enums
        );
        if c > 0 {
            let _ = write!(
                xml,
                r#"<Property Name="detail{c}" Type="s.complex{}"/>"#,
                c / 2
            );
        }
        xml.push_str("</ComplexType>\n");
    }
    xml.push_str(r#"<EntityType Name="entity" Abstract="true"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.String" Nullable="false"/></EntityType>"#);
    for e in 0..entities {
        let base = if e % 4 == 0 {
            "s.entity".to_owned()
        } else {
            format!("s.entity{}", e - e % 4)
        };
        let _ = write!(xml, r#"<EntityType Name="entity{e}" BaseType="{base}">"#);
        for p in 0..7 {
            let _ = write!(
                xml,
                r#"<Property Name="field{e}x{p}" Type="{}"/>"#,
                primitives[(e + p) % primitives.len()]
            );
        }
        let _ = write!(
            xml,
            r#"<Property Name="settings{e}" Type="Collection(s.complex{})"/>"#,
            e % complexes
        );
        // Containment two levels deep from every sixteenth type, as in Graph.
        if e % 16 == 0 && e + 4 < entities {
            let _ = write!(
                xml,
                r#"<NavigationProperty Name="children" Type="Collection(s.entity{})" ContainsTarget="true"/>"#,
                e + 4
            );
            let _ = write!(
                xml,
                r#"<NavigationProperty Name="owner" Type="s.entity{}"/>"#,
                (e + 8) % entities - (e + 8) % entities % 4
            );
        }
        xml.push_str("</EntityType>\n");
    }
    for a in 0..actions {
        let _ = write!(
            xml,
            r#"<Action Name="action{a}" IsBound="true"><Parameter Name="bindingParameter" Type="s.entity{}"/><Parameter Name="input" Type="s.complex{}"/><ReturnType Type="Collection(s.complex{})"/></Action>"#,
            (a * 4) % entities - (a * 4) % entities % 4,
            a % complexes,
            (a + 1) % complexes
        );
        xml.push('\n');
    }
    xml.push_str(r#"<EntityContainer Name="Service">"#);
    for set in 0..40 * scale {
        let _ = write!(
            xml,
            r#"<EntitySet Name="set{set}" EntityType="s.entity{}"/>"#,
            (set * 28) % entities - (set * 28) % entities % 4
        );
    }
    xml.push_str("</EntityContainer></Schema></edmx:DataServices></edmx:Edmx>\n");
    xml
}

/// A resource page (docs dialect, in our own words) whose property table has `rows` rows.
fn long_table_page(rows: usize) -> String {
    let mut page = String::with_capacity(rows * 48 + 1024);
    page.push_str(
        "---\ntitle: \"gadget resource type\"\ndoc_type: resourcePageType\n---\n\n# gadget resource type\n\nNamespace: microsoft.graph\n\n## Properties\n|Property|Type|Description|\n|:---|:---|:---|\n|id|String|The key.|\n",
    );
    for i in 0..rows {
        page.push_str(&format!("|setting{i}|String|Setting number {i}.|\n"));
    }
    page.push_str("\n## JSON representation\n<!-- { \"blockType\": \"resource\", \"@odata.type\": \"microsoft.graph.gadget\" } -->\n```json\n{ \"id\": \"String\" }\n```\n");
    page
}

fn table_rows(options: &Options) {
    println!("| rows | page | parse | resolve (synthesize + enrich) | enrich alone | lint |");
    println!("| ---: | ---: | ---: | ---: | ---: | ---: |");
    for &rows in &options.table_rows {
        let text = long_table_page(rows);
        let (mut parse, mut resolve_t, mut enrich_t, mut lint_t) = (vec![], vec![], vec![], vec![]);
        for _ in 0..options.runs {
            let mut sources = SourceMap::default();
            let id = sources.add(PathBuf::from("gadget.md"), text.clone());
            let mut diagnostics = Diagnostics::default();
            let page = time(&mut parse, || {
                codegen::pages::parse(id, &sources.file(id).text, &mut diagnostics)
            });
            let pages = [page];
            let mut model = time(&mut resolve_t, || {
                resolve::resolve(&[], &pages, &Default::default(), None, &mut diagnostics)
            })
            .expect("the page resolves");
            time(&mut enrich_t, || {
                resolve::docs::enrich(&mut model, &pages, true)
            });
            time(&mut lint_t, || {
                codegen::lint::lint_pages(&model, &pages, &sources, true)
                    .findings
                    .len()
            });
        }
        println!(
            "| {rows} | {:.1} MB | {} | {} | {} | {} |",
            text.len() as f64 / (1 << 20) as f64,
            ms(median(parse)),
            ms(median(resolve_t)),
            ms(median(enrich_t)),
            ms(median(lint_t))
        );
    }
}
