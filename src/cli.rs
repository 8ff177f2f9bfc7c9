//! Manager commands that need no window.

use crate::config::{CASHIER_SETTING, Config};
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
    /// `settings`: print the shop's settings.
    ShowSettings,
    /// `settings set KEY VALUE`: change one.
    SetSetting {
        key: String,
        value: String,
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
  ocop-pos [--data-dir DIR] settings
      Show the shop's settings (name, address, tax code, VietQR account, printer…).
  ocop-pos [--data-dir DIR] settings set KEY VALUE
      Change one setting, e.g. settings set print_command \"lp -d XP80\".
      KEY is one of: shop_name address tax_code phone bank_bin bank_account
      bank_account_name receipt_footer print_command cashier.

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
        ["settings"] => Invocation::ShowSettings,
        ["settings", "set", key, value] => Invocation::SetSetting {
            key: key.to_string(),
            value: value.to_string(),
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

/// The settings as `key = value` lines, the cashier's name last.
pub fn show_settings(config: &Config) -> Result<String, String> {
    let store = config.open_store().map_err(|e| e.to_string())?;
    let shop = store.shop_settings().map_err(|e| e.to_string())?;
    let serde_json::Value::Object(fields) =
        serde_json::to_value(&shop).map_err(|e| e.to_string())?
    else {
        unreachable!("ShopSettings serialises as an object");
    };
    let mut out = String::new();
    for (key, value) in fields {
        out += &format!("{key} = {}\n", value.as_str().unwrap_or_default());
    }
    let cashier = store.setting(CASHIER_SETTING).map_err(|e| e.to_string())?;
    out += &format!("cashier = {}\n", cashier.unwrap_or_default());
    Ok(out)
}

/// Changes one setting after checking it.
pub fn set_setting(config: &Config, key: &str, value: &str) -> Result<(), String> {
    let mut store = config.open_store().map_err(|e| e.to_string())?;
    if key == "cashier" {
        return store
            .set_setting(CASHIER_SETTING, value.trim())
            .map_err(|e| e.to_string());
    }
    let shop = store.shop_settings().map_err(|e| e.to_string())?;
    let changed = shop.with_field(key, value).map_err(|e| e.to_string())?;
    store
        .save_shop_settings(&changed)
        .map_err(|e| e.to_string())
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
        let (_, invocation) = parse_args(args("settings set phone 0909")).unwrap();
        assert_eq!(
            invocation,
            Invocation::SetSetting {
                key: "phone".into(),
                value: "0909".into()
            }
        );
        assert!(parse_args(args("--bogus")).is_err());
        assert!(parse_args(args("sell everything")).is_err());
    }
}
