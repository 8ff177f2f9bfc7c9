//! The store's own details, printed on every receipt and used for VietQR.

use crate::core::vietqr::BankAccount;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ShopSettings {
    pub shop_name: String,
    pub address: String,
    pub tax_code: String,
    pub phone: String,
    pub bank_bin: String,
    pub bank_account: String,
    pub bank_account_name: String,
    pub receipt_footer: String,
    /// The command a receipt PDF is handed to (`lp`, `xdg-open`…); empty means the OS opener.
    pub print_command: String,
}

impl ShopSettings {
    /// The demo showroom: a Farmers' Association OCOP shop in Rạch Giá, An Giang.
    pub fn demo() -> ShopSettings {
        ShopSettings {
            shop_name: "Điểm giới thiệu và bán sản phẩm OCOP - Hội Nông dân tỉnh An Giang".into(),
            address: "25 Nguyễn Trung Trực, phường Rạch Giá, tỉnh An Giang".into(),
            tax_code: "1702345670".into(),
            phone: "0297 3862 555".into(),
            bank_bin: "970405".into(),
            bank_account: "7700201012345".into(),
            bank_account_name: "HOI NONG DAN TINH AN GIANG".into(),
            receipt_footer: "Cảm ơn quý khách! Hàng OCOP - tự hào đặc sản quê hương.".into(),
            print_command: String::new(),
        }
    }

    /// The account transfers go to, when the store has set one up.
    pub fn bank_account(&self) -> Option<BankAccount> {
        (!self.bank_bin.trim().is_empty() && !self.bank_account.trim().is_empty()).then(|| {
            BankAccount {
                bin: self.bank_bin.trim().to_string(),
                account_number: self.bank_account.trim().to_string(),
                account_name: self.bank_account_name.trim().to_string(),
            }
        })
    }
}

impl Default for ShopSettings {
    fn default() -> ShopSettings {
        ShopSettings {
            shop_name: "Cửa hàng OCOP".into(),
            address: String::new(),
            tax_code: String::new(),
            phone: String::new(),
            bank_bin: String::new(),
            bank_account: String::new(),
            bank_account_name: String::new(),
            receipt_footer: "Cảm ơn quý khách!".into(),
            print_command: String::new(),
        }
    }
}

/// Why a setting was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingError {
    UnknownKey(String),
    BadBankBin,
    BadTaxCode,
}

impl std::fmt::Display for SettingError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SettingError::UnknownKey(key) => write!(
                f,
                "không có cài đặt “{key}” / no setting called “{key}” (known: {})",
                ShopSettings::KEYS.join(", ")
            ),
            SettingError::BadBankBin => write!(
                f,
                "mã BIN ngân hàng phải có 6 chữ số / the bank BIN must be 6 digits"
            ),
            SettingError::BadTaxCode => write!(
                f,
                "mã số thuế phải có 10 chữ số (hoặc 10 + “-” + 3 cho chi nhánh) với chữ số kiểm tra đúng / a tax code is 10 digits (or 10 + “-” + 3 for a branch) with a correct check digit"
            ),
        }
    }
}

/// Why a tax code (MST) is not one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaxCodeError {
    /// Not 10 digits, or 10 + "-" + 3 for a branch.
    Length,
    /// The tenth digit does not check the first nine: a digit was mistyped.
    CheckDigit,
}

/// Weights of the first nine digits of a tax code; the tenth is 10 − (weighted sum mod 11).
const TAX_CODE_WEIGHTS: [u32; 9] = [31, 29, 23, 19, 17, 13, 7, 5, 3];

/// Checks a tax code (MST): 10 digits, or 10 digits, a dash and 3 digits for a branch, and
/// the tenth digit the check digit of the first nine.
pub fn check_tax_code(code: &str) -> Result<(), TaxCodeError> {
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let head = match code.split_once('-') {
        None => code,
        Some((head, branch)) if branch.len() == 3 && all_digits(branch) => head,
        Some(_) => return Err(TaxCodeError::Length),
    };
    if head.len() != 10 || !all_digits(head) {
        return Err(TaxCodeError::Length);
    }
    let digits: Vec<u32> = head.bytes().map(|b| u32::from(b - b'0')).collect();
    let sum: u32 = TAX_CODE_WEIGHTS
        .iter()
        .zip(&digits)
        .map(|(w, d)| w * d)
        .sum();
    if 10 - sum % 11 == digits[9] {
        Ok(())
    } else {
        Err(TaxCodeError::CheckDigit)
    }
}

pub fn is_valid_tax_code(code: &str) -> bool {
    check_tax_code(code).is_ok()
}

impl ShopSettings {
    /// The names `ocop-pos settings set` accepts.
    pub const KEYS: [&'static str; 9] = [
        "shop_name",
        "address",
        "tax_code",
        "phone",
        "bank_bin",
        "bank_account",
        "bank_account_name",
        "receipt_footer",
        "print_command",
    ];

    /// A copy with one field changed, checked.
    pub fn with_field(&self, key: &str, value: &str) -> Result<ShopSettings, SettingError> {
        let value = value.trim();
        match key {
            "bank_bin"
                if !(value.is_empty()
                    || value.len() == 6 && value.bytes().all(|b| b.is_ascii_digit())) =>
            {
                return Err(SettingError::BadBankBin);
            }
            "tax_code" if !value.is_empty() && !is_valid_tax_code(value) => {
                return Err(SettingError::BadTaxCode);
            }
            _ if !ShopSettings::KEYS.contains(&key) => {
                return Err(SettingError::UnknownKey(key.to_string()));
            }
            _ => {}
        }
        let mut fields = match serde_json::to_value(self).expect("settings serialise") {
            serde_json::Value::Object(fields) => fields,
            _ => unreachable!("ShopSettings serialises as an object"),
        };
        fields.insert(
            key.to_string(),
            serde_json::Value::String(value.to_string()),
        );
        Ok(serde_json::from_value(serde_json::Value::Object(fields)).expect("same shape"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tax_codes() {
        assert!(is_valid_tax_code("1702345670"));
        assert!(is_valid_tax_code("1702345670-001"));
        // Published examples: a company and a branch.
        assert!(is_valid_tax_code("0100233488"));
        assert!(is_valid_tax_code("0314409058-002"));
        assert_eq!(check_tax_code("170234567"), Err(TaxCodeError::Length));
        assert_eq!(check_tax_code("1702345670-01"), Err(TaxCodeError::Length));
        assert_eq!(check_tax_code("17023456x0"), Err(TaxCodeError::Length));
        assert_eq!(check_tax_code("1702345678"), Err(TaxCodeError::CheckDigit));
        assert_eq!(check_tax_code("0100233480"), Err(TaxCodeError::CheckDigit));
    }

    #[test]
    fn fields_change_one_at_a_time_and_are_checked() {
        let demo = ShopSettings::demo();
        let changed = demo.with_field("phone", " 0909 111 222 ").unwrap();
        assert_eq!(changed.phone, "0909 111 222");
        assert_eq!(changed.shop_name, demo.shop_name);
        assert_eq!(
            demo.with_field("bank_bin", "97040"),
            Err(SettingError::BadBankBin)
        );
        assert_eq!(
            demo.with_field("tax_code", "123"),
            Err(SettingError::BadTaxCode)
        );
        assert!(matches!(
            demo.with_field("colour", "red"),
            Err(SettingError::UnknownKey(_))
        ));
        assert_eq!(
            demo.with_field("print_command", "lp -d XP80")
                .unwrap()
                .print_command,
            "lp -d XP80"
        );
    }
}
