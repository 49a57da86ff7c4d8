//! Generates the models and request builders of the area's metadata into `OUT_DIR/odata.rs`,
//! for `src/lib.rs` to include in its `graph` module. Cargo runs this again when a file under
//! `metadata/` changes (codegen prints `cargo:rerun-if-changed` for each); a mistake in the
//! metadata fails the build with its place (`path:line:col: error: ...`).

fn main() -> Result<(), codegen::BuildScriptError> {
    codegen::Generator::new()
        .metadata("../../metadata")
        .build_script()
        .module("graph")
        .run()?;
    Ok(())
}
