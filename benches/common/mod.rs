//! What the benchmarks share: a large catalogue in the demo's CSV format, and running a
//! window's task to its end (the tests' helper).
#![allow(dead_code)] // each benchmark uses its own subset

use ocop_pos::core::barcode::ean13_check_digit;
use std::fmt::Write;

const DEMO: &str = include_str!("../../assets/demo_products.csv");
const WORDS: [&str; 12] = [
    "Nước mắm",
    "Tiêu",
    "Gạo",
    "Khô cá",
    "Mật ong",
    "Rượu",
    "Chả",
    "Bánh tráng",
    "Tôm khô",
    "Túi cỏ bàng",
    "Khóm sấy",
    "Mắm ruốc",
];
const PLACES: [&str; 8] = [
    "Phú Quốc",
    "Hà Tiên",
    "Rạch Giá",
    "Hòn Đất",
    "U Minh",
    "Tắc Cậu",
    "An Biên",
    "Kiên Lương",
];

/// A catalogue in the demo CSV's format with `count` products (the 42 demo ones first).
pub fn generated_catalogue(count: usize) -> String {
    let mut csv = String::from(DEMO);
    for i in 42..count {
        let first12 = format!("893{:09}", i);
        let barcode = format!("{first12}{}", ean13_check_digit(&first12).unwrap());
        let _ = writeln!(
            csv,
            "G{i:06},{barcode},{} {} loại {},HTX {} số {},cooperative,Xã {},Thực phẩm,{},hộp,{},{},{},0",
            WORDS[i % WORDS.len()],
            PLACES[i % PLACES.len()],
            i % 97,
            PLACES[(i / 7) % PLACES.len()],
            i % 500,
            PLACES[i % PLACES.len()],
            3 + i % 3,
            10_000 + (i % 300) * 1_000,
            [5, 8, 10][i % 3],
            100
        );
    }
    csv
}

#[path = "../../tests/common/tasks.rs"]
pub mod tasks;
