//! Numbered migrations that bring an older database up to the current schema.

/// `(version reached, SQL)`, in order. `schema.sql` is the sum of all of them.
pub const MIGRATIONS: &[(i32, &str)] =
    &[(2, include_str!("migrations/0002_cash_sessions_refunds.sql"))];

/// The first schema a store was ever created with, kept so tests can build such a store.
pub const FIRST_SCHEMA: &str = include_str!("migrations/0001_initial.sql");
