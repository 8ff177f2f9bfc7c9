//! Shelf labels: name, OCOP stars, unit, VAT-inclusive price, price per kg, the EAN-13 as real
//! bars with its digits, and the SKU. On A4 label sheets (3 × 8 labels of 70 × 36 mm) for an
//! office printer, or one label a page at a label printer's size, whose raster is replayed
//! from the same layout.

use crate::core::barcode::ean13_modules;
use crate::core::catalog::stars_text;
use crate::core::label::ShelfLabel;
use crate::core::printer::LabelSize;
use crate::core::settings::ShopSettings;
use crate::print::document::{DocumentInfo, save_pages};
use crate::print::font::{TextStyle, wrap};
use crate::print::layout::{Align, Page, Sheet, Span};
use crate::print::raster::{DOTS_PER_MM, Raster, rasterize};
use chrono::{DateTime, Utc};
use printpdf::{Mm, Pt};

/// A4 label sheets: three across, eight down, 70 × 36 mm, 4.5 mm blank at top and bottom.
const SHEET_COLUMNS: usize = 3;
const SHEET_ROWS: usize = 8;
const SHEET_LABEL: (Mm, Mm) = (Mm(70.0), Mm(36.0));
const SHEET_TOP: Mm = Mm(4.5);
/// Blank inside a label's edge on the A4 sheet's label height; smaller labels scale it down.
const PADDING: Mm = Mm(3.5);
/// A bar module of 3 dots at 203 dpi (0.375 mm), or 2 (0.25 mm) when the label is too narrow:
/// whole dots, so every bar prints exactly as wide as it should.
const MODULES: [Mm; 2] = [Mm(0.375), Mm(0.25)];
/// Blank modules a scanner needs before and after the bars.
const QUIET_LEFT: f32 = 11.0;
const QUIET_RIGHT: f32 = 7.0;
/// Space between the price and the bars, in points.
const BAR_GAP: f32 = 2.0;
/// The tallest the bars grow on a label with room to spare, in points.
const MAX_BAR_HEIGHT: f32 = 45.0;
/// Sizes on the A4 sheet's label, in points.
const NAME: TextStyle = TextStyle::bold(9.0);
const NAME_LINES: usize = 2;
const DETAIL: TextStyle = TextStyle::regular(7.5);
const PRICE: TextStyle = TextStyle::bold(16.0);
const DIGITS: TextStyle = TextStyle::regular(7.0);

/// Labels laid out, for the PDF or a label printer.
pub struct LabelDocument {
    pages: Vec<Page>,
    info: DocumentInfo,
}

impl LabelDocument {
    pub fn pdf(self) -> Vec<u8> {
        save_pages(self.pages, &self.info)
    }

    /// Each page as a label printer (or, for a sheet, a 203 dpi page) prints it.
    pub fn rasters(&self) -> Vec<Raster> {
        self.pages
            .iter()
            .map(|page| {
                let millimetres = Mm::from(Pt(page.width - 2.0 * page.margin)).0;
                rasterize(page, (millimetres * DOTS_PER_MM).round() as u32)
            })
            .collect()
    }
}

fn info(shop: &ShopSettings, printed_at: DateTime<Utc>, count: usize) -> DocumentInfo {
    DocumentInfo {
        title: format!("Tem giá ({count})"),
        created: printed_at,
        identifier: format!("{}/TEM/{}", shop.tax_code, printed_at.timestamp()),
    }
}

/// The labels on A4 label sheets, 24 a sheet.
pub fn label_sheets(
    shop: &ShopSettings,
    labels: &[ShelfLabel],
    printed_at: DateTime<Utc>,
) -> LabelDocument {
    let mut sheet = Sheet::paged(Mm(210.0), Mm(297.0), Mm(0.0));
    let (width, height) = (Pt::from(SHEET_LABEL.0).0, Pt::from(SHEET_LABEL.1).0);
    let top = Pt::from(SHEET_TOP).0;
    for (index, label) in labels.iter().enumerate() {
        let place = index % (SHEET_COLUMNS * SHEET_ROWS);
        if index > 0 && place == 0 {
            sheet.next_page();
        }
        let (column, row) = (place % SHEET_COLUMNS, place / SHEET_COLUMNS);
        let origin = (column as f32 * width, top + row as f32 * height);
        draw_label(&mut sheet, label, origin, (width, height));
    }
    LabelDocument {
        pages: sheet.into_pages(),
        info: info(shop, printed_at, labels.len()),
    }
}

/// The labels one a page, at the label printer's size.
pub fn label_roll(
    shop: &ShopSettings,
    labels: &[ShelfLabel],
    size: LabelSize,
    printed_at: DateTime<Utc>,
) -> LabelDocument {
    let (width, height) = (size.width_mm as f32, size.height_mm as f32);
    let pages = labels
        .iter()
        .flat_map(|label| {
            let mut sheet = Sheet::paged(Mm(width), Mm(height), Mm(0.0));
            let points = (Pt::from(Mm(width)).0, Pt::from(Mm(height)).0);
            draw_label(&mut sheet, label, (0.0, 0.0), points);
            sheet.into_pages()
        })
        .collect();
    LabelDocument {
        pages,
        info: info(shop, printed_at, labels.len()),
    }
}

/// One label in the box at `origin` (its top-left corner) of `size`, in points: the name on
/// up to two lines, stars and unit with the SKU, the price with the price per kg, the bars.
fn draw_label(sheet: &mut Sheet, label: &ShelfLabel, origin: (f32, f32), size: (f32, f32)) {
    // A smaller label scales the type and the blank edge; the bars keep whole dots.
    let scale = (size.1 / Pt::from(SHEET_LABEL.1).0).min(1.0);
    let sized = |style: TextStyle| TextStyle {
        size: style.size * scale,
        ..style
    };
    let pad = Pt::from(PADDING).0 * scale;
    let (left, right) = (origin.0 + pad, origin.0 + size.0 - pad);
    let room = right - left;
    let mut y = origin.1 + pad;
    let line = |sheet: &mut Sheet, y: &mut f32, style: TextStyle, cells: Vec<(String, Align)>| {
        let baseline = *y + style.baseline_offset();
        for (text, align) in cells {
            let x = match align {
                Align::Right => right,
                _ => left,
            };
            sheet.text_at(Span::new(&text, style), align, x, baseline);
        }
        *y += style.line_height();
    };

    let name = sized(NAME);
    let mut lines = wrap(&label.name, name, room);
    if lines.len() > NAME_LINES {
        lines.truncate(NAME_LINES);
        let last = lines.last_mut().expect("two lines");
        while !last.is_empty() && Span::new(&format!("{last}…"), name).width() > room {
            last.pop();
        }
        last.push('…');
    }
    for text in lines {
        line(sheet, &mut y, name, vec![(text, Align::Left)]);
    }
    let stars = stars_text(label.stars);
    let detail = if stars.is_empty() {
        label.unit.clone()
    } else {
        format!("{stars}  {}", label.unit)
    };
    line(
        sheet,
        &mut y,
        sized(DETAIL),
        vec![(detail, Align::Left), (label.sku.clone(), Align::Right)],
    );
    let per_kg = label
        .per_kg
        .filter(|_| label.unit != "kg")
        .map(|price| format!("{price}/kg"))
        .unwrap_or_default();
    let price = if label.unit == "kg" {
        format!("{}/kg", label.price)
    } else {
        label.price.to_string()
    };
    let price_style = sized(PRICE);
    let baseline = y + price_style.baseline_offset();
    sheet.text_at(Span::new(&price, price_style), Align::Left, left, baseline);
    sheet.text_at(
        Span::new(&per_kg, sized(DETAIL)),
        Align::Right,
        right,
        baseline,
    );
    // A hair of space, so the price's descenders never touch the bars.
    y += price_style.line_height() + BAR_GAP * scale;

    if let Some(code) = &label.barcode {
        let digits = sized(DIGITS);
        let bottom = origin.1 + size.1 - pad;
        let height = (bottom - y - digits.line_height()).min(MAX_BAR_HEIGHT);
        bars(sheet, code, (left, y), room, height, digits);
    }
}

/// An EAN-13 with its left edge (quiet zone included) at `at`: the 95 modules as bars
/// `height` tall, guard bars longer, and the digits under them as the standard sets them —
/// the first left of the bars, then six under each half.
fn bars(sheet: &mut Sheet, code: &str, at: (f32, f32), room: f32, height: f32, digits: TextStyle) {
    let Some(modules) = ean13_modules(code) else {
        return;
    };
    let total = QUIET_LEFT + modules.len() as f32 + QUIET_RIGHT;
    let module = MODULES
        .iter()
        .map(|m| Pt::from(*m).0)
        .find(|m| m * total <= room)
        .unwrap_or(Pt::from(MODULES[1]).0);
    let start = at.0 + QUIET_LEFT * module;
    let guard = |index: usize| index < 3 || (45..50).contains(&index) || index >= 92;
    let mut index = 0;
    while index < modules.len() {
        let run = modules[index..].iter().take_while(|&&dark| dark).count();
        if run == 0 {
            index += 1;
            continue;
        }
        let longer = if guard(index) { digits.size * 0.6 } else { 0.0 };
        sheet.fill_at(
            start + index as f32 * module,
            at.1,
            run as f32 * module,
            height + longer,
        );
        index += run;
    }
    let baseline = at.1 + height + digits.baseline_offset();
    let centre = |from: f32| start + from * module;
    for (text, x) in [
        (&code[..1], start - 4.0 * module),
        (&code[1..7], centre(24.0)),
        (&code[7..], centre(71.0)),
    ] {
        sheet.text_at(Span::new(text, digits), Align::Center, x, baseline);
    }
}
