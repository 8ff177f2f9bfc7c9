//! Amounts in words read back: a small parser, written apart from the code under test, turns
//! the words into a number again, and checks the house style on the way.

use ocop_pos::core::money::Money;
use ocop_pos::core::words::{amount_in_words, number_in_words};
use proptest::prelude::*;

const MAX: u64 = 1_000_000_000_000_000;

/// Reads `number_in_words`' output back into digits, refusing what the house style forbids:
/// `một`/`bốn`/`năm` after `mươi`, `mốt`/`tư` anywhere else, `lăm` not after `mười`/`mươi`,
/// `lẻ` not between `trăm` and a digit, and a group after a scale word without its hundreds.
fn parse(text: &str) -> Result<u64, String> {
    let words: Vec<&str> = text.split(' ').collect();
    if words == ["không"] {
        return Ok(0);
    }
    // Scaled parts so far, as (value, scale), and the group being read (below 1000).
    let mut parts: Vec<(u64, u64)> = Vec::new();
    let mut group = 0u64;
    let mut digit: Option<u64> = None;
    let mut after_scale = false;
    for (i, &word) in words.iter().enumerate() {
        let previous = i.checked_sub(1).map(|p| words[p]);
        let next = words.get(i + 1).copied();
        let after_mươi = previous == Some("mươi");
        let after_ten = after_mươi || previous == Some("mười");
        let value = match word {
            "không" => Some(0),
            "một" if !after_mươi => Some(1),
            "mốt" if after_mươi => Some(1),
            "hai" => Some(2),
            "ba" => Some(3),
            "bốn" if !after_mươi => Some(4),
            "tư" if after_mươi => Some(4),
            "năm" if !after_ten => Some(5),
            "lăm" if after_ten => Some(5),
            "sáu" => Some(6),
            "bảy" => Some(7),
            "tám" => Some(8),
            "chín" => Some(9),
            _ => None,
        };
        let is_scale = ["nghìn", "triệu", "tỷ"].contains(&word);
        if after_scale && !is_scale {
            if value.is_none() || next != Some("trăm") {
                return Err(format!(
                    "a group after a scale lacks its hundreds at {word:?}"
                ));
            }
            after_scale = false;
        }
        if let Some(value) = value {
            if digit.is_some() {
                return Err(format!("two digits in a row at {word:?}"));
            }
            digit = Some(value);
            continue;
        }
        if word != "trăm" && word != "mươi" && !is_scale && digit.is_some() {
            return Err(format!("a digit before {word:?}"));
        }
        match word {
            "trăm" => group += digit.take().ok_or("trăm without a digit")? * 100,
            "mươi" => match digit.take() {
                Some(tens @ 2..=9) => group += tens * 10,
                _ => return Err("mươi without 2-9 before it".into()),
            },
            "mười" => group += 10,
            "lẻ" => {
                let digit_next = next.is_some_and(|n| !["trăm", "mươi", "mười"].contains(&n));
                if previous != Some("trăm") || !digit_next {
                    return Err("lẻ out of place".into());
                }
            }
            "nghìn" | "triệu" | "tỷ" => {
                let scale = match word {
                    "nghìn" => 1_000,
                    "triệu" => 1_000_000,
                    _ => 1_000_000_000,
                };
                let mut value = group + digit.take().unwrap_or(0);
                // A larger scale takes in the smaller ones before it: `một nghìn tỷ`.
                while parts.last().is_some_and(|&(_, s)| s < scale) {
                    value += parts.pop().map(|(v, _)| v).unwrap_or(0);
                }
                if value == 0 {
                    return Err(format!("{word} with nothing before it"));
                }
                parts.push((value * scale, scale));
                group = 0;
                after_scale = true;
            }
            _ => return Err(format!("unexpected word {word:?}")),
        }
    }
    group += digit.unwrap_or(0);
    Ok(parts.iter().map(|(v, _)| v).sum::<u64>() + group)
}

/// Amounts with whole groups of zeros, which is where `không trăm` and skipped groups matter.
fn sparse_amount() -> impl Strategy<Value = u64> {
    let group = prop_oneof![Just(0u64), 1u64..10, 10u64..100, 100u64..1000];
    let below_max = proptest::collection::vec(group, 5).prop_map(|groups| {
        groups
            .into_iter()
            .fold(0, |number, group| number * 1000 + group)
    });
    prop_oneof![Just(MAX), below_max]
}

#[test]
fn the_parser_reads_known_readings() {
    assert_eq!(parse("một nghìn không trăm lẻ năm"), Ok(1005));
    assert_eq!(parse("một triệu tỷ"), Ok(MAX));
    assert_eq!(parse("hai mươi tư nghìn"), Ok(24_000));
    assert!(parse("hai mươi bốn").is_err());
    assert!(parse("một nghìn lẻ năm").is_err());
    assert!(parse("mười năm").is_err());
    assert!(parse("một nghìn mười").is_err());
}

proptest! {
    // Nothing to persist: a failure prints its minimal input, and that goes into a unit test.
    #![proptest_config(ProptestConfig {
        cases: 2000,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn words_read_back_to_the_number(n in 0..=MAX) {
        let words = number_in_words(n);
        prop_assert_eq!(parse(&words), Ok(n), "{}", words);
    }

    #[test]
    fn sparse_amounts_read_back(n in sparse_amount()) {
        let words = number_in_words(n);
        prop_assert_eq!(parse(&words), Ok(n), "{}", words);
    }

    #[test]
    fn documents_capitalise_and_say_dong(n in 0..=MAX as i64) {
        let words = amount_in_words(Money(n));
        let lower = number_in_words(n as u64);
        prop_assert!(words.ends_with(" đồng"));
        let body = words.strip_suffix(" đồng").unwrap();
        prop_assert_eq!(body.to_lowercase(), lower);
        prop_assert!(body.chars().next().unwrap().is_uppercase());
    }
}
