//! Any bytes as a documentation page: alone (the model comes from the page), and with the
//! area's CSDL (the page fills in descriptions and is linted against the model).
#![no_main]

use libfuzzer_sys::fuzz_target;

const AREA_CSDL: &str = include_str!("../../../metadata/office-configuration.csdl.xml");

fuzz_target!(|data: &[u8]| {
    let page = String::from_utf8_lossy(data);
    let alone = codegen::Generator::new().text("fuzz.md", page.clone()).generate();
    for line in alone.rendered_diagnostics() {
        assert!(!line.contains("internal error"), "{line}");
    }
    let mut with_csdl = codegen::Generator::new();
    with_csdl.text("area.xml", AREA_CSDL).text("fuzz.md", page);
    drop(with_csdl.load().lint());
    drop(with_csdl.generate());
});
