//! jaryo turns Korean forum proceedings booklets (자료집) — PDF, or text an OCR/layout tool
//! already produced — into structured JSON (schema `jaryo/1`): a section tree, typed blocks
//! with their provenance, Korean morphological tokens, and flags on every garbled passage.
//!
//! Stages, each a module with one job and plain data between them:
//! `source` → `extract` → `normalize` → `structure` → `analyze` → `quality` → `emit`;
//! `pipeline` runs them on one document and `batch` over many.

pub mod analyze;
pub mod batch;
pub mod corpus;
pub mod dict;
pub mod document;
pub mod emit;
pub mod eval;
pub mod extract;
pub mod inspect;
pub mod model;
pub mod normalize;
pub mod pipeline;
pub mod quality;
pub mod source;
pub mod structure;
