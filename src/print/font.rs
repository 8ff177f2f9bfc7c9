//! DejaVu Sans, the one typeface of printed documents: it covers every Vietnamese letter, `₫`
//! and `★`. Text is measured from the same bytes that get embedded, so right-aligned amounts
//! line up exactly with what a viewer draws.

use printpdf::{FontId, ParsedFont, PdfDocument, PdfFont};
use std::sync::OnceLock;
use ttf_parser::Face;
use unicode_normalization::UnicodeNormalization;

const REGULAR_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// Line advance as a multiple of the font size; DejaVu's ascender (0.93 em) and descender
/// (0.24 em) sit centred in it.
const LINE_SPACING: f32 = 1.25;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Weight {
    Regular,
    Bold,
}

impl Weight {
    /// In discriminant order, so `weight as usize` indexes per-weight arrays built from it.
    const ALL: [Weight; 2] = [Weight::Regular, Weight::Bold];

    /// Fixed resource names: printpdf would otherwise pick random ones, and the same receipt must
    /// always give the same bytes. The first six letters also become the subset tag
    /// (`OCOPRG+DejaVuSans`), which must be upper-case.
    pub fn font_id(self) -> FontId {
        FontId(
            match self {
                Weight::Regular => "OCOPRG",
                Weight::Bold => "OCOPBD",
            }
            .to_string(),
        )
    }

    fn ttf(self) -> &'static [u8] {
        match self {
            Weight::Regular => REGULAR_TTF,
            Weight::Bold => BOLD_TTF,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextStyle {
    pub weight: Weight,
    /// Font size in points.
    pub size: f32,
}

impl TextStyle {
    pub const fn regular(size: f32) -> TextStyle {
        TextStyle {
            weight: Weight::Regular,
            size,
        }
    }

    pub const fn bold(size: f32) -> TextStyle {
        TextStyle {
            weight: Weight::Bold,
            size,
        }
    }

    /// The same size in bold, for headings and totals over text in this style.
    pub const fn in_bold(self) -> TextStyle {
        TextStyle::bold(self.size)
    }

    pub fn line_height(self) -> f32 {
        self.size * LINE_SPACING
    }

    /// Distance from the top of a line to its baseline, in points.
    pub fn baseline_offset(self) -> f32 {
        let face = face(self.weight);
        let em = f32::from(face.units_per_em());
        let ascent = f32::from(face.ascender()) / em;
        let descent = -f32::from(face.descender()) / em;
        self.size * ((LINE_SPACING - ascent - descent) / 2.0 + ascent)
    }
}

pub(super) fn face(weight: Weight) -> &'static Face<'static> {
    static FACES: OnceLock<[Face<'static>; 2]> = OnceLock::new();
    let faces = FACES.get_or_init(|| {
        Weight::ALL.map(|w| Face::parse(w.ttf(), 0).expect("the bundled DejaVu fonts parse"))
    });
    &faces[weight as usize]
}

/// Width of `text` in points, as a PDF viewer lays it out: each glyph advances by its width in
/// whole thousandths of an em, which is how printpdf writes the font's `/W` array.
pub fn text_width(text: &str, style: TextStyle) -> f32 {
    points(text_thousandths(text, style.weight), style)
}

fn text_thousandths(text: &str, weight: Weight) -> u32 {
    text.chars().map(|c| thousandths(c, weight)).sum()
}

/// A character's advance in whole thousandths of an em; nothing for one the font lacks.
pub(super) fn thousandths(c: char, weight: Weight) -> u32 {
    let face = face(weight);
    face.glyph_index(c)
        .and_then(|glyph| face.glyph_hor_advance(glyph))
        .map_or(0, |advance| {
            u32::from(advance) * 1000 / u32::from(face.units_per_em())
        })
}

fn points(thousandths: u32, style: TextStyle) -> f32 {
    thousandths as f32 * style.size / 1000.0
}

/// `text` as it can be printed: composed to NFC (so Vietnamese letters use DejaVu's precomposed
/// glyphs), other whitespace turned into spaces, and any character the font lacks shown as `?`
/// instead of silently vanishing from the PDF.
pub fn printable(text: &str, weight: Weight) -> String {
    let face = face(weight);
    text.nfc()
        .map(|c| match c {
            c if c.is_whitespace() => ' ',
            c if face.glyph_index(c).is_some() => c,
            _ => '?',
        })
        .collect()
}

/// Breaks `text` into lines no wider than `max_width`, between words where possible and inside
/// a word only when the word alone is too wide. Widths are added up as the line grows, in the
/// same whole thousandths [`text_width`] sums, so a long table is not measured over and over.
pub fn wrap(text: &str, style: TextStyle, max_width: f32) -> Vec<String> {
    let fits = |thousandths: u32| points(thousandths, style) <= max_width;
    let space = thousandths(' ', style.weight);
    let mut lines = Vec::new();
    let mut current = String::new();
    let mut current_width = 0;
    for word in text.split_whitespace() {
        let word_width = text_thousandths(word, style.weight);
        let candidate = if current.is_empty() {
            word_width
        } else {
            current_width + space + word_width
        };
        if fits(candidate) {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
            current_width = candidate;
            continue;
        }
        if !current.is_empty() {
            lines.push(std::mem::take(&mut current));
        }
        current_width = 0;
        for c in word.chars() {
            let width = thousandths(c, style.weight);
            if !current.is_empty() && !fits(current_width + width) {
                lines.push(std::mem::take(&mut current));
                current_width = 0;
            }
            current.push(c);
            current_width += width;
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// Adds both weights to `doc` under their fixed ids. Parsing a face is the slow part of making
/// a document, so it happens once per process; printpdf embeds only the glyphs a page uses.
pub fn add_fonts(doc: &mut PdfDocument) {
    static PARSED: OnceLock<[ParsedFont; 2]> = OnceLock::new();
    let parsed = PARSED.get_or_init(|| {
        Weight::ALL.map(|w| {
            ParsedFont::from_bytes(w.ttf(), 0, &mut Vec::new())
                .expect("the bundled DejaVu fonts parse")
        })
    });
    for weight in Weight::ALL {
        doc.resources.fonts.map.insert(
            weight.font_id(),
            PdfFont::new(parsed[weight as usize].clone()),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covers_vietnamese_dong_and_star() {
        let alphabet = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợ\
                        pqrstuùúủũụưừứửữựvxyỳýỷỹỵ₫★0123456789.,:-x%|";
        let text = format!("{alphabet}{}", alphabet.to_uppercase());
        for weight in Weight::ALL {
            assert_eq!(printable(&text, weight), text);
        }
    }

    #[test]
    fn composes_to_nfc_and_marks_missing_glyphs() {
        // "ế" typed as e + circumflex + acute comes out as the single precomposed letter.
        assert_eq!(printable("Hu\u{65}\u{302}\u{301}", Weight::Regular), "Huế");
        assert_eq!(printable("a\tb中", Weight::Bold), "a b?");
    }

    #[test]
    fn measures_and_wraps() {
        let style = TextStyle::regular(10.0);
        let wide = text_width("Nước mắm Phú Quốc", style);
        assert!(wide > 50.0 && wide < 120.0, "{wide}");
        assert!(text_width("Bold", TextStyle::bold(10.0)) > text_width("Bold", style));

        let lines = wrap("Nước mắm Phú Quốc Khải Hoàn 38 độ đạm", style, 60.0);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| text_width(l, style) <= 60.0));
        assert_eq!(lines.join(" "), "Nước mắm Phú Quốc Khải Hoàn 38 độ đạm");

        let long_word = wrap("0123456789012345678901234567890123456789", style, 40.0);
        assert!(long_word.len() > 1);
        assert_eq!(
            long_word.concat(),
            "0123456789012345678901234567890123456789"
        );
    }
}
