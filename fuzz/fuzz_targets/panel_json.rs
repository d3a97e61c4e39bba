//! Fuzz target `panel_json`: the contract in `checks/mod.rs` (`checks::panel_json`).
#![no_main]

#[path = "../checks/mod.rs"]
#[allow(dead_code)] // each target uses one of the checks
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::panel_json(data));
