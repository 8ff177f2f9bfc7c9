//! EAN-13 barcodes and in-store scale labels (GS1 prefixes 20–29).

use crate::core::money::Money;
use rust_decimal::Decimal;

/// Prefix of scale labels that embed a weight in grams: `21 ppppp wwwww c`.
pub const WEIGHT_LABEL_PREFIX: &str = "21";
/// Prefix of scale labels that embed a price in đồng: `23 ppppp nnnnn c`.
pub const PRICE_LABEL_PREFIX: &str = "23";
/// Prefix for in-store codes of products that have no maker's barcode.
pub const IN_STORE_PREFIX: &str = "20";

/// What a scanned or typed code means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanCode {
    /// A product's own barcode (maker's EAN-13 or an in-store one), looked up as it is.
    Product(String),
    /// A scale label with the weight of a weighed product, found by its PLU.
    Weighed { plu: u32, quantity: Decimal },
    /// A scale label with the price of a weighed product.
    Priced { plu: u32, price: Money },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BarcodeError {
    /// Not 8–14 digits: neither a barcode nor anything else the scanner sends.
    NotABarcode,
    /// Thirteen digits whose last one does not match.
    BadCheckDigit { expected: u8 },
}

/// The EAN-13 check digit of the first 12 digits: weights 1,3,1,3,…
pub fn ean13_check_digit(first12: &str) -> Option<u8> {
    if first12.len() != 12 || !first12.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = first12
        .bytes()
        .enumerate()
        .map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 1 } else { 3 })
        .sum();
    Some(((10 - sum % 10) % 10) as u8)
}

pub fn is_valid_ean13(code: &str) -> bool {
    code.len() == 13 && ean13_check_digit(&code[..12]) == Some(code.as_bytes()[12] - b'0')
}

/// The seven modules of each digit in the L code (left half, odd parity); the G code is the
/// R code reversed, and the R code is the L code inverted (ISO/IEC 15420).
const EAN_L: [u8; 10] = [
    0b0001101, 0b0011001, 0b0010011, 0b0111101, 0b0100011, 0b0110001, 0b0101111, 0b0111011,
    0b0110111, 0b0001011,
];
/// Which of the left half's six digits use the G code (bit 5 is the first), by the first digit.
const EAN_PARITY: [u8; 10] = [
    0b000000, 0b001011, 0b001101, 0b001110, 0b010011, 0b011001, 0b011100, 0b010101, 0b010110,
    0b011010,
];

/// An EAN-13's 95 modules, `true` for a dark bar: start guard, six digits, centre guard, six
/// digits, end guard. `None` unless it is 13 digits with a right check digit.
pub fn ean13_modules(code: &str) -> Option<Vec<bool>> {
    if !is_valid_ean13(code) {
        return None;
    }
    let digits: Vec<usize> = code.bytes().map(|b| usize::from(b - b'0')).collect();
    let mut modules = Vec::with_capacity(95);
    let mut push = |bits: u8, count: u32| {
        for bit in (0..count).rev() {
            modules.push(bits >> bit & 1 == 1);
        }
    };
    push(0b101, 3);
    for (index, &digit) in digits[1..7].iter().enumerate() {
        let g_code = EAN_PARITY[digits[0]] >> (5 - index) & 1 == 1;
        let l = EAN_L[digit];
        let bits = if g_code {
            // G: the R code (L inverted) read right to left.
            (0..7).fold(0u8, |g, bit| g << 1 | ((!l >> bit) & 1))
        } else {
            l
        };
        push(bits, 7);
    }
    push(0b01010, 5);
    for &digit in &digits[7..] {
        push(!EAN_L[digit] & 0x7F, 7);
    }
    push(0b101, 3);
    Some(modules)
}

/// Builds a valid in-store EAN-13 (`20` + 10 digits + check) for a product number.
pub fn in_store_ean13(number: u64) -> String {
    let first12 = format!("{IN_STORE_PREFIX}{:010}", number % 10_000_000_000);
    let check = ean13_check_digit(&first12).expect("twelve digits");
    format!("{first12}{check}")
}

/// Reads what the scanner typed. Thirteen digits must carry a right check digit; scale labels
/// are decoded; other lengths (EAN-8, UPC-A, ITF-14) are passed on for lookup as they are.
pub fn parse_scan(input: &str) -> Result<ScanCode, BarcodeError> {
    let code = input.trim();
    if !(8..=14).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(BarcodeError::NotABarcode);
    }
    if code.len() != 13 {
        return Ok(ScanCode::Product(code.to_string()));
    }
    let expected = ean13_check_digit(&code[..12]).expect("twelve digits");
    if code.as_bytes()[12] - b'0' != expected {
        return Err(BarcodeError::BadCheckDigit { expected });
    }
    let plu = || code[2..7].parse::<u32>().expect("five digits");
    let value = || code[7..12].parse::<i64>().expect("five digits");
    Ok(match &code[..2] {
        WEIGHT_LABEL_PREFIX => ScanCode::Weighed {
            plu: plu(),
            quantity: Decimal::new(value(), 3),
        },
        PRICE_LABEL_PREFIX => ScanCode::Priced {
            plu: plu(),
            price: Money(value()),
        },
        _ => ScanCode::Product(code.to_string()),
    })
}

/// True when the text looks like something a scanner sent rather than a search.
pub fn looks_like_barcode(input: &str) -> bool {
    let code = input.trim();
    (8..=14).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ean13_bars_follow_the_standard() {
        // 4006381333931, the standard's own example, written out module by module.
        let expected = "10100011010100111010111101111010001001011001101010100001010000101000010111010010000101100110101";
        let modules: String = ean13_modules("4006381333931")
            .unwrap()
            .into_iter()
            .map(|dark| if dark { '1' } else { '0' })
            .collect();
        assert_eq!(modules.len(), 95);
        assert_eq!(modules, expected);
        assert_eq!(ean13_modules("4006381333932"), None);
    }

    #[test]
    fn public_vectors() {
        assert!(is_valid_ean13("8934567890120"));
        assert!(is_valid_ean13("8938000123455"));
        assert!(is_valid_ean13("2100005080002"));
        assert!(!is_valid_ean13("2100002080000"));
        assert!(!is_valid_ean13("8934567890121"));
    }

    #[test]
    fn decodes_weight_label() {
        assert_eq!(
            parse_scan("2100005080002"),
            Ok(ScanCode::Weighed {
                plu: 5,
                quantity: Decimal::new(8000, 3)
            })
        );
    }

    #[test]
    fn decodes_price_label() {
        let first12 = "230002612345";
        let code = format!("{first12}{}", ean13_check_digit(first12).unwrap());
        assert_eq!(
            parse_scan(&code),
            Ok(ScanCode::Priced {
                plu: 26,
                price: Money(12_345)
            })
        );
    }

    #[test]
    fn refuses_bad_check_digit_and_non_codes() {
        assert_eq!(
            parse_scan("8934567890121"),
            Err(BarcodeError::BadCheckDigit { expected: 0 })
        );
        assert_eq!(parse_scan("nuoc mam"), Err(BarcodeError::NotABarcode));
        assert_eq!(parse_scan("123"), Err(BarcodeError::NotABarcode));
        assert_eq!(
            parse_scan("12345678"),
            Ok(ScanCode::Product("12345678".into()))
        );
    }

    #[test]
    fn in_store_codes_are_valid_and_distinct() {
        let a = in_store_ean13(26);
        assert!(a.starts_with("20") && is_valid_ean13(&a));
        assert_ne!(a, in_store_ean13(27));
        assert_eq!(parse_scan(&a), Ok(ScanCode::Product(a.clone())));
    }
}
