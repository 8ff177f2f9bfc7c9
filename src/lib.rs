//! OCOP POS: a point of sale for OCOP specialty showrooms.
//!
//! Layers, lowest first: `core` (pure rules), `store` (SQLite), `print` (PDF), `cli`, `ui` (iced).

pub mod core;
pub mod store;
