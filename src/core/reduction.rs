//! The one rule for every act that lowers what a sale is worth: a quantity taken down, a line
//! removed, the cart cleared, a discount, a basket priced below its contents. Within the
//! cashier's limits the act is recorded; above them a manager approves it first; either way it
//! leaves a record with who did it, who approved it and how much the sale lost.

use crate::core::audit::AuditAct;
use crate::core::money::Money;
use crate::core::staff::GatedAct;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ReductionKind {
    /// A line's quantity lowered (F3 or `-`).
    QuantityDown,
    /// A line taken out of the cart (F8).
    LineRemoved,
    /// The whole cart cleared (Ctrl+F8).
    CartCleared,
    LineDiscount,
    OrderDiscount,
    /// A basket built at the counter priced below its contents' shelf prices.
    BasketBelowContents,
}

impl ReductionKind {
    pub const ALL: [ReductionKind; 6] = [
        ReductionKind::QuantityDown,
        ReductionKind::LineRemoved,
        ReductionKind::CartCleared,
        ReductionKind::LineDiscount,
        ReductionKind::OrderDiscount,
        ReductionKind::BasketBelowContents,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ReductionKind::QuantityDown => "quantity_down",
            ReductionKind::LineRemoved => "line_removed",
            ReductionKind::CartCleared => "cart_cleared",
            ReductionKind::LineDiscount => "line_discount",
            ReductionKind::OrderDiscount => "order_discount",
            ReductionKind::BasketBelowContents => "basket_below_contents",
        }
    }

    pub fn from_code(code: &str) -> Option<ReductionKind> {
        ReductionKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// A void takes goods out of the sale; the others lower their price.
    pub fn is_void(self) -> bool {
        matches!(
            self,
            ReductionKind::QuantityDown | ReductionKind::LineRemoved | ReductionKind::CartCleared
        )
    }

    /// The audit row's act: a discount a cashier may give alone is audited under its own name,
    /// one a manager approved (or gave beyond a cashier's limit) as a discount above the limit.
    pub fn audit_act(self, approved: bool) -> AuditAct {
        match self {
            ReductionKind::QuantityDown => AuditAct::LowerQuantity,
            ReductionKind::LineRemoved => AuditAct::VoidLine,
            ReductionKind::CartCleared => AuditAct::CancelCart,
            ReductionKind::LineDiscount
            | ReductionKind::OrderDiscount
            | ReductionKind::BasketBelowContents => {
                if approved {
                    AuditAct::DiscountAboveLimit
                } else {
                    AuditAct::Discount
                }
            }
        }
    }

    /// What a manager is asked to approve when the rule says so.
    pub fn gated_act(self) -> GatedAct {
        match self {
            ReductionKind::QuantityDown | ReductionKind::LineRemoved => GatedAct::VoidLine,
            ReductionKind::CartCleared => GatedAct::CancelCart,
            ReductionKind::LineDiscount
            | ReductionKind::OrderDiscount
            | ReductionKind::BasketBelowContents => GatedAct::DiscountAboveLimit,
        }
    }
}

/// How far a cashier may lower a sale without a manager (settings `staff.discount_limit_pct`
/// and `staff.void_limit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CashierLimits {
    /// A discount above this percentage of what it applies to needs a manager.
    pub discount_pct: Decimal,
    /// A void worth more than this needs a manager; 0 means every void does.
    pub void_amount: Money,
}

impl CashierLimits {
    /// True when a void lowering the sale by `amount` is beyond the cashier.
    pub fn void_exceeds(&self, amount: Money) -> bool {
        amount > self.void_amount
    }

    /// True when a discount of `amount` on `base` is beyond the cashier.
    pub fn discount_exceeds(&self, amount: Money, base: Money) -> bool {
        amount.to_decimal() * Decimal::from(100) > base.to_decimal() * self.discount_pct
    }
}

/// One act that lowered what the open cart is worth, as it goes on record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reduction {
    pub kind: ReductionKind,
    /// The line (name × quantity) or "the order".
    pub subject: String,
    /// The cart's total before and after the act; the record's amount is the difference.
    pub before: Money,
    pub after: Money,
}

impl Reduction {
    /// How much the sale lost by this act.
    pub fn amount(&self) -> Money {
        self.before - self.after
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for kind in ReductionKind::ALL {
            assert_eq!(ReductionKind::from_code(kind.code()), Some(kind));
        }
    }

    #[test]
    fn limits_compare_against_the_base() {
        let limits = CashierLimits {
            discount_pct: Decimal::from(10),
            void_amount: Money(50_000),
        };
        assert!(!limits.discount_exceeds(Money(10_000), Money(100_000)));
        assert!(limits.discount_exceeds(Money(10_001), Money(100_000)));
        assert!(!limits.void_exceeds(Money(50_000)));
        assert!(limits.void_exceeds(Money(50_001)));
        let strict = CashierLimits {
            void_amount: Money::ZERO,
            ..limits
        };
        assert!(strict.void_exceeds(Money(1)));
    }
}
