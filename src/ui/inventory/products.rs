//! The product table (virtualised: only the rows in view are built, so 300k products scroll
//! without a freeze) and its side panel: the product's form, its price and stock history, and
//! a stock adjustment.

use super::{
    CLEAR_OF_SCROLL_BAR, Catalogue, Choice, Outcome, activation_button, cell, choices, heads,
    labelled,
};
use crate::core::audit::Actor;
use crate::core::cart::{format_quantity, parse_quantity};
use crate::core::catalog::stars_text;
use crate::core::clock::local_date;
use crate::core::clock::{format_day, format_local};
use crate::core::inventory::{
    AdjustmentReason, Certificate, CertificateStatus, InventoryError, ProductDraft, StockMovement,
};
use crate::core::label::{LabelChoice, ShelfLabel, choose};
use crate::core::money::{Money, parse_amount};
use crate::core::product_list::{Column, Filter, ProductRow, Removed, Sort};
use crate::core::vat::VatRate;
use crate::documents::Document;
use crate::i18n::{Label, Lang, Notice, OfficeNotice, adjustment_reason_name, movement_kind_name};
use crate::store::{PriceHistory, Store};
use crate::ui::{Context, theme};
use chrono::{DateTime, Utc};
use iced::widget::{
    button, checkbox, column, container, pick_list, row, scrollable, space, text, text_input,
};
use iced::{Alignment, Element, Fill, FillPortion, Length, Padding};
use rust_decimal::Decimal;
use std::collections::HashSet;

/// The filter field, focused when the screen opens.
pub const SEARCH_INPUT: &str = "inventory-search";
/// The table's scrollable.
pub const LIST: &str = "inventory-list";

/// Every row is this tall, so the rows in view follow from the scroll offset alone.
const ROW_HEIGHT: f32 = 30.0;
/// Rows built beyond the viewport's edges, so a fast scroll never shows a gap.
const ROWS_BEYOND: usize = 10;
/// How many ledger lines the side panel lists, newest first.
const MOVEMENTS_SHOWN: usize = 50;
/// Certificates expiring within this many days are flagged.
pub const CERTIFICATE_WARNING_DAYS: i64 = 90;

/// The form's text fields; each has its own id so tests and Tab can find it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Sku,
    Barcodes,
    Name,
    Group,
    Unit,
    Price,
    EffectiveFrom,
    LowStock,
    CertificateNumber,
    CertificateIssuer,
    CertificateIssued,
    AdjustQuantity,
    AdjustNote,
}

impl Field {
    pub fn id(self) -> &'static str {
        match self {
            Field::Sku => "product-sku",
            Field::Barcodes => "product-barcodes",
            Field::Name => "product-name",
            Field::Group => "product-group",
            Field::Unit => "product-unit",
            Field::Price => "product-price",
            Field::EffectiveFrom => "product-effective-from",
            Field::LowStock => "product-low-stock",
            Field::CertificateNumber => "product-certificate-number",
            Field::CertificateIssuer => "product-certificate-issuer",
            Field::CertificateIssued => "product-certificate-issued",
            Field::AdjustQuantity => "product-adjust-quantity",
            Field::AdjustNote => "product-adjust-note",
        }
    }

    fn label(self) -> Label {
        match self {
            Field::Sku => Label::InvSku,
            Field::Barcodes => Label::InvBarcodes,
            Field::Name => Label::InvName,
            Field::Group => Label::InvGroup,
            Field::Unit => Label::InvUnit,
            Field::Price => Label::InvPrice,
            Field::EffectiveFrom => Label::InvEffectiveFrom,
            Field::LowStock => Label::InvLowStockThreshold,
            Field::CertificateNumber => Label::InvCertificateNumber,
            Field::CertificateIssuer => Label::InvCertificateIssuer,
            Field::CertificateIssued => Label::InvCertificateIssued,
            Field::AdjustQuantity => Label::InvAdjustQuantity,
            Field::AdjustNote => Label::InvNote,
        }
    }
}

#[derive(Debug, Clone)]
pub enum Message {
    FilterText(String),
    ProducerFilter(Option<String>),
    GroupFilter(Option<String>),
    StarsFilter(Option<u8>),
    LowStockOnly(bool),
    IncludeInactive(bool),
    SortBy(Column),
    Scrolled(scrollable::Viewport),
    Select(i64),
    New,
    Edit(Field, String),
    Producer(String),
    Stars(Option<u8>),
    Vat(VatRate),
    CertificateStars(u8),
    Reason(AdjustmentReason),
    Save,
    SetActive(bool),
    Delete,
    Adjust,
    Close,
    /// Shelf labels for the products the table lists.
    PrintLabels,
}

/// The product being created or edited, as typed.
#[derive(Debug, Clone, Default)]
struct ProductForm {
    /// None for a new product.
    product_id: Option<i64>,
    active: bool,
    sku: String,
    barcodes: String,
    name: String,
    producer: Option<String>,
    group: String,
    stars: Option<u8>,
    unit: String,
    /// Kept from the product: the form does not edit them.
    sold_by_weight: bool,
    plu: Option<u32>,
    price: String,
    vat: Option<VatRate>,
    /// Empty: the new price and rate apply now; a later day schedules them.
    effective_from: String,
    low_stock: String,
    certificate_number: String,
    certificate_issuer: String,
    certificate_issued: String,
    certificate_stars: Option<u8>,
    adjust_quantity: String,
    adjust_reason: Option<AdjustmentReason>,
    adjust_note: String,
    /// What the store holds for the product, shown under the form.
    history: Option<PriceHistory>,
    movements: Vec<StockMovement>,
    certificate: Option<Certificate>,
    /// What the last save found wrong, each under its field, all at once.
    errors: Vec<(Field, Notice)>,
}

impl ProductForm {
    /// Every fault of the form as typed, each with the field it is in: a value that cannot be
    /// read, and each rule the product breaks. Empty when it may be saved (the store still
    /// checks what only it knows: a SKU or barcode taken).
    fn problems(&self) -> Vec<(Field, Notice)> {
        let mut problems = Vec::new();
        // A value that cannot be read is named once, as such, not also as breaking a rule.
        let price = parse_amount(&self.price).unwrap_or_else(|error| {
            problems.push((Field::Price, Notice::Amount(error)));
            Money(1)
        });
        let low_stock = if self.low_stock.trim().is_empty() {
            Decimal::ZERO
        } else {
            parse_quantity(&self.low_stock).unwrap_or_else(|_| {
                problems.push((
                    Field::LowStock,
                    Notice::QuantityNotANumber(self.low_stock.clone()),
                ));
                Decimal::ZERO
            })
        };
        let draft = ProductDraft {
            price,
            low_stock,
            ..self.draft_with(price, low_stock)
        };
        if let Err(broken) = draft.checked() {
            problems.extend(broken.into_iter().map(|error| {
                let field = match &error {
                    InventoryError::SkuRequired => Field::Sku,
                    InventoryError::NameRequired => Field::Name,
                    InventoryError::UnitRequired => Field::Unit,
                    InventoryError::PriceNotPositive => Field::Price,
                    InventoryError::NegativeThreshold => Field::LowStock,
                    InventoryError::BadBarcode(_) => Field::Barcodes,
                    _ => Field::Name,
                };
                (field, Notice::Inventory(error))
            }));
        }
        problems
    }

    /// The error shown under `field`, if the last save found one there.
    fn error(&self, field: Field) -> Option<&Notice> {
        self.errors
            .iter()
            .find(|(at, _)| *at == field)
            .map(|(_, notice)| notice)
    }

    fn text(&self, field: Field) -> &str {
        match field {
            Field::Sku => &self.sku,
            Field::Barcodes => &self.barcodes,
            Field::Name => &self.name,
            Field::Group => &self.group,
            Field::Unit => &self.unit,
            Field::Price => &self.price,
            Field::EffectiveFrom => &self.effective_from,
            Field::LowStock => &self.low_stock,
            Field::CertificateNumber => &self.certificate_number,
            Field::CertificateIssuer => &self.certificate_issuer,
            Field::CertificateIssued => &self.certificate_issued,
            Field::AdjustQuantity => &self.adjust_quantity,
            Field::AdjustNote => &self.adjust_note,
        }
    }

    /// The field under its label; Enter saves the form (in the adjustment, records it).
    fn input(&self, field: Field, lang: Lang) -> Element<'_, Message> {
        let submit = match field {
            Field::AdjustQuantity | Field::AdjustNote => Message::Adjust,
            _ => Message::Save,
        };
        let input = super::field(
            field.label(),
            field.id(),
            self.text(field),
            lang,
            move |value| Message::Edit(field, value),
            submit,
        );
        match self.error(field) {
            Some(error) => column![
                input,
                text(error.text(lang))
                    .size(theme::SMALL)
                    .style(theme::danger)
            ]
            .spacing(2)
            .into(),
            None => input,
        }
    }

    fn text_mut(&mut self, field: Field) -> &mut String {
        match field {
            Field::Sku => &mut self.sku,
            Field::Barcodes => &mut self.barcodes,
            Field::Name => &mut self.name,
            Field::Group => &mut self.group,
            Field::Unit => &mut self.unit,
            Field::Price => &mut self.price,
            Field::EffectiveFrom => &mut self.effective_from,
            Field::LowStock => &mut self.low_stock,
            Field::CertificateNumber => &mut self.certificate_number,
            Field::CertificateIssuer => &mut self.certificate_issuer,
            Field::CertificateIssued => &mut self.certificate_issued,
            Field::AdjustQuantity => &mut self.adjust_quantity,
            Field::AdjustNote => &mut self.adjust_note,
        }
    }

    fn new_product(default_producer: Option<String>) -> ProductForm {
        ProductForm {
            active: true,
            producer: default_producer,
            vat: Some(VatRate::Percent(Decimal::from(8))),
            low_stock: "0".into(),
            ..ProductForm::default()
        }
    }

    /// The form of a stored product, with its history.
    fn read(
        store: &Store,
        product_id: i64,
        now: DateTime<Utc>,
    ) -> crate::store::StoreResult<ProductForm> {
        let draft = store
            .product_draft(product_id, now)?
            .ok_or(crate::store::StoreError::NotFound)?;
        let certificate = store.certificate(product_id)?;
        let mut movements = store.stock_history(product_id)?;
        movements.reverse();
        movements.truncate(MOVEMENTS_SHOWN);
        Ok(ProductForm {
            product_id: Some(product_id),
            active: draft.active,
            sku: draft.sku,
            barcodes: draft.barcodes.join(" "),
            name: draft.name,
            producer: Some(draft.producer),
            group: draft.ocop_group,
            stars: draft.stars,
            unit: draft.unit,
            sold_by_weight: draft.sold_by_weight,
            plu: draft.plu,
            price: draft.price.dong().to_string(),
            vat: Some(draft.vat),
            effective_from: String::new(),
            low_stock: format_quantity(draft.low_stock),
            certificate_number: certificate
                .as_ref()
                .map_or(String::new(), |c| c.number.clone()),
            certificate_issuer: certificate
                .as_ref()
                .map_or(String::new(), |c| c.issuer.clone()),
            certificate_issued: certificate
                .as_ref()
                .map_or(String::new(), |c| format_day(c.issued_on)),
            certificate_stars: certificate.as_ref().map(|c| c.stars),
            adjust_quantity: String::new(),
            adjust_reason: None,
            adjust_note: String::new(),
            history: Some(store.price_history(product_id)?),
            movements,
            certificate,
            errors: Vec::new(),
        })
    }

    /// The draft the form holds, or why it cannot be one.
    fn draft(&self) -> Result<ProductDraft, Notice> {
        let price = parse_amount(&self.price).map_err(Notice::Amount)?;
        let low_stock = parse_quantity(if self.low_stock.trim().is_empty() {
            "0"
        } else {
            &self.low_stock
        })
        .map_err(|_| Notice::QuantityNotANumber(self.low_stock.clone()))?;
        Ok(self.draft_with(price, low_stock))
    }

    /// The product as typed, with its price and threshold already read.
    fn draft_with(&self, price: Money, low_stock: Decimal) -> ProductDraft {
        ProductDraft {
            sku: self.sku.clone(),
            barcodes: self.barcodes.split_whitespace().map(String::from).collect(),
            name: self.name.clone(),
            producer: self.producer.clone().unwrap_or_default(),
            ocop_group: self.group.clone(),
            stars: self.stars,
            unit: self.unit.clone(),
            sold_by_weight: self.sold_by_weight,
            plu: self.plu,
            price,
            vat: self.vat.unwrap_or(VatRate::NotSubject),
            low_stock,
            active: self.active,
        }
    }

    /// The certificate typed, if any part of it was.
    fn typed_certificate(&self) -> Result<Option<Certificate>, Notice> {
        if [
            &self.certificate_number,
            &self.certificate_issuer,
            &self.certificate_issued,
        ]
        .iter()
        .all(|value| value.trim().is_empty())
        {
            return Ok(None);
        }
        let incomplete =
            || Notice::Inventory(crate::core::inventory::InventoryError::CertificateIncomplete);
        let issued_on = super::parse_date(&self.certificate_issued)?.ok_or_else(incomplete)?;
        // Checked whole before anything is stored, so a product is never saved without the
        // certificate that was typed with it.
        Certificate {
            number: self.certificate_number.clone(),
            issuer: self.certificate_issuer.clone(),
            issued_on,
            stars: self
                .certificate_stars
                .or(self.stars)
                .ok_or_else(incomplete)?,
        }
        .validated()
        .map(Some)
        .map_err(Notice::Inventory)
    }

    /// Stores the form: a new product, or the changes to one. A later "from" day schedules
    /// the price and VAT rate instead of changing them now. Returns the product's id.
    fn save(&self, store: &mut Store, now: DateTime<Utc>, by: Actor<'_>) -> Result<i64, Notice> {
        let draft = self.draft()?;
        let certificate = self.typed_certificate()?;
        let from = super::parse_date(&self.effective_from)?
            .map(|day| super::moment(Some(day), now))
            .filter(|from| *from > now);
        let stored = |error| Notice::from_store_error(&error);
        let id = match (self.product_id, from) {
            (None, _) => store.create_product(draft, now, by).map_err(stored)?,
            (Some(id), None) => {
                store.update_product(id, draft, now, by).map_err(stored)?;
                id
            }
            (Some(id), Some(from)) => {
                let current = store
                    .product_draft(id, now)
                    .map_err(stored)?
                    .ok_or_else(|| stored(crate::store::StoreError::NotFound))?;
                let today = ProductDraft {
                    price: current.price,
                    vat: current.vat,
                    ..draft.clone()
                };
                store.update_product(id, today, now, by).map_err(stored)?;
                if draft.price != current.price {
                    store
                        .schedule_price(id, draft.price, from, by)
                        .map_err(stored)?;
                }
                if draft.vat != current.vat {
                    store
                        .schedule_vat_rate(id, draft.vat, from, by)
                        .map_err(stored)?;
                }
                id
            }
        };
        if let Some(certificate) = certificate {
            store.save_certificate(id, certificate).map_err(stored)?;
        }
        Ok(id)
    }
}

pub struct Products {
    filter: Filter,
    /// Positions into the catalogue's list of the rows the filter lets through, in order.
    shown: Vec<usize>,
    scroll_top: f32,
    viewport_height: f32,
    /// Set when the rows change so that the scrollable must follow `scroll_top` back to 0.
    scrolled_to_top: bool,
    form: Option<ProductForm>,
    /// Deactivate was pressed once for a product with stock on hand: the next press does it.
    deactivate_asked: bool,
}

impl Products {
    pub fn new(catalogue: &Catalogue) -> Products {
        let filter = Filter::default();
        Products {
            shown: catalogue.list.select(&filter),
            filter,
            scroll_top: 0.0,
            viewport_height: 600.0,
            scrolled_to_top: false,
            form: None,
            deactivate_asked: false,
        }
    }

    pub fn shown(&self) -> &[usize] {
        &self.shown
    }

    /// The filter the table is narrowed by (a stock count starts from it).
    pub fn filter_in_use(&self) -> Filter {
        self.filter.clone()
    }

    /// A producer no product names any more is no longer filtered by (the rows are then
    /// filtered anew).
    pub fn forget_missing_producer(&mut self, catalogue: &Catalogue) {
        if let Some(producer) = &self.filter.producer
            && !catalogue.list.producers().contains(producer)
        {
            self.refilter(catalogue);
        }
    }

    /// Applies the filter again, to re-read rows; a producer renamed meanwhile is no longer
    /// filtered by.
    pub fn refilter(&mut self, catalogue: &Catalogue) {
        if let Some(producer) = &self.filter.producer
            && !catalogue.list.producers().contains(producer)
        {
            self.filter.producer = None;
        }
        self.shown = catalogue.list.select(&self.filter);
    }

    /// After a row left the list (a product deleted).
    pub fn row_removed(&mut self, removed: Removed) {
        removed.mend(&mut self.shown);
    }

    /// After the rows at `positions` changed (and nothing else): they leave the rows shown
    /// and each comes back where the order puts it if the filter still lets it through — a
    /// binary search each, not a pass of the filter over the whole catalogue.
    pub fn rows_changed(&mut self, catalogue: &Catalogue, positions: &[usize]) {
        if positions.is_empty() {
            return;
        }
        let list = &catalogue.list;
        let changed: HashSet<usize> = positions.iter().copied().collect();
        self.shown.retain(|position| !changed.contains(position));
        for &position in &changed {
            if list.passes(&self.filter, position) {
                let at = self
                    .shown
                    .partition_point(|&shown| list.compare_positions(shown, position).is_lt());
                self.shown.insert(at, position);
            }
        }
    }

    /// Shows a product's form, read afresh from the store with its history.
    fn open(&mut self, product_id: i64, context: &Context<'_>) -> Result<(), Notice> {
        let form = ProductForm::read(context.store, product_id, context.now)
            .map_err(|error| Notice::from_store_error(&error))?;
        self.form = Some(form);
        Ok(())
    }

    /// Labels for the active products the table lists, priced now (stars as the certificate
    /// allows today).
    fn print_labels(
        &self,
        catalogue: &Catalogue,
        context: &mut Context<'_>,
    ) -> Result<Outcome, Notice> {
        let skus: Vec<String> = self
            .shown
            .iter()
            .map(|&index| catalogue.list.rows()[index].sku().to_string())
            .collect();
        let products = context
            .store
            .catalogue(context.now)
            .map_err(|error| Notice::from_store_error(&error))?;
        let labels: Vec<ShelfLabel> = choose(&LabelChoice::Skus(skus), &products, &[])
            .into_iter()
            .map(ShelfLabel::of)
            .collect();
        Ok(Outcome {
            document: (!labels.is_empty()).then_some(Document::Labels {
                labels,
                printed_at: context.now,
            }),
            ..Outcome::default()
        })
    }

    pub fn update(
        &mut self,
        message: Message,
        catalogue: &mut Catalogue,
        context: &mut Context<'_>,
    ) -> Result<Outcome, Notice> {
        let mut refilter = true;
        let mut sorted = false;
        let before = self.filter.clone();
        let deactivate_asked = std::mem::take(&mut self.deactivate_asked);
        match message {
            Message::FilterText(value) => self.filter.text = value,
            Message::ProducerFilter(value) => self.filter.producer = value,
            Message::GroupFilter(value) => self.filter.group = value,
            Message::StarsFilter(value) => self.filter.stars = value,
            Message::LowStockOnly(value) => self.filter.low_stock_only = value,
            Message::IncludeInactive(value) => self.filter.include_inactive = value,
            // A second click on the same head turns the order round.
            Message::SortBy(column) => {
                let sort = catalogue.list.sort();
                catalogue.list.set_sort(Sort {
                    column,
                    descending: sort.column == column && !sort.descending,
                });
                sorted = true;
            }
            Message::Scrolled(viewport) => {
                self.scroll_top = viewport.absolute_offset().y;
                self.viewport_height = viewport.bounds().height;
                refilter = false;
            }
            Message::Select(product_id) => {
                self.open(product_id, context)?;
                refilter = false;
            }
            Message::New => {
                let producer = self.filter.producer.clone().or_else(|| {
                    catalogue
                        .producers
                        .first()
                        .map(|(_, producer)| producer.name.clone())
                });
                self.form = Some(ProductForm::new_product(producer));
                refilter = false;
            }
            Message::Close => {
                self.form = None;
                refilter = false;
            }
            Message::Edit(field, value) => {
                if let Some(form) = &mut self.form {
                    *form.text_mut(field) = value;
                    form.errors.retain(|(at, _)| *at != field);
                }
                refilter = false;
            }
            Message::Producer(name) => self.edit_form(|form| form.producer = Some(name)),
            Message::Stars(stars) => self.edit_form(|form| form.stars = stars),
            Message::Vat(rate) => self.edit_form(|form| form.vat = Some(rate)),
            Message::CertificateStars(stars) => {
                self.edit_form(|form| form.certificate_stars = Some(stars))
            }
            Message::Reason(reason) => self.edit_form(|form| form.adjust_reason = Some(reason)),
            Message::Save => return self.save(context),
            Message::SetActive(active) => {
                return self.set_active(active, deactivate_asked, context);
            }
            Message::Delete => return self.delete(context),
            Message::Adjust => return self.adjust(context),
            Message::PrintLabels => return self.print_labels(catalogue, context),
        }
        if refilter {
            let shown = std::mem::take(&mut self.shown);
            self.shown = if sorted {
                catalogue.list.select(&self.filter)
            } else {
                // The rows shown are always those `before` selects: a narrower filter only
                // filters them again.
                catalogue.list.reselect(&self.filter, &before, shown)
            };
            self.scroll_top = 0.0;
            self.scrolled_to_top = true;
        }
        Ok(Outcome::default())
    }

    /// True once after the rows were filtered or sorted anew: the list must scroll to its top,
    /// where they are now built.
    pub fn take_scrolled_to_top(&mut self) -> bool {
        std::mem::take(&mut self.scrolled_to_top)
    }

    fn edit_form(&mut self, edit: impl FnOnce(&mut ProductForm)) {
        if let Some(form) = &mut self.form {
            edit(form);
        }
    }

    fn save(&mut self, context: &mut Context<'_>) -> Result<Outcome, Notice> {
        let Some(form) = &mut self.form else {
            return Ok(Outcome::default());
        };
        // Every fault at once, each under its field, before anything is stored.
        form.errors = form.problems();
        if let Some((_, first)) = form.errors.first() {
            return Err(match form.errors.len() {
                1 => first.clone(),
                count => Notice::Office(OfficeNotice::FormFaults(count)),
            });
        }
        let form = &*form;
        // The price history says when a price changed; the audit log, written by the store with
        // each change, says who changed it.
        let id = form.save(context.store, context.now, context.actor())?;
        let sku = form.sku.trim().to_string();
        self.open(id, context)?;

        Ok(Outcome::changed_product(Notice::ProductSaved(sku), id))
    }

    /// Takes the product off the counter or puts it back; one with stock on hand is taken off
    /// on the second press only.
    fn set_active(
        &mut self,
        active: bool,
        asked: bool,
        context: &mut Context<'_>,
    ) -> Result<Outcome, Notice> {
        let Some(id) = self.form.as_ref().and_then(|form| form.product_id) else {
            return Ok(Outcome::default());
        };
        if !active && !asked {
            let product = context
                .store
                .product_by_id(id, context.now)
                .map_err(|error| Notice::from_store_error(&error))?;
            if let Some(product) = product.filter(|p| p.stock > Decimal::ZERO) {
                self.deactivate_asked = true;
                return Err(Notice::Office(OfficeNotice::ConfirmDeactivate {
                    name: product.name,
                    stock: format!("{} {}", format_quantity(product.stock), product.unit),
                }));
            }
        }
        context
            .store
            .set_product_active(id, active, context.actor())
            .map_err(|error| Notice::from_store_error(&error))?;
        let sku = self.form.as_ref().map_or(String::new(), |f| f.sku.clone());
        self.open(id, context)?;
        let notice = if active {
            Notice::ProductReactivated(sku)
        } else {
            Notice::ProductDeactivated(sku)
        };
        Ok(Outcome::changed_product(notice, id))
    }

    /// Removes a product entered by mistake; the store refuses one ever sold or stocked.
    fn delete(&mut self, context: &mut Context<'_>) -> Result<Outcome, Notice> {
        let Some(form) = &self.form else {
            return Ok(Outcome::default());
        };
        let Some(id) = form.product_id else {
            return Ok(Outcome::default());
        };
        context
            .store
            .delete_product(id, context.actor())
            .map_err(|error| Notice::from_store_error(&error))?;
        let sku = form.sku.clone();
        self.form = None;
        Ok(Outcome::deleted_product(Notice::ProductDeleted(sku), id))
    }

    fn adjust(&mut self, context: &mut Context<'_>) -> Result<Outcome, Notice> {
        let Some(form) = &self.form else {
            return Ok(Outcome::default());
        };
        let Some(id) = form.product_id else {
            return Ok(Outcome::default());
        };
        let quantity = parse_quantity(&form.adjust_quantity)
            .map_err(|_| Notice::QuantityNotANumber(form.adjust_quantity.clone()))?;
        let reason = form.adjust_reason.ok_or(Notice::ReasonRequired)?;
        context
            .store
            .adjust_stock(
                id,
                quantity,
                reason,
                &form.adjust_note,
                context.now,
                context.actor(),
            )
            .map_err(|error| Notice::from_store_error(&error))?;
        let sku = form.sku.clone();
        self.open(id, context)?;
        let notice = Notice::StockAdjusted {
            sku,
            quantity: format_quantity(quantity),
        };
        Ok(Outcome::changed_product(notice, id))
    }

    pub fn view<'a>(&'a self, catalogue: &'a Catalogue, lang: Lang) -> Element<'a, Message> {
        let table = column![
            self.filters(catalogue, lang),
            text(Label::InvRowsShown.text(lang).replace(
                "{n}",
                &format!("{} / {}", self.shown.len(), catalogue.list.rows().len())
            ))
            .size(theme::SMALL)
            .style(theme::muted),
            self.table_head(catalogue, lang),
            self.table(catalogue, lang),
        ]
        .spacing(theme::SPACE)
        .width(FillPortion(5));
        // The table takes the whole width until a product is opened beside it.
        match &self.form {
            Some(form) => row![
                table,
                container(
                    scrollable(
                        container(form_view(form, catalogue, lang)).padding(CLEAR_OF_SCROLL_BAR)
                    )
                    .height(Fill)
                )
                .padding(theme::PAD)
                .style(theme::panel)
                .width(FillPortion(3))
                .height(Fill)
            ]
            .spacing(theme::SPACE)
            .into(),
            None => table.into(),
        }
    }

    fn filters<'a>(&'a self, catalogue: &'a Catalogue, lang: Lang) -> Element<'a, Message> {
        let (producers, producer) = choices(
            Label::InvAllProducers.text(lang),
            catalogue
                .list
                .producers()
                .iter()
                .map(|name| (name.clone(), name.clone())),
            &self.filter.producer,
        );
        let (groups, group) = choices(
            Label::InvAllGroups.text(lang),
            catalogue
                .list
                .groups()
                .iter()
                .map(|name| (name.clone(), name.clone())),
            &self.filter.group,
        );
        let (stars, star) = choices(
            Label::InvAllStars.text(lang),
            [3u8, 4, 5].map(|n| (n, stars_text(Some(n)))),
            &self.filter.stars,
        );
        column![
            row![
                text_input(Label::InvFilterHint.text(lang), &self.filter.text)
                    .id(SEARCH_INPUT)
                    .on_input(Message::FilterText)
                    .padding(6)
                    .width(Fill),
                button(text(Label::PrintLabels.text(lang)))
                    .style(button::secondary)
                    .on_press(Message::PrintLabels),
                button(text(Label::InvNewProduct.text(lang))).on_press(Message::New),
            ]
            .spacing(theme::SPACE),
            row![
                pick_list(producers, producer, |c: Choice<String>| {
                    Message::ProducerFilter(c.value)
                })
                .width(FillPortion(3))
                .text_size(theme::SMALL),
                pick_list(groups, group, |c: Choice<String>| Message::GroupFilter(
                    c.value
                ))
                .width(FillPortion(2))
                .text_size(theme::SMALL),
                pick_list(stars, star, |c: Choice<u8>| Message::StarsFilter(c.value))
                    .width(FillPortion(1))
                    .text_size(theme::SMALL),
                checkbox(self.filter.low_stock_only)
                    .label(Label::InvLowStockOnly.text(lang))
                    .on_toggle(Message::LowStockOnly)
                    .text_size(theme::SMALL),
                checkbox(self.filter.include_inactive)
                    .label(Label::InvIncludeInactive.text(lang))
                    .on_toggle(Message::IncludeInactive)
                    .text_size(theme::SMALL),
            ]
            .spacing(theme::SPACE)
            .align_y(Alignment::Center),
        ]
        .spacing(theme::SPACE)
        .into()
    }

    /// The columns shown: all of them, or the essential ones while the side panel is open.
    fn columns(&self) -> Vec<Column> {
        let compact = [Column::Barcode, Column::Group, Column::Unit, Column::Status];
        Column::ALL
            .into_iter()
            .filter(|column| self.form.is_none() || !compact.contains(column))
            .collect()
    }

    fn table_head<'a>(&'a self, catalogue: &Catalogue, lang: Lang) -> Element<'a, Message> {
        let sort = catalogue.list.sort();
        row(self.columns().into_iter().map(|column| {
            let arrow = match (sort.column == column, sort.descending) {
                (false, _) => "",
                (true, false) => " ▲",
                (true, true) => " ▼",
            };
            button(
                container(
                    text(format!("{}{arrow}", column_label(column).text(lang)))
                        .size(theme::SMALL)
                        .font(theme::BOLD)
                        .wrapping(text::Wrapping::None),
                )
                .clip(true)
                .width(Fill)
                .align_x(column_alignment(column)),
            )
            .padding(0)
            .style(theme::row_button)
            .width(column_width(column))
            .on_press(Message::SortBy(column))
            .into()
        }))
        .spacing(4)
        .padding(Padding {
            left: 6.0,
            right: 6.0 + CLEAR_OF_SCROLL_BAR.right,
            ..Padding::ZERO
        })
        .into()
    }

    /// Only the rows in (and just beyond) the viewport are built; spaces stand for the rest.
    fn table<'a>(&'a self, catalogue: &'a Catalogue, lang: Lang) -> Element<'a, Message> {
        let visible = (self.viewport_height / ROW_HEIGHT).ceil() as usize + 2 * ROWS_BEYOND;
        let first = ((self.scroll_top / ROW_HEIGHT) as usize)
            .saturating_sub(ROWS_BEYOND)
            .min(self.shown.len().saturating_sub(visible));
        let last = (first + visible).min(self.shown.len());
        let selected = self.form.as_ref().and_then(|form| form.product_id);
        let columns = self.columns();
        let rows = self.shown[first..last].iter().map(|&position| {
            let product = catalogue.list.row(position);
            product_row(
                product,
                &columns,
                selected == Some(product.product_id),
                lang,
            )
        });
        let body = column![
            space().height(first as f32 * ROW_HEIGHT),
            column(rows),
            space().height((self.shown.len() - last) as f32 * ROW_HEIGHT),
        ]
        .padding(CLEAR_OF_SCROLL_BAR);
        let empty: Element<'_, Message> = if self.shown.is_empty() {
            text(Label::InvNoProducts.text(lang))
                .style(theme::muted)
                .into()
        } else {
            space().height(0).into()
        };
        container(column![
            empty,
            scrollable(body)
                .id(LIST)
                .on_scroll(Message::Scrolled)
                .height(Fill)
        ])
        .padding(6)
        .style(theme::panel)
        .height(Fill)
        .into()
    }
}

fn column_label(column: Column) -> Label {
    match column {
        Column::Sku => Label::InvSku,
        Column::Barcode => Label::InvBarcode,
        Column::Name => Label::InvName,
        Column::Producer => Label::InvProducer,
        Column::Group => Label::InvGroup,
        Column::Stars => Label::InvStars,
        Column::Unit => Label::InvUnit,
        Column::Price => Label::InvPrice,
        Column::Vat => Label::InvVat,
        Column::Stock => Label::InvStock,
        Column::Status => Label::InvStatus,
    }
}

fn column_width(column: Column) -> Length {
    match column {
        Column::Sku => Length::FillPortion(2),
        Column::Barcode => Length::FillPortion(3),
        Column::Name => Length::FillPortion(6),
        Column::Producer => Length::FillPortion(4),
        Column::Group => Length::FillPortion(3),
        Column::Stars => Length::FillPortion(2),
        Column::Unit => Length::FillPortion(2),
        Column::Price | Column::Stock => Length::FillPortion(3),
        Column::Vat => Length::FillPortion(1),
        Column::Status => Length::FillPortion(2),
    }
}

/// Amounts and quantities line up on the right, text on the left.
fn column_alignment(column: Column) -> Alignment {
    match column {
        Column::Price | Column::Stock => Alignment::End,
        _ => Alignment::Start,
    }
}

/// One product in the table: greyed when inactive, its stock in red under the threshold.
fn product_row<'a>(
    product: &'a ProductRow,
    columns: &[Column],
    selected: bool,
    lang: Lang,
) -> Element<'a, Message> {
    let cells = columns.iter().map(|&column| {
        let value = match column {
            Column::Sku => product.sku().to_string(),
            Column::Barcode => product.barcode().to_string(),
            Column::Name => product.name().to_string(),
            Column::Producer => product.producer.to_string(),
            Column::Group => product.ocop_group.to_string(),
            Column::Stars => stars_text(product.stars),
            Column::Unit => product.unit.to_string(),
            Column::Price => product.price.map_or("—".into(), |price| price.to_string()),
            Column::Vat => product.vat.map_or("—".into(), |rate| rate.to_string()),
            Column::Stock => format_quantity(product.stock),
            Column::Status => if product.active {
                Label::InvActive
            } else {
                Label::InvInactive
            }
            .text(lang)
            .to_string(),
        };
        let text = text(value)
            .size(theme::SMALL)
            .wrapping(text::Wrapping::None);
        let text = match column {
            _ if !product.active => text.style(theme::muted),
            Column::Stock if product.is_low() => text.style(theme::danger).font(theme::BOLD),
            Column::Stars => text.style(theme::stars),
            _ => text,
        };
        container(text)
            .width(column_width(column))
            .align_x(column_alignment(column))
            .clip(true)
            .into()
    });
    button(
        container(row(cells).spacing(4).align_y(Alignment::Center))
            .height(ROW_HEIGHT)
            .align_y(Alignment::Center)
            .padding([0, 6])
            .style(theme::row_style(selected, false)),
    )
    .padding(0)
    .style(theme::row_button)
    .on_press(Message::Select(product.product_id))
    .into()
}

fn form_view<'a>(
    form: &'a ProductForm,
    catalogue: &'a Catalogue,
    lang: Lang,
) -> Element<'a, Message> {
    let input = |field: Field| form.input(field, lang);
    let title = match form.product_id {
        None => Label::InvNewProduct.text(lang).to_string(),
        Some(_) => format!("{} · {}", form.sku, form.name),
    };
    let producers = catalogue.producer_names();
    let star_choices: Vec<Choice<u8>> = std::iter::once(None)
        .chain([3u8, 4, 5].map(Some))
        .map(|value| Choice {
            name: value.map_or(Label::InvNoStars.text(lang).to_string(), |n| {
                stars_text(Some(n))
            }),
            value,
        })
        .collect();
    let star = star_choices.iter().find(|c| c.value == form.stars).cloned();
    let mut parts = column![
        // Save stays in sight however far the form is scrolled.
        row![
            text(title).font(theme::BOLD).width(Fill),
            button(text(Label::InvSave.text(lang)))
                .style(button::success)
                .on_press(Message::Save),
            button(text(Label::InvClose.text(lang)))
                .style(button::secondary)
                .on_press(Message::Close),
        ]
        .spacing(theme::SPACE)
        .align_y(Alignment::Center),
        status_buttons(form, lang),
        row![input(Field::Sku), input(Field::Unit)].spacing(theme::SPACE),
        input(Field::Name),
        input(Field::Barcodes),
        text(Label::InvBarcodeHint.text(lang))
            .size(theme::SMALL)
            .style(theme::muted),
        labelled(
            Label::InvProducer,
            lang,
            pick_list(producers, form.producer.clone(), Message::Producer).width(Fill)
        ),
        row![
            input(Field::Group),
            labelled(
                Label::InvStars,
                lang,
                pick_list(star_choices, star, |c: Choice<u8>| Message::Stars(c.value)).width(Fill)
            ),
        ]
        .spacing(theme::SPACE),
        row![
            input(Field::Price),
            labelled(
                Label::InvVat,
                lang,
                pick_list(VatRate::allowed().to_vec(), form.vat, Message::Vat).width(Fill)
            ),
        ]
        .spacing(theme::SPACE),
        row![input(Field::EffectiveFrom), input(Field::LowStock)].spacing(theme::SPACE),
        text(Label::InvEffectiveHint.text(lang))
            .size(theme::SMALL)
            .style(theme::muted),
        text(Label::InvCertificate.text(lang)).font(theme::BOLD),
        row![
            input(Field::CertificateNumber),
            input(Field::CertificateIssuer)
        ]
        .spacing(theme::SPACE),
        row![
            input(Field::CertificateIssued),
            labelled(
                Label::InvStars,
                lang,
                pick_list(
                    vec![3u8, 4, 5],
                    form.certificate_stars,
                    Message::CertificateStars
                )
                .width(Fill)
            ),
        ]
        .spacing(theme::SPACE),
    ]
    .spacing(theme::SPACE);
    if let Some(certificate) = &form.certificate {
        parts = parts.push(certificate_line(certificate, lang));
    }
    if form.product_id.is_some() {
        parts = parts
            .push(adjust_view(form, lang))
            .push(history_view(form, lang));
    }
    parts.into()
}

/// Deactivate (or reactivate) and delete, for a stored product; nothing for a new one.
fn status_buttons(form: &ProductForm, lang: Lang) -> Element<'_, Message> {
    if form.product_id.is_none() {
        return space().height(0).into();
    }
    let status = activation_button(form.active, lang, Message::SetActive);
    row![
        status,
        button(text(Label::InvDelete.text(lang)))
            .style(button::secondary)
            .on_press(Message::Delete)
    ]
    .spacing(theme::SPACE)
    .into()
}

/// The certificate's expiry, flagged when it is near or past.
fn certificate_line(certificate: &Certificate, lang: Lang) -> Element<'_, Message> {
    let status = certificate.status(local_date(Utc::now()), CERTIFICATE_WARNING_DAYS);
    let line = text(format!(
        "{} {}",
        Label::InvCertificateExpires.text(lang),
        format_day(certificate.expires_on())
    ))
    .size(theme::SMALL);
    match status {
        CertificateStatus::Valid => line.into(),
        CertificateStatus::ExpiringSoon { .. } | CertificateStatus::Expired => row![
            line.style(theme::danger),
            text(crate::i18n::certificate_status_text(status, lang))
                .size(theme::SMALL)
                .style(theme::danger)
        ]
        .spacing(theme::SPACE)
        .into(),
    }
}

fn adjust_view<'a>(form: &'a ProductForm, lang: Lang) -> Element<'a, Message> {
    let input = |field: Field| form.input(field, lang);
    let reasons: Vec<Choice<AdjustmentReason>> = AdjustmentReason::ALL
        .into_iter()
        .map(|reason| Choice {
            value: Some(reason),
            name: adjustment_reason_name(reason, lang).to_string(),
        })
        .collect();
    let reason = reasons
        .iter()
        .find(|c| c.value == form.adjust_reason)
        .cloned();
    column![
        text(Label::InvAdjust.text(lang)).font(theme::BOLD),
        row![
            input(Field::AdjustQuantity),
            labelled(
                Label::InvReason,
                lang,
                pick_list(reasons, reason, |c: Choice<AdjustmentReason>| {
                    Message::Reason(c.value.unwrap_or(AdjustmentReason::Correction))
                })
                .width(Fill)
            ),
        ]
        .spacing(theme::SPACE),
        row![
            input(Field::AdjustNote),
            button(text(Label::InvAdjustButton.text(lang)))
                .style(button::secondary)
                .on_press(Message::Adjust),
        ]
        .spacing(theme::SPACE)
        .align_y(Alignment::End),
    ]
    .spacing(theme::SPACE)
    .into()
}

/// Prices and VAT rates by the day they apply from (scheduled ones marked), then the ledger.
fn history_view<'a>(form: &'a ProductForm, lang: Lang) -> Element<'a, Message> {
    let now = Utc::now();
    let when = |from: DateTime<Utc>| {
        if from > now {
            format!(
                "{} ({})",
                format_local(from),
                Label::InvScheduled.text(lang)
            )
        } else {
            format_local(from)
        }
    };
    let mut prices = column![text(Label::InvPriceHistory.text(lang)).font(theme::BOLD)].spacing(2);
    if let Some(history) = &form.history {
        for (from, price) in &history.prices {
            prices = prices.push(
                text(format!("{} · {}", when(*from), Money::to_string(price))).size(theme::SMALL),
            );
        }
        for (from, rate) in &history.vat_rates {
            prices = prices.push(
                text(format!(
                    "{} · {} {rate}",
                    when(*from),
                    Label::InvVat.text(lang)
                ))
                .size(theme::SMALL),
            );
        }
    }
    let columns = [
        (Label::InvWhen, Length::FillPortion(4)),
        (Label::InvKind, Length::FillPortion(3)),
        (Label::Quantity, Length::FillPortion(2)),
        (Label::InvBy, Length::FillPortion(3)),
        (Label::InvNote, Length::FillPortion(4)),
    ];
    let widths = columns.map(|(_, width)| width);
    let mut ledger = column![
        text(Label::InvMovements.text(lang)).font(theme::BOLD),
        heads(&columns, lang),
    ]
    .spacing(2);
    for movement in &form.movements {
        let note = [
            movement.receipt_no.clone().unwrap_or_default(),
            movement.delivery_note_no.clone(),
            movement.lot.clone(),
            movement.note.clone(),
        ]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" · ");
        ledger = ledger.push(
            row![
                cell(format_local(movement.at), widths[0]),
                cell(movement_kind_name(movement.kind, lang), widths[1]),
                cell(signed_quantity(movement.quantity), widths[2]),
                cell(movement.by.clone(), widths[3]),
                cell(note, widths[4]),
            ]
            .spacing(4),
        );
    }
    column![prices, ledger].spacing(theme::SPACE).into()
}

/// `+12`, `-1,5`: a movement's direction at a glance.
fn signed_quantity(quantity: Decimal) -> String {
    if quantity > Decimal::ZERO {
        format!("+{}", format_quantity(quantity))
    } else {
        format_quantity(quantity)
    }
}
