//! The text of orders, customers and receivables: the Orders screen, its notices and
//! refusals, and the daily screen's money received apart from sales.

use super::Lang;
use crate::core::cart::format_quantity;
use crate::core::customer::CustomerError;
use crate::core::money::Money;
use crate::core::order::{OrderError, OrderStatus};
use crate::core::receivable::NON_CASH_THRESHOLD;
use rust_decimal::Decimal;

/// Fixed texts of the Orders screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderLabel {
    Tab,
    PanelOrders,
    PanelNewOrder,
    PanelCustomers,
    PanelAccounts,
    OnlyOpen,
    DueBy,
    PrintPacking,
    Number,
    NextDue,
    Customer,
    Total,
    UnusedDeposit,
    LeftToDeliver,
    Status,
    NoOrders,
    PickAnOrder,
    DeliveryAddress,
    Contact,
    Notes,
    Item,
    Ordered,
    Delivered,
    Left,
    Due,
    Card,
    DepositAsked,
    DepositReceived,
    DepositApplied,
    DepositRefunded,
    Deliveries,
    PrintConfirmation,
    ReprintNote,
    TakeDeposit,
    Amount,
    Reference,
    Cash,
    Transfer,
    CardPayment,
    OnAccount,
    DeliverTitle,
    DeliverNow,
    Receiver,
    RestPaidBy,
    Deliver,
    CancelTitle,
    Reason,
    RefundBy,
    CancelOrder,
    CustomerKey,
    Company,
    Person,
    Name,
    Address,
    Email,
    ContactPerson,
    IdNumber,
    Phone,
    Consent,
    SaveCustomer,
    Template,
    AddTemplate,
    ProductCode,
    CustomBasket,
    BasketName,
    CloseBasket,
    Quantity,
    Price,
    Remove,
    SaveOrder,
    NoCustomer,
    Search,
    CreditLimit,
    TermDays,
    SaveTerms,
    Erase,
    EraseConfirm,
    Owed,
    NewPerson,
    Current,
    Days1To30,
    Days31To60,
    Over60,
    Limit,
    OpenInvoices,
    Invoice,
    SoldOn,
    DueOn,
    OpenAmount,
    PayThis,
    ReceiveOldestFirst,
    ReceiveChosen,
    From,
    To,
    PrintStatement,
    NothingOwed,
    DailyTitle,
    DepositsTaken,
    DepositsPaidBack,
    PaidOnAccount,
    SalesFromDeposits,
    SalesOnAccount,
    ReceivedApart,
    Balance,
    ConsentRecorded,
    Erased,
    /// Beside the stock on hand at the counter: what open orders reserve of it.
    Reserved,
    PickACompany,
}

impl OrderLabel {
    pub fn text(self, lang: Lang) -> &'static str {
        use OrderLabel::*;
        let (vi, en) = match self {
            Tab => ("Đơn hàng", "Orders"),
            PanelOrders => ("Đơn hàng", "Orders"),
            PanelNewOrder => ("Đơn mới", "New order"),
            PanelCustomers => ("Khách hàng", "Customers"),
            PanelAccounts => ("Công nợ", "Receivables"),
            OnlyOpen => ("Chỉ đơn đang mở", "Open orders only"),
            DueBy => ("Giao đến ngày (dd/mm/yyyy)", "Due by (dd/mm/yyyy)"),
            PrintPacking => ("In danh sách soạn hàng", "Print the packing list"),
            Number => ("Số đơn", "Order"),
            NextDue => ("Ngày giao", "Due"),
            Customer => ("Khách hàng", "Customer"),
            Total => ("Giá trị", "Total"),
            UnusedDeposit => ("Cọc chưa trừ", "Deposit held"),
            LeftToDeliver => ("Còn phải giao", "Left to deliver"),
            Status => ("Trạng thái", "Status"),
            NoOrders => ("Không có đơn hàng nào.", "No orders."),
            PickAnOrder => (
                "Chọn một đơn trong danh sách.",
                "Pick an order in the list.",
            ),
            DeliveryAddress => ("Địa chỉ giao hàng", "Delivery address"),
            Contact => ("Người nhận, điện thoại", "Receiver and phone"),
            Notes => ("Ghi chú", "Notes"),
            Item => ("Hàng hóa", "Item"),
            Ordered => ("Đặt", "Ordered"),
            Delivered => ("Đã giao", "Delivered"),
            Left => ("Còn", "Left"),
            Due => ("Ngày giao", "Due"),
            Card => ("Lời chúc trên thiệp", "Card message"),
            DepositAsked => ("Đề nghị đặt cọc", "Deposit asked"),
            DepositReceived => ("Đã nhận cọc", "Deposits received"),
            DepositApplied => ("Đã trừ vào hóa đơn", "Applied to invoices"),
            DepositRefunded => ("Đã trả lại cọc", "Deposits paid back"),
            Deliveries => ("Các lần giao", "Deliveries"),
            PrintConfirmation => ("In xác nhận đơn", "Print the confirmation"),
            ReprintNote => ("In lại phiếu giao", "Reprint the note"),
            TakeDeposit => (
                "Nhận cọc và in phiếu thu",
                "Take the deposit, print its slip",
            ),
            Amount => ("Số tiền", "Amount"),
            Reference => ("Nội dung chuyển khoản", "Transfer note"),
            Cash => ("Tiền mặt", "Cash"),
            Transfer => ("Chuyển khoản", "Transfer"),
            CardPayment => ("Thẻ", "Card"),
            OnAccount => ("Ghi nợ", "On account"),
            DeliverTitle => ("Giao hàng", "Delivery"),
            DeliverNow => ("Giao lần này", "Deliver now"),
            Receiver => ("Người nhận hàng (ký phiếu)", "Receiver (signs the note)"),
            RestPaidBy => (
                "Phần còn lại sau tiền cọc trả bằng",
                "After the deposit, the rest is paid by",
            ),
            Deliver => (
                "Giao hàng, in phiếu giao và hóa đơn",
                "Deliver, print the note and the invoice",
            ),
            CancelTitle => ("Hủy đơn (quản lý)", "Cancel the order (manager)"),
            Reason => ("Lý do", "Reason"),
            RefundBy => ("Trả lại tiền cọc bằng", "Pay the deposit back by"),
            CancelOrder => ("Hủy đơn và trả lại cọc", "Cancel, pay the deposit back"),
            CustomerKey => (
                "Mã số thuế hoặc số điện thoại (Enter)",
                "Tax code or phone (Enter)",
            ),
            Company => ("Doanh nghiệp", "Company"),
            Person => ("Cá nhân", "Person"),
            Name => ("Tên", "Name"),
            Address => ("Địa chỉ", "Address"),
            Email => ("Email", "Email"),
            ContactPerson => ("Người liên hệ", "Contact person"),
            IdNumber => (
                "CCCD (nếu khách muốn ghi trên hóa đơn)",
                "Citizen ID (if wanted on invoices)",
            ),
            Phone => ("Điện thoại", "Phone"),
            Consent => (
                "Khách đồng ý cho cửa hàng lưu số điện thoại và CCCD để giao hàng và xuất hóa đơn",
                "The customer agrees the shop keeps their phone and ID for deliveries and invoices",
            ),
            SaveCustomer => ("Lưu khách hàng", "Save the customer"),
            Template => ("Giỏ quà mẫu", "Gift-pack template"),
            AddTemplate => ("Thêm giỏ mẫu", "Add the template"),
            ProductCode => ("Mã hàng hoặc mã vạch (Enter)", "SKU or barcode (Enter)"),
            CustomBasket => ("Giỏ tự chọn", "Custom basket"),
            BasketName => ("Tên giỏ tự chọn", "The custom basket's name"),
            CloseBasket => ("Đóng giỏ", "Close the basket"),
            Quantity => ("Số lượng", "Quantity"),
            Price => ("Đơn giá (gồm VAT)", "Unit price (VAT incl.)"),
            Remove => ("Bỏ", "Remove"),
            SaveOrder => (
                "Lưu đơn và in xác nhận",
                "Save the order, print the confirmation",
            ),
            NoCustomer => ("Chưa chọn khách hàng.", "No customer chosen yet."),
            Search => (
                "Tìm theo tên, điện thoại, mã số thuế",
                "Search by name, phone, tax code",
            ),
            CreditLimit => ("Hạn mức công nợ (₫)", "Credit limit (₫)"),
            TermDays => ("Hạn thanh toán (ngày)", "Payment term (days)"),
            SaveTerms => ("Lưu hạn mức (quản lý)", "Save the terms (manager)"),
            Erase => (
                "Xóa dữ liệu cá nhân (quản lý)",
                "Erase the personal data (manager)",
            ),
            EraseConfirm => (
                "Bấm lần nữa để xóa hẳn tên, điện thoại, CCCD, địa chỉ (các lần mua vẫn giữ, ẩn danh)",
                "Press again to erase the name, phone, ID and address (their sales stay, anonymised)",
            ),
            Owed => ("Tổng nợ", "Owed"),
            NewPerson => ("Khách cá nhân mới", "New person"),
            Current => ("Trong hạn", "Current"),
            Days1To30 => ("1–30 ngày", "1–30 days"),
            Days31To60 => ("31–60 ngày", "31–60 days"),
            Over60 => ("> 60 ngày", "> 60 days"),
            Limit => ("Hạn mức", "Limit"),
            OpenInvoices => ("Hóa đơn còn nợ", "Open invoices"),
            Invoice => ("Hóa đơn", "Invoice"),
            SoldOn => ("Ngày", "Date"),
            DueOn => ("Hạn trả", "Due"),
            OpenAmount => ("Còn nợ", "Open"),
            PayThis => ("Trả hóa đơn này", "Pay on this invoice"),
            ReceiveOldestFirst => (
                "Thu tiền, trừ hóa đơn cũ trước",
                "Receive, oldest invoices first",
            ),
            ReceiveChosen => (
                "Thu theo số tiền từng hóa đơn",
                "Receive as set per invoice",
            ),
            From => ("Từ ngày", "From"),
            To => ("Đến ngày", "To"),
            PrintStatement => ("In đối chiếu công nợ", "Print the statement"),
            NothingOwed => ("Không có công nợ.", "Nothing is owed on account."),
            DailyTitle => (
                "Tiền đơn hàng và công nợ (ngoài doanh thu)",
                "Orders and accounts (apart from sales)",
            ),
            DepositsTaken => ("Nhận đặt cọc", "Deposits taken"),
            DepositsPaidBack => ("Trả lại tiền cọc", "Deposits paid back"),
            PaidOnAccount => ("Thu công nợ", "Received on account"),
            SalesFromDeposits => (
                "Bán trừ tiền cọc nhận trước",
                "Sales paid from earlier deposits",
            ),
            SalesOnAccount => ("Bán ghi nợ", "Sales on account"),
            ReceivedApart => (
                "Tiền nhận ngoài doanh thu",
                "Money received apart from sales",
            ),
            Balance => ("Còn phải trả", "Left to pay"),
            ConsentRecorded => ("Đồng ý lưu dữ liệu", "Consent recorded"),
            Erased => ("Đã xóa dữ liệu", "Data erased"),
            Reserved => ("đã đặt", "reserved"),
            PickACompany => (
                "Chọn một doanh nghiệp trong danh sách.",
                "Pick a company in the list.",
            ),
        };
        lang.pick(vi, en)
    }
}

/// How a customer is named on screen and on the command line; a person whose data was erased
/// is named as such, by the record's number.
pub fn customer_name(customer: &crate::core::customer::Customer, lang: Lang) -> String {
    if customer.erased {
        format!("{} (KH{:06})", OrderLabel::Erased.text(lang), customer.id)
    } else {
        customer.name.clone()
    }
}

pub fn status_name(status: OrderStatus, lang: Lang) -> &'static str {
    match status {
        OrderStatus::Open => lang.pick("Đang mở", "Open"),
        OrderStatus::Delivered => lang.pick("Đã giao đủ", "Delivered"),
        OrderStatus::Cancelled => lang.pick("Đã hủy", "Cancelled"),
    }
}

/// What happened on the Orders screen (and at the counter with customers).
#[derive(Debug, Clone, PartialEq)]
pub enum OrderNotice {
    Refused(OrderError),
    Taken(String),
    DepositTaken {
        number: String,
        amount: Money,
    },
    Delivered {
        delivery: String,
        receipt_no: String,
    },
    Cancelled {
        number: String,
        refund: Money,
    },
    PaymentReceived {
        number: String,
        amount: Money,
    },
    CustomerSaved(String),
    CustomerErased,
    TermsSaved(String),
    /// A company's purchases of the day come to this much and part is paid in cash.
    CashLosesDeduction(Money),
    /// Selling this product takes stock other customers' orders reserve.
    IntoReserved {
        name: String,
        stock: Decimal,
        reserved: Decimal,
    },
    /// On account needs a company customer named as the buyer (Ctrl+B or F1).
    CompanyBuyerFirst,
    NotFound(String),
    PressAgainToErase,
}

impl OrderNotice {
    pub fn level(&self) -> super::Level {
        use OrderNotice::*;
        match self {
            Refused(_) | NotFound(_) | CompanyBuyerFirst => super::Level::Error,
            CashLosesDeduction(_) | IntoReserved { .. } | PressAgainToErase => {
                super::Level::Warning
            }
            _ => super::Level::Success,
        }
    }

    pub fn text(&self, lang: Lang) -> String {
        use OrderNotice::*;
        let vi = lang == Lang::Vi;
        match self {
            Refused(error) => order_error_text(error, lang),
            Taken(number) => {
                if vi {
                    format!("Đã lưu đơn {number}; đang in xác nhận đơn.")
                } else {
                    format!("Order {number} saved; its confirmation is printing.")
                }
            }
            DepositTaken { number, amount } => {
                if vi {
                    format!("Đã nhận cọc {amount}, phiếu thu {number}.")
                } else {
                    format!("Deposit of {amount} taken, slip {number}.")
                }
            }
            Delivered {
                delivery,
                receipt_no,
            } => {
                if vi {
                    format!("Đã giao {delivery}, hóa đơn {receipt_no}: in phiếu giao để người nhận ký.")
                } else {
                    format!("Delivered {delivery}, invoice {receipt_no}: print the note for the receiver to sign.")
                }
            }
            Cancelled { number, refund } => {
                if *refund > Money::ZERO {
                    if vi {
                        format!("Đã hủy đơn {number}; trả lại khách tiền cọc {refund}.")
                    } else {
                        format!("Order {number} cancelled; pay the customer back {refund}.")
                    }
                } else if vi {
                    format!("Đã hủy đơn {number}; không còn tiền cọc phải trả lại.")
                } else {
                    format!("Order {number} cancelled; no deposit left to pay back.")
                }
            }
            PaymentReceived { number, amount } => {
                if vi {
                    format!("Đã thu công nợ {amount}, phiếu thu {number}.")
                } else {
                    format!("Received {amount} on account, slip {number}.")
                }
            }
            CustomerSaved(name) => {
                if vi {
                    format!("Đã lưu khách hàng {name}.")
                } else {
                    format!("Customer {name} saved.")
                }
            }
            CustomerErased => lang
                .pick(
                    "Đã xóa dữ liệu cá nhân của khách; các lần mua vẫn giữ, ẩn danh.",
                    "The customer's personal data was erased; their sales stay, anonymised.",
                )
                .to_string(),
            TermsSaved(name) => {
                if vi {
                    format!("Đã lưu hạn mức công nợ của {name}.")
                } else {
                    format!("Credit terms of {name} saved.")
                }
            }
            CashLosesDeduction(day_total) => {
                if vi {
                    format!(
                        "Lưu ý: doanh nghiệp mua {day_total} trong ngày (từ {NON_CASH_THRESHOLD}): trả \
                         tiền mặt thì không được khấu trừ thuế GTGT (Nghị định 181/2025). Đề nghị \
                         chuyển khoản."
                    )
                } else {
                    format!(
                        "Note: the company buys {day_total} today (from {NON_CASH_THRESHOLD}): paid in \
                         cash, it cannot deduct the VAT (Decree 181/2025). Suggest a transfer."
                    )
                }
            }
            IntoReserved {
                name,
                stock,
                reserved,
            } => {
                let (stock, reserved) = (format_quantity(*stock), format_quantity(*reserved));
                if vi {
                    format!(
                        "Lưu ý: {name} còn {stock}, trong đó {reserved} đã đặt cho đơn hàng. Bán \
                         thêm là lấy vào hàng của khách đặt."
                    )
                } else {
                    format!(
                        "Note: {name} has {stock} in stock, {reserved} of it reserved for orders. \
                         Selling more takes goods ordered by others."
                    )
                }
            }
            CompanyBuyerFirst => lang
                .pick(
                    "Ghi nợ chỉ cho doanh nghiệp: chọn người mua là doanh nghiệp trước (Ctrl+B hoặc F1).",
                    "On account is for companies: name a company as the buyer first (Ctrl+B or F1).",
                )
                .to_string(),
            NotFound(key) => {
                if vi {
                    format!("Không tìm thấy khách hàng “{key}”: nhập thông tin để lưu khách mới.")
                } else {
                    format!("No customer “{key}”: type their details to save a new one.")
                }
            }
            PressAgainToErase => OrderLabel::EraseConfirm.text(lang).to_string(),
        }
    }
}

pub fn customer_error_text(error: &CustomerError, lang: Lang) -> String {
    let vi = lang == Lang::Vi;
    match error {
        CustomerError::NameRequired => lang.pick("Nhập tên khách hàng.", "Enter the customer's name."),
        CustomerError::BadPhone => lang.pick(
            "Số điện thoại có 10 chữ số, bắt đầu bằng 0 (hoặc +84).",
            "A phone number is 10 digits starting with 0 (or +84).",
        ),
        CustomerError::IdNumberNot12Digits => {
            lang.pick("Số CCCD phải có đúng 12 chữ số.", "A citizen ID (CCCD) is exactly 12 digits.")
        }
        CustomerError::ConsentRequired => lang.pick(
            "Chỉ lưu số điện thoại, CCCD khi khách đồng ý (Luật Bảo vệ dữ liệu cá nhân): đánh dấu ô đồng ý.",
            "A phone or ID is kept only with the customer's consent (Personal Data Protection Law): tick the box.",
        ),
        CustomerError::PhoneTaken(phone) => {
            return if vi {
                format!("Số điện thoại {phone} đã là của một khách khác.")
            } else {
                format!("The phone {phone} is another customer's.")
            };
        }
        CustomerError::NotFound(key) => {
            return if vi {
                format!("Không có khách hàng “{key}”.")
            } else {
                format!("No customer “{key}”.")
            };
        }
        CustomerError::Erased => lang.pick(
            "Dữ liệu của khách này đã bị xóa theo yêu cầu.",
            "This customer's data was erased on request.",
        ),
        CustomerError::OpenOrders(orders) => {
            return if vi {
                format!("Khách còn đơn đang mở ({}): giao hoặc hủy trước khi xóa dữ liệu.", orders.join(", "))
            } else {
                format!("The customer has open orders ({}): deliver or cancel them first.", orders.join(", "))
            };
        }
        CustomerError::CompaniesOnly => lang.pick(
            "Hạn mức công nợ chỉ dành cho doanh nghiệp.",
            "Credit terms are for companies only.",
        ),
        CustomerError::TermTooLong(days) => {
            return if vi {
                format!("Hạn thanh toán {days} ngày quá dài (tối đa 365).")
            } else {
                format!("A {days}-day term is too long (365 at most).")
            };
        }
        CustomerError::AmountNotValid => lang.pick(
            "Hạn mức phải là số tiền từ 0 đồng.",
            "The limit is an amount from 0 đồng.",
        ),
    }
    .to_string()
}

pub fn order_error_text(error: &OrderError, lang: Lang) -> String {
    let vi = lang == Lang::Vi;
    let pick = |v: String, e: String| if vi { v } else { e };
    match error {
        OrderError::Customer(error) => customer_error_text(error, lang),
        OrderError::NoLines => lang
            .pick("Đơn hàng chưa có dòng nào.", "The order has no line.")
            .into(),
        OrderError::QuantityNotValid(line) => pick(
            format!("Dòng {line}: số lượng phải lớn hơn 0 (giỏ và hàng đếm được là số nguyên)."),
            format!(
                "Line {line}: the quantity must be above 0 (whole for baskets and counted goods)."
            ),
        ),
        OrderError::PriceNotValid(line) => pick(
            format!("Dòng {line}: đơn giá phải lớn hơn 0."),
            format!("Line {line}: the price must be above 0."),
        ),
        OrderError::EmptyBasket(line) => pick(
            format!("Dòng {line}: giỏ chưa có hàng nào."),
            format!("Line {line}: the basket holds nothing."),
        ),
        OrderError::DueInThePast(line) => pick(
            format!("Dòng {line}: ngày giao đã qua."),
            format!("Line {line}: the delivery day is past."),
        ),
        OrderError::DepositAboveTotal(total) => pick(
            format!("Tiền cọc không được lớn hơn giá trị đơn ({total})."),
            format!("The deposit cannot be more than the order ({total})."),
        ),
        OrderError::NoSuchOrder(number) => pick(
            format!("Không có đơn hàng {number}."),
            format!("There is no order {number}."),
        ),
        OrderError::NoSuchLine(line) => pick(
            format!("Đơn không có dòng {line}."),
            format!("The order has no line {line}."),
        ),
        OrderError::NotOpen(status) => pick(
            format!(
                "Đơn đã {}.",
                super::orders::status_name(*status, lang).to_lowercase()
            ),
            format!(
                "The order is {}.",
                super::orders::status_name(*status, lang).to_lowercase()
            ),
        ),
        OrderError::NothingToDeliver => lang
            .pick(
                "Nhập số lượng giao lần này.",
                "Type how many are delivered now.",
            )
            .into(),
        OrderError::MoreThanLeft { line, left } => pick(
            format!("Dòng {line}: chỉ còn {} để giao.", format_quantity(*left)),
            format!(
                "Line {line}: only {} is left to deliver.",
                format_quantity(*left)
            ),
        ),
        OrderError::ProductGone(sku) => pick(
            format!("Sản phẩm {sku} của đơn không còn bán: sửa danh mục trước khi giao."),
            format!("Product {sku} of the order is no longer sold: fix the catalogue first."),
        ),
        OrderError::AmountNotPositive => lang
            .pick("Số tiền phải lớn hơn 0.", "The amount must be above 0.")
            .into(),
        OrderError::DepositAboveLeft(room) => pick(
            format!(
                "Tiền cọc nhiều nhất còn nhận được là {room} (giá trị còn phải giao trừ cọc đang giữ)."
            ),
            format!(
                "At most {room} more can be taken as deposit (left to deliver, less the deposit held)."
            ),
        ),
        OrderError::OnAccountCompaniesOnly => OrderNotice::CompanyBuyerFirst.text(lang),
        OrderError::OverCreditLimit { limit, owed, asked } => pick(
            format!(
                "Vượt hạn mức công nợ: đang nợ {owed}, ghi nợ thêm {asked}, hạn mức {limit}. Cần quản lý duyệt."
            ),
            format!(
                "Over the credit limit: owes {owed}, {asked} more on account, limit {limit}. A manager must approve."
            ),
        ),
        OrderError::PaymentAboveOpen(open) => pick(
            format!("Khách chỉ còn nợ {open}: không thu nhiều hơn."),
            format!("The customer owes only {open}: no more can be received."),
        ),
        OrderError::NotOpenInvoice(invoice) => pick(
            format!("Hóa đơn {invoice} không còn nợ số tiền đó."),
            format!("Invoice {invoice} does not have that much open."),
        ),
        OrderError::AllocationNotPayment { payment, allocated } => pick(
            format!("Số tiền trả từng hóa đơn cộng lại {allocated}, khác số tiền thu {payment}."),
            format!("The amounts per invoice add up to {allocated}, not the {payment} received."),
        ),
        OrderError::ReasonRequired => lang.pick("Nhập lý do.", "Type the reason.").into(),
        OrderError::NotMoney => lang
            .pick(
                "Tiền cọc và tiền thu công nợ là tiền mặt, chuyển khoản hoặc thẻ.",
                "Deposits and payments on account are cash, transfer or card.",
            )
            .into(),
        OrderError::DepositNeedsOrder => lang
            .pick(
                "Tiền cọc chỉ trừ vào hóa đơn giao hàng của chính đơn đó.",
                "A deposit pays only the deliveries of its own order.",
            )
            .into(),
        OrderError::Sale(error) => super::Notice::from_draft_error(error.clone()).text(lang),
        OrderError::RestNotPayable => lang
            .pick(
                "Phần còn lại sau tiền cọc trả bằng tiền mặt, chuyển khoản, thẻ hoặc ghi nợ.",
                "What the deposit does not cover is paid in cash, by transfer, by card or on account.",
            )
            .into(),
        OrderError::RefundBeyondPaid { owed, most } => pick(
            format!(
                "Hóa đơn còn ghi nợ {owed} chưa thu: chỉ trả lại được tối đa {most} (phần khách đã trả). Thu công nợ trước."
            ),
            format!(
                "{owed} of this sale is still owed on account: at most {most} (what was paid) can be given back. Receive the payment first."
            ),
        ),
    }
}
