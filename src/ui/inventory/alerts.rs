//! What needs a manager's attention: products at or under their low-stock threshold, lots
//! near their expiry (the first to expire are the ones to sell first), and OCOP certificates
//! that have expired or soon will.

use super::products::CERTIFICATE_WARNING_DAYS;
use super::{CLEAR_OF_SCROLL_BAR, Catalogue, Message, cell, heads};
use crate::core::cart::format_quantity;
use crate::core::clock::format_day;
use crate::core::clock::local_date;
use crate::core::product_list::Removed;
use crate::i18n::{Label, Lang, certificate_status_text};
use crate::store::{CertificateAlert, ExpiringLot, Store, StoreResult};
use crate::ui::theme;
use chrono::{DateTime, Utc};
use iced::widget::{column, container, row, scrollable, space, text};
use iced::{Element, Fill, FillPortion, Length};
use rust_decimal::Decimal;
use std::collections::HashSet;

/// Lots expiring within this many days are listed.
const EXPIRY_WARNING_DAYS: u32 = 60;
/// Every low-stock row is this tall, so the rows in view follow from the scroll offset alone.
const ROW_HEIGHT: f32 = 24.0;
/// Rows built beyond the viewport's edges, so a fast scroll never shows a gap.
const ROWS_BEYOND: usize = 10;

/// The low-stock list of a new store (every product at 0 after a migration) can hold the
/// whole catalogue: it is taken from the catalogue already in memory, positions only, and only
/// the rows in view are built.
#[derive(Debug)]
pub struct Alerts {
    /// Positions into the catalogue's list of the active products at or under their
    /// threshold, lowest stock first (then in the list's order).
    low_stock: Vec<usize>,
    expiring: Vec<ExpiringLot>,
    certificates: Vec<CertificateAlert>,
    scroll_top: f32,
    viewport_height: f32,
}

impl Alerts {
    pub fn read(store: &Store, catalogue: &Catalogue, now: DateTime<Utc>) -> StoreResult<Alerts> {
        let today = local_date(now);
        Ok(Alerts {
            low_stock: low_stock(catalogue),
            expiring: store.near_expiry_lots(today, EXPIRY_WARNING_DAYS)?,
            certificates: store.certificate_alerts(today, CERTIFICATE_WARNING_DAYS)?,
            scroll_top: 0.0,
            viewport_height: 600.0,
        })
    }

    /// After a change to these products only: their places in the low-stock list are redone
    /// (a binary search each, not a pass over the catalogue) and the lots and certificates
    /// read again.
    pub fn update_products(
        &mut self,
        store: &Store,
        catalogue: &Catalogue,
        now: DateTime<Utc>,
        product_ids: &[i64],
    ) -> StoreResult<()> {
        let today = local_date(now);
        self.expiring = store.near_expiry_lots(today, EXPIRY_WARNING_DAYS)?;
        self.certificates = store.certificate_alerts(today, CERTIFICATE_WARNING_DAYS)?;
        let rows = catalogue.list.rows();
        let changed: HashSet<usize> = product_ids
            .iter()
            .filter_map(|&id| catalogue.list.position_of(id))
            .collect();
        // All out first: the list stays in order for the binary searches putting them back.
        if !changed.is_empty() {
            self.low_stock.retain(|listed| !changed.contains(listed));
        }
        for position in changed {
            let row = &rows[position];
            if row.active && row.is_low() {
                let key = low_stock_key(catalogue, position);
                let at = self
                    .low_stock
                    .partition_point(|&listed| low_stock_key(catalogue, listed) < key);
                self.low_stock.insert(at, position);
            }
        }
        Ok(())
    }

    /// After a row left the list (a product deleted).
    pub fn row_removed(&mut self, removed: Removed) {
        removed.mend(&mut self.low_stock);
    }

    pub fn scrolled(&mut self, viewport: scrollable::Viewport) {
        self.scroll_top = viewport.absolute_offset().y;
        self.viewport_height = viewport.bounds().height;
    }

    pub fn view<'a>(&'a self, catalogue: &'a Catalogue, lang: Lang) -> Element<'a, Message> {
        let w = |portion| Length::FillPortion(portion);
        let visible = (self.viewport_height / ROW_HEIGHT).ceil() as usize + 2 * ROWS_BEYOND;
        let first = ((self.scroll_top / ROW_HEIGHT) as usize)
            .saturating_sub(ROWS_BEYOND)
            .min(self.low_stock.len().saturating_sub(visible));
        let last = (first + visible).min(self.low_stock.len());
        let low = self.low_stock[first..last].iter().map(|&position| {
            let item = catalogue.list.row(position);
            row![
                cell(item.sku().to_string(), w(2)),
                cell(item.name().to_string(), w(6)),
                container(
                    text(format_quantity(item.stock))
                        .size(theme::SMALL)
                        .style(theme::danger)
                )
                .width(w(2)),
                cell(format_quantity(item.low_stock), w(2)),
            ]
            .spacing(4)
            .height(ROW_HEIGHT)
            .into()
        });
        let low_list = column![
            space().height(first as f32 * ROW_HEIGHT),
            column(low),
            space().height((self.low_stock.len() - last) as f32 * ROW_HEIGHT),
        ]
        .padding(CLEAR_OF_SCROLL_BAR);
        let lots = self.expiring.iter().map(|lot| {
            row![
                cell(lot.sku.clone(), w(2)),
                cell(lot.name.clone(), w(6)),
                cell(lot.lot.clone(), w(2)),
                cell(format_day(lot.expires_on), w(2)),
                cell(format_quantity(lot.left), w(2)),
            ]
            .spacing(4)
            .into()
        });
        let certificates = self.certificates.iter().map(|alert| {
            row![
                cell(alert.sku.clone(), w(2)),
                cell(alert.name.clone(), w(6)),
                cell(alert.certificate.number.clone(), w(3)),
                cell(format_day(alert.certificate.expires_on()), w(2)),
                container(
                    text(certificate_status_text(alert.status, lang))
                        .size(theme::SMALL)
                        .style(theme::danger)
                )
                .width(w(3)),
            ]
            .spacing(4)
            .into()
        });
        let section =
            |title: Label, columns: Vec<(Label, u16)>, rows: Vec<Element<'static, Message>>| {
                let empty = rows.is_empty();
                let mut part = column![
                    text(title.text(lang)).font(theme::BOLD),
                    heads(
                        &columns
                            .into_iter()
                            .map(|(label, portion)| (label, w(portion)))
                            .collect::<Vec<_>>(),
                        lang
                    ),
                ]
                .spacing(4);
                part = part.push(column(rows).spacing(2));
                if empty {
                    part = part.push(text(Label::InvNothingToFlag.text(lang)).style(theme::muted));
                }
                part
            };
        let low_columns = vec![
            (Label::InvSku, 2),
            (Label::InvName, 6),
            (Label::InvStock, 2),
            (Label::InvLowStockThreshold, 2),
        ];
        let low_part = column![
            text(format!(
                "{} ({})",
                Label::InvLowStockList.text(lang),
                self.low_stock.len()
            ))
            .font(theme::BOLD),
            heads(
                &low_columns
                    .into_iter()
                    .map(|(label, portion)| (label, w(portion)))
                    .collect::<Vec<_>>(),
                lang
            ),
            if self.low_stock.is_empty() {
                Element::from(text(Label::InvNothingToFlag.text(lang)).style(theme::muted))
            } else {
                scrollable(low_list)
                    .on_scroll(Message::AlertsScrolled)
                    .height(Fill)
                    .into()
            },
        ]
        .spacing(4)
        .height(if self.low_stock.is_empty() {
            Length::Shrink
        } else {
            FillPortion(3)
        });
        container(
            column![
                low_part,
                scrollable(
                    column![
                        section(
                            Label::InvExpiringLots,
                            vec![
                                (Label::InvSku, 2),
                                (Label::InvName, 6),
                                (Label::InvLot, 2),
                                (Label::InvExpiry, 2),
                                (Label::InvLotLeft, 2)
                            ],
                            lots.collect()
                        ),
                        section(
                            Label::InvCertificateAlerts,
                            vec![
                                (Label::InvSku, 2),
                                (Label::InvName, 6),
                                (Label::InvCertificateNumber, 3),
                                (Label::InvCertificateExpires, 2),
                                (Label::InvStatus, 3)
                            ],
                            certificates.collect()
                        ),
                    ]
                    .spacing(theme::SPACE * 3.0),
                )
                .height(FillPortion(2)),
            ]
            .spacing(theme::SPACE * 3.0),
        )
        .padding(theme::PAD)
        .style(theme::panel)
        .width(Fill)
        .height(Fill)
        .into()
    }
}

/// The active products at or under their threshold, lowest stock first; equal stocks keep
/// the list's order.
fn low_stock(catalogue: &Catalogue) -> Vec<usize> {
    let rows = catalogue.list.rows();
    // Keys worked out once per row: whole thousandths sort far faster than decimals.
    let mut keyed: Vec<(i64, usize)> = (0..rows.len())
        .filter(|&position| rows[position].active && rows[position].is_low())
        .map(|position| low_stock_key(catalogue, position))
        .collect();
    keyed.sort_unstable();
    keyed.into_iter().map(|(_, position)| position).collect()
}

/// Where a product stands in the low-stock list: its stock in thousandths (as the ledger keeps
/// it), then its place in the catalogue.
fn low_stock_key(catalogue: &Catalogue, position: usize) -> (i64, usize) {
    let milli = (catalogue.list.row(position).stock * Decimal::from(1000)).trunc();
    (i64::try_from(milli).unwrap_or(i64::MAX), position)
}
