//! Staff, roles and the acts at the till that need a manager.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    Cashier,
    Manager,
}

impl Role {
    pub fn code(self) -> &'static str {
        match self {
            Role::Cashier => "cashier",
            Role::Manager => "manager",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        match code {
            "cashier" => Some(Role::Cashier),
            "manager" => Some(Role::Manager),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMember {
    pub id: i64,
    pub name: String,
    pub role: Role,
}

/// Acts that handle money or stock outside a plain sale: a cashier needs a manager's PIN for
/// each, and each leaves an audit row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum GatedAct {
    /// Taking a line out of the cart after it was rung up.
    VoidLine,
    /// Clearing the whole cart.
    CancelCart,
    /// A discount above the store's limit.
    DiscountAboveLimit,
    Refund,
    /// Printing a receipt again: the first copy is free, a cashier needs approval for more.
    Reprint,
    /// The daily screen: figures, cash moves, closing the drawer, statements.
    DailyClose,
    /// Settings, backups and restoring one.
    Settings,
    /// The inventory screen: products, prices, receiving, counts, producers, gift packs.
    Inventory,
    /// Correcting an issued invoice's buyer: a replacement invoice or a 04/SS-HĐĐT notice.
    CorrectInvoice,
}

impl GatedAct {
    pub const ALL: [GatedAct; 9] = [
        GatedAct::VoidLine,
        GatedAct::CancelCart,
        GatedAct::DiscountAboveLimit,
        GatedAct::Refund,
        GatedAct::Reprint,
        GatedAct::DailyClose,
        GatedAct::Settings,
        GatedAct::Inventory,
        GatedAct::CorrectInvoice,
    ];

    /// The stored name of the act in the audit log.
    pub fn code(self) -> &'static str {
        match self {
            GatedAct::VoidLine => "void_line",
            GatedAct::CancelCart => "cancel_cart",
            GatedAct::DiscountAboveLimit => "discount_above_limit",
            GatedAct::Refund => "refund",
            GatedAct::Reprint => "reprint",
            GatedAct::DailyClose => "daily_close",
            GatedAct::Settings => "settings",
            GatedAct::Inventory => "inventory",
            GatedAct::CorrectInvoice => "correct_invoice",
        }
    }

    pub fn from_code(code: &str) -> Option<GatedAct> {
        GatedAct::ALL.into_iter().find(|act| act.code() == code)
    }

    /// Managers act directly; cashiers need a manager's approval — for a reprint only once
    /// the receipt was printed again before (`done_before` times).
    pub fn needs_approval(self, role: Role, done_before: i64) -> bool {
        role == Role::Cashier && (self != GatedAct::Reprint || done_before > 0)
    }
}

/// Wrong PINs in a row before an account has to wait.
pub const MAX_WRONG_PINS: u32 = 5;
/// How long it waits, in seconds.
pub const LOCKOUT_SECONDS: i64 = 300;

/// A PIN is 4 to 8 digits: quick on a PIN pad, and what a till expects.
pub fn is_valid_pin(pin: &str) -> bool {
    (4..=8).contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit())
}

/// What a gated act was done to and what it changed, as the audit log records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditChange<'a> {
    /// A receipt number, a cart line…
    pub subject: &'a str,
    pub before: &'a str,
    pub after: &'a str,
}

/// One row of the audit log: who did what, who approved it, and what changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: chrono::DateTime<chrono::Utc>,
    pub actor: String,
    pub approver: Option<String>,
    pub act: GatedAct,
    /// What it was done to: a receipt number, a cart line…
    pub subject: String,
    pub before: String,
    pub after: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_cashiers_need_approval() {
        for act in GatedAct::ALL {
            assert!(act.needs_approval(Role::Cashier, 1));
            assert!(!act.needs_approval(Role::Manager, 1));
            assert_eq!(GatedAct::from_code(act.code()), Some(act));
        }
        // The first reprint of a receipt is free; the second needs a manager.
        assert!(!GatedAct::Reprint.needs_approval(Role::Cashier, 0));
        assert!(GatedAct::VoidLine.needs_approval(Role::Cashier, 0));
    }

    #[test]
    fn pins_are_four_to_eight_digits() {
        assert!(is_valid_pin("1234"));
        assert!(is_valid_pin("12345678"));
        assert!(!is_valid_pin("123"));
        assert!(!is_valid_pin("123456789"));
        assert!(!is_valid_pin("12a4"));
    }
}
