//! The gift slip on 80 mm roll paper. Work in progress.

use crate::core::sale::SaleRecord;
use crate::core::settings::ShopSettings;

pub fn gift_slip_pdf(_shop: &ShopSettings, _sale: &SaleRecord) -> Vec<u8> {
    todo!("gift slip in progress")
}
