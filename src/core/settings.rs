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
            tax_code: "1702345678".into(),
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
