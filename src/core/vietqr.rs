//! VietQR: the NAPAS profile of the EMVCo merchant-presented QR code.

use crate::core::money::Money;

/// CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF), as the EMVCo field 63 wants it.
pub fn crc16_ccitt_false(data: &[u8]) -> u16 {
    let mut crc: u16 = 0xFFFF;
    for &byte in data {
        crc ^= u16::from(byte) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 {
                (crc << 1) ^ 0x1021
            } else {
                crc << 1
            };
        }
    }
    crc
}

fn field(id: &str, value: &str) -> String {
    format!("{id}{:02}{value}", value.len())
}

/// Where a transfer goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankAccount {
    /// The bank's six-digit NAPAS BIN (e.g. 970436 for Vietcombank).
    pub bin: String,
    pub account_number: String,
    pub account_name: String,
}

/// The bank a NAPAS BIN belongs to, for the banks shops use most; `None` for the others.
pub fn bank_name(bin: &str) -> Option<&'static str> {
    const BANKS: [(&str, &str); 24] = [
        ("970400", "Saigonbank"),
        ("970403", "Sacombank"),
        ("970405", "Agribank"),
        ("970407", "Techcombank"),
        ("970409", "BacABank"),
        ("970412", "PVcomBank"),
        ("970415", "VietinBank"),
        ("970416", "ACB"),
        ("970418", "BIDV"),
        ("970422", "MB Bank"),
        ("970423", "TPBank"),
        ("970426", "MSB"),
        ("970428", "Nam A Bank"),
        ("970431", "Eximbank"),
        ("970432", "VPBank"),
        ("970436", "Vietcombank"),
        ("970437", "HDBank"),
        ("970440", "SeABank"),
        ("970441", "VIB"),
        ("970443", "SHB"),
        ("970448", "OCB"),
        ("970449", "LPBank"),
        ("970452", "KienlongBank"),
        ("970454", "Viet Capital Bank"),
    ];
    BANKS
        .iter()
        .find(|(known, _)| *known == bin)
        .map(|(_, name)| *name)
}

/// The payload for a dynamic VietQR asking for exactly `amount`. `purpose` is cut to the 25
/// ASCII characters the field allows (accents folded away, since banking apps show ASCII).
pub fn dynamic_payload(account: &BankAccount, amount: Money, purpose: &str) -> String {
    let beneficiary = field("00", &account.bin) + &field("01", &account.account_number);
    let merchant =
        field("00", "A000000727") + &field("01", &beneficiary) + &field("02", "QRIBFTTA");
    let purpose: String = crate::core::fold::fold(purpose)
        .chars()
        .filter(|c| c.is_ascii() && !c.is_ascii_control())
        .take(25)
        .collect();
    let mut payload = field("00", "01")
        + &field("01", "12")
        + &field("38", &merchant)
        + &field("53", "704")
        + &field("54", &amount.dong().to_string())
        + &field("58", "VN");
    if !purpose.is_empty() {
        payload += &field("62", &field("08", &purpose));
    }
    payload += "6304";
    let crc = crc16_ccitt_false(payload.as_bytes());
    format!("{payload}{crc:04X}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_check_value() {
        assert_eq!(format!("{:04X}", crc16_ccitt_false(b"123456789")), "29B1");
    }

    #[test]
    fn napas_example() {
        let account = BankAccount {
            bin: "970436".into(),
            account_number: "1017595600".into(),
            account_name: "".into(),
        };
        assert_eq!(
            dynamic_payload(&account, Money(180_000), "thanh toan don hang"),
            "00020101021238540010A00000072701240006970436011010175956000208QRIBFTTA530370454061800005802VN62230819thanh toan don hang630470FA"
        );
    }
}
