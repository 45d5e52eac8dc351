//! `cargo +nightly fuzz run inspect`: the .gvmi parser must never panic,
//! and whatever it finds must render as text and JSON.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let inspection = gvmi_core::gvmi_format::inspect_bytes(data);
    for defect in &inspection.defects {
        let _ = defect.to_string();
    }
    let _ = gvmi_core::gvmi_format::report::fields(&inspection);
    serde_json::to_string(&inspection).expect("an inspection always serialises");
});
