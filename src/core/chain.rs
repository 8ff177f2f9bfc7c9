//! Tamper evidence: each record of a chained kind (a sale, a refund, a VAT invoice, a cash move,
//! a Z close, an audit row, a cash-register e-invoice) carries a SHA-256 hash over its canonical content and the hash of
//! the record before it of the same kind. Changing, removing or slipping in a record outside
//! the program breaks the chain at that record, and the check names it.
//!
//! # Canonical encoding (version 1)
//!
//! A record keeps its place in its chain in its own row: its position and its hash,
//! `SHA-256(previous ‖ kind ‖ position ‖ content)`:
//! - `previous`: the 32-byte hash of the kind's record before it (32 zero bytes for the first);
//! - `kind`: the kind's code (`sale`, `refund`…) as a TEXT value (below);
//! - `position`: the record's place in its kind's chain, 1 for the first, as an INTEGER value;
//! - `content`: the record's parts in its kind's order — its own row first (its id, then every
//!   other stored column but the two of its place), then each child table (a sale's lines,
//!   baskets, VAT rows and payments: every column but the record's id), in key order.
//!   Each row is the byte `0x10` followed by its values in column order; each part ends with
//!   the byte `0x11` (a part may have no rows).
//!
//! A value is a tag byte and its bytes: `0x00` NULL; `0x01` INTEGER, 8 bytes big-endian two's
//! complement; `0x02` REAL, the 8 bytes of its IEEE 754 bits, big-endian; `0x03` TEXT, its
//! length as 4 bytes big-endian then its UTF-8 bytes; `0x04` BLOB, the same with its bytes.
//! Values are self-delimiting and the row and part bytes are no value tag, so two different
//! records never encode the same.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;

/// A SHA-256 hash.
pub type Hash = [u8; 32];

/// What the first record of a kind is chained to.
pub const GENESIS: Hash = [0; 32];

/// How many hex digits of a hash are printed where a short form is enough (the Z-report).
pub const SHORT_HASH_DIGITS: usize = 12;

/// The kinds of record that are chained, each in its own chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ChainKind {
    Sale,
    Refund,
    Invoice,
    CashMove,
    ZClose,
    Audit,
    /// A cash-register e-invoice: a sale's, a refund's adjustment, a replacement.
    EInvoice,
    /// A sale's customer (who owes what was put on account), and what a delivery took of its
    /// order.
    CustomerSale,
    /// A deposit, a deposit paid back, a payment on account with the invoices it settles.
    CustomerPayment,
}

impl ChainKind {
    pub const ALL: [ChainKind; 9] = [
        ChainKind::Sale,
        ChainKind::Refund,
        ChainKind::Invoice,
        ChainKind::CashMove,
        ChainKind::ZClose,
        ChainKind::Audit,
        ChainKind::EInvoice,
        ChainKind::CustomerSale,
        ChainKind::CustomerPayment,
    ];

    /// The stored name of the kind; it is part of every hash, so it never changes.
    pub fn code(self) -> &'static str {
        match self {
            ChainKind::Sale => "sale",
            ChainKind::Refund => "refund",
            ChainKind::Invoice => "invoice",
            ChainKind::CashMove => "cash_move",
            ChainKind::ZClose => "z_close",
            ChainKind::Audit => "audit",
            ChainKind::EInvoice => "einvoice",
            ChainKind::CustomerSale => "customer_sale",
            ChainKind::CustomerPayment => "customer_payment",
        }
    }

    pub fn from_code(code: &str) -> Option<ChainKind> {
        ChainKind::ALL.into_iter().find(|kind| kind.code() == code)
    }
}

/// A stored value, as the canonical encoding sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value<'a> {
    Null,
    Integer(i64),
    Real(f64),
    Text(&'a [u8]),
    Blob(&'a [u8]),
}

const NULL_TAG: u8 = 0x00;
const INTEGER_TAG: u8 = 0x01;
const REAL_TAG: u8 = 0x02;
const TEXT_TAG: u8 = 0x03;
const BLOB_TAG: u8 = 0x04;
const ROW_START: u8 = 0x10;
const PART_END: u8 = 0x11;

/// Appends one value in the canonical encoding.
pub fn encode_value(out: &mut Vec<u8>, value: Value<'_>) {
    match value {
        Value::Null => out.push(NULL_TAG),
        Value::Integer(number) => {
            out.push(INTEGER_TAG);
            out.extend_from_slice(&number.to_be_bytes());
        }
        Value::Real(number) => {
            out.push(REAL_TAG);
            out.extend_from_slice(&number.to_bits().to_be_bytes());
        }
        Value::Text(bytes) | Value::Blob(bytes) => {
            out.push(if matches!(value, Value::Text(_)) {
                TEXT_TAG
            } else {
                BLOB_TAG
            });
            // Stored values are far below 4 GB (SQLite's own limit is 1 GB).
            out.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
            out.extend_from_slice(bytes);
        }
    }
}

/// Starts a row of a part.
pub fn start_row(out: &mut Vec<u8>) {
    out.push(ROW_START);
}

/// Ends a part (after its rows, if any).
pub fn end_part(out: &mut Vec<u8>) {
    out.push(PART_END);
}

/// The hash of the record at `position` of `kind`'s chain, whose content encodes as `content`,
/// chained to `previous`.
pub fn link_hash(previous: &Hash, kind: ChainKind, position: i64, content: &[u8]) -> Hash {
    let mut head = Vec::with_capacity(32 + 32);
    head.extend_from_slice(previous);
    encode_value(&mut head, Value::Text(kind.code().as_bytes()));
    encode_value(&mut head, Value::Integer(position));
    let mut hasher = Sha256::new();
    hasher.update(&head);
    hasher.update(content);
    hasher.finalize().into()
}

/// SHA-256 of several byte strings, each prefixed by its length (for fingerprints).
pub fn digest_of(parts: &[&[u8]]) -> Hash {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part);
    }
    hasher.finalize().into()
}

/// Lower-case hex digits of a hash.
pub fn hex(hash: &Hash) -> String {
    hash.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// A record's place in its chain; the last one's is the chain's head: how many records the
/// chain has and the last one's hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainHead {
    pub kind: ChainKind,
    pub position: i64,
    /// The record's id in its table.
    pub record_id: i64,
    pub hash: Hash,
}

impl ChainHead {
    /// The first hex digits of the hash, enough to compare with a printed Z-report.
    pub fn short_hash(&self) -> String {
        hex(&self.hash)[..SHORT_HASH_DIGITS].to_string()
    }
}

/// A figure of a record that must agree with the sum of its parts: when it does not, an
/// altered record says which.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Figure {
    /// A sale's or a refund's total against its lines.
    TotalOfLines,
    /// A sale's or a refund's total against its VAT rows.
    TotalOfVat,
    /// A sale's total against its payments less the change.
    TotalOfPayments,
    /// A closed drawer's counted cash against its note count.
    CountedOfNotes,
}

/// A figure as stored and what its parts add up to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Discrepancy {
    pub figure: Figure,
    pub stored: i64,
    pub parts: i64,
}

/// What is wrong at the place a chain breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Fault {
    /// The record (or the hash kept for it) is not what was written: its hash does not match.
    /// `discrepancy` says which figure no longer adds up, when one does not.
    Altered { discrepancy: Option<Discrepancy> },
    /// The record has no place of its own in the chain: it was written outside the program
    /// (with no place, or a copy of another's).
    Unchained,
    /// Records were removed just before this one: `count` places are missing before it (it
    /// cannot be checked against its predecessor).
    Removed { count: i64 },
    /// The chain is shorter than when it was last verified, or than a Z-report recorded: the
    /// records from `position` on are gone.
    Truncated,
    /// The place recorded at the last verification, or by a Z-report, now holds another hash:
    /// the chain was rewritten from there (or before).
    Rewritten,
}

impl Fault {
    pub fn code(&self) -> &'static str {
        match self {
            Fault::Altered { .. } => "altered",
            Fault::Unchained => "unchained",
            Fault::Removed { .. } => "removed",
            Fault::Truncated => "truncated",
            Fault::Rewritten => "rewritten",
        }
    }
}

/// The first bad record of a chain, as a check found it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainBreak {
    pub kind: ChainKind,
    /// The place in the chain where the check stopped.
    pub position: i64,
    /// The record's id in its table, when there is one to name.
    pub record_id: Option<i64>,
    /// The number people know the record by (a receipt number…), when it can still be read.
    pub number: Option<String>,
    pub fault: Fault,
    /// Identifies this break in these data: the same break found again has the same one, a
    /// new change somewhere else (or to the same record again) another.
    pub fingerprint: String,
}

impl fmt::Display for ChainBreak {
    /// A plain description in English, for logs and tests; people see the i18n text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} #{}", self.kind.code(), self.position)?;
        if let Some(id) = self.record_id {
            write!(f, " (id {id}")?;
            if let Some(number) = &self.number {
                write!(f, ", {number}")?;
            }
            write!(f, ")")?;
        }
        write!(f, ": {}", self.fault.code())?;
        if let Fault::Altered {
            discrepancy: Some(d),
        } = &self.fault
        {
            write!(f, " ({:?} {} ≠ {})", d.figure, d.stored, d.parts)?;
        }
        if let Fault::Removed { count } = &self.fault {
            write!(f, " ({count} before it)")?;
        }
        Ok(())
    }
}

/// What a check of one chain found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainCheck {
    pub kind: ChainKind,
    /// Records whose hash was recomputed.
    pub checked: i64,
    /// The chain's last record, if it has any.
    pub head: Option<ChainHead>,
    /// The first break not yet acknowledged by a manager, if any.
    pub broken: Option<ChainBreak>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The encoding is part of every stored hash: this vector pins it.
    #[test]
    fn the_canonical_encoding_is_fixed() {
        let mut content = Vec::new();
        start_row(&mut content);
        for value in [
            Value::Integer(1),
            Value::Text("2026-000001".as_bytes()),
            Value::Null,
            Value::Integer(-5),
        ] {
            encode_value(&mut content, value);
        }
        end_part(&mut content);
        end_part(&mut content);
        let expected: Vec<u8> = [
            &[0x10, 0x01][..],
            &1i64.to_be_bytes(),
            &[0x03, 0, 0, 0, 11],
            b"2026-000001",
            &[0x00, 0x01],
            &(-5i64).to_be_bytes(),
            &[0x11, 0x11],
        ]
        .concat();
        assert_eq!(content, expected);
        assert_eq!(
            hex(&link_hash(&GENESIS, ChainKind::Sale, 1, &content)),
            hex(&{
                let mut hasher = Sha256::new();
                hasher.update([0u8; 32]);
                hasher.update([0x03, 0, 0, 0, 4]);
                hasher.update(b"sale");
                hasher.update([0x01]);
                hasher.update(1i64.to_be_bytes());
                hasher.update(&expected);
                let hash: Hash = hasher.finalize().into();
                hash
            })
        );
    }

    #[test]
    fn text_and_blob_of_the_same_bytes_differ() {
        let (mut text, mut blob) = (Vec::new(), Vec::new());
        encode_value(&mut text, Value::Text(b"ab"));
        encode_value(&mut blob, Value::Blob(b"ab"));
        assert_ne!(text, blob);
    }

    #[test]
    fn kinds_round_trip_through_their_codes() {
        for kind in ChainKind::ALL {
            assert_eq!(ChainKind::from_code(kind.code()), Some(kind));
        }
    }

    #[test]
    fn each_input_of_a_hash_changes_it() {
        let base = link_hash(&GENESIS, ChainKind::Sale, 1, b"x");
        assert_ne!(base, link_hash(&[1; 32], ChainKind::Sale, 1, b"x"));
        assert_ne!(base, link_hash(&GENESIS, ChainKind::Refund, 1, b"x"));
        assert_ne!(base, link_hash(&GENESIS, ChainKind::Sale, 2, b"x"));
        assert_ne!(base, link_hash(&GENESIS, ChainKind::Sale, 1, b"y"));
    }
}
