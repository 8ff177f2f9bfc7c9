//! What needs a manager's attention: products at or under their low-stock threshold, lots
//! near their expiry (the first to expire are the ones to sell first), and OCOP certificates
//! that have expired or soon will.

use super::products::CERTIFICATE_WARNING_DAYS;
use super::{Message, cell, heads};
use crate::core::cart::format_quantity;
use crate::core::clock::format_day;
use crate::core::clock::local_date;
use crate::i18n::{Label, Lang, certificate_status_text};
use crate::store::{CertificateAlert, ExpiringLot, LowStock, Store, StoreResult};
use crate::ui::theme;
use chrono::{DateTime, Utc};
use iced::widget::{column, container, row, scrollable, text};
use iced::{Element, Fill, Length};

/// Lots expiring within this many days are listed.
const EXPIRY_WARNING_DAYS: u32 = 60;

#[derive(Debug, Default)]
pub struct Alerts {
    low_stock: Vec<LowStock>,
    expiring: Vec<ExpiringLot>,
    certificates: Vec<CertificateAlert>,
}

impl Alerts {
    pub fn read(store: &Store, now: DateTime<Utc>) -> StoreResult<Alerts> {
        let today = local_date(now);
        Ok(Alerts {
            low_stock: store.low_stock()?,
            expiring: store.near_expiry_lots(today, EXPIRY_WARNING_DAYS)?,
            certificates: store.certificate_alerts(today, CERTIFICATE_WARNING_DAYS)?,
        })
    }

    pub fn view(&self, lang: Lang) -> Element<'_, Message> {
        let w = |portion| Length::FillPortion(portion);
        let low = self.low_stock.iter().map(|item| {
            row![
                cell(item.sku.clone(), w(2)),
                cell(item.name.clone(), w(6)),
                container(
                    text(format_quantity(item.stock))
                        .size(theme::SMALL)
                        .style(theme::danger)
                )
                .width(w(2)),
                cell(format_quantity(item.threshold), w(2)),
            ]
            .spacing(4)
            .into()
        });
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
        container(
            scrollable(
                column![
                    section(
                        Label::InvLowStockList,
                        vec![
                            (Label::InvSku, 2),
                            (Label::InvName, 6),
                            (Label::InvStock, 2),
                            (Label::InvLowStockThreshold, 2)
                        ],
                        low.collect()
                    ),
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
            .height(Fill),
        )
        .padding(theme::PAD)
        .style(theme::panel)
        .width(Fill)
        .height(Fill)
        .into()
    }
}
