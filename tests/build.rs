//! Tells the tests whether a real OData server can run here: `cfg(real_server)` when Node.js
//! is on the PATH and SAP CAP is installed in `tests/cap` (`npm ci --ignore-scripts` there, as
//! `.ci/run` does). Without it, the real-server tests are listed as ignored with that reason.

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(real_server)");
    println!("cargo::rerun-if-changed=cap/node_modules/@sap/cds/package.json");
    println!("cargo::rerun-if-changed=cap/package-lock.json");
    println!("cargo::rerun-if-env-changed=PATH");
    let installed = Path::new("cap/node_modules/@sap/cds/package.json").is_file();
    let node = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success());
    if installed && node {
        println!("cargo::rustc-cfg=real_server");
    }
}
