//! The printer's backend: a laid-out page replayed onto a 1-bit raster at the printer's width,
//! glyphs filled from the same DejaVu outlines the PDF embeds, QR modules and bars as dots.
//! Vietnamese letters, `₫` and `★` print exactly as on screen because they are pixels.

use crate::print::font::{face, thousandths};
use crate::print::layout::{Area, Page, Stroke};
use tiny_skia::{FillRule, Mask, PathBuilder, Transform};
use ttf_parser::OutlineBuilder;

/// A thermal head's resolution: 203 dpi.
pub const DOTS_PER_MM: f32 = 8.0;
/// Rules and frames as the PDF strokes them, in points.
const RULE_THICKNESS: f32 = 0.5;
/// A dashed rule's dash and gap, in points, as the PDF draws it.
const DASH: (f32, f32) = (2.0, 1.5);
/// A glyph's outline is filled where its coverage is at least half.
const INK: u8 = 128;

/// A 1-bit picture as a thermal printer takes it: rows of dots, 1 for black, eight dots a byte
/// with the leftmost in the high bit (the layout of ESC/POS `GS v 0` and of a PBM file).
#[derive(Clone, PartialEq, Eq)]
pub struct Raster {
    width: u32,
    height: u32,
    bits: Vec<u8>,
}

impl std::fmt::Debug for Raster {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Raster({} × {} dots)", self.width, self.height)
    }
}

impl Raster {
    /// A blank raster.
    pub fn new(width: u32, height: u32) -> Raster {
        Raster {
            width,
            height,
            bits: vec![0; Raster::row_bytes(width) * height as usize],
        }
    }

    /// A raster from its packed rows, if there are as many bytes as the size takes.
    pub fn from_rows(width: u32, height: u32, bits: Vec<u8>) -> Option<Raster> {
        (bits.len() == Raster::row_bytes(width) * height as usize).then_some(Raster {
            width,
            height,
            bits,
        })
    }

    fn row_bytes(width: u32) -> usize {
        width.div_ceil(8) as usize
    }

    pub fn width(&self) -> u32 {
        self.width
    }

    pub fn height(&self) -> u32 {
        self.height
    }

    /// Bytes in one packed row.
    pub fn bytes_per_row(&self) -> usize {
        Raster::row_bytes(self.width)
    }

    /// Rows `from..to`, packed.
    pub fn rows(&self, from: u32, to: u32) -> &[u8] {
        let bytes = self.bytes_per_row();
        &self.bits[from as usize * bytes..to as usize * bytes]
    }

    pub fn is_black(&self, x: u32, y: u32) -> bool {
        x < self.width
            && y < self.height
            && self.bits[y as usize * self.bytes_per_row() + x as usize / 8] & (0x80 >> (x % 8))
                != 0
    }

    fn set(&mut self, x: u32, y: u32) {
        let bytes = self.bytes_per_row();
        self.bits[y as usize * bytes + x as usize / 8] |= 0x80 >> (x % 8);
    }

    /// Dots `x0..x1` × `y0..y1` black (clipped to the raster); with `dither`, every other dot
    /// in a checkerboard, which prints as grey.
    fn fill(&mut self, (x0, x1): (i64, i64), (y0, y1): (i64, i64), dither: bool) {
        let clip = |v: i64, max: u32| v.clamp(0, i64::from(max)) as u32;
        let (x0, x1) = (clip(x0, self.width), clip(x1, self.width));
        let (y0, y1) = (clip(y0, self.height), clip(y1, self.height));
        for y in y0..y1 {
            for x in x0..x1 {
                if !dither || (x + y) % 2 == 0 {
                    self.set(x, y);
                }
            }
        }
    }

    /// The raster as a binary PBM image (`P4`): its rows are already in that format.
    pub fn pbm(&self) -> Vec<u8> {
        let mut bytes = format!("P4\n{} {}\n", self.width, self.height).into_bytes();
        bytes.extend_from_slice(&self.bits);
        bytes
    }

    /// A raster from a binary PBM image as [`Raster::pbm`] writes it.
    pub fn from_pbm(bytes: &[u8]) -> Option<Raster> {
        let mut fields = Vec::new();
        let mut at = 0;
        while fields.len() < 3 {
            while bytes.get(at)?.is_ascii_whitespace() {
                at += 1;
            }
            let start = at;
            while !bytes.get(at)?.is_ascii_whitespace() {
                at += 1;
            }
            fields.push(std::str::from_utf8(&bytes[start..at]).ok()?);
        }
        if fields[0] != "P4" {
            return None;
        }
        let (width, height) = (fields[1].parse().ok()?, fields[2].parse().ok()?);
        Raster::from_rows(width, height, bytes.get(at + 1..)?.to_vec())
    }
}

/// `page`'s printable area (inside its margins, which the printer's own stand in for) at
/// `dots` across.
pub fn rasterize(page: &Page, dots: u32) -> Raster {
    let scale = dots as f32 / (page.width - 2.0 * page.margin);
    let height = ((page.height - 2.0 * page.margin) * scale).ceil().max(1.0) as u32;
    let to_dots = |points: f32| points * scale;
    let x_dots = |x: f32| to_dots(x - page.margin);
    let y_dots = |top: f32| to_dots(top - page.margin);
    let marks = &page.marks;

    let mut raster = Raster::new(dots, height);
    let mut ink = Mask::new(dots, height).expect("a raster of some size");
    for placed in &marks.texts {
        let style = placed.span.style;
        let face = face(style.weight);
        let em = style.size / f32::from(face.units_per_em());
        let mut outline = Outline {
            path: PathBuilder::new(),
            origin: (0.0, y_dots(placed.baseline)),
            scale: to_dots(em),
        };
        let mut pen = placed.x;
        for c in placed.span.text.chars() {
            if let Some(glyph) = face.glyph_index(c) {
                outline.origin.0 = x_dots(pen);
                face.outline_glyph(glyph, &mut outline);
            }
            // The advance the PDF viewer uses, so right-aligned amounts end where they do there.
            pen += thousandths(c, style.weight) as f32 * style.size / 1000.0;
        }
        if let Some(path) = outline.path.finish() {
            ink.fill_path(&path, FillRule::Winding, false, Transform::identity());
        }
    }
    for (index, coverage) in ink.data().iter().enumerate() {
        if *coverage >= INK {
            raster.set(index as u32 % dots, index as u32 / dots);
        }
    }

    let span = |from: f32, to: f32| {
        (
            from.round() as i64,
            (to.round() as i64).max(from.round() as i64 + 1),
        )
    };
    let thickness = to_dots(RULE_THICKNESS);
    let across = |centre: f32| span(centre - thickness / 2.0, centre + thickness / 2.0);
    for rule in &marks.rules {
        let rows = across(y_dots(rule.top));
        match rule.stroke {
            Stroke::Solid => raster.fill(span(x_dots(rule.left), x_dots(rule.right)), rows, false),
            Stroke::Dashed => {
                let mut from = rule.left;
                while from < rule.right {
                    let to = (from + DASH.0).min(rule.right);
                    raster.fill(span(x_dots(from), x_dots(to)), rows, false);
                    from = to + DASH.1;
                }
            }
        }
    }
    for frame in &marks.frames {
        let (left, right) = (x_dots(frame.x), x_dots(frame.x + frame.width));
        let (top, bottom) = (y_dots(frame.top), y_dots(frame.top + frame.height));
        raster.fill(span(left, right), across(top), false);
        raster.fill(span(left, right), across(bottom), false);
        raster.fill(across(left), span(top, bottom), false);
        raster.fill(across(right), span(top, bottom), false);
    }
    let area = |area: &Area| {
        (
            span(x_dots(area.x), x_dots(area.x + area.width)),
            span(y_dots(area.top), y_dots(area.top + area.height)),
        )
    };
    for module in &marks.dark_modules {
        let (columns, rows) = area(module);
        raster.fill(columns, rows, false);
    }
    for bar in &marks.bars {
        let (columns, rows) = area(bar);
        raster.fill(columns, rows, true);
    }
    raster
}

/// A glyph's outline in font units, placed at `origin` (in dots, on the baseline) and scaled
/// from font units to dots; font units grow upwards, dots downwards.
struct Outline {
    path: PathBuilder,
    origin: (f32, f32),
    scale: f32,
}

impl Outline {
    fn at(&self, x: f32, y: f32) -> (f32, f32) {
        (
            self.origin.0 + x * self.scale,
            self.origin.1 - y * self.scale,
        )
    }
}

impl OutlineBuilder for Outline {
    fn move_to(&mut self, x: f32, y: f32) {
        let (x, y) = self.at(x, y);
        self.path.move_to(x, y);
    }

    fn line_to(&mut self, x: f32, y: f32) {
        let (x, y) = self.at(x, y);
        self.path.line_to(x, y);
    }

    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        let ((x1, y1), (x, y)) = (self.at(x1, y1), self.at(x, y));
        self.path.quad_to(x1, y1, x, y);
    }

    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        let ((x1, y1), (x2, y2), (x, y)) = (self.at(x1, y1), self.at(x2, y2), self.at(x, y));
        self.path.cubic_to(x1, y1, x2, y2, x, y);
    }

    fn close(&mut self) {
        self.path.close();
    }
}
