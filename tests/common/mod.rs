//! Shared by the integration tests: named tolerances ([`tol`]), the closeness assertions
//! ([`check`]), reference values read from `tests/data/` ([`reference`]) and proptest
//! strategies ([`strategies`]).
#![allow(dead_code)]

pub mod check;
pub mod mcdm;
pub mod reference;
pub mod strategies;
pub mod tol;
