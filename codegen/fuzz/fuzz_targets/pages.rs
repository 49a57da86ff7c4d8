//! Any bytes as a documentation page, read and linted without emitting a crate: the page
//! parser, docs-only synthesis and resolution, and every lint check against the area's model.
//! Much faster per input than `markdown` (which also emits and formats two crates), so it
//! reaches millions of inputs in minutes.
#![no_main]

use libfuzzer_sys::fuzz_target;

const AREA_CSDL: &str = include_str!("../../../metadata/office-configuration.csdl.xml");

fuzz_target!(|data: &[u8]| {
    let page = String::from_utf8_lossy(data);
    drop(codegen::Generator::new().text("fuzz.md", page.clone()).load());
    let mut with_csdl = codegen::Generator::new();
    with_csdl.text("area.xml", AREA_CSDL).text("fuzz.md", page);
    drop(with_csdl.load().lint());
});
