//! Fuzz target `survey_xlsx`: the contract in `checks/mod.rs` (`checks::survey_xlsx`).
#![no_main]

#[path = "../checks/mod.rs"]
#[allow(dead_code)] // each target uses one of the checks
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::survey_xlsx(data));
