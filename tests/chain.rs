//! Tamper evidence: sales, refunds, invoices, cash moves, Z closes and audit rows are hash
//! chained. Over random histories, any record altered, deleted or slipped in with the
//! append-only triggers dropped (as someone with `sqlite3` could) is found and named; no sale is
//! made until a manager acknowledges it; the check at start reads only what is new.

mod common;

use chrono::{DateTime, Duration, Utc};
use common::{demo_store, sell_for_exact_cash, shop_time};
use ocop_pos::core::audit::AuditAct;
use ocop_pos::core::cart::Cart;
use ocop_pos::core::cash::{CashMoveKind, NoteCount};
use ocop_pos::core::chain::{ChainBreak, ChainCheck, ChainKind, Fault, Figure};
use ocop_pos::core::einvoice::{InvoiceBuyer, InvoiceSettings};
use ocop_pos::core::invoice::Buyer;
use ocop_pos::core::money::Money;
use ocop_pos::core::payment::PaymentMethod;
use ocop_pos::core::refund::{RefundItem, RefundRequest};
use ocop_pos::core::sale::SaleRecord;
use ocop_pos::core::staff::AuditChange;
use ocop_pos::store::{BuyerCorrectionRequest, Store, StoreError};
use proptest::prelude::*;
use rusqlite::{Connection, params};
use rust_decimal::Decimal;
use tempfile::TempDir;

const BUYER_TAX_CODE: &str = "0100233488";

/// One thing done at the shop.
#[derive(Debug, Clone)]
enum Act {
    Sale { product: usize, quantity: u32 },
    Refund { sale: usize },
    Invoice { sale: usize },
    CashMove { out: bool, amount: i64 },
    Close { counted: i64 },
    Audit { subject: u32 },
}

fn act() -> impl Strategy<Value = Act> {
    prop_oneof![
        4 => (0usize..42, 1u32..4).prop_map(|(product, quantity)| Act::Sale { product, quantity }),
        1 => (0usize..50).prop_map(|sale| Act::Refund { sale }),
        1 => (0usize..50).prop_map(|sale| Act::Invoice { sale }),
        1 => (any::<bool>(), 1i64..500).prop_map(|(out, amount)| Act::CashMove {
            out,
            amount: amount * 1_000
        }),
        1 => (0i64..5_000).prop_map(|counted| Act::Close { counted: counted * 1_000 }),
        1 => any::<u32>().prop_map(|subject| Act::Audit { subject }),
    ]
}

/// A store that lived through `acts`, and the moment after them.
struct Shop {
    _dir: TempDir,
    store: Store,
    sales: Vec<SaleRecord>,
    now: DateTime<Utc>,
}

impl Shop {
    fn new() -> Shop {
        let (dir, mut store) = demo_store();
        store
            .save_buyer(
                &Buyer {
                    id: 0,
                    name: "Công ty TNHH Du lịch Biển Xanh".into(),
                    tax_code: BUYER_TAX_CODE.into(),
                    address: "12 Trần Hưng Đạo, phường Rạch Giá, tỉnh An Giang".into(),
                    email: String::new(),
                    contact: String::new(),
                },
                shop_time(),
            )
            .unwrap();
        // Registered: every sale, adjustment and replacement is a chained e-invoice.
        store
            .save_invoice_settings(&InvoiceSettings::demo())
            .unwrap();
        Shop {
            _dir: dir,
            store,
            sales: Vec::new(),
            now: shop_time(),
        }
    }

    fn live(&mut self, acts: &[Act]) {
        for act in acts {
            self.now += Duration::minutes(3);
            self.apply(act);
        }
    }

    fn sell(&mut self, product: usize, quantity: u32) -> Result<SaleRecord, StoreError> {
        let catalogue = self.store.catalogue(self.now).unwrap();
        let mut cart = Cart::default();
        cart.add_product(
            &catalogue[product % catalogue.len()],
            Decimal::from(quantity),
        )
        .unwrap();
        sell_for_exact_cash(&mut self.store, &cart, self.now)
    }

    fn open_session(&mut self) {
        if self.store.current_cash_session().unwrap().is_none() {
            self.store
                .open_cash_session(Money(500_000), "Trần Văn Hùng", self.now)
                .unwrap();
        }
    }

    fn apply(&mut self, act: &Act) {
        let store = &mut self.store;
        match *act {
            Act::Sale { product, quantity } => {
                let sale = self.sell(product, quantity).unwrap();
                self.sales.push(sale);
            }
            Act::Refund { sale } if !self.sales.is_empty() => {
                let sale = &self.sales[sale % self.sales.len()];
                let left = store.refundable_lines(&sale.receipt_no).unwrap();
                if left[0].0 >= Decimal::ONE {
                    let request = RefundRequest {
                        receipt_no: sale.receipt_no.clone(),
                        items: vec![RefundItem {
                            line_no: 0,
                            quantity: Decimal::ONE,
                        }],
                        method: PaymentMethod::Cash,
                        restock: true,
                        reason: "Khách đổi ý".into(),
                        cashier: "Nguyễn Thị Lan".into(),
                        approver: None,
                    };
                    store.commit_refund(&request, self.now).unwrap();
                }
            }
            // The sale's invoice made out again to a company: a replacement, when the invoice
            // was not corrected before.
            Act::Invoice { sale } if !self.sales.is_empty() => {
                let sale = &self.sales[sale % self.sales.len()];
                let Some(original) = sale.invoice.issued().map(|invoice| invoice.reference())
                else {
                    return;
                };
                let request = BuyerCorrectionRequest {
                    buyer: Some(InvoiceBuyer::Company(Buyer {
                        id: 0,
                        name: "Công ty TNHH Du lịch Biển Xanh".into(),
                        tax_code: BUYER_TAX_CODE.into(),
                        address: "12 Trần Hưng Đạo, phường Rạch Giá, tỉnh An Giang".into(),
                        email: String::new(),
                        contact: String::new(),
                    })),
                    reason: "khách cần hóa đơn công ty".into(),
                    agreement: "BB-01/2026".into(),
                    by: "Trần Văn Hùng".into(),
                };
                match store.correct_invoice_buyer(&original, &request, self.now) {
                    Ok(_) | Err(StoreError::Invoice(_)) => {}
                    Err(other) => panic!("{other}"),
                }
            }
            Act::CashMove { out, amount } => {
                self.open_session();
                let kind = if out {
                    CashMoveKind::Out
                } else {
                    CashMoveKind::In
                };
                self.store
                    .record_cash_move(kind, Money(amount), "Đổi tiền lẻ", "Lan", self.now)
                    .unwrap();
            }
            Act::Close { counted } => {
                if let Some(open) = store.current_cash_session().unwrap() {
                    let mut counts = NoteCount::default();
                    counts.set(1_000, (counted / 1_000) as u32).unwrap();
                    store
                        .close_cash_session(open.id, &counts, "Đếm cuối ca", "Lan", self.now)
                        .unwrap();
                }
            }
            Act::Audit { subject } => {
                let change = AuditChange {
                    subject: &format!("2026-{subject:06}"),
                    before: "",
                    after: "2",
                };
                store
                    .record_audit("Trần Văn Hùng", AuditAct::Reprint, &change, self.now)
                    .unwrap();
            }
            Act::Refund { .. } | Act::Invoice { .. } => {}
        }
    }

    /// The database as `sqlite3` opens it, foreign keys unchecked.
    fn raw(&self) -> Connection {
        let conn = Connection::open(self.store.path()).unwrap();
        conn.pragma_update(None, "foreign_keys", "OFF").unwrap();
        conn
    }
}

/// The breaks a check found, by kind.
fn broken(checks: &[ChainCheck]) -> Vec<ChainBreak> {
    checks.iter().filter_map(|c| c.broken.clone()).collect()
}

/// Drops every trigger that keeps records as written, as someone with `sqlite3` could.
fn drop_append_only_triggers(conn: &Connection) {
    let names: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'
               AND (name LIKE '%no_update' OR name LIKE '%no_delete' OR name LIKE '%frozen'
                    OR name = 'cash_movements_open_session')",
        )
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(names.len() > 20, "{names:?}");
    for name in names {
        conn.execute(&format!("DROP TRIGGER {name}"), []).unwrap();
    }
}

/// How each kind's records are reached in SQL, to tamper with them.
struct Table {
    kind: ChainKind,
    /// Ids of the kind's records, in order.
    ids: &'static str,
    table: &'static str,
    /// Statements changing record `?1` (each changes something stored).
    alterations: &'static [&'static str],
    /// Makes the copy in `tampered` unique where the table requires it.
    unique: &'static str,
    /// Removes the child rows of record `?1`, as a careful forger removing it would.
    children: &'static [&'static str],
}

const TABLES: [Table; 6] = [
    Table {
        kind: ChainKind::Sale,
        ids: "SELECT id FROM sales ORDER BY id",
        table: "sales",
        alterations: &[
            "UPDATE sales SET total = total - 1000 WHERE id = ?1",
            "UPDATE sale_lines SET name = name || ' (đổi)' WHERE sale_id = ?1 AND line_no = 0",
            "UPDATE payments SET method = 'card' WHERE sale_id = ?1",
            "DELETE FROM sale_vat WHERE sale_id = ?1",
            "UPDATE sales SET local_date = '2020-01-01' WHERE id = ?1",
        ],
        unique: "UPDATE tampered SET receipt_no = receipt_no || 'B', uid = uid || 'B'",
        children: &[
            "DELETE FROM sale_lines WHERE sale_id = ?1",
            "DELETE FROM sale_vat WHERE sale_id = ?1",
            "DELETE FROM payments WHERE sale_id = ?1",
            "DELETE FROM sale_baskets WHERE sale_id = ?1",
        ],
    },
    Table {
        kind: ChainKind::Refund,
        ids: "SELECT id FROM refunds ORDER BY id",
        table: "refunds",
        alterations: &[
            "UPDATE refunds SET total = total + 1 WHERE id = ?1",
            "UPDATE refund_lines SET quantity_milli = quantity_milli + 1000 WHERE refund_id = ?1",
            "UPDATE refunds SET method = 'transfer' WHERE id = ?1",
        ],
        unique: "UPDATE tampered SET refund_no = refund_no || 'B', uid = uid || 'B'",
        children: &[
            "DELETE FROM refund_lines WHERE refund_id = ?1",
            "DELETE FROM refund_vat WHERE refund_id = ?1",
        ],
    },
    Table {
        kind: ChainKind::EInvoice,
        ids: "SELECT id FROM einvoices ORDER BY id",
        table: "einvoices",
        alterations: &[
            "UPDATE einvoices SET xml = replace(xml, '</TgTTTBSo>', '0</TgTTTBSo>') WHERE id = ?1",
            "UPDATE einvoices SET record_json = record_json || ' ' WHERE id = ?1",
        ],
        // The copy passes for a replacement of the newest invoice, under numbers of its own.
        unique: "UPDATE tampered SET number = number + 1000000,
                                     authority_code = authority_code || 'X',
                                     kind = 'replacement', refund_id = NULL,
                                     related_id = (SELECT max(id) FROM einvoices)",
        children: &[],
    },
    Table {
        kind: ChainKind::CashMove,
        ids: "SELECT id FROM cash_movements ORDER BY id",
        table: "cash_movements",
        alterations: &[
            "UPDATE cash_movements SET amount = amount + 1000 WHERE id = ?1",
            "UPDATE cash_movements SET created_by = 'Ai đó' WHERE id = ?1",
        ],
        unique: "SELECT 1",
        children: &[],
    },
    Table {
        kind: ChainKind::ZClose,
        ids: "SELECT id FROM cash_sessions WHERE closed_at IS NOT NULL ORDER BY id",
        table: "cash_sessions",
        alterations: &[
            "UPDATE cash_sessions SET counted_cash = counted_cash + 50000 WHERE id = ?1",
            "UPDATE cash_sessions SET close_note = 'Không có gì' WHERE id = ?1",
            "UPDATE cash_sessions SET opening_float = opening_float + 1000 WHERE id = ?1",
        ],
        unique: "UPDATE tampered SET z_number = z_number || 'B', uid = uid || 'B'",
        children: &["DELETE FROM z_chain_heads WHERE session_id = ?1"],
    },
    Table {
        kind: ChainKind::Audit,
        ids: "SELECT id FROM audit_log ORDER BY id",
        table: "audit_log",
        alterations: &[
            "UPDATE audit_log SET after = after || '0' WHERE id = ?1",
            "UPDATE audit_log SET approver = 'Trần Văn Hùng' WHERE id = ?1 AND approver IS NULL",
            "UPDATE audit_log SET act = 'reprint' WHERE id = ?1 AND act <> 'reprint'",
        ],
        unique: "SELECT 1",
        children: &[],
    },
];

/// What is done to one record.
#[derive(Debug, Clone, Copy)]
enum Tamper {
    Alter(usize),
    /// The record's row goes; its child rows stay.
    Delete,
    /// The record goes with its child rows, as a careful forger would remove it.
    DeleteWhole,
    /// A copy of the record is added as a new one.
    Insert,
}

fn tamper() -> impl Strategy<Value = Tamper> {
    prop_oneof![
        3 => (0usize..8).prop_map(Tamper::Alter),
        1 => Just(Tamper::Delete),
        1 => Just(Tamper::DeleteWhole),
        1 => Just(Tamper::Insert),
    ]
}

fn ids(conn: &Connection, sql: &str) -> Vec<i64> {
    conn.prepare(sql)
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn position_of(conn: &Connection, table: &Table, id: i64) -> i64 {
    conn.query_row(
        &format!("SELECT chain_position FROM {} WHERE id = ?1", table.table),
        [id],
        |row| row.get(0),
    )
    .unwrap()
}

/// Does `how` to record number `pick` of `table` and says which break a full check must find
/// first: `(record id, position, fault)`. `None` when the alteration changes nothing in this
/// record (e.g. a refund with one line), so there is nothing to find.
fn do_tamper(
    conn: &Connection,
    table: &Table,
    pick: usize,
    how: Tamper,
) -> Option<(Option<i64>, i64, &'static str)> {
    let ids = ids(conn, table.ids);
    let id = ids[pick % ids.len()];
    let position = position_of(conn, table, id);
    drop_append_only_triggers(conn);
    match how {
        Tamper::Alter(which) => {
            let sql = table.alterations[which % table.alterations.len()];
            if conn.execute(sql, [id]).unwrap() == 0 {
                return None;
            }
            Some((Some(id), position, "altered"))
        }
        Tamper::Delete | Tamper::DeleteWhole => {
            let sql = format!("DELETE FROM {} WHERE id = ?1", table.table);
            assert_eq!(conn.execute(&sql, [id]).unwrap(), 1);
            if matches!(how, Tamper::DeleteWhole) {
                for child in table.children {
                    conn.execute(child, [id]).unwrap();
                }
            }
            // The next record can no longer be checked against the one before; with none after
            // it, the chain is shorter than when it was last verified.
            match ids.iter().find(|next| **next > id) {
                Some(&next) => Some((Some(next), position + 1, "removed")),
                None => Some((None, position, "truncated")),
            }
        }
        Tamper::Insert => {
            conn.execute_batch(&format!(
                "CREATE TEMP TABLE tampered AS SELECT * FROM {0} WHERE id = {id};
                 UPDATE tampered SET id = (SELECT max(id) + 1 FROM {0});
                 {1};
                 INSERT INTO {0} SELECT * FROM tampered;",
                table.table, table.unique
            ))
            .unwrap();
            // The copy claims the place of the record it copies.
            Some((Some(conn.last_insert_rowid()), position, "unchained"))
        }
    }
}

/// Acknowledges every break found, checking again after each, until a check finds none.
fn acknowledge_all(store: &mut Store, now: DateTime<Utc>) {
    for _ in 0..10 {
        let open = store.unacknowledged_breaks().unwrap();
        if open.is_empty() {
            return;
        }
        for stored in open {
            store
                .acknowledge_chain_break(
                    stored.id,
                    &stored.chain_break.to_string(),
                    "Trần Văn Hùng",
                    now,
                )
                .unwrap();
        }
        store.verify_chains(now).unwrap();
    }
    panic!("breaks keep coming");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Any record of any kind, altered, deleted (alone or with its place) or added outside the
    /// program, is found by a full check and named; the other chains stay whole; no sale is
    /// made until a manager acknowledges it, then selling goes on.
    #[test]
    fn any_tampered_record_is_named_and_stops_selling_until_acknowledged(
        acts in prop::collection::vec(act(), 12..40),
        kind in 0usize..6,
        pick in any::<usize>(),
        how in tamper(),
    ) {
        let mut shop = Shop::new();
        // Every kind has at least one record.
        shop.live(&[
            Act::Sale { product: 1, quantity: 2 },
            Act::CashMove { out: false, amount: 200_000 },
            Act::Refund { sale: 0 },
            Act::Invoice { sale: 0 },
            Act::Close { counted: 700_000 },
        ]);
        shop.live(&acts);
        let now = shop.now + Duration::minutes(1);
        // What the window does at start: nothing is wrong with a history the program wrote.
        let checks = shop.store.verify_new_records(now).unwrap();
        prop_assert!(broken(&checks).is_empty(), "{:?}", broken(&checks));
        prop_assert!(broken(&shop.store.verify_chains(now).unwrap()).is_empty());

        let table = &TABLES[kind];
        let Some((record_id, position, fault)) = do_tamper(&shop.raw(), table, pick, how) else {
            return Ok(());
        };
        let found = broken(&shop.store.verify_chains(now).unwrap());
        prop_assert_eq!(found.len(), 1, "{:?}", found);
        let first = &found[0];
        prop_assert_eq!(first.kind, table.kind);
        prop_assert_eq!(first.fault.code(), fault, "{}", first);
        prop_assert_eq!(first.position, position, "{}", first);
        prop_assert_eq!(first.record_id, record_id, "{}", first);
        if table.kind == ChainKind::Sale && fault == "altered" {
            let number: String = shop.raw()
                .query_row("SELECT receipt_no FROM sales WHERE id = ?1", [record_id], |r| r.get(0))
                .unwrap();
            prop_assert_eq!(first.number.as_deref(), Some(number.as_str()));
        }

        // No sale while the break is not acknowledged, however the sale is tried.
        let refused = shop.sell(3, 1);
        prop_assert!(matches!(refused, Err(StoreError::ChainBroken(_))), "{:?}", refused);
        acknowledge_all(&mut shop.store, now);
        prop_assert!(shop.sell(3, 1).is_ok());
    }

    /// The check at start reads from the last verified point: it finds a change to a record
    /// written since, and only the full check finds one to an older record.
    #[test]
    fn the_start_up_check_finds_newer_changes_and_the_full_check_older_ones(
        before in prop::collection::vec(act(), 5..20),
        after in prop::collection::vec(act(), 5..20),
        pick in any::<usize>(),
        older in any::<bool>(),
    ) {
        let mut shop = Shop::new();
        shop.live(&[Act::Sale { product: 0, quantity: 1 }]);
        shop.live(&before);
        let now = shop.now + Duration::minutes(1);
        prop_assert!(broken(&shop.store.verify_new_records(now).unwrap()).is_empty());
        let verified: Vec<i64> = ids(&shop.raw(), "SELECT id FROM sales ORDER BY id");
        shop.live(&[Act::Sale { product: 5, quantity: 1 }]);
        shop.live(&after);
        let conn = shop.raw();
        let newer: Vec<i64> = ids(&conn, "SELECT id FROM sales ORDER BY id")
            .into_iter()
            .filter(|id| !verified.contains(id))
            .collect();
        let target = if older {
            verified[pick % verified.len()]
        } else {
            newer[pick % newer.len()]
        };
        drop_append_only_triggers(&conn);
        conn.execute("UPDATE sales SET total = total + 1000 WHERE id = ?1", [target]).unwrap();

        let at_start = broken(&shop.store.verify_new_records(now).unwrap());
        if older {
            prop_assert!(at_start.is_empty(), "{:?}", at_start);
        } else {
            prop_assert_eq!(at_start.len(), 1);
            prop_assert_eq!(at_start[0].record_id, Some(target));
        }
        let full = broken(&shop.store.verify_chains(now).unwrap());
        prop_assert_eq!(full.len(), 1);
        prop_assert_eq!(full[0].record_id, Some(target));
    }
}

#[test]
fn an_altered_total_says_which_figure_no_longer_adds_up() {
    let mut shop = Shop::new();
    shop.live(&[Act::Sale {
        product: 2,
        quantity: 2,
    }]);
    let sale = shop.sales[0].clone();
    let conn = shop.raw();
    drop_append_only_triggers(&conn);
    conn.execute(
        "UPDATE sales SET total = total - 10000 WHERE id = ?1",
        [sale.id],
    )
    .unwrap();
    let found = broken(&shop.store.verify_chains(shop.now).unwrap());
    let total = sale.draft.total.dong();
    assert_eq!(
        found[0].fault,
        Fault::Altered {
            discrepancy: Some(ocop_pos::core::chain::Discrepancy {
                figure: Figure::TotalOfLines,
                stored: total - 10_000,
                parts: total,
            })
        }
    );
    assert_eq!(found[0].number.as_deref(), Some(sale.receipt_no.as_str()));
    // A reprint would now disagree with the daily figures; the break says so in words.
    let text = ocop_pos::i18n::chain_break_text(&found[0], ocop_pos::i18n::Lang::Vi);
    assert!(text.contains(&sale.receipt_no), "{text}");
    assert!(text.contains("các dòng cộng lại"), "{text}");
}

#[test]
fn a_break_found_again_needs_no_second_acknowledgement_but_a_new_one_does() {
    let mut shop = Shop::new();
    shop.live(&[
        Act::Sale {
            product: 2,
            quantity: 1,
        },
        Act::Sale {
            product: 3,
            quantity: 1,
        },
        Act::Sale {
            product: 4,
            quantity: 1,
        },
    ]);
    let conn = shop.raw();
    drop_append_only_triggers(&conn);
    let [first, second, _] = [0, 1, 2].map(|i| shop.sales[i].id);
    conn.execute("UPDATE sales SET cashier = 'X' WHERE id = ?1", [second])
        .unwrap();
    let now = shop.now;
    shop.store.verify_chains(now).unwrap();
    shop.store.verify_chains(now).unwrap();
    // Found twice, kept once.
    assert_eq!(shop.store.unacknowledged_breaks().unwrap().len(), 1);
    acknowledge_all(&mut shop.store, now);
    assert!(broken(&shop.store.verify_chains(now).unwrap()).is_empty());
    assert!(broken(&shop.store.verify_new_records(now).unwrap()).is_empty());

    // The same record changed again is a new break; so is another record.
    conn.execute("UPDATE sales SET cashier = 'Y' WHERE id = ?1", [second])
        .unwrap();
    assert_eq!(
        broken(&shop.store.verify_chains(now).unwrap())[0].record_id,
        Some(second)
    );
    acknowledge_all(&mut shop.store, now);
    conn.execute("UPDATE sales SET cashier = 'Z' WHERE id = ?1", [first])
        .unwrap();
    assert_eq!(
        broken(&shop.store.verify_chains(now).unwrap())[0].record_id,
        Some(first)
    );
    assert!(matches!(shop.sell(1, 1), Err(StoreError::ChainBroken(_))));
    // The acknowledgement is an audit act, with what was found.
    acknowledge_all(&mut shop.store, now);
    let acknowledged = shop
        .store
        .audit_entries(&ocop_pos::store::AuditFilter {
            act: Some(AuditAct::AcknowledgeChainBreak),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(acknowledged.len(), 3);
    assert!(acknowledged.iter().all(|e| e.actor == "Trần Văn Hùng"));
    assert!(
        acknowledged[0].before.contains("altered"),
        "{acknowledged:?}"
    );
}

/// The canonical encoding as `core::chain` documents it, written again from the description:
/// a sale's content (its row, then its lines, baskets, VAT rows and payments).
fn sale_content_as_documented(conn: &Connection, sale_id: i64) -> Vec<u8> {
    use rusqlite::types::ValueRef;
    let parts = [
        "SELECT id, receipt_no, receipt_year, receipt_seq, sold_at, local_date, cashier, gross,
                discounts, total, change_given, session_id, cart_no FROM sales WHERE id = ?1",
        "SELECT line_no, product_id, sku, name, producer, stars, unit, quantity_milli, unit_price,
                vat_rate, gross, line_discount, order_discount, total, basket_no
           FROM sale_lines WHERE sale_id = ?1 ORDER BY line_no",
        "SELECT basket_no, name, sku, count_milli, unit_price, components_value, gross, discount,
                total FROM sale_baskets WHERE sale_id = ?1 ORDER BY basket_no",
        "SELECT rate, gross, pre_vat, vat FROM sale_vat WHERE sale_id = ?1 ORDER BY rate",
        "SELECT seq, method, amount, reference FROM payments WHERE sale_id = ?1 ORDER BY seq",
    ];
    let mut out = Vec::new();
    for sql in parts {
        let mut stmt = conn.prepare(sql).unwrap();
        let columns = stmt.column_count();
        let mut rows = stmt.query([sale_id]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            out.push(0x10);
            for index in 0..columns {
                match row.get_ref(index).unwrap() {
                    ValueRef::Null => out.push(0x00),
                    ValueRef::Integer(n) => {
                        out.push(0x01);
                        out.extend(n.to_be_bytes());
                    }
                    ValueRef::Text(bytes) => {
                        out.push(0x03);
                        out.extend((bytes.len() as u32).to_be_bytes());
                        out.extend(bytes);
                    }
                    other => panic!("no {other:?} in a sale"),
                }
            }
        }
        out.push(0x11);
    }
    out
}

/// SHA-256(previous ‖ TEXT "sale" ‖ INTEGER position ‖ content), from the description.
fn sale_hash_as_documented(previous: &[u8; 32], position: i64, content: &[u8]) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    hasher.update(previous);
    hasher.update([0x03, 0, 0, 0, 4]);
    hasher.update(b"sale");
    hasher.update([0x01]);
    hasher.update(position.to_be_bytes());
    hasher.update(content);
    hasher.finalize().into()
}

/// Chains the sales again from their first one, as someone who read the documentation could,
/// replacing their places.
fn rechain_sales(conn: &Connection) {
    let mut previous = [0u8; 32];
    for (index, id) in ids(conn, "SELECT id FROM sales ORDER BY id")
        .into_iter()
        .enumerate()
    {
        let position = index as i64 + 1;
        previous =
            sale_hash_as_documented(&previous, position, &sale_content_as_documented(conn, id));
        conn.execute(
            "UPDATE sales SET chain_position = ?1, chain_hash = ?2 WHERE id = ?3",
            params![position, &previous[..], id],
        )
        .unwrap();
    }
}

fn sale_places(conn: &Connection) -> Vec<(i64, Vec<u8>)> {
    conn.prepare("SELECT chain_position, chain_hash FROM sales ORDER BY id")
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn the_documented_encoding_gives_the_stored_hashes() {
    let mut shop = Shop::new();
    shop.live(&[
        Act::Sale {
            product: 2,
            quantity: 3,
        },
        Act::Sale {
            product: 30,
            quantity: 1,
        },
        Act::Invoice { sale: 0 },
    ]);
    let conn = shop.raw();
    let stored = sale_places(&conn);
    drop_append_only_triggers(&conn);
    rechain_sales(&conn);
    let recomputed = sale_places(&conn);
    assert_eq!(stored.len(), 2);
    assert_eq!(recomputed, stored);
}

#[test]
fn a_chain_recomputed_after_a_z_close_disagrees_with_the_heads_it_printed() {
    let mut shop = Shop::new();
    shop.live(&[
        Act::Sale {
            product: 2,
            quantity: 1,
        },
        Act::Sale {
            product: 3,
            quantity: 1,
        },
        Act::Close { counted: 0 },
    ]);
    let z = shop.store.z_report("Z2026-AA-0001").unwrap().unwrap();
    let sale_head = z
        .chain_heads
        .iter()
        .find(|head| head.kind == ChainKind::Sale)
        .copied()
        .unwrap();
    assert_eq!(sale_head.position, 2);
    assert_eq!(
        shop.store.chain_heads().unwrap()[0],
        sale_head,
        "the Z-report prints the head as it is"
    );
    // Someone who knows the encoding changes a sale and chains every sale again: the chain is
    // consistent, but no longer ends where the Z-report said it did.
    let conn = shop.raw();
    drop_append_only_triggers(&conn);
    conn.execute(
        "UPDATE sales SET total = total + 5000 WHERE id = ?1",
        [shop.sales[1].id],
    )
    .unwrap();
    rechain_sales(&conn);
    let found = broken(&shop.store.verify_chains(shop.now).unwrap());
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].kind, ChainKind::Sale);
    assert_eq!(found[0].fault, Fault::Rewritten);
    assert_eq!(found[0].position, 2);
}
