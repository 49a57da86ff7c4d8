//! The modules' docs are those of a vendored crate, whose examples name the crate `__crate__`
//! (see `RuntimeModule::docs` in codegen/src/emit/mod.rs): here they name this one.

fn main() {
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    for (source, name) in [
        ("support/mod.md", "support.md"),
        ("request/mod.md", "request.md"),
        ("client.md", "client.md"),
    ] {
        println!("cargo:rerun-if-changed={source}");
        let docs = std::fs::read_to_string(source).expect("the module docs are beside build.rs");
        std::fs::write(out.join(name), docs.replace("__crate__", "codegen_runtime"))
            .expect("OUT_DIR is writable");
    }
}
