//! What the audit log records: the acts, named for what happened, and who did them.
//!
//! An [`AuditAct`] is a record of something done; a [`GatedAct`](crate::core::staff::GatedAct)
//! is a question asked before it: "does a cashier need a manager's PIN for this?". They are
//! kept apart because they do not line up: one gate covers several acts (the daily screen's gate
//! lets a cashier open the screen, move cash and close the drawer, each its own act), and many
//! acts need no gate at all (a manager's own stock count, a failed PIN). Acts the till gates one
//! by one (a void, a refund, a reprint…) have an act of the same name.

use crate::core::staff::StaffMember;
use serde::{Deserialize, Serialize};

/// One kind of audit row. Stored by [`AuditAct::code`]; adding one is a variant here, its code,
/// its place in [`AuditAct::ALL`] and its name in `i18n::audit_act_name`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AuditAct {
    /// A line taken out of the cart after it was rung up.
    VoidLine,
    /// The whole cart cleared.
    CancelCart,
    /// A discount above the store's limit.
    DiscountAboveLimit,
    /// A line's quantity lowered after it was rung up: a void of the difference.
    LowerQuantity,
    /// A discount (or a basket priced below its contents) within the cashier's limit.
    Discount,
    /// A tender already recorded for the open cart taken back.
    RemoveTender,
    /// A real store's first-run setup: its details and its first manager.
    StoreSetUp,
    /// One setting changed (before → after).
    SettingChanged,
    /// A demo-started folder made an empty real store (the demo's data kept aside).
    DemoMadeReal,
    /// Other nodes' documents applied from an events file (the file, what was new).
    EventsImported,
    StaffAdded,
    /// A person may no longer sign in or approve.
    StaffDisabled,
    StaffEnabled,
    StaffRoleChanged,
    StaffPinReset,
    /// The store's data replaced by a backup (which one, the numbers lost).
    Restore,
    /// A producer CSV file imported from the command line.
    CatalogueImported,
    /// An issued invoice's buyer corrected: a replacement invoice or a 04/SS-HĐĐT notice.
    CorrectInvoice,
    /// A gift-pack template created, changed, taken off sale or put back.
    GiftPackChanged,
    /// A company buyer added to the address book or changed.
    BuyerSaved,
    Refund,
    /// A receipt printed again.
    Reprint,
    OpenDailyScreen,
    OpenBackupsScreen,
    OpenAuditLog,
    OpenInventoryScreen,
    OpenSettingsScreen,
    OpenStaffScreen,
    /// A cash session opened with its float.
    OpenCashSession,
    CashIn,
    CashOut,
    /// A cash session closed: the Z number, expected and counted cash, over or short.
    CloseCashSession,
    /// A delivery posted to stock with its receiving note.
    ReceiveStock,
    PostStockCount,
    AdjustStock,
    CreateProduct,
    /// A product's details other than its price changed.
    EditProduct,
    /// A product's price or VAT rate changed (by hand or by an import).
    ChangePrice,
    DeactivateProduct,
    ReactivateProduct,
    DeleteProduct,
    /// A product CSV imported (its price changes have their own rows).
    ImportProducts,
    /// A wrong PIN typed for someone (who was chosen, never the PIN).
    PinFailed,
    /// A manager acknowledged a break of a hash chain.
    AcknowledgeChainBreak,
    /// An order cancelled: what was not delivered released, the unused deposit paid back.
    CancelOrder,
    /// A company's credit limit or payment term set.
    SetCreditTerms,
    /// A sale on account beyond the company's credit limit, approved.
    OverCreditLimit,
    /// A person's data erased on request (their sales kept, anonymised).
    EraseCustomer,
    /// Invoices sent to the provider by hand (`ocop-pos einvoice send`).
    SendEinvoices,
    /// A day's unsent invoices written to upload files (`ocop-pos einvoice export`).
    ExportEinvoices,
    /// The cash drawer opened without a sale.
    OpenDrawer,
    /// `ocop-pos till-sim` started: simulated sales written into this data folder (how many,
    /// at what pace).
    TillSimulation,
    /// Rows of earlier versions: opening the backups or the audit screen.
    FormerManagerScreen,
    /// Rows of earlier versions: opening the inventory screen, or a price change.
    FormerInventory,
}

impl AuditAct {
    /// Every act, in the order the audit screen lists them (the former ones last).
    pub const ALL: [AuditAct; 54] = [
        AuditAct::VoidLine,
        AuditAct::CancelCart,
        AuditAct::DiscountAboveLimit,
        AuditAct::LowerQuantity,
        AuditAct::Discount,
        AuditAct::RemoveTender,
        AuditAct::StoreSetUp,
        AuditAct::SettingChanged,
        AuditAct::DemoMadeReal,
        AuditAct::EventsImported,
        AuditAct::StaffAdded,
        AuditAct::StaffDisabled,
        AuditAct::StaffEnabled,
        AuditAct::StaffRoleChanged,
        AuditAct::StaffPinReset,
        AuditAct::Restore,
        AuditAct::CatalogueImported,
        AuditAct::CorrectInvoice,
        AuditAct::GiftPackChanged,
        AuditAct::BuyerSaved,
        AuditAct::Refund,
        AuditAct::Reprint,
        AuditAct::OpenCashSession,
        AuditAct::CashIn,
        AuditAct::CashOut,
        AuditAct::CloseCashSession,
        AuditAct::OpenDrawer,
        AuditAct::ReceiveStock,
        AuditAct::PostStockCount,
        AuditAct::AdjustStock,
        AuditAct::CreateProduct,
        AuditAct::EditProduct,
        AuditAct::ChangePrice,
        AuditAct::DeactivateProduct,
        AuditAct::ReactivateProduct,
        AuditAct::DeleteProduct,
        AuditAct::ImportProducts,
        AuditAct::PinFailed,
        AuditAct::AcknowledgeChainBreak,
        AuditAct::CancelOrder,
        AuditAct::SetCreditTerms,
        AuditAct::OverCreditLimit,
        AuditAct::EraseCustomer,
        AuditAct::SendEinvoices,
        AuditAct::ExportEinvoices,
        AuditAct::TillSimulation,
        AuditAct::OpenDailyScreen,
        AuditAct::OpenBackupsScreen,
        AuditAct::OpenAuditLog,
        AuditAct::OpenInventoryScreen,
        AuditAct::OpenSettingsScreen,
        AuditAct::OpenStaffScreen,
        AuditAct::FormerManagerScreen,
        AuditAct::FormerInventory,
    ];

    /// The stored name of the act.
    pub fn code(self) -> &'static str {
        match self {
            AuditAct::VoidLine => "void_line",
            AuditAct::CancelCart => "cancel_cart",
            AuditAct::DiscountAboveLimit => "discount_above_limit",
            AuditAct::LowerQuantity => "lower_quantity",
            AuditAct::Discount => "discount",
            AuditAct::RemoveTender => "remove_tender",
            AuditAct::StoreSetUp => "store_set_up",
            AuditAct::SettingChanged => "setting_changed",
            AuditAct::DemoMadeReal => "demo_made_real",
            AuditAct::EventsImported => "events_imported",
            AuditAct::StaffAdded => "staff_added",
            AuditAct::StaffDisabled => "staff_disabled",
            AuditAct::StaffEnabled => "staff_enabled",
            AuditAct::StaffRoleChanged => "staff_role_changed",
            AuditAct::StaffPinReset => "staff_pin_reset",
            AuditAct::Restore => "restore",
            AuditAct::CatalogueImported => "catalogue_imported",
            AuditAct::CorrectInvoice => "correct_invoice",
            AuditAct::GiftPackChanged => "gift_pack_changed",
            AuditAct::BuyerSaved => "buyer_saved",
            AuditAct::Refund => "refund",
            AuditAct::Reprint => "reprint",
            AuditAct::OpenDailyScreen => "open_daily_screen",
            AuditAct::OpenBackupsScreen => "open_backups_screen",
            AuditAct::OpenAuditLog => "open_audit_log",
            AuditAct::OpenInventoryScreen => "open_inventory_screen",
            AuditAct::OpenSettingsScreen => "open_settings_screen",
            AuditAct::OpenStaffScreen => "open_staff_screen",
            AuditAct::OpenCashSession => "open_cash_session",
            AuditAct::CashIn => "cash_in",
            AuditAct::CashOut => "cash_out",
            AuditAct::CloseCashSession => "close_cash_session",
            AuditAct::OpenDrawer => "open_drawer",
            AuditAct::ReceiveStock => "receive_stock",
            AuditAct::PostStockCount => "post_stock_count",
            AuditAct::AdjustStock => "adjust_stock",
            AuditAct::CreateProduct => "create_product",
            AuditAct::EditProduct => "edit_product",
            AuditAct::ChangePrice => "change_price",
            AuditAct::DeactivateProduct => "deactivate_product",
            AuditAct::ReactivateProduct => "reactivate_product",
            AuditAct::DeleteProduct => "delete_product",
            AuditAct::ImportProducts => "import_products",
            AuditAct::PinFailed => "pin_failed",
            AuditAct::AcknowledgeChainBreak => "acknowledge_chain_break",
            AuditAct::CancelOrder => "cancel_order",
            AuditAct::SetCreditTerms => "set_credit_terms",
            AuditAct::OverCreditLimit => "over_credit_limit",
            AuditAct::EraseCustomer => "erase_customer",
            AuditAct::SendEinvoices => "send_einvoices",
            AuditAct::ExportEinvoices => "export_einvoices",
            AuditAct::TillSimulation => "till_simulation",
            AuditAct::FormerManagerScreen => "settings",
            AuditAct::FormerInventory => "inventory",
        }
    }

    /// Codes earlier versions wrote for this same act: read and filtered by, never written.
    pub fn former_codes(self) -> &'static [&'static str] {
        match self {
            // Version 4 to 6 wrote opening the daily screen as the gate's name.
            AuditAct::OpenDailyScreen => &["daily_close"],
            _ => &[],
        }
    }

    /// The act of a stored code, current or former.
    pub fn from_code(code: &str) -> Option<AuditAct> {
        AuditAct::ALL
            .into_iter()
            .find(|act| act.code() == code || act.former_codes().contains(&code))
    }

    /// True for the acts only older versions wrote.
    pub fn is_former(self) -> bool {
        matches!(
            self,
            AuditAct::FormerManagerScreen | AuditAct::FormerInventory
        )
    }
}

/// Who does an act and the manager who approved it for them, as the audit log records them.
/// A bare name is an act nobody had to approve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor<'a> {
    pub name: &'a str,
    pub approver: Option<&'a str>,
}

impl<'a> Actor<'a> {
    /// A staff member's act, approved by `approver` if anyone.
    pub fn of(staff: &'a StaffMember, approver: Option<&'a StaffMember>) -> Actor<'a> {
        Actor {
            name: &staff.name,
            approver: approver.map(|a| a.name.as_str()),
        }
    }
}

impl<'a> From<&'a str> for Actor<'a> {
    fn from(name: &'a str) -> Actor<'a> {
        Actor {
            name,
            approver: None,
        }
    }
}

impl<'a> From<&'a String> for Actor<'a> {
    fn from(name: &'a String) -> Actor<'a> {
        Actor::from(name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_act_reads_back_from_its_code_and_codes_are_unique() {
        let mut codes = std::collections::HashSet::new();
        for act in AuditAct::ALL {
            assert_eq!(AuditAct::from_code(act.code()), Some(act));
            assert!(codes.insert(act.code()), "{} twice", act.code());
            for former in act.former_codes() {
                assert!(codes.insert(former), "{former} twice");
            }
        }
    }

    #[test]
    fn rows_of_earlier_versions_keep_a_readable_act() {
        assert_eq!(
            AuditAct::from_code("daily_close"),
            Some(AuditAct::OpenDailyScreen)
        );
        assert_eq!(
            AuditAct::from_code("settings"),
            Some(AuditAct::FormerManagerScreen)
        );
        assert_eq!(
            AuditAct::from_code("inventory"),
            Some(AuditAct::FormerInventory)
        );
        for code in [
            "void_line",
            "cancel_cart",
            "discount_above_limit",
            "refund",
            "reprint",
        ] {
            assert_eq!(AuditAct::from_code(code).map(AuditAct::code), Some(code));
        }
    }
}
