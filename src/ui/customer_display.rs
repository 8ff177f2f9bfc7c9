//! The customer display: a second window, turned to the customer, in large type. It shows
//! the lines as they are scanned and the total; at payment the VietQR of a transfer, or the
//! change for cash; then thanks with the receipt number. Idle, the shop's name and its OCOP
//! products in turn, each with its photo when the data folder has one. It only reads the
//! checkout: nothing on it can be pressed.

use crate::core::cart::format_quantity;
use crate::core::catalog::{Product, stars_text};
use crate::core::money::Money;
use crate::core::settings::ShopSettings;
use crate::core::vietqr::dynamic_payload;
use crate::store::{Store, StoreResult};
use crate::ui::checkout::Checkout;
use crate::ui::theme;
use chrono::{DateTime, Utc};
use iced::widget::{Column, column, container, image, qr_code, row, text};
use iced::{Color, Element, Fill};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The data folder's folder of product photos for the display, each named by its product's
/// SKU (`product-images/KG001.jpg`).
pub const PRODUCT_IMAGES: &str = "product-images";
/// How tall a product's photo is shown.
const PHOTO_HEIGHT: f32 = 240.0;

/// Type sizes a customer reads from a step or two away.
const LINE: f32 = 30.0;
const TOTAL: f32 = 64.0;
const HEADLINE: f32 = 48.0;
/// The last lines scanned that fit on the screen; earlier ones scroll off the top.
const LINES_SHOWN: usize = 9;
/// A QR's module on the display, in pixels: a phone reads it from a metre away.
const QR_CELL: f32 = 8.0;

/// How many products a turn of the slides reads at most looking for one still shown.
const SLIDES_TRIED: usize = 8;

/// Whether a product is among the idle slides: an OCOP product of three stars or more.
fn shown_idle(product: &Product) -> bool {
    product.stars.is_some_and(|stars| stars >= 3)
}

/// An OCOP product shown while the counter is idle.
struct Slide {
    name: String,
    stars: String,
    producer: String,
    photo: Option<image::Handle>,
}

pub struct CustomerDisplay {
    /// The VietQR of the transfer shown, drawn once for its amount and note.
    transfer: Option<((Money, String), qr_code::Data)>,
    /// The OCOP products shown in turn while idle, by id: the one shown is read from the store
    /// when its turn comes, so the display never holds the catalogue (300,000 products).
    slides: Vec<i64>,
    slide: usize,
    shown: Option<Slide>,
    /// The photos in the data folder, by SKU.
    photos: HashMap<String, PathBuf>,
}

impl CustomerDisplay {
    /// The display, its idle slides the OCOP products on sale at `at` (rated three stars or
    /// more, as the certificate in force allows), with their photos from `data_dir`.
    pub fn new(store: &Store, at: DateTime<Utc>, data_dir: &Path) -> StoreResult<CustomerDisplay> {
        let mut slides = Vec::new();
        store.each_on_counter(at, &mut |product| {
            if shown_idle(&product) {
                slides.push(product.id);
            }
        })?;
        let mut display = CustomerDisplay {
            transfer: None,
            slides,
            slide: 0,
            shown: None,
            photos: product_photos(data_dir),
        };
        display.shown = display.read_slide(store, at);
        Ok(display)
    }

    /// The next idle slide (the window's clock calls it every few seconds). A product taken
    /// off the counter or whose stars lapsed since the display opened is passed over.
    pub fn next_slide(&mut self, store: &Store, at: DateTime<Utc>) {
        for _ in 0..self.slides.len().min(SLIDES_TRIED) {
            self.slide = (self.slide + 1) % self.slides.len();
            if let Some(slide) = self.read_slide(store, at) {
                self.shown = Some(slide);
                return;
            }
        }
    }

    /// The product whose turn it is, if still on sale with its stars (a failed read shows the
    /// shop's name alone until the next turn).
    fn read_slide(&self, store: &Store, at: DateTime<Utc>) -> Option<Slide> {
        let id = *self.slides.get(self.slide)?;
        let product = store
            .products_on_counter(&[id], at)
            .ok()?
            .pop()?
            .1
            .filter(shown_idle)?;
        Some(Slide {
            stars: stars_text(product.stars),
            producer: product.producer.to_string(),
            photo: self
                .photos
                .get(&product.sku)
                .map(|path| image::Handle::from_path(path.clone())),
            name: product.name,
        })
    }

    /// Keeps the VietQR in step with the transfer the checkout shows.
    pub fn follow(&mut self, checkout: &Checkout, shop: &ShopSettings) {
        let shown = checkout
            .transfer_shown()
            .map(|(amount, note)| (amount, note.to_string()));
        if self.transfer.as_ref().map(|(key, _)| key) == shown.as_ref() {
            return;
        }
        self.transfer = shown.and_then(|(amount, note)| {
            let account = shop.bank_account()?;
            let payload = dynamic_payload(&account, amount, &note);
            let picture = qr_code::Data::new(payload.as_bytes()).ok()?;
            Some(((amount, note), picture))
        });
    }

    pub fn view<'a, M: 'a>(
        &'a self,
        checkout: &'a Checkout,
        shop: &'a ShopSettings,
    ) -> Element<'a, M> {
        let cart = checkout.cart();
        let content: Element<'a, M> = if !cart.lines.is_empty() {
            self.sale_view(checkout)
        } else if let Some((receipt_no, total, change)) = checkout.last_sale() {
            thanks(receipt_no, total, change)
        } else {
            self.idle_view(shop)
        };
        container(content)
            .padding(32)
            .width(Fill)
            .height(Fill)
            .style(|_| container::background(Color::WHITE))
            .into()
    }

    /// The lines as scanned, the total, and what is paid: the VietQR or the change.
    fn sale_view<'a, M: 'a>(&'a self, checkout: &'a Checkout) -> Element<'a, M> {
        let cart = checkout.cart();
        let totals = cart.totals();
        let skipped = cart.lines.len().saturating_sub(LINES_SHOWN);
        let lines = cart
            .lines
            .iter()
            .zip(&totals.lines)
            .skip(skipped)
            .map(|(line, priced)| {
                row![
                    column![
                        text(format!("{} {}", line.name, stars_text(line.stars))).size(LINE),
                        text(format!(
                            "{} {} × {}",
                            format_quantity(line.quantity),
                            line.unit,
                            line.unit_price
                        ))
                        .size(LINE * 0.7)
                        .style(theme::muted),
                    ]
                    .width(Fill),
                    text(priced.total.to_string()).size(LINE).font(theme::BOLD),
                ]
                .align_y(iced::Alignment::Center)
                .into()
            });
        let mut left = Column::with_children(lines).spacing(12).width(Fill);
        left = left.push(
            row![
                text("Tổng cộng / Total").size(LINE).width(Fill),
                text(totals.total.to_string()).size(TOTAL).font(theme::BOLD),
            ]
            .align_y(iced::Alignment::Center),
        );
        let paid = cart.paid();
        if paid > Money::ZERO {
            left = left.push(
                row![
                    text("Đã trả / Paid").size(LINE).width(Fill),
                    text(paid.to_string()).size(LINE),
                ]
                .align_y(iced::Alignment::Center),
            );
        }
        let change = paid - totals.total;
        if change > Money::ZERO {
            left = left.push(
                row![
                    text("Tiền thối / Change").size(LINE).width(Fill),
                    text(change.to_string()).size(TOTAL).font(theme::BOLD),
                ]
                .align_y(iced::Alignment::Center),
            );
        }
        match &self.transfer {
            Some(((amount, note), picture)) => row![
                left,
                column![
                    text("Quét mã để chuyển khoản").size(LINE).font(theme::BOLD),
                    container(
                        qr_code(picture)
                            .cell_size(QR_CELL)
                            .style(|_| qr_code::Style {
                                cell: Color::BLACK,
                                background: Color::WHITE,
                            })
                    )
                    .padding(16),
                    text(amount.to_string()).size(HEADLINE).font(theme::BOLD),
                    text(format!("Nội dung: {note}")).size(LINE * 0.8),
                ]
                .spacing(8)
                .align_x(iced::Alignment::Center),
            ]
            .spacing(32)
            .into(),
            None => left.into(),
        }
    }

    /// The shop's name and one OCOP product at a time.
    fn idle_view<'a, M: 'a>(&'a self, shop: &'a ShopSettings) -> Element<'a, M> {
        let mut idle = column![
            text(&shop.shop_name)
                .size(HEADLINE)
                .font(theme::BOLD)
                .align_x(iced::Alignment::Center),
            text("Sản phẩm OCOP - đặc sản quê hương")
                .size(LINE)
                .style(theme::muted),
        ]
        .spacing(24)
        .align_x(iced::Alignment::Center)
        .width(Fill);
        if let Some(slide) = &self.shown {
            if let Some(photo) = &slide.photo {
                idle = idle.push(image(photo.clone()).height(PHOTO_HEIGHT));
            }
            idle = idle.push(
                column![
                    text(&slide.name)
                        .size(HEADLINE)
                        .align_x(iced::Alignment::Center),
                    text(&slide.stars).size(HEADLINE).style(theme::stars),
                    text(&slide.producer).size(LINE).style(theme::muted),
                ]
                .spacing(12)
                .align_x(iced::Alignment::Center),
            );
        }
        container(idle).center(Fill).into()
    }
}

/// The product photos in the data folder, by SKU: `product-images/SKU` as PNG or JPEG. One
/// read of the folder, whatever the size of the catalogue.
pub fn product_photos(data_dir: &Path) -> HashMap<String, PathBuf> {
    let Ok(entries) = std::fs::read_dir(data_dir.join(PRODUCT_IMAGES)) else {
        return HashMap::new();
    };
    entries
        .flatten()
        .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_file()))
        .filter_map(|entry| {
            let path = entry.path();
            let extension = path.extension()?.to_str()?.to_ascii_lowercase();
            let sku = path.file_stem()?.to_str()?.to_string();
            ["png", "jpg", "jpeg"]
                .contains(&extension.as_str())
                .then_some((sku, path))
        })
        .collect()
}

/// After the sale: thanks, the receipt's number and the change to hand back.
fn thanks<'a, M: 'a>(receipt_no: &'a str, total: Money, change: Money) -> Element<'a, M> {
    let mut thanks = column![
        text("Cảm ơn quý khách!").size(HEADLINE).font(theme::BOLD),
        text("Thank you!").size(LINE),
        text(format!("Hóa đơn / Receipt {receipt_no}")).size(LINE),
        text(total.to_string()).size(TOTAL).font(theme::BOLD),
    ]
    .spacing(16)
    .align_x(iced::Alignment::Center);
    if change > Money::ZERO {
        thanks = thanks.push(text(format!("Tiền thối / Change: {change}")).size(HEADLINE));
    }
    container(thanks).center(Fill).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_product_s_photo_is_found_by_its_sku_as_png_or_jpeg() {
        let dir = tempfile::tempdir().unwrap();
        assert!(product_photos(dir.path()).is_empty());
        let folder = dir.path().join(PRODUCT_IMAGES);
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("KG001.jpg"), b"jpeg").unwrap();
        std::fs::write(folder.join("KG0011.PNG"), b"png").unwrap();
        std::fs::write(folder.join("KG002.txt"), b"notes").unwrap();
        // A folder named like a photo is not one.
        std::fs::create_dir(folder.join("KG003.png")).unwrap();
        let photos = product_photos(dir.path());
        assert_eq!(photos.get("KG001"), Some(&folder.join("KG001.jpg")));
        assert_eq!(photos.get("KG0011"), Some(&folder.join("KG0011.PNG")));
        assert_eq!(photos.len(), 2);
    }
}
