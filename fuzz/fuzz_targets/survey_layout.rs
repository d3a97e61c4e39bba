//! Fuzz target `survey_layout`: the contract in `checks/mod.rs` (`checks::survey_layout`).
#![no_main]

#[path = "../checks/mod.rs"]
#[allow(dead_code)] // each target uses one of the checks
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::survey_layout(data));
