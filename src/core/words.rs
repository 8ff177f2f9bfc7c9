//! Amounts in Vietnamese words (đọc số thành chữ), as an invoice must print its grand total.
//!
//! House style: `nghìn`, `triệu`, `tỷ`; a zero tens digit reads `lẻ`; after `mươi` the units 1,
//! 4 and 5 read `mốt`, `tư`, `lăm`, after `mười` 5 reads `lăm`; a group of three digits that
//! is not the first one spoken reads its hundreds even when they are zero (`không trăm`), and a
//! group of `000` is not spoken at all.

use crate::core::money::Money;

const DIGITS: [&str; 10] = [
    "không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín",
];

const BILLION: u64 = 1_000_000_000;

/// `n` in lower-case words: `0` → `không`, `1050000` → `một triệu không trăm năm mươi nghìn`.
///
/// Above the billions the scale words stack on `tỷ` (10^12 = `một nghìn tỷ`, 10^15 = `một
/// triệu tỷ`), which is how Vietnamese reads any amount without inventing larger units.
pub fn number_in_words(n: u64) -> String {
    if n == 0 {
        return DIGITS[0].to_string();
    }
    let mut words = Vec::new();
    push_number(&mut words, n, true);
    words.join(" ")
}

/// An amount as documents print it: capitalised, ending in `đồng` (`Một triệu hai trăm nghìn
/// đồng`). A negative amount (a refund) reads `Âm …`.
pub fn amount_in_words(amount: Money) -> String {
    let words = number_in_words(amount.dong().unsigned_abs());
    let words = if amount < Money::ZERO {
        format!("âm {words}")
    } else {
        words
    };
    let mut chars = words.chars();
    let first = chars.next().map(char::to_uppercase).into_iter().flatten();
    format!("{} đồng", first.chain(chars).collect::<String>())
}

/// A non-zero `n`. `leading` says whether these are the first words of the whole number, which
/// decides whether a zero hundreds digit is spoken.
fn push_number(words: &mut Vec<&'static str>, n: u64, leading: bool) {
    let (billions, rest) = (n / BILLION, n % BILLION);
    if billions == 0 {
        push_below_billion(words, rest, leading);
        return;
    }
    push_number(words, billions, leading);
    words.push("tỷ");
    push_below_billion(words, rest, false);
}

/// `n` below 10^9 as up to three groups: millions, thousands, units; zero groups are skipped.
fn push_below_billion(words: &mut Vec<&'static str>, n: u64, leading: bool) {
    let groups = [
        (n / 1_000_000, Some("triệu")),
        (n / 1_000 % 1_000, Some("nghìn")),
        (n % 1_000, None),
    ];
    let mut first = leading;
    for (group, scale) in groups {
        if group == 0 {
            continue;
        }
        push_group(words, group, !first);
        words.extend(scale);
        first = false;
    }
}

/// One group of three digits, 1–999. `full` reads a zero hundreds digit (`không trăm`), as
/// every group after the first one spoken does.
fn push_group(words: &mut Vec<&'static str>, group: u64, full: bool) {
    let (hundreds, tens, units) = (group / 100, group / 10 % 10, group % 10);
    let has_hundreds = full || hundreds > 0;
    if has_hundreds {
        words.extend([DIGITS[hundreds as usize], "trăm"]);
    }
    match tens {
        0 if units > 0 => {
            if has_hundreds {
                words.push("lẻ");
            }
            words.push(DIGITS[units as usize]);
        }
        0 => {}
        1 => {
            words.push("mười");
            match units {
                0 => {}
                5 => words.push("lăm"),
                _ => words.push(DIGITS[units as usize]),
            }
        }
        _ => {
            words.extend([DIGITS[tens as usize], "mươi"]);
            match units {
                0 => {}
                1 => words.push("mốt"),
                4 => words.push("tư"),
                5 => words.push("lăm"),
                _ => words.push(DIGITS[units as usize]),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_vectors() {
        // /shared/data/test_vectors.md, "Amount in words".
        for (n, words) in [
            (0, "không"),
            (15, "mười lăm"),
            (21, "hai mươi mốt"),
            (105, "một trăm lẻ năm"),
            (1005, "một nghìn không trăm lẻ năm"),
            (24000, "hai mươi tư nghìn"),
            (1050000, "một triệu không trăm năm mươi nghìn"),
        ] {
            assert_eq!(number_in_words(n), words, "{n}");
        }
        assert_eq!(
            amount_in_words(Money(1_050_000)),
            "Một triệu không trăm năm mươi nghìn đồng"
        );
    }

    #[test]
    fn tens_and_units() {
        for (n, words) in [
            (1, "một"),
            (4, "bốn"),
            (5, "năm"),
            (10, "mười"),
            (11, "mười một"),
            (14, "mười bốn"),
            (20, "hai mươi"),
            (24, "hai mươi tư"),
            (25, "hai mươi lăm"),
            (31, "ba mươi mốt"),
            (99, "chín mươi chín"),
            (100, "một trăm"),
            (101, "một trăm lẻ một"),
            (104, "một trăm lẻ bốn"),
            (110, "một trăm mười"),
            (115, "một trăm mười lăm"),
            (999, "chín trăm chín mươi chín"),
        ] {
            assert_eq!(number_in_words(n), words, "{n}");
        }
    }

    #[test]
    fn groups_and_scales() {
        for (n, words) in [
            (1_000, "một nghìn"),
            (1_001, "một nghìn không trăm lẻ một"),
            (1_010, "một nghìn không trăm mười"),
            (1_100, "một nghìn một trăm"),
            (15_000, "mười lăm nghìn"),
            (1_000_001, "một triệu không trăm lẻ một"),
            (1_200_000, "một triệu hai trăm nghìn"),
            (10_000_000_000, "mười tỷ"),
            (2_000_000_001, "hai tỷ không trăm lẻ một"),
            (1_000_000_000_000, "một nghìn tỷ"),
            (1_000_000_000_000_000, "một triệu tỷ"),
            (1_005_000_000_000, "một nghìn không trăm lẻ năm tỷ"),
            (1_250_000_000_300, "một nghìn hai trăm năm mươi tỷ ba trăm"),
            (
                1_250_000_000_003,
                "một nghìn hai trăm năm mươi tỷ không trăm lẻ ba",
            ),
            (
                999_999_999_999_999,
                "chín trăm chín mươi chín nghìn chín trăm chín mươi chín tỷ \
                 chín trăm chín mươi chín triệu chín trăm chín mươi chín nghìn \
                 chín trăm chín mươi chín",
            ),
            (1_000_000_000_000_000_000, "một tỷ tỷ"),
        ] {
            assert_eq!(number_in_words(n), words, "{n}");
        }
    }

    #[test]
    fn on_documents() {
        assert_eq!(amount_in_words(Money(0)), "Không đồng");
        assert_eq!(
            amount_in_words(Money(1_200_000)),
            "Một triệu hai trăm nghìn đồng"
        );
        assert_eq!(amount_in_words(Money(-15_000)), "Âm mười lăm nghìn đồng");
    }
}
