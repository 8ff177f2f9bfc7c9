//! Every text a person reads on screen or in a command's output, in Vietnamese (default) and
//! English. Screens ask for a [`Label`] or a [`Notice`] and never spell text themselves.

use crate::core::cart::CartError;
use crate::core::money::{AmountError, Money};
use crate::core::payment::{PaymentError, PaymentMethod};
use crate::core::sale::DraftError;
use crate::store::StoreError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub fn toggled(self) -> Lang {
        match self {
            Lang::Vi => Lang::En,
            Lang::En => Lang::Vi,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    fn pick(self, vi: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }
}

/// Fixed texts: titles, column heads, buttons (with their shortcut), field hints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    Checkout,
    Cashier,
    LanguageSwitch,
    ScanHint,
    SearchResults,
    QuickKeys,
    Product,
    Quantity,
    UnitPrice,
    Discount,
    LineTotal,
    EmptyCart,
    Items,
    Discounts,
    VatIncluded,
    Total,
    ParkButton,
    ParkedButton,
    LineDiscountButton,
    OrderDiscountButton,
    QuantityButton,
    RemoveButton,
    CancelCartButton,
    PayButton,
    ExactCashButton,
    ReprintButton,
    EscBack,
    QuantityPrompt,
    LineDiscountPrompt,
    OrderDiscountPrompt,
    DiscountHint,
    ReprintPrompt,
    ReceiptNumberHint,
    ParkedCarts,
    NoParkedCarts,
    ConfirmCancelCart,
    ConfirmButton,
    AmountDue,
    Paid,
    Remaining,
    Change,
    TenderHint,
    TenderHelp,
    CompleteButton,
    TransferConfirm,
    NoBankAccount,
    ScanToPay,
    LastSale,
    InStock,
    StartupFailed,
}

impl Label {
    pub fn text(self, lang: Lang) -> &'static str {
        use Label::*;
        match self {
            Checkout => lang.pick("Bán hàng", "Checkout"),
            Cashier => lang.pick("Thu ngân", "Cashier"),
            LanguageSwitch => lang.pick("English (F12)", "Tiếng Việt (F12)"),
            ScanHint => lang.pick(
                "Quét mã vạch hoặc gõ tên, mã hàng… (F2)",
                "Scan a barcode or type a name, SKU… (F2)",
            ),
            SearchResults => lang.pick("Kết quả tìm kiếm", "Search results"),
            QuickKeys => lang.pick("Hàng bán chạy", "Quick keys"),
            Product => lang.pick("Sản phẩm", "Product"),
            Quantity => lang.pick("SL", "Qty"),
            UnitPrice => lang.pick("Đơn giá", "Price"),
            Discount => lang.pick("Giảm", "Disc."),
            LineTotal => lang.pick("Thành tiền", "Amount"),
            EmptyCart => lang.pick(
                "Giỏ hàng trống. Quét mã vạch để bắt đầu.",
                "The cart is empty. Scan a barcode to start.",
            ),
            Items => lang.pick("Số món", "Items"),
            Discounts => lang.pick("Giảm giá", "Discounts"),
            VatIncluded => lang.pick("Trong đó VAT", "VAT included"),
            Total => lang.pick("TỔNG CỘNG", "TOTAL"),
            ParkButton => lang.pick("Lưu tạm (F6)", "Park (F6)"),
            ParkedButton => lang.pick("Giỏ đã lưu (F7)", "Parked (F7)"),
            LineDiscountButton => lang.pick("Giảm dòng (F4)", "Line disc. (F4)"),
            OrderDiscountButton => lang.pick("Giảm đơn (F5)", "Order disc. (F5)"),
            QuantityButton => lang.pick("Số lượng (F3)", "Quantity (F3)"),
            RemoveButton => lang.pick("Xóa dòng (F8)", "Remove (F8)"),
            CancelCartButton => lang.pick("Hủy giỏ (Ctrl+F8)", "Clear cart (Ctrl+F8)"),
            PayButton => lang.pick("Thanh toán (F9)", "Pay (F9)"),
            ExactCashButton => lang.pick("Tiền mặt đủ (F10)", "Exact cash (F10)"),
            ReprintButton => lang.pick("In lại (F11)", "Reprint (F11)"),
            EscBack => lang.pick("Quay lại (Esc)", "Back (Esc)"),
            QuantityPrompt => lang.pick(
                "Số lượng mới cho dòng đã chọn",
                "New quantity for the selected line",
            ),
            LineDiscountPrompt => {
                lang.pick("Giảm giá cho dòng đã chọn", "Discount on the selected line")
            }
            OrderDiscountPrompt => lang.pick("Giảm giá cho cả đơn", "Discount on the whole order"),
            DiscountHint => lang.pick(
                "Số tiền (20000) hoặc phần trăm (10%), rồi Enter",
                "An amount (20000) or a percentage (10%), then Enter",
            ),
            ReprintPrompt => lang.pick("In lại hóa đơn", "Reprint a receipt"),
            ReceiptNumberHint => lang.pick(
                "Số hóa đơn, ví dụ 2026-000123",
                "Receipt number, e.g. 2026-000123",
            ),
            ParkedCarts => lang.pick("Giỏ hàng đã lưu tạm", "Parked carts"),
            NoParkedCarts => lang.pick("Không có giỏ nào đang lưu.", "No parked carts."),
            ConfirmCancelCart => lang.pick(
                "Hủy toàn bộ giỏ hàng đang bán? Nhấn Enter để xác nhận, Esc để quay lại.",
                "Clear the whole cart? Press Enter to confirm, Esc to go back.",
            ),
            ConfirmButton => lang.pick("Xác nhận (Enter)", "Confirm (Enter)"),
            AmountDue => lang.pick("Cần thanh toán", "Amount due"),
            Paid => lang.pick("Đã trả", "Paid"),
            Remaining => lang.pick("Còn thiếu", "Still due"),
            Change => lang.pick("Tiền thối lại", "Change"),
            TenderHint => lang.pick("Số tiền khách đưa", "Amount tendered"),
            TenderHelp => lang.pick(
                "Gõ số tiền rồi Enter; để trống và Enter = nhận đủ số còn thiếu.",
                "Type the amount and press Enter; Enter on an empty field takes all that is due.",
            ),
            CompleteButton => lang.pick("Hoàn tất (Enter)", "Complete (Enter)"),
            TransferConfirm => lang.pick(
                "Khi đã thấy tiền vào tài khoản, nhấn Enter để xác nhận.",
                "When the money shows in the account, press Enter to confirm.",
            ),
            NoBankAccount => lang.pick(
                "Chưa cài đặt tài khoản ngân hàng cho VietQR.",
                "No bank account is set up for VietQR.",
            ),
            ScanToPay => lang.pick(
                "Quét mã VietQR để chuyển khoản",
                "Scan the VietQR to pay by transfer",
            ),
            LastSale => lang.pick("Vừa bán", "Last sale"),
            InStock => lang.pick("Tồn", "Stock"),
            StartupFailed => lang.pick(
                "Không mở được dữ liệu cửa hàng",
                "The store's data could not be opened",
            ),
        }
    }
}

pub fn method_name(method: PaymentMethod, lang: Lang) -> &'static str {
    match method {
        PaymentMethod::Cash => lang.pick("Tiền mặt (F2)", "Cash (F2)"),
        PaymentMethod::Transfer => lang.pick("Chuyển khoản (F3)", "Transfer (F3)"),
        PaymentMethod::Card => lang.pick("Thẻ (F4)", "Card (F4)"),
    }
}

/// What happened, told in the message band: successes, warnings and refusals.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    Added {
        name: String,
    },
    UnknownBarcode(String),
    BadCheckDigit {
        code: String,
        expected: u8,
    },
    UnknownPlu(u32),
    NothingFound(String),
    NoLineSelected,
    Cart(CartError),
    QuantityNotANumber(String),
    Amount(AmountError),
    Payment(PaymentError),
    Store(String),
    SaleCompleted {
        receipt_no: String,
        change: Money,
    },
    ReceiptPrinted(String),
    /// The PDF is in the data folder but the print command could not be started.
    ReceiptNotPrinted {
        path: String,
        error: String,
    },
    ReceiptFailed(String),
    ReceiptNotFound(String),
    Parked,
    Resumed,
    CartCleared,
    NothingToPark,
}

/// How a notice is shown: success in green, warnings in amber, refusals in red.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Success,
    Warning,
    Error,
}

impl Notice {
    pub fn level(&self) -> Level {
        use Notice::*;
        match self {
            Added { .. } | SaleCompleted { .. } | ReceiptPrinted(_) | Parked | Resumed => {
                Level::Success
            }
            NothingFound(_)
            | NoLineSelected
            | CartCleared
            | NothingToPark
            | ReceiptNotPrinted { .. } => Level::Warning,
            _ => Level::Error,
        }
    }

    pub fn from_draft_error(error: DraftError) -> Notice {
        match error {
            DraftError::Cart(e) => Notice::Cart(e),
            DraftError::Payment(e) => Notice::Payment(e),
        }
    }

    pub fn from_store_error(error: &StoreError) -> Notice {
        Notice::Store(error.to_string())
    }

    pub fn text(&self, lang: Lang) -> String {
        use Notice::*;
        let vi = lang == Lang::Vi;
        match self {
            Added { name } => {
                if vi {
                    format!("Đã thêm: {name}")
                } else {
                    format!("Added: {name}")
                }
            }
            UnknownBarcode(code) => {
                if vi {
                    format!(
                        "Không có sản phẩm với mã vạch {code}. Kiểm tra lại mã hoặc tìm theo tên."
                    )
                } else {
                    format!("No product has barcode {code}. Check the code or search by name.")
                }
            }
            BadCheckDigit { code, expected } => {
                if vi {
                    format!("Mã vạch {code} sai số kiểm tra (phải là {expected}). Quét lại.")
                } else {
                    format!(
                        "Barcode {code} has a wrong check digit (should be {expected}). Scan again."
                    )
                }
            }
            UnknownPlu(plu) => {
                if vi {
                    format!("Tem cân có mã hàng {plu:05} không khớp sản phẩm cân nào.")
                } else {
                    format!("The scale label's item number {plu:05} matches no weighed product.")
                }
            }
            NothingFound(query) => {
                if vi {
                    format!("Không tìm thấy “{query}”.")
                } else {
                    format!("Nothing matches “{query}”.")
                }
            }
            NoLineSelected => lang
                .pick(
                    "Chọn một dòng trong giỏ trước (↑ ↓).",
                    "Select a cart line first (↑ ↓).",
                )
                .into(),
            Cart(error) => cart_error_text(*error, lang).into(),
            QuantityNotANumber(input) => {
                if vi {
                    format!("“{input}” không phải số lượng. Gõ số, ví dụ 2 hoặc 1,5.")
                } else {
                    format!("“{input}” is not a quantity. Type a number such as 2 or 1.5.")
                }
            }
            Amount(error) => amount_error_text(error, lang).into(),
            Payment(error) => payment_error_text(*error, lang),
            Store(detail) => {
                if vi {
                    format!(
                        "Không lưu được vào cơ sở dữ liệu ({detail}). Giỏ hàng vẫn còn nguyên; kiểm tra ổ đĩa rồi thử lại."
                    )
                } else {
                    format!(
                        "Could not write to the database ({detail}). The cart is kept; check the disk and try again."
                    )
                }
            }
            SaleCompleted { receipt_no, change } => {
                if vi {
                    format!("Đã bán xong: hóa đơn {receipt_no}. Tiền thối: {change}")
                } else {
                    format!("Sale complete: receipt {receipt_no}. Change: {change}")
                }
            }
            ReceiptPrinted(path) => {
                if vi {
                    format!("Đã in hóa đơn: {path}")
                } else {
                    format!("Receipt printed: {path}")
                }
            }
            ReceiptNotPrinted { path, error } => {
                if vi {
                    format!(
                        "Hóa đơn đã lưu tại {path} nhưng không gửi được tới máy in ({error}). Kiểm tra lệnh in trong cài đặt."
                    )
                } else {
                    format!(
                        "The receipt is saved at {path} but could not be sent to the printer ({error}). Check the print command setting."
                    )
                }
            }
            ReceiptFailed(detail) => {
                if vi {
                    format!("Đã lưu đơn nhưng chưa in được hóa đơn ({detail}). In lại bằng F11.")
                } else {
                    format!(
                        "The sale is saved but the receipt did not print ({detail}). Reprint with F11."
                    )
                }
            }
            ReceiptNotFound(no) => {
                if vi {
                    format!("Không có hóa đơn số {no}.")
                } else {
                    format!("There is no receipt {no}.")
                }
            }
            Parked => lang
                .pick(
                    "Đã lưu tạm giỏ hàng. Mở lại bằng F7.",
                    "Cart parked. Resume it with F7.",
                )
                .into(),
            Resumed => lang
                .pick("Đã mở lại giỏ hàng đã lưu.", "Parked cart resumed.")
                .into(),
            CartCleared => lang.pick("Đã hủy giỏ hàng.", "Cart cleared.").into(),
            NothingToPark => lang
                .pick(
                    "Giỏ trống, không có gì để lưu.",
                    "The cart is empty: nothing to park.",
                )
                .into(),
        }
    }
}

fn cart_error_text(error: CartError, lang: Lang) -> &'static str {
    match error {
        CartError::NoSuchLine => lang.pick("Dòng này không còn trong giỏ.", "That line is no longer in the cart."),
        CartError::QuantityNotPositive => lang.pick("Số lượng phải lớn hơn 0.", "The quantity must be more than 0."),
        CartError::QuantityTooLarge => lang.pick(
            "Số lượng quá lớn (tối đa 10.000). Có phải đã quét nhầm vào ô số lượng?",
            "The quantity is too large (at most 10,000). Was a barcode scanned into the quantity box?",
        ),
        CartError::QuantityNotWhole => lang.pick(
            "Hàng này bán theo đơn vị, số lượng phải là số nguyên.",
            "This product is sold by the unit: the quantity must be whole.",
        ),
        CartError::QuantityTooPrecise => lang.pick("Số lượng chỉ tới gam (3 số lẻ).", "Quantities go down to grams (3 decimals)."),
        CartError::DiscountAboveLine => lang.pick(
            "Giảm giá không được lớn hơn thành tiền của dòng.",
            "The discount cannot be more than the line's amount.",
        ),
        CartError::DiscountAboveOrder => lang.pick(
            "Giảm giá không được lớn hơn tổng đơn.",
            "The discount cannot be more than the order's total.",
        ),
        CartError::PercentOutOfRange => lang.pick("Phần trăm giảm phải từ 0 đến 100.", "A percentage must be from 0 to 100."),
        CartError::AmountTooLarge => lang.pick(
            "Số tiền vượt quá 1.000.000.000.000 ₫.",
            "The amount is above 1,000,000,000,000 ₫.",
        ),
    }
}

fn amount_error_text(error: &AmountError, lang: Lang) -> &'static str {
    match error {
        AmountError::NotANumber => lang.pick(
            "Số tiền không hợp lệ. Gõ số, ví dụ 500000.",
            "Not an amount. Type a number such as 500000.",
        ),
        AmountError::Negative => {
            lang.pick("Số tiền không được âm.", "An amount cannot be negative.")
        }
        AmountError::TooLarge => lang.pick(
            "Số tiền vượt quá 1.000.000.000.000 ₫.",
            "The amount is above 1,000,000,000,000 ₫.",
        ),
    }
}

fn payment_error_text(error: PaymentError, lang: Lang) -> String {
    match error {
        PaymentError::Short(due) => match lang {
            Lang::Vi => format!("Khách đưa chưa đủ: còn thiếu {due}."),
            Lang::En => format!("Not enough tendered: {due} still due."),
        },
        PaymentError::NonCashOverpaid => lang
            .pick(
                "Thẻ và chuyển khoản không được vượt số còn phải trả (không thối lại được).",
                "Card and transfer cannot exceed what is due (no change can be given).",
            )
            .into(),
        PaymentError::NotPositive => lang
            .pick("Số tiền phải lớn hơn 0.", "The amount must be more than 0.")
            .into(),
        PaymentError::AmountTooLarge => amount_error_text(&AmountError::TooLarge, lang).into(),
        PaymentError::EmptyCart => lang.pick("Giỏ hàng trống.", "The cart is empty.").into(),
    }
}
