//! Manager commands that need no window.

use crate::config::Config;
use crate::documents::{write_receipt, write_whole};
use crate::print::{ReceiptOptions, receipt_pdf};
use std::path::PathBuf;

/// What the program was asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invocation {
    /// Open the window.
    Window,
    /// `receipt reprint NUMBER [--pdf FILE]`: write a copy of a past receipt.
    ReprintReceipt {
        receipt_no: String,
        pdf: Option<PathBuf>,
    },
    Help,
}

pub const USAGE: &str = "\
OCOP POS — bán hàng cho điểm giới thiệu sản phẩm OCOP / point of sale for OCOP showrooms

Usage:
  ocop-pos [--data-dir DIR] [--no-demo]
      Open the checkout window. A new data folder gets the demo store unless --no-demo.
  ocop-pos [--data-dir DIR] receipt reprint NUMBER [--pdf FILE]
      Write a copy (marked BẢN SAO) of receipt NUMBER, e.g. 2026-000001.

The data folder is --data-dir, else $OCOP_POS_DATA_DIR, else the user data folder
(~/.local/share/ocop-pos on Linux).";

/// Reads the command line (without the program name).
pub fn parse_args(args: impl IntoIterator<Item = String>) -> Result<(Config, Invocation), String> {
    let mut data_dir = None;
    let mut seed_demo = true;
    let mut pdf = None;
    let mut words = Vec::new();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--data-dir" => {
                data_dir = Some(PathBuf::from(
                    args.next().ok_or("--data-dir needs a folder")?,
                ))
            }
            "--no-demo" => seed_demo = false,
            "--pdf" => pdf = Some(PathBuf::from(args.next().ok_or("--pdf needs a file name")?)),
            "-h" | "--help" => return Ok((Config::new(data_dir, seed_demo), Invocation::Help)),
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            _ => words.push(arg),
        }
    }
    let invocation = match words
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        [] => Invocation::Window,
        ["receipt", "reprint", number] => Invocation::ReprintReceipt {
            receipt_no: number.to_string(),
            pdf,
        },
        _ => return Err(format!("unknown command: {}", words.join(" "))),
    };
    Ok((Config::new(data_dir, seed_demo), invocation))
}

/// Writes a copy of a past receipt; returns where it went.
pub fn reprint_receipt(
    config: &Config,
    receipt_no: &str,
    pdf: Option<PathBuf>,
) -> Result<PathBuf, String> {
    let store = config.open_store().map_err(|e| e.to_string())?;
    let sale = store
        .sale_by_receipt_no(receipt_no)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| {
            format!("Không có hóa đơn số {receipt_no} / there is no receipt {receipt_no}")
        })?;
    let shop = store.shop_settings().map_err(|e| e.to_string())?;
    match pdf {
        Some(path) => {
            write_whole(
                &path,
                &receipt_pdf(&shop, &sale, &ReceiptOptions { copy: true }),
            )
            .map_err(|e| e.to_string())?;
            Ok(path)
        }
        None => write_receipt(&config.data_dir, &shop, &sale, true).map_err(|e| e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<String> {
        line.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn reads_window_and_reprint_invocations() {
        let (config, invocation) = parse_args(args("--data-dir /tmp/shop --no-demo")).unwrap();
        assert_eq!(invocation, Invocation::Window);
        assert_eq!(config.data_dir, PathBuf::from("/tmp/shop"));
        assert!(!config.seed_demo);
        let (_, invocation) = parse_args(args(
            "--data-dir /tmp/shop receipt reprint 2026-000001 --pdf /tmp/r.pdf",
        ))
        .unwrap();
        assert_eq!(
            invocation,
            Invocation::ReprintReceipt {
                receipt_no: "2026-000001".into(),
                pdf: Some(PathBuf::from("/tmp/r.pdf"))
            }
        );
        assert!(parse_args(args("--bogus")).is_err());
        assert!(parse_args(args("sell everything")).is_err());
    }
}
