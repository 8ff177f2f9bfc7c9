//! Numbered migrations that bring an older database up to the current schema.

/// `(version reached, SQL)`, in order. `schema.sql` is the sum of all of them.
pub const MIGRATIONS: &[(i32, &str)] = &[
    (2, include_str!("migrations/0002_cash_sessions_refunds.sql")),
    (3, include_str!("migrations/0003_gift_packs_invoices.sql")),
    (4, include_str!("migrations/0004_staff_audit.sql")),
    (5, include_str!("migrations/0005_inventory.sql")),
    (6, include_str!("migrations/0006_receivings.sql")),
    (7, include_str!("migrations/0007_reductions.sql")),
    (
        8,
        include_str!("migrations/0008_cash_register_invoices.sql"),
    ),
    (9, include_str!("migrations/0009_hash_chains_audit.sql")),
    (10, include_str!("migrations/0010_outbox.sql")),
    (11, include_str!("migrations/0011_orders_receivables.sql")),
    (12, include_str!("migrations/0012_back_office.sql")),
    (13, include_str!("migrations/0013_nodes_sync.sql")),
    (14, include_str!("migrations/0014_foreign_sales.sql")),
    (15, include_str!("migrations/0015_foreign_adjustments.sql")),
    (16, include_str!("migrations/0016_store_details_travel.sql")),
    (17, include_str!("migrations/0017_sync_events_by_key.sql")),
    (18, include_str!("migrations/0018_hub_acked.sql")),
];

/// The first schema a store was ever created with, kept so tests can build such a store.
pub const FIRST_SCHEMA: &str = include_str!("migrations/0001_initial.sql");

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::SCHEMA_VERSION;

    /// A version bump without its migration (or a gap) would leave older stores behind.
    #[test]
    fn migrations_step_one_version_at_a_time_up_to_the_current_schema() {
        let versions: Vec<i32> = MIGRATIONS.iter().map(|(version, _)| *version).collect();
        assert_eq!(versions, (2..=SCHEMA_VERSION).collect::<Vec<_>>());
    }
}
