//! The one rule for every act that can lower what the sale is worth: a quantity lowered, a
//! line removed, the cart cleared, a discount, a basket priced below its contents.
//!
//! Each act is tried on a copy of the cart first, so an impossible one (a discount above the
//! line, 150 %) is refused before anyone is asked. Then the cashier's limits decide: within them
//! the act is done; beyond them a manager approves it first. Either way the act is saved with
//! the cart, its record and its audit row in one transaction.

use super::{Checkout, Field, Panel};
use crate::core::cart::{
    Cart, CartError, CartLine, Component, format_quantity, parse_discount, parse_quantity,
};
use crate::core::money::{Money, parse_amount};
use crate::core::reduction::{Reduction, ReductionKind};
use crate::core::staff::{GatedAct, Role, StaffMember};
use crate::i18n::Notice;
use crate::store::CartEvent;
use crate::ui::{Action, Context};
use rust_decimal::Decimal;

/// What became of an act put to the rule.
enum Ruled {
    Done,
    /// A manager must approve it; the same message comes again with the approval.
    Ask(GatedAct),
}

impl Checkout {
    /// Puts `after` in the cart's place if the rule allows it. `reference` is what the cart
    /// would be worth without the lowering part of the act (for a basket priced below its
    /// contents: the basket at their shelf value), so the record says exactly what was lost.
    fn change_cart(
        &mut self,
        kind: ReductionKind,
        subject: String,
        reference: &Cart,
        mut after: Cart,
        context: &mut Context<'_>,
    ) -> Result<Ruled, Notice> {
        let before = reference.totals().total;
        let lowered = before - after.totals().total;
        let limits = context.limits;
        let beyond_cashier = (kind.is_void() && limits.void_exceeds(lowered))
            || after.has_unapproved_discount_above(limits.discount_pct);
        let approver: Option<&StaffMember> = if beyond_cashier {
            if !context.permits(kind.gated_act(), 0) {
                return Ok(Ruled::Ask(kind.gated_act()));
            }
            // A manager acting alone approves her own act.
            context
                .approver
                .or((context.staff.role == Role::Manager).then_some(context.staff))
        } else {
            None
        };
        if let Some(manager) = approver {
            after.approve_discounts_above(limits.discount_pct, &manager.name);
        }
        let event = if lowered > Money::ZERO {
            CartEvent::Reduced(Reduction {
                kind,
                subject,
                before,
                after: before - lowered,
            })
        } else {
            CartEvent::Plain
        };
        context
            .store
            .save_cart_change(
                &mut after,
                &event,
                Some(context.staff),
                approver,
                context.now,
            )
            .map_err(|error| Notice::from_store_error(&error))?;
        self.cart = after;
        Ok(Ruled::Done)
    }

    /// Ends an act of the rule: the panel closes when it is done, stays open (with the notice)
    /// when refused, and the approval is asked for when needed.
    fn ruled(&mut self, outcome: Result<Ruled, Notice>) -> Action {
        match outcome {
            Ok(Ruled::Done) => {
                self.panel = Panel::Search;
                self.notice = None;
                Action::None
            }
            Ok(Ruled::Ask(act)) => Action::NeedsApproval(act),
            Err(notice) => {
                self.notice = Some(notice);
                Action::None
            }
        }
    }

    /// A new quantity for a line: lower than before, it is a void of the difference.
    fn requantify(
        &mut self,
        index: usize,
        quantity: Decimal,
        context: &mut Context<'_>,
    ) -> Result<Ruled, Notice> {
        let line = self.cart.lines.get(index).ok_or(Notice::NoLineSelected)?;
        let subject = format!(
            "{} × {} → {}",
            line.name,
            format_quantity(line.quantity),
            format_quantity(quantity)
        );
        let mut after = self.cart.clone();
        after.set_quantity(index, quantity).map_err(Notice::Cart)?;
        let reference = self.cart.clone();
        self.change_cart(
            ReductionKind::QuantityDown,
            subject,
            &reference,
            after,
            context,
        )
    }

    /// `+` or `-` in the empty scan field.
    pub(super) fn step_quantity(&mut self, step: i64, context: &mut Context<'_>) -> Action {
        let Some(index) = self.selected_line() else {
            return Action::None;
        };
        let quantity = self.cart.lines[index].quantity + Decimal::from(step);
        match self.requantify(index, quantity, context) {
            Ok(Ruled::Done) => {
                self.warn_if_reserved(index, context);
                Action::None
            }
            outcome => self.ruled(outcome),
        }
    }

    /// F3, then Enter: the typed quantity of the selected line.
    pub(super) fn apply_quantity(&mut self, input: &str, context: &mut Context<'_>) -> Action {
        let outcome = match (self.selected, parse_quantity(input)) {
            (None, _) => Err(Notice::NoLineSelected),
            (_, Err(_)) => Err(Notice::QuantityNotANumber(input.to_string())),
            (Some(index), Ok(quantity)) => self.requantify(index, quantity, context),
        };
        let done = matches!(outcome, Ok(Ruled::Done));
        let action = self.ruled(outcome);
        if done && let Some(index) = self.selected {
            self.warn_if_reserved(index, context);
        }
        action
    }

    /// A line raised into stock that open orders reserve: the cashier is told (the sale may
    /// still go on), for a product or any component of a basket.
    fn warn_if_reserved(&mut self, index: usize, context: &Context<'_>) {
        let Some(line) = self.cart.lines.get(index) else {
            return;
        };
        let taken: Vec<(i64, Decimal)> = if line.components.is_empty() {
            vec![(line.product_id, line.quantity)]
        } else {
            line.components
                .iter()
                .map(|c| (c.product_id, c.quantity * line.quantity))
                .collect()
        };
        let warning = taken.into_iter().find_map(|(product_id, quantity)| {
            let product = context
                .store
                .product_by_id(product_id, context.now)
                .ok()??;
            crate::ui::orders::reserved_warning(context.store, &product, quantity)
        });
        if let Some(warning) = warning {
            self.notice = Some(warning);
        }
    }

    /// F8: the selected line out of the cart.
    pub(super) fn remove_line(&mut self, index: usize, context: &mut Context<'_>) -> Action {
        let line = &self.cart.lines[index];
        let subject = format!("{} × {}", line.name, format_quantity(line.quantity));
        let mut after = self.cart.clone();
        let outcome = match after.remove_line(index) {
            Ok(()) => {
                let reference = self.cart.clone();
                self.change_cart(
                    ReductionKind::LineRemoved,
                    subject,
                    &reference,
                    after,
                    context,
                )
            }
            Err(error) => Err(Notice::Cart(error)),
        };
        if matches!(outcome, Ok(Ruled::Done)) {
            self.selected = index
                .min(self.cart.lines.len())
                .checked_sub(1)
                .or((!self.cart.is_empty()).then_some(0));
        }
        self.ruled(outcome)
    }

    /// Ctrl+F8, then Enter: the whole cart cleared, a void of all of it.
    pub(super) fn clear_cart(&mut self, context: &mut Context<'_>) -> Action {
        let subject = format!("{} dòng", self.cart.lines.len());
        // The cleared cart keeps its number until its record is written.
        let cleared = Cart {
            number: self.cart.number.clone(),
            ..Cart::default()
        };
        let reference = self.cart.clone();
        let outcome = self.change_cart(
            ReductionKind::CartCleared,
            subject,
            &reference,
            cleared,
            context,
        );
        if matches!(outcome, Ok(Ruled::Done)) {
            self.cart = Cart::default();
            self.selected = None;
            self.ruled(outcome);
            self.notice = Some(Notice::CartCleared);
            return Action::None;
        }
        self.ruled(outcome)
    }

    /// F4 or F5, then Enter: a discount on the selected line or on the whole order.
    pub(super) fn discount(
        &mut self,
        input: &str,
        on_line: bool,
        context: &mut Context<'_>,
    ) -> Action {
        let outcome = (|| {
            let discount = parse_discount(input).map_err(Notice::Amount)?;
            let mut after = self.cart.clone();
            let (kind, subject) = if on_line {
                let index = self.selected.ok_or(Notice::NoLineSelected)?;
                after
                    .set_line_discount(index, discount)
                    .map_err(Notice::Cart)?;
                (ReductionKind::LineDiscount, after.lines[index].name.clone())
            } else {
                after.set_order_discount(discount).map_err(Notice::Cart)?;
                (ReductionKind::OrderDiscount, "đơn hàng".to_string())
            };
            let reference = self.cart.clone();
            self.change_cart(kind, subject, &reference, after, context)
        })();
        self.ruled(outcome)
    }

    /// Ctrl+G: start a basket; with items in it, ask its price (prefilled with what its
    /// contents cost on the shelf); empty, stop.
    pub(super) fn build_basket(&mut self, context: &mut Context<'_>) {
        match &self.cart.building {
            None => {
                self.cart.building = Some(Vec::new());
                self.panel = Panel::Search;
                self.notice = Some(Notice::BasketStarted);
            }
            Some(items) if items.is_empty() => self.cart.building = None,
            Some(items) => {
                let value: Money = items.iter().map(Component::shelf_value).sum();
                self.panel = Panel::BasketPrice(Field::prefilled(value.dong().to_string()));
                return;
            }
        }
        self.save_cart(context);
    }

    /// Enter in the basket's price: the basket goes into the cart. Priced below its contents,
    /// the difference is a discount and goes through the rule like any other.
    pub(super) fn close_basket(&mut self, input: &str, context: &mut Context<'_>) -> Action {
        let outcome = (|| {
            let price = parse_amount(input).map_err(Notice::Amount)?;
            if price <= Money::ZERO {
                return Err(Notice::Cart(CartError::PriceNotPositive));
            }
            let items = self.cart.building.clone().unwrap_or_default();
            let name = format!("Giỏ quà ({} món)", items.len());
            let with_basket = |line: CartLine| -> Result<Cart, CartError> {
                let mut cart = self.cart.clone();
                cart.building = None;
                cart.add_basket(line)?;
                Ok(cart)
            };
            let value: Money = items.iter().map(Component::shelf_value).sum();
            let reference = with_basket(CartLine::basket(&name, "", items.clone(), value))
                .map_err(Notice::Cart)?;
            let after =
                with_basket(CartLine::counter_basket(&name, items, price)).map_err(Notice::Cart)?;
            let ruled = self.change_cart(
                ReductionKind::BasketBelowContents,
                name.clone(),
                &reference,
                after,
                context,
            )?;
            if let Ruled::Done = ruled {
                self.selected = self.cart.lines.len().checked_sub(1);
                self.last_sale = None;
            }
            Ok(ruled)
        })();
        self.ruled(outcome)
    }
}
