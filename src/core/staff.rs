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
/// each. What each leaves in the audit log is an [`AuditAct`](crate::core::audit::AuditAct)
/// (see there why the two are apart).
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
    /// Taking back a tender already recorded for the open cart: a card or transfer the bank
    /// confirmed needs a manager (its money must be reversed); cash is handed back and audited.
    RemoveTender,
    /// Acknowledging a break of the hash chains, so that selling can go on.
    AcknowledgeBreak,
    /// Correcting an issued invoice's buyer: a replacement invoice or a 04/SS-HĐĐT notice.
    CorrectInvoice,
    /// Opening the cash drawer without a sale ("mở két").
    OpenDrawer,
    /// Cancelling an order, which pays its unused deposit back.
    CancelOrder,
    /// A company's credit limit and payment term.
    CreditTerms,
    /// Selling on account beyond a company's credit limit.
    OverCreditLimit,
    /// Erasing a person's data on their request.
    EraseCustomer,
}

impl GatedAct {
    pub const ALL: [GatedAct; 16] = [
        GatedAct::VoidLine,
        GatedAct::CancelCart,
        GatedAct::DiscountAboveLimit,
        GatedAct::Refund,
        GatedAct::Reprint,
        GatedAct::DailyClose,
        GatedAct::Settings,
        GatedAct::Inventory,
        GatedAct::RemoveTender,
        GatedAct::AcknowledgeBreak,
        GatedAct::CorrectInvoice,
        GatedAct::CancelOrder,
        GatedAct::CreditTerms,
        GatedAct::OverCreditLimit,
        GatedAct::EraseCustomer,
        GatedAct::OpenDrawer,
    ];

    /// The name of the gate.
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
            GatedAct::RemoveTender => "remove_tender",
            GatedAct::AcknowledgeBreak => "acknowledge_break",
            GatedAct::CorrectInvoice => "correct_invoice",
            GatedAct::CancelOrder => "cancel_order",
            GatedAct::CreditTerms => "credit_terms",
            GatedAct::OverCreditLimit => "over_credit_limit",
            GatedAct::EraseCustomer => "erase_customer",
            GatedAct::OpenDrawer => "open_drawer",
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

/// A PIN anyone would try first: one digit repeated (0000, 1111), a two-digit block repeated
/// (1212, 6969), or a run of digits up or down (1234, 0123, 7890, 9876). A real store refuses
/// them; the demo keeps its published ones.
pub fn is_weak_pin(pin: &str) -> bool {
    let digits: Vec<i8> = pin.bytes().map(|b| b as i8 - b'0' as i8).collect();
    let repeats_block = |len: usize| {
        digits.len() >= 2 * len
            && digits
                .iter()
                .enumerate()
                .all(|(i, d)| *d == digits[i % len])
    };
    let runs = |step: i8| {
        digits
            .windows(2)
            .all(|pair| (pair[1] - pair[0]).rem_euclid(10) == step.rem_euclid(10))
    };
    repeats_block(1) || repeats_block(2) || runs(1) || runs(-1)
}

/// What an act was done to and what it changed, as the audit log records it.
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
    pub act: crate::core::audit::AuditAct,
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
    fn weak_pins_are_the_ones_guessed_first() {
        for weak in [
            "0000", "1111", "99999999", "1234", "12345678", "0123", "7890", "8901", "9876", "3210",
            "1212", "696969", "2020",
        ] {
            assert!(is_weak_pin(weak), "{weak} should be weak");
        }
        for strong in [
            "4821", "1235", "2580", "13579", "19750412", "1122", "1221", "9182",
        ] {
            assert!(!is_weak_pin(strong), "{strong} should be accepted");
        }
    }

    proptest::proptest! {
        #[test]
        fn every_repeat_and_every_run_is_weak(
            first in 0u8..10, len in 4usize..=8, step in proptest::sample::select(vec![0i8, 1, -1])
        ) {
            let pin: String = (0..len)
                .map(|i| char::from(b'0' + (first as i8 + step * i as i8).rem_euclid(10) as u8))
                .collect();
            proptest::prop_assert!(is_weak_pin(&pin), "{}", pin);
        }
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
