//! Paper laid out top to bottom: a roll (receipts, Z-reports), one page as long as its content,
//! or cut sheets (A4 reports) that start a new page when one is full. Content is placed as it is
//! added, measured from the font; the pages are made at the end, when a roll's height and the
//! number of sheets are known.

use crate::print::font::{TextStyle, printable, text_width, wrap};
use printpdf::{
    Greyscale, Line, LineDashPattern, LinePoint, Mm, Op, PaintMode, PdfFontHandle, PdfPage, Point,
    Polygon, PolygonRing, Pt, Rect, TextItem, TextMatrix, WindingOrder,
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
/// Room between a table cell's text and the edge of the next column, in points.
const CELL_PADDING: f32 = 3.0;
/// A chart bar's share of its slot, leaving space between neighbours.
const BAR_SHARE: f32 = 0.6;
/// A chart's label may take this share of its bar's slot, leaving a gap to the next.
const CHART_LABEL_SHARE: f32 = 0.9;
/// Chart bars are grey, not black, so they do not outweigh the figures around them.
const BAR_GREY: f32 = 0.6;

/// Text on one line in one style, already made printable (NFC, no missing glyphs).
pub struct Span {
    pub(super) text: String,
    pub(super) style: TextStyle,
}

impl Span {
    pub fn new(text: &str, style: TextStyle) -> Span {
        Span {
            text: printable(text, style.weight),
            style,
        }
    }

    /// Its width in points.
    pub fn width(&self) -> f32 {
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

/// A box measured from the top of its page, in points.
pub(super) struct Area {
    pub(super) x: f32,
    pub(super) top: f32,
    pub(super) width: f32,
    pub(super) height: f32,
}

pub(super) struct PlacedText {
    pub(super) x: f32,
    pub(super) baseline: f32,
    pub(super) span: Span,
}

pub(super) struct PlacedRule {
    pub(super) top: f32,
    pub(super) left: f32,
    pub(super) right: f32,
    pub(super) stroke: Stroke,
}

/// Everything drawn on one page, measured from its top: the drawing operations every backend
/// (PDF, printer raster) replays, so paper and PDF never disagree.
#[derive(Default)]
pub(super) struct Marks {
    pub(super) texts: Vec<PlacedText>,
    pub(super) rules: Vec<PlacedRule>,
    pub(super) frames: Vec<Area>,
    /// Filled black: QR modules, barcode bars.
    pub(super) dark_modules: Vec<Area>,
    /// Filled grey: a chart's bars.
    pub(super) bars: Vec<Area>,
}

/// A laid-out page: its size and its marks, in points from its top-left corner.
pub struct Page {
    pub(super) width: f32,
    pub(super) height: f32,
    /// The blank edge all round, which a printer's own margins stand in for.
    pub(super) margin: f32,
    pub(super) marks: Marks,
}

impl Page {
    /// The page as PDF drawing operations.
    pub fn pdf(self) -> PdfPage {
        render(self.marks, self.width, self.height)
    }
}

/// A column of a [`Table`]: its heading, how its cells align, and its share of the width
/// relative to the other columns.
pub struct Column {
    heading: String,
    align: Align,
    weight: f32,
}

impl Column {
    pub fn new(heading: &str, align: Align, weight: f32) -> Column {
        Column {
            heading: heading.to_string(),
            align,
            weight,
        }
    }
}

/// A column placed across the sheet: where its text may go, in points from the left of the
/// printable area.
struct PlacedColumn {
    heading: String,
    align: Align,
    left: f32,
    right: f32,
}

impl PlacedColumn {
    fn anchor(&self) -> f32 {
        match self.align {
            Align::Left => self.left,
            Align::Center => (self.left + self.right) / 2.0,
            Align::Right => self.right,
        }
    }
}

/// Rows of cells in columns across the printable width. A cell too wide for its column wraps
/// onto more lines (a `\n` in it breaks the line too); a row is never split across pages, and
/// the heading row, once printed, is printed again at the top of every page the table runs on to.
pub struct Table {
    columns: Vec<PlacedColumn>,
    heading_style: Option<TextStyle>,
    has_rows: bool,
}

impl Table {
    /// Columns side by side, padded between each other but not at the sheet's edges, so the
    /// outer cells line up with the text above and below the table.
    pub fn new(sheet: &Sheet, columns: Vec<Column>) -> Table {
        let total: f32 = columns.iter().map(|c| c.weight).sum();
        let last = columns.len().saturating_sub(1);
        let mut left = 0.0;
        let columns = columns
            .into_iter()
            .enumerate()
            .map(|(index, column)| {
                let right = left + sheet.width() * column.weight / total;
                let padding = |outer: bool| if outer { 0.0 } else { CELL_PADDING };
                let placed = PlacedColumn {
                    heading: column.heading,
                    align: column.align,
                    left: left + padding(index == 0),
                    right: right - padding(index == last),
                };
                left = right;
                placed
            })
            .collect();
        Table {
            columns,
            heading_style: None,
            has_rows: false,
        }
    }

    /// The headings with a rule under them, kept on a page with the first row.
    pub fn head(&mut self, sheet: &mut Sheet, style: TextStyle) {
        self.heading_style = Some(style);
        self.print_heading(sheet, style);
    }

    /// One cell per column, left to right; on a new page the heading comes first.
    pub fn row(&mut self, sheet: &mut Sheet, cells: &[&str], style: TextStyle) {
        self.has_rows = true;
        let lines = self.lines(cells, style);
        if sheet.keep_together(Sheet::block_height(&lines))
            && let Some(heading_style) = self.heading_style
        {
            self.print_heading(sheet, heading_style);
        }
        sheet.place_block(lines);
    }

    /// A closing row (the totals) under a rule; with no rows above it, the heading's rule serves.
    pub fn total(&mut self, sheet: &mut Sheet, cells: &[&str], style: TextStyle) {
        if self.has_rows {
            sheet.rule(Stroke::Solid);
        }
        self.row(sheet, cells, style);
    }

    fn print_heading(&self, sheet: &mut Sheet, style: TextStyle) {
        let headings: Vec<&str> = self.columns.iter().map(|c| c.heading.as_str()).collect();
        let lines = self.lines(&headings, style);
        sheet.keep_together(Sheet::block_height(&lines) + 2.0 * RULE_MARGIN + style.line_height());
        sheet.place_block(lines);
        sheet.rule(Stroke::Solid);
    }

    /// The cells wrapped to their columns, as the rows of cells that print them line by line.
    fn lines(&self, cells: &[&str], style: TextStyle) -> Vec<Vec<Cell>> {
        let wrapped: Vec<Vec<String>> = self
            .columns
            .iter()
            .zip(cells)
            .map(|(column, text)| {
                let room = column.right - column.left;
                text.split('\n')
                    .flat_map(|part| wrap(&printable(part, style.weight), style, room))
                    .collect()
            })
            .collect();
        let count = wrapped.iter().map(Vec::len).max().unwrap_or(0).max(1);
        (0..count)
            .map(|line| {
                self.columns
                    .iter()
                    .zip(&wrapped)
                    .filter_map(|(column, texts)| {
                        let text = texts.get(line)?.clone();
                        Some(Cell::new(
                            Span { text, style },
                            column.align,
                            column.anchor(),
                        ))
                    })
                    .collect()
            })
            .collect()
    }
}

/// One bar of [`Sheet::bar_chart`].
pub struct Bar {
    /// Printed under the bar, e.g. its hour.
    pub label: String,
    /// Printed above the bar, e.g. its amount; empty for nothing.
    pub value_label: String,
    pub value: f32,
}

pub struct Sheet {
    page_width: f32,
    /// The height of a cut sheet; `None` for a roll, whose one page is as long as its content.
    page_height: Option<f32>,
    margin: f32,
    cursor: f32,
    full_pages: Vec<Marks>,
    marks: Marks,
}

impl Sheet {
    /// A roll of paper `page_width` wide.
    pub fn new(page_width: Mm, margin: Mm) -> Sheet {
        let margin = Pt::from(margin).0;
        Sheet {
            page_width: Pt::from(page_width).0,
            page_height: None,
            margin,
            cursor: margin,
            full_pages: Vec::new(),
            marks: Marks::default(),
        }
    }

    /// Cut sheets of one size, as many as the content needs.
    pub fn paged(page_width: Mm, page_height: Mm, margin: Mm) -> Sheet {
        Sheet {
            page_height: Some(Pt::from(page_height).0),
            ..Sheet::new(page_width, margin)
        }
    }

    /// The printable width in points.
    pub fn width(&self) -> f32 {
        self.page_width - 2.0 * self.margin
    }

    pub fn gap(&mut self, points: f32) {
        self.cursor += points;
    }

    /// Starts a new page unless the next `height` points fit on this one, so that what follows
    /// (a table row, a heading and the lines it introduces) is not split; says whether it did.
    /// A roll never breaks, and neither does a page with nothing on it yet.
    pub fn keep_together(&mut self, height: f32) -> bool {
        let Some(page_height) = self.page_height else {
            return false;
        };
        let at_top = self.cursor <= self.margin;
        if at_top || self.cursor + height <= page_height - self.margin {
            return false;
        }
        self.full_pages.push(std::mem::take(&mut self.marks));
        self.cursor = self.margin;
        true
    }

    /// One line of cells sharing a baseline; the line is as tall as its largest style.
    pub fn row(&mut self, cells: Vec<Cell>) {
        self.keep_together(Sheet::row_height(&cells));
        self.place_row(cells);
    }

    fn row_height(cells: &[Cell]) -> f32 {
        cells
            .iter()
            .map(|c| c.span.style.line_height())
            .fold(0.0, f32::max)
    }

    fn block_height(rows: &[Vec<Cell>]) -> f32 {
        rows.iter().map(|cells| Sheet::row_height(cells)).sum()
    }

    /// Rows one under the other, where the caller has made room for them.
    fn place_block(&mut self, rows: Vec<Vec<Cell>>) {
        for cells in rows {
            self.place_row(cells);
        }
    }

    fn place_row(&mut self, cells: Vec<Cell>) {
        let height = Sheet::row_height(&cells);
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
            self.marks.texts.push(PlacedText {
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

    /// Text wrapped to the printable width less `indent` points, every line starting that far
    /// in: what is listed under a heading, such as a basket's contents.
    pub fn indented(&mut self, text: &str, style: TextStyle, indent: f32) {
        for text in wrap(&printable(text, style.weight), style, self.width() - indent) {
            self.row(vec![Cell::new(Span { text, style }, Align::Left, indent)]);
        }
    }

    /// Spans written one after another on the left and an amount flush right; when they do not
    /// fit side by side the amount goes on its own line, still flush right. A label too wide
    /// for a line of its own wraps, span by span, and the amount goes beside its last line.
    pub fn amount_line(&mut self, label: Vec<Span>, amount: Span) {
        let label_width: f32 = label.iter().map(Span::width).sum();
        let mut lines = if label_width <= self.width() {
            vec![label]
        } else {
            let width = self.width();
            label
                .into_iter()
                .flat_map(|span| {
                    wrap(&span.text, span.style, width)
                        .into_iter()
                        .map(move |text| {
                            vec![Span {
                                text,
                                style: span.style,
                            }]
                        })
                })
                .collect()
        };
        let last = lines.pop().unwrap_or_default();
        for line in lines {
            self.row(Sheet::from_left(line));
        }
        let last_width: f32 = last.iter().map(Span::width).sum();
        let fits = last_width + LABEL_GAP + amount.width() <= self.width();
        let mut cells = Sheet::from_left(last);
        let amount = Cell::new(amount, Align::Right, self.width());
        if fits {
            cells.push(amount);
            self.row(cells);
        } else {
            self.row(cells);
            self.row(vec![amount]);
        }
    }

    /// Cells for spans written one after another from the left edge.
    fn from_left(spans: Vec<Span>) -> Vec<Cell> {
        let mut at = 0.0;
        spans
            .into_iter()
            .map(|span| {
                let width = span.width();
                let cell = Cell::new(span, Align::Left, at);
                at += width;
                cell
            })
            .collect()
    }

    /// A centred line inside a box, for marks that must catch the eye.
    pub fn framed(&mut self, text: &str, style: TextStyle) {
        let span = Span::new(text, style);
        let width = span.width() + 2.0 * FRAME_PADDING;
        self.keep_together(style.line_height() + 2.0 * FRAME_PADDING);
        let top = self.cursor;
        self.gap(FRAME_PADDING);
        let centre = self.width() / 2.0;
        self.place_row(vec![Cell::new(span, Align::Center, centre)]);
        self.gap(FRAME_PADDING);
        self.marks.frames.push(Area {
            x: self.margin + centre - width / 2.0,
            top,
            width,
            height: self.cursor - top,
        });
    }

    /// A line across the printable width.
    pub fn rule(&mut self, stroke: Stroke) {
        self.place_rules(&[(self.margin, self.page_width - self.margin)], stroke);
    }

    /// Lines side by side at the same height, each from a left to a right end in points from
    /// the left of the printable area: lines to sign on, for instance.
    pub fn rules(&mut self, segments: &[(f32, f32)], stroke: Stroke) {
        let segments: Vec<(f32, f32)> = segments
            .iter()
            .map(|&(left, right)| (self.margin + left, self.margin + right))
            .collect();
        self.place_rules(&segments, stroke);
    }

    /// `segments` are measured from the edge of the paper.
    fn place_rules(&mut self, segments: &[(f32, f32)], stroke: Stroke) {
        self.keep_together(2.0 * RULE_MARGIN);
        self.gap(RULE_MARGIN);
        for &(left, right) in segments {
            self.marks.rules.push(PlacedRule {
                top: self.cursor,
                left,
                right,
                stroke,
            });
        }
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
        self.keep_together((modules as f32 + 2.0 * QR_QUIET_ZONE) * module);
        let left = self.margin + (self.width() - module * modules as f32) / 2.0;
        self.gap(QR_QUIET_ZONE * module);
        let colors = code.to_colors();
        for (y, row) in colors.chunks(modules).enumerate() {
            let mut x = 0;
            while x < modules {
                let run = row[x..].iter().take_while(|&&c| c == Color::Dark).count();
                if run > 0 {
                    self.marks.dark_modules.push(Area {
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

    /// Bars side by side across the printable width on a base line, the largest value
    /// `plot_height` tall, each with its value above and its label below (set smaller when the
    /// widest would crowd its neighbours); kept on one page.
    pub fn bar_chart(&mut self, bars: &[Bar], plot_height: f32, style: TextStyle) {
        if bars.is_empty() {
            return;
        }
        let line = style.line_height();
        self.keep_together(2.0 * line + plot_height);
        let base = self.cursor + line + plot_height;
        let largest = bars.iter().map(|b| b.value).fold(0.0, f32::max);
        let slot = self.width() / bars.len() as f32;
        let bar_width = slot * BAR_SHARE;
        let fitting = |text: fn(&Bar) -> &str| {
            let widest = bars
                .iter()
                .map(|bar| Span::new(text(bar), style).width())
                .fold(0.0, f32::max);
            shrunk_to_fit(style, widest, slot * CHART_LABEL_SHARE)
        };
        let value_style = fitting(|bar| &bar.value_label);
        let label_style = fitting(|bar| &bar.label);
        // The value's line box sits right on top of its bar.
        let above_bar = value_style.line_height() - value_style.baseline_offset();
        for (index, bar) in bars.iter().enumerate() {
            let centre = self.margin + slot * (index as f32 + 0.5);
            let height = if largest > 0.0 {
                plot_height * bar.value.max(0.0) / largest
            } else {
                0.0
            };
            if height > 0.0 {
                self.marks.bars.push(Area {
                    x: centre - bar_width / 2.0,
                    top: base - height,
                    width: bar_width,
                    height,
                });
            }
            for (text, style, baseline) in [
                (&bar.value_label, value_style, base - height - above_bar),
                (
                    &bar.label,
                    label_style,
                    base + label_style.baseline_offset(),
                ),
            ] {
                if text.is_empty() {
                    continue;
                }
                let span = Span::new(text, style);
                self.marks.texts.push(PlacedText {
                    x: centre - span.width() / 2.0,
                    baseline,
                    span,
                });
            }
        }
        self.marks.rules.push(PlacedRule {
            top: base,
            left: self.margin,
            right: self.page_width - self.margin,
            stroke: Stroke::Solid,
        });
        self.cursor = base + line;
    }

    /// A span placed at a point of the page (its left edge, centre or right edge at `x`, by
    /// `align`; its baseline at `baseline`), in points from the page's top-left corner: for
    /// what is laid out in a grid rather than a flow, such as labels.
    pub fn text_at(&mut self, span: Span, align: Align, x: f32, baseline: f32) {
        let left = match align {
            Align::Left => x,
            Align::Center => x - span.width() / 2.0,
            Align::Right => x - span.width(),
        };
        self.marks.texts.push(PlacedText {
            x: left,
            baseline,
            span,
        });
    }

    /// A black box at a point of the page (a barcode's bar), in points from its corner.
    pub fn fill_at(&mut self, x: f32, top: f32, width: f32, height: f32) {
        self.marks.dark_modules.push(Area {
            x,
            top,
            width,
            height,
        });
    }

    /// Starts the next cut sheet, for a grid that filled this one.
    pub fn next_page(&mut self) {
        self.full_pages.push(std::mem::take(&mut self.marks));
        self.cursor = self.margin;
    }

    /// The cut sheets as laid out, without footers.
    pub fn into_pages(mut self) -> Vec<Page> {
        let height = self
            .page_height
            .expect("only cut sheets have pages; a roll is one page");
        self.full_pages.push(self.marks);
        self.full_pages
            .into_iter()
            .map(|marks| Page {
                width: self.page_width,
                height,
                margin: self.margin,
                marks,
            })
            .collect()
    }

    /// The one page of a roll, as tall as its content plus the bottom margin.
    pub fn into_page(self) -> Page {
        debug_assert!(self.page_height.is_none(), "cut sheets make numbered pages");
        Page {
            width: self.page_width,
            height: self.cursor + self.margin,
            margin: self.margin,
            marks: self.marks,
        }
    }

    /// The pages of cut sheets, each with `footer(page, pages)` centred in its bottom margin
    /// (set smaller if it is wider than the printable width), pages counted from 1.
    pub fn into_numbered_pages(
        mut self,
        footer: impl Fn(usize, usize) -> String,
        style: TextStyle,
    ) -> Vec<Page> {
        let page_height = self
            .page_height
            .expect("only cut sheets are numbered; a roll is one page");
        let room = self.width();
        self.full_pages.push(self.marks);
        let pages = self.full_pages.len();
        let centre = self.page_width / 2.0;
        // Half-way down the bottom margin, well clear of the content above it.
        let baseline = page_height - self.margin / 2.0;
        self.full_pages
            .into_iter()
            .enumerate()
            .map(|(index, mut marks)| {
                let text = footer(index + 1, pages);
                let width = Span::new(&text, style).width();
                let span = Span::new(&text, shrunk_to_fit(style, width, room));
                marks.texts.push(PlacedText {
                    x: centre - span.width() / 2.0,
                    baseline,
                    span,
                });
                Page {
                    width: self.page_width,
                    height: page_height,
                    margin: self.margin,
                    marks,
                }
            })
            .collect()
    }
}

/// `style` at a smaller size when that is what it takes for a text `width` points wide in
/// `style` to fit in `room`: widths grow in proportion to the size.
fn shrunk_to_fit(style: TextStyle, width: f32, room: f32) -> TextStyle {
    if width <= room {
        style
    } else {
        TextStyle {
            size: style.size * room / width,
            ..style
        }
    }
}

/// One page's drawing operations. Positions are measured from the top while laying out; PDF
/// measures from the bottom.
fn render(marks: Marks, page_width: f32, height: f32) -> PdfPage {
    let point = |x: f32, top: f32| Point {
        x: Pt(x),
        y: Pt(height - top),
    };
    let rectangle = |area: &Area, mode: PaintMode| Rect {
        x: Pt(area.x),
        y: Pt(height - area.top - area.height),
        width: Pt(area.width),
        height: Pt(area.height),
        mode: Some(mode),
        winding_order: None,
    };
    let mut ops = vec![Op::SetOutlineThickness { pt: RULE_THICKNESS }];
    for rule in marks.rules {
        let dash = match rule.stroke {
            Stroke::Solid => LineDashPattern::solid(),
            Stroke::Dashed => LineDashPattern::new(0.0, &[2.0, 1.5]),
        };
        ops.push(Op::SetLineDashPattern { dash });
        ops.push(Op::DrawLine {
            line: Line {
                points: [rule.left, rule.right]
                    .map(|x| LinePoint {
                        p: point(x, rule.top),
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
    for frame in &marks.frames {
        ops.push(Op::DrawRectangle {
            rectangle: rectangle(frame, PaintMode::Stroke),
        });
    }
    if !marks.dark_modules.is_empty() {
        let rings = marks
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
    if !marks.bars.is_empty() {
        // The grey is undone with the saved state, so text after it is black again.
        ops.push(Op::SaveGraphicsState);
        ops.push(Op::SetFillColor {
            col: printpdf::Color::Greyscale(Greyscale::new(BAR_GREY, None)),
        });
        for bar in &marks.bars {
            ops.push(Op::DrawRectangle {
                rectangle: rectangle(bar, PaintMode::Fill),
            });
        }
        ops.push(Op::RestoreGraphicsState);
    }
    ops.push(Op::StartTextSection);
    let mut current_style = None;
    for placed in marks.texts {
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
    PdfPage::new(Mm::from(Pt(page_width)), Mm::from(Pt(height)), ops)
}
