//! A roll-paper sheet laid out top to bottom. Content is placed as it is added, measured from
//! the font; the page is made at the end, when the height it needs is known.

use crate::print::font::{TextStyle, printable, text_width, wrap};
use printpdf::{
    Line, LineDashPattern, LinePoint, Mm, Op, PaintMode, PdfFontHandle, PdfPage, Point, Polygon,
    PolygonRing, Pt, Rect, TextItem, TextMatrix, WindingOrder,
};
use qrcode::{Color, QrCode};

const RULE_THICKNESS: Pt = Pt(0.5);
/// Space above and below a rule, in points.
const RULE_MARGIN: f32 = 3.0;
/// The least room between a label and its amount on the same line, in points.
const LABEL_GAP: f32 = 6.0;
/// Padding between a framed line and its box, in points.
const FRAME_PADDING: f32 = 2.0;
/// A thermal printer head cannot resolve QR modules much smaller than this.
const MIN_QR_MODULE: Mm = Mm(0.5);
/// Blank modules a scanner needs around a QR code (ISO/IEC 18004).
const QR_QUIET_ZONE: f32 = 4.0;

/// Text on one line in one style, already made printable (NFC, no missing glyphs).
pub struct Span {
    text: String,
    style: TextStyle,
}

impl Span {
    pub fn new(text: &str, style: TextStyle) -> Span {
        Span {
            text: printable(text, style.weight),
            style,
        }
    }

    fn width(&self) -> f32 {
        text_width(&self.text, self.style)
    }
}

#[derive(Debug, Clone, Copy)]
pub enum Align {
    Left,
    Center,
    Right,
}

/// A span placed on a row: `at` is its left edge, centre or right edge (by `align`), in points
/// from the left of the printable area.
pub struct Cell {
    span: Span,
    align: Align,
    at: f32,
}

impl Cell {
    pub fn new(span: Span, align: Align, at: f32) -> Cell {
        Cell { span, align, at }
    }
}

#[derive(Debug, Clone, Copy)]
pub enum Stroke {
    Solid,
    Dashed,
}

/// A box measured from the top of the sheet, in points.
struct Area {
    x: f32,
    top: f32,
    width: f32,
    height: f32,
}

struct PlacedText {
    x: f32,
    baseline: f32,
    span: Span,
}

pub struct Sheet {
    page_width: f32,
    margin: f32,
    cursor: f32,
    texts: Vec<PlacedText>,
    rules: Vec<(f32, Stroke)>,
    frames: Vec<Area>,
    dark_modules: Vec<Area>,
}

impl Sheet {
    pub fn new(page_width: Mm, margin: Mm) -> Sheet {
        let margin = Pt::from(margin).0;
        Sheet {
            page_width: Pt::from(page_width).0,
            margin,
            cursor: margin,
            texts: Vec::new(),
            rules: Vec::new(),
            frames: Vec::new(),
            dark_modules: Vec::new(),
        }
    }

    /// The printable width in points.
    pub fn width(&self) -> f32 {
        self.page_width - 2.0 * self.margin
    }

    pub fn gap(&mut self, points: f32) {
        self.cursor += points;
    }

    /// One line of cells sharing a baseline; the line is as tall as its largest style.
    pub fn row(&mut self, cells: Vec<Cell>) {
        let height = cells
            .iter()
            .map(|c| c.span.style.line_height())
            .fold(0.0, f32::max);
        let baseline = self.cursor
            + cells
                .iter()
                .map(|c| c.span.style.baseline_offset())
                .fold(0.0, f32::max);
        for cell in cells {
            let left = match cell.align {
                Align::Left => cell.at,
                Align::Center => cell.at - cell.span.width() / 2.0,
                Align::Right => cell.at - cell.span.width(),
            };
            self.texts.push(PlacedText {
                x: self.margin + left,
                baseline,
                span: cell.span,
            });
        }
        self.cursor += height;
    }

    /// Text wrapped to the printable width, each line aligned.
    pub fn paragraph(&mut self, text: &str, style: TextStyle, align: Align) {
        let at = match align {
            Align::Left => 0.0,
            Align::Center => self.width() / 2.0,
            Align::Right => self.width(),
        };
        for text in wrap(&printable(text, style.weight), style, self.width()) {
            self.row(vec![Cell::new(Span { text, style }, align, at)]);
        }
    }

    /// Spans written one after another on the left and an amount flush right; when they do not
    /// fit side by side the amount goes on its own line, still flush right.
    pub fn amount_line(&mut self, label: Vec<Span>, amount: Span) {
        let label_width: f32 = label.iter().map(Span::width).sum();
        let fits = label_width + LABEL_GAP + amount.width() <= self.width();
        let mut cells = Vec::with_capacity(label.len() + 1);
        let mut at = 0.0;
        for span in label {
            let width = span.width();
            cells.push(Cell::new(span, Align::Left, at));
            at += width;
        }
        let amount = Cell::new(amount, Align::Right, self.width());
        if fits {
            cells.push(amount);
            self.row(cells);
        } else {
            self.row(cells);
            self.row(vec![amount]);
        }
    }

    /// A centred line inside a box, for marks that must catch the eye.
    pub fn framed(&mut self, text: &str, style: TextStyle) {
        let span = Span::new(text, style);
        let width = span.width() + 2.0 * FRAME_PADDING;
        let top = self.cursor;
        self.gap(FRAME_PADDING);
        let centre = self.width() / 2.0;
        self.row(vec![Cell::new(span, Align::Center, centre)]);
        self.gap(FRAME_PADDING);
        self.frames.push(Area {
            x: self.margin + centre - width / 2.0,
            top,
            width,
            height: self.cursor - top,
        });
    }

    pub fn rule(&mut self, stroke: Stroke) {
        self.gap(RULE_MARGIN);
        self.rules.push((self.cursor, stroke));
        self.gap(RULE_MARGIN);
    }

    /// The code as filled squares, centred, about `side` wide (more when that would make the
    /// modules too small to print), with its quiet zone above and below. Each run of dark
    /// modules in a row is one rectangle.
    pub fn qr(&mut self, code: &QrCode, side: Mm) {
        let modules = code.width();
        let module = Pt::from(side)
            .0
            .max(Pt::from(MIN_QR_MODULE).0 * modules as f32)
            / modules as f32;
        let left = self.margin + (self.width() - module * modules as f32) / 2.0;
        self.gap(QR_QUIET_ZONE * module);
        let colors = code.to_colors();
        for (y, row) in colors.chunks(modules).enumerate() {
            let mut x = 0;
            while x < modules {
                let run = row[x..].iter().take_while(|&&c| c == Color::Dark).count();
                if run > 0 {
                    self.dark_modules.push(Area {
                        x: left + x as f32 * module,
                        top: self.cursor + y as f32 * module,
                        width: run as f32 * module,
                        height: module,
                    });
                }
                x += run.max(1);
            }
        }
        self.gap((modules as f32 + QR_QUIET_ZONE) * module);
    }

    /// The page, as tall as its content plus the bottom margin.
    pub fn into_page(self) -> PdfPage {
        let height = self.cursor + self.margin;
        let point = |x: f32, top: f32| Point {
            x: Pt(x),
            y: Pt(height - top),
        };
        let mut ops = vec![Op::SetOutlineThickness { pt: RULE_THICKNESS }];
        for (top, stroke) in self.rules {
            let dash = match stroke {
                Stroke::Solid => LineDashPattern::solid(),
                Stroke::Dashed => LineDashPattern::new(0.0, &[2.0, 1.5]),
            };
            ops.push(Op::SetLineDashPattern { dash });
            let ends = [self.margin, self.page_width - self.margin];
            ops.push(Op::DrawLine {
                line: Line {
                    points: ends
                        .map(|x| LinePoint {
                            p: point(x, top),
                            bezier: false,
                        })
                        .to_vec(),
                    is_closed: false,
                },
            });
        }
        ops.push(Op::SetLineDashPattern {
            dash: LineDashPattern::solid(),
        });
        for frame in self.frames {
            ops.push(Op::DrawRectangle {
                rectangle: Rect {
                    x: Pt(frame.x),
                    y: Pt(height - frame.top - frame.height),
                    width: Pt(frame.width),
                    height: Pt(frame.height),
                    mode: Some(PaintMode::Stroke),
                    winding_order: None,
                },
            });
        }
        if !self.dark_modules.is_empty() {
            let rings = self
                .dark_modules
                .iter()
                .map(|m| PolygonRing {
                    points: [
                        (m.x, m.top),
                        (m.x + m.width, m.top),
                        (m.x + m.width, m.top + m.height),
                        (m.x, m.top + m.height),
                    ]
                    .map(|(x, top)| LinePoint {
                        p: point(x, top),
                        bezier: false,
                    })
                    .to_vec(),
                })
                .collect();
            ops.push(Op::DrawPolygon {
                polygon: Polygon {
                    rings,
                    mode: PaintMode::Fill,
                    winding_order: WindingOrder::NonZero,
                },
            });
        }
        ops.push(Op::StartTextSection);
        let mut current_style = None;
        for placed in self.texts {
            let style = placed.span.style;
            if current_style != Some(style) {
                ops.push(Op::SetFont {
                    font: PdfFontHandle::External(style.weight.font_id()),
                    size: Pt(style.size),
                });
                current_style = Some(style);
            }
            // An absolute text matrix per line: `SetTextCursor` would move relative to the last.
            ops.push(Op::SetTextMatrix {
                matrix: TextMatrix::Translate(Pt(placed.x), Pt(height - placed.baseline)),
            });
            ops.push(Op::ShowText {
                items: vec![TextItem::Text(placed.span.text)],
            });
        }
        ops.push(Op::EndTextSection);
        PdfPage::new(Mm::from(Pt(self.page_width)), Mm::from(Pt(height)), ops)
    }
}
