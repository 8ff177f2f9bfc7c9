//! OCOP POS: a point of sale for OCOP specialty showrooms.
//!
//! Layers, lowest first: `core` (pure rules), `store` (SQLite), `print` (PDF, printer raster),
//! `printer` (sending to printers, on threads, under time-outs), `send` (the network: invoices
//! to the tax authority), `hub` (the province hub on PostgreSQL, every round trip under a
//! time-out), `cli`, `ui` (iced).

pub mod cli;
pub mod config;
pub mod core;
pub mod documents;
pub mod hub;
pub mod i18n;
pub mod lock;
pub mod print;
pub mod printer;
pub mod send;
pub mod store;
pub mod ui;
