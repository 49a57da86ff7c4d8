//! Any bytes as a CSDL file, through the whole generator: parse, resolve, emit, format.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let generation = codegen::Generator::new().text("fuzz.xml", text).generate();
    for line in generation.rendered_diagnostics() {
        assert!(!line.contains("internal error"), "{line}");
    }
});
