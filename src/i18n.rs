//! Every text a person reads on screen or in a command's output, in Vietnamese (default) and
//! English. Screens ask for a [`Label`] or a [`Notice`] and never spell text themselves.

use crate::core::audit::AuditAct;
use crate::core::cart::CartError;
use crate::core::cash::CashError;
use crate::core::chain::{ChainBreak, ChainKind, Fault, Figure};
use crate::core::delivery::{Band, DayDelivery, DeliveryState, Refusal, SendSettingError};
use crate::core::einvoice::{InvoiceBuyerError, RegistrationStatus};
use crate::core::giftpack::GiftPackError;
use crate::core::inventory::{
    AdjustmentReason, CertificateStatus, InventoryError, ProducerKind, StockMovementKind,
};
use crate::core::money::{AmountError, Money};
use crate::core::payment::{PaymentError, PaymentMethod};
use crate::core::printer::PrintFailure;
use crate::core::refund::RefundError;
use crate::core::sale::DraftError;
use crate::core::settings::{Setting, SettingError, ShopSettings, TaxCodeError};
use crate::core::staff::GatedAct;
use crate::send::{Activity, NotConfigured, PassEnd, PassReport, SendOutcome};
use crate::store::numbering::LostNumbers;
use crate::store::{InvoiceError, SignInError, StoreError};

pub mod orders;
pub use orders::{OrderLabel, OrderNotice};

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
    TransferNote,
    CardApprovedQuestion,
    CardApprovedYes,
    TransferReceivedQuestion,
    TransferReceivedYes,
    NotYet,
    NoBankAccount,
    ScanToPay,
    LastSale,
    InStock,
    StartupFailed,
    BackupsTitle,
    BackUpNow,
    BackingUp,
    Restoring,
    RestoreButton,
    RestoreThis,
    GoBack,
    NoBackups,
    TakenAt,
    FileSize,
    LastReceipt,
    DataInUse,
    DataDamaged,
    DataDamagedHelp,
    RestoreNewest,
    NoGoodBackup,
    Daily,
    Today,
    Yesterday,
    ThisWeek,
    ThisMonth,
    DateHint,
    ExportCsv,
    PrintReport,
    SalesCount,
    NetSales,
    Vat,
    AverageBasket,
    PreviousDay,
    PreviousPeriod,
    WeekBefore,
    ByHour,
    Takings,
    VatPerRate,
    TaxableAmount,
    TopProducts,
    ByProducer,
    ByStars,
    ByGroup,
    Gross,
    Refunds,
    SalesOfDay,
    NoSales,
    Back,
    Reprint,
    CashSession,
    NoSession,
    OpeningFloat,
    OpenSession,
    SessionOpenedAt,
    ExpectedCash,
    CashAmount,
    CashReason,
    CashIn,
    CashOut,
    CloseSession,
    CountedCash,
    Over,
    Short,
    CloseNote,
    ProducerStatement,
    PrintStatement,
    ExportStatement,
    BasketButton,
    InvoiceButton,
    GiftSlipButton,
    GiftSlip,
    Building,
    BasketPricePrompt,
    BasketPriceHint,
    ContentsValue,
    AuditTitle,
    AuditEveryone,
    AuditAllActs,
    AuditFrom,
    AuditTo,
    AuditShow,
    AuditTime,
    AuditActor,
    AuditApprover,
    AuditAct,
    AuditSubject,
    AuditChange,
    AuditEmpty,
    AcknowledgeBreak,
    InvoiceTitle,
    BuyerTaxCode,
    BuyerName,
    BuyerAddress,
    BuyerEmail,
    BuyerContact,
    BuyerIdNumber,
    BuyerPhone,
    BuyerPassport,
    BuyerConsumer,
    BuyerCompany,
    BuyerPerson,
    BuyerForeigner,
    BuyerTitle,
    SetBuyer,
    BuyerButton,
    PrintInvoiceA4,
    CorrectBuyerTitle,
    CorrectionReason,
    CorrectionAgreement,
    CorrectBuyer,
    Corrects,
    SignInTitle,
    PinRule,
    ApprovalTitle,
    ManagerName,
    PinHint,
    SwitchUser,
    /// The top bar's no-sale drawer opening.
    OpenDrawer,
    /// The notice band's button for a document that did not print.
    PrintAgain,
    /// The Settings screen's printer section.
    SettingsPrinter,
    TestPrint,
    /// Opens the customer display window.
    OpenCustomerDisplay,
    /// The inventory table's shelf labels for the products listed.
    PrintLabels,
    BackupsTab,
    AuditTab,
    RefundTitle,
    RefundLeft,
    RefundAmount,
    TransferSearchTitle,
    NoProductsYet,
    Find,
    TransferAmountHint,
    RefundRestock,
    RefundReason,
    RefundConfirm,
    RefundButton,
    InventoryTitle,
    /// Shown while the product table is read for the screen's first opening.
    InventoryLoading,
    InvProducts,
    InvReceiving,
    InvCount,
    InvProducers,
    InvPacks,
    InvAlerts,
    InvSku,
    InvBarcode,
    InvBarcodes,
    InvBarcodeHint,
    InvName,
    InvProducer,
    InvGroup,
    InvStars,
    InvNoStars,
    InvUnit,
    InvPrice,
    InvVat,
    InvStock,
    InvStatus,
    InvActive,
    InvInactive,
    InvEffectiveFrom,
    InvEffectiveHint,
    InvLowStockThreshold,
    InvCertificate,
    InvCertificateNumber,
    InvCertificateIssuer,
    InvCertificateIssued,
    InvCertificateExpires,
    InvFilterHint,
    InvAllProducers,
    InvAllGroups,
    InvAllStars,
    InvLowStockOnly,
    InvIncludeInactive,
    InvRowsShown,
    InvNoProducts,
    InvNewProduct,
    InvClose,
    InvSave,
    InvDeactivate,
    InvReactivate,
    InvAdjust,
    InvAdjustQuantity,
    InvReason,
    InvNote,
    InvAdjustButton,
    InvPriceHistory,
    InvScheduled,
    InvMovements,
    InvWhen,
    InvKind,
    InvBy,
    InvPickProducer,
    InvDeliveryNote,
    InvScanToAdd,
    InvUnitCost,
    InvLot,
    InvExpiry,
    InvAmount,
    InvReceivingTotal,
    InvPost,
    InvCountHint,
    InvStartCount,
    InvScanToCount,
    InvExpected,
    InvCounted,
    InvVariance,
    InvVarianceValue,
    InvCountSummary,
    InvPostCount,
    InvCommune,
    InvProvince,
    InvContact,
    InvTaxCode,
    InvBankAccount,
    InvConsignment,
    InvCommission,
    InvNewProducer,
    InvPickProducerHint,
    InvProducerProducts,
    InvLowStockList,
    InvExpiringLots,
    InvCertificateAlerts,
    InvNothingToFlag,
    InvItems,
    InvNewPack,
    InvPickPackHint,
    InvPackPricing,
    InvPackFixed,
    InvPackLess,
    InvPackAmount,
    InvPackContents,
    InvPackSummary,
    InvCsv,
    InvCsvPathHint,
    InvCsvPreview,
    InvCsvImport,
    InvCsvExport,
    InvCsvHelp,
    InvDelete,
    InvLotLeft,
    InvReprint,
    InvRecentNotes,
    // The PIN pad, the first-run setup, the Settings and Staff screens.
    PinAgainHint,
    UnknownBin,
    SettingsTab,
    StaffTab,
    SetupTitle,
    SetupIntro,
    SetupShop,
    SetupBank,
    SetupPrinter,
    SetupInvoiceHelp,
    SetupManager,
    SetupFinish,
    SettingsTitle,
    SettingsSave,
    SettingsRevert,
    SettingsPolicies,
    SettingsBackups,
    SettingsInvoice,
    /// The Settings screen's group of how invoices are sent.
    SettingsSending,
    /// The band's button: send the unsent invoices now.
    SendNow,
    VietQrPreview,
    VietQrPreviewHint,
    MakeRealTitle,
    MakeRealHelp,
    MakeRealButton,
    MakeRealConfirm,
    StaffTitle,
    StaffName,
    StaffRole,
    StaffStatus,
    StaffActive,
    StaffDisabled,
    StaffAdd,
    StaffDisable,
    StaffEnable,
    StaffMakeManager,
    StaffMakeCashier,
    StaffResetPin,
    StaffNewPin,
    StaffPinFor,
    RoleCashier,
    RoleManager,
    /// Who the audit log names for an act done before anyone signed in.
    NobodySignedIn,
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
                "Gõ số tiền khách đưa rồi Enter. Khách đưa đúng số còn thiếu: F10. Thẻ/chuyển khoản: để trống và Enter = số còn thiếu, rồi xác nhận.",
                "Type what the customer hands over, then Enter. Exactly what is due in cash: F10. Card/transfer: Enter on an empty field takes what is due, then confirm.",
            ),
            CompleteButton => lang.pick("Hoàn tất (Enter)", "Complete (Enter)"),
            TransferConfirm => lang.pick(
                "Khi đã thấy tiền vào tài khoản, nhấn Enter để xác nhận.",
                "When the money shows in the account, press Enter to confirm.",
            ),
            TransferNote => lang.pick("Nội dung chuyển khoản", "Transfer note"),
            CardApprovedQuestion => lang.pick("Máy POS đã duyệt thẻ?", "Did the card terminal approve?"),
            CardApprovedYes => lang.pick("Máy POS đã duyệt (Enter)", "Terminal approved (Enter)"),
            TransferReceivedQuestion => lang.pick(
                "Đã nhận tiền vào tài khoản cửa hàng?",
                "Has the money reached the shop's account?",
            ),
            TransferReceivedYes => lang.pick("Đã nhận tiền (Enter)", "Money received (Enter)"),
            NotYet => lang.pick("Chưa (Esc)", "Not yet (Esc)"),
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
            BackupsTitle => lang.pick("Sao lưu và khôi phục", "Backups and restore"),
            BackUpNow => lang.pick("Sao lưu ngay", "Back up now"),
            BackingUp => lang.pick("Đang sao lưu…", "Backing up…"),
            Restoring => lang.pick("Đang khôi phục bản sao lưu…", "Restoring the backup…"),
            RestoreButton => lang.pick("Khôi phục", "Restore"),
            RestoreThis => lang.pick("Khôi phục bản này", "Restore this backup"),
            GoBack => lang.pick("Quay lại", "Back"),
            NoBackups => lang.pick("Chưa có bản sao lưu nào.", "No backups yet."),
            TakenAt => lang.pick("Thời điểm sao lưu", "Taken at"),
            FileSize => lang.pick("Dung lượng", "Size"),
            LastReceipt => lang.pick("Hóa đơn cuối", "Last receipt"),
            DataInUse => lang.pick("OCOP POS đang mở ở cửa sổ khác", "OCOP POS is already open"),
            DataDamaged => lang.pick(
                "Dữ liệu cửa hàng bị hỏng — không dùng để bán hàng",
                "The store's data is damaged — it is not used for selling",
            ),
            DataDamagedHelp => lang.pick(
                "Tệp dữ liệu không qua được bước kiểm tra khi khởi động. Hãy khôi phục bản sao lưu tốt mới nhất; tệp hỏng được cất vào thư mục backups, không bị xóa.",
                "The data file failed its check at start. Restore the newest good backup; the damaged file is moved to the backups folder, not deleted.",
            ),
            RestoreNewest => lang.pick(
                "Khôi phục bản sao lưu tốt mới nhất",
                "Restore the newest good backup",
            ),
            NoGoodBackup => lang.pick(
                "Không có bản sao lưu nào dùng được. Đừng xóa tệp dữ liệu; hãy gọi hỗ trợ kỹ thuật.",
                "There is no usable backup. Do not delete the data file; call for technical support.",
            ),
            Daily => lang.pick("Doanh thu", "Daily sales"),
            Today => lang.pick("Hôm nay", "Today"),
            Yesterday => lang.pick("Hôm qua", "Yesterday"),
            ThisWeek => lang.pick("Tuần này", "This week"),
            ThisMonth => lang.pick("Tháng này", "This month"),
            DateHint => lang.pick("dd/mm/yyyy, Enter", "dd/mm/yyyy, Enter"),
            ExportCsv => lang.pick("Xuất CSV", "Export CSV"),
            PrintReport => lang.pick("In báo cáo", "Print report"),
            SalesCount => lang.pick("Số đơn", "Sales"),
            NetSales => lang.pick("Doanh thu thuần", "Net sales"),
            Vat => lang.pick("Thuế GTGT", "VAT"),
            AverageBasket => lang.pick("Bình quân/đơn", "Average basket"),
            PreviousDay => lang.pick("Hôm trước", "Day before"),
            PreviousPeriod => lang.pick("Kỳ trước", "Period before"),
            WeekBefore => lang.pick("Cùng kỳ tuần trước", "Same days last week"),
            ByHour => lang.pick("Doanh thu theo giờ", "Sales by hour"),
            Takings => lang.pick("Thu theo hình thức", "Takings by method"),
            VatPerRate => lang.pick("Thuế theo thuế suất", "VAT per rate"),
            TaxableAmount => lang.pick("Trước thuế", "Before VAT"),
            TopProducts => lang.pick("Bán chạy nhất", "Top products"),
            ByProducer => lang.pick("Theo nhà sản xuất", "By producer"),
            ByStars => lang.pick("Theo hạng sao OCOP", "By OCOP stars"),
            ByGroup => lang.pick("Theo nhóm sản phẩm", "By product group"),
            Gross => lang.pick("Tiền hàng", "Gross"),
            Refunds => lang.pick("Trả hàng", "Refunds"),
            SalesOfDay => lang.pick("Các đơn trong kỳ", "Sales in the period"),
            NoSales => lang.pick("Chưa có đơn nào.", "No sales yet."),
            Back => lang.pick("Quay lại", "Back"),
            Reprint => lang.pick("In lại hóa đơn", "Reprint receipt"),
            CashSession => lang.pick("Ca thu ngân", "Cash session"),
            NoSession => lang.pick("Chưa mở ca.", "No session is open."),
            OpeningFloat => lang.pick("Tiền đầu ca", "Opening float"),
            OpenSession => lang.pick("Mở ca", "Open session"),
            SessionOpenedAt => lang.pick("Mở ca lúc", "Opened at"),
            ExpectedCash => lang.pick("Tiền mặt phải có", "Expected cash"),
            CashAmount => lang.pick("Số tiền", "Amount"),
            CashReason => lang.pick("Lý do", "Reason"),
            CashIn => lang.pick("Nộp vào két", "Cash in"),
            CashOut => lang.pick("Rút ra", "Cash out"),
            CloseSession => lang.pick("Chốt ca & in báo cáo Z", "Close & print Z-report"),
            CountedCash => lang.pick("Tiền đếm được", "Counted"),
            Over => lang.pick("Thừa", "Over"),
            Short => lang.pick("Thiếu", "Short"),
            CloseNote => lang.pick(
                "Ghi chú (bắt buộc khi lệch)",
                "Note (required when it differs)",
            ),
            ProducerStatement => lang.pick("Bảng kê nhà cung cấp", "Producer statement"),
            PrintStatement => lang.pick("In bảng kê", "Print statement"),
            ExportStatement => lang.pick("Bảng kê CSV", "Statement CSV"),
            BasketButton => lang.pick("Giỏ quà (Ctrl+G)", "Gift basket (Ctrl+G)"),
            InvoiceButton => lang.pick("Hóa đơn (Ctrl+I)", "Invoice (Ctrl+I)"),
            GiftSlipButton => lang.pick("Phiếu quà (Ctrl+P)", "Gift slip (Ctrl+P)"),
            GiftSlip => lang.pick("In phiếu quà tặng", "Print gift slip"),
            Building => lang.pick(
                "Đang tạo giỏ quà: quét hoặc chọn món để cho vào giỏ. Ctrl+G: đặt giá và đóng giỏ · Esc: bỏ giỏ",
                "Building a gift basket: scan or pick items to put in. Ctrl+G: set the price and close · Esc: drop it",
            ),
            BasketPricePrompt => lang.pick("Giá một giỏ quà", "Price of one basket"),
            BasketPriceHint => lang.pick(
                "Sẵn là tổng giá lẻ các món; gõ giá bán rồi Enter (chênh lệch được in rõ).",
                "Filled with the items' prices added up; type the selling price and Enter (the difference is printed).",
            ),
            ContentsValue => lang.pick("Giá lẻ các món", "Items at shelf price"),
            AuditTitle => lang.pick("Nhật ký thao tác", "Audit log"),
            AuditEveryone => lang.pick("Mọi nhân viên", "Everyone"),
            AuditAllActs => lang.pick("Mọi thao tác", "All acts"),
            AuditFrom => lang.pick("Từ ngày", "From"),
            AuditTo => lang.pick("Đến ngày", "To"),
            AuditShow => lang.pick("Xem (Enter)", "Show (Enter)"),
            AuditTime => lang.pick("Thời gian", "Time"),
            AuditActor => lang.pick("Người thực hiện", "Done by"),
            AuditApprover => lang.pick("Người duyệt", "Approved by"),
            AuditAct => lang.pick("Thao tác", "Act"),
            AuditSubject => lang.pick("Đối tượng", "Subject"),
            AuditChange => lang.pick("Trước → sau", "Before → after"),
            AcknowledgeBreak => lang.pick(
                "Quản lý đã biết, bán tiếp",
                "Manager: acknowledge, sell on",
            ),
            AuditEmpty => lang.pick(
                "Không có thao tác nào trong kỳ này.",
                "Nothing was recorded in this period.",
            ),
            InvoiceTitle => lang.pick("Hóa đơn của đơn hàng", "The sale's invoices"),
            BuyerTaxCode => lang.pick("Mã số thuế người mua (Enter để tìm)", "Buyer's tax code (Enter to look up)"),
            BuyerName => lang.pick("Tên đơn vị", "Company name"),
            BuyerAddress => lang.pick("Địa chỉ", "Address"),
            BuyerEmail => lang.pick("Email nhận hóa đơn", "Email for the invoice"),
            BuyerContact => lang.pick("Người mua hàng", "Contact person"),
            BuyerIdNumber => lang.pick("Số CCCD (12 chữ số)", "Citizen ID, CCCD (12 digits)"),
            BuyerPhone => lang.pick("Số điện thoại", "Phone number"),
            BuyerPassport => lang.pick("Số hộ chiếu", "Passport number"),
            BuyerConsumer => lang.pick("Người tiêu dùng", "Consumer"),
            BuyerCompany => lang.pick("Doanh nghiệp", "Company"),
            BuyerPerson => lang.pick("Cá nhân", "Person"),
            BuyerForeigner => lang.pick("Người nước ngoài", "Foreigner"),
            BuyerTitle => lang.pick("Người mua trên hóa đơn", "The buyer on the invoice"),
            SetBuyer => lang.pick("Ghi người mua cho đơn này", "Use this buyer for this sale"),
            BuyerButton => lang.pick("Người mua (Ctrl+B)", "Buyer (Ctrl+B)"),
            PrintInvoiceA4 => lang.pick("In bản A4 (cho doanh nghiệp)", "Print the A4 copy (for a company)"),
            CorrectBuyerTitle => lang.pick(
                "Sửa người mua (quản lý): sai tên, địa chỉ → thông báo 04/SS; sai mã số thuế, sai người → hóa đơn thay thế",
                "Correct the buyer (manager): a wrong name or address → 04/SS notice; a wrong tax code or buyer → replacement",
            ),
            CorrectionReason => lang.pick("Lý do sửa", "Reason for the correction"),
            CorrectionAgreement => lang.pick(
                "Số biên bản thỏa thuận (người mua doanh nghiệp)",
                "Written agreement's reference (business buyer)",
            ),
            CorrectBuyer => lang.pick("Sửa hóa đơn", "Correct the invoice"),
            Corrects => lang.pick("sửa cho", "corrects"),
            SignInTitle => lang.pick("Đăng nhập: chọn tên rồi nhập mã PIN", "Sign in: pick your name, then your PIN"),
            PinRule => lang.pick(
                "Mã PIN 4–8 chữ số, mỗi người một mã, không dễ đoán (không 1234, 1111, 1212…)",
                "A 4–8 digit PIN, one per person, not easy to guess (not 1234, 1111, 1212…)",
            ),
            ApprovalTitle => lang.pick("Cần quản lý duyệt", "A manager must approve"),
            ManagerName => lang.pick("Tên quản lý", "Manager's name"),
            PinHint => lang.pick("Mã PIN, rồi Enter", "PIN, then Enter"),
            SwitchUser => lang.pick("đổi người (Ctrl+L)", "switch (Ctrl+L)"),
            OpenDrawer => lang.pick("Mở két", "Open drawer"),
            PrintAgain => lang.pick("In lại", "Print again"),
            SettingsPrinter => lang.pick("Máy in, két tiền, tem giá", "Printer, drawer, labels"),
            TestPrint => lang.pick("In thử", "Test print"),
            OpenCustomerDisplay => lang.pick("Mở màn hình khách", "Open the customer display"),
            PrintLabels => lang.pick("In tem giá (các SP đang lọc)", "Shelf labels (listed)"),
            BackupsTab => lang.pick("Sao lưu", "Backups"),
            AuditTab => lang.pick("Nhật ký", "Audit"),
            RefundTitle => lang.pick("Trả hàng: số hóa đơn, rồi Enter", "Refund: the receipt number, then Enter"),
            RefundLeft => lang.pick("còn trả được", "can still be returned"),
            RefundAmount => lang.pick("Số tiền hoàn lại", "Amount to give back"),
            TransferSearchTitle => lang.pick(
                "Tìm giao dịch chuyển khoản theo số tiền",
                "Find a transfer by its amount",
            ),
            Find => lang.pick("Tìm", "Find"),
            NoProductsYet => lang.pick(
                "Chưa có sản phẩm. Quản lý thêm sản phẩm ở màn Kho (Ctrl+5): từng món, hoặc nhập tệp CSV.",
                "No products yet. A manager adds them on the Inventory screen (Ctrl+5): one by one, or from a CSV file.",
            ),
            TransferAmountHint => lang.pick(
                "Số tiền trên sao kê, ví dụ 375000",
                "The amount on the statement, e.g. 375000",
            ),
            RefundRestock => lang.pick("Nhập lại kho (bỏ chọn nếu hàng hỏng)", "Back to stock (untick if damaged)"),
            RefundReason => lang.pick("Lý do trả hàng", "Reason for the refund"),
            RefundConfirm => lang.pick("Hoàn tiền", "Refund"),
            RefundButton => lang.pick("Trả hàng (Ctrl+R)", "Refund (Ctrl+R)"),
            InventoryTitle => lang.pick("Kho", "Inventory"),
            InventoryLoading => lang.pick("Đang tải danh sách sản phẩm…", "Loading the products…"),
            InvProducts => lang.pick("Sản phẩm", "Products"),
            InvReceiving => lang.pick("Nhập hàng", "Receiving"),
            InvCount => lang.pick("Kiểm kê", "Stock count"),
            InvProducers => lang.pick("Nhà sản xuất", "Producers"),
            InvPacks => lang.pick("Giỏ quà mẫu", "Gift packs"),
            InvAlerts => lang.pick("Cảnh báo", "Alerts"),
            InvSku => lang.pick("Mã hàng", "SKU"),
            InvBarcode => lang.pick("Mã vạch", "Barcode"),
            InvBarcodes => lang.pick("Mã vạch (cách nhau bởi dấu cách)", "Barcodes (separated by spaces)"),
            InvBarcodeHint => lang.pick("Để trống: cửa hàng tự cấp mã EAN-13 đầu 2.", "Leave empty: the shop gives an in-store EAN-13 starting with 2."),
            InvName => lang.pick("Tên", "Name"),
            InvProducer => lang.pick("Nhà sản xuất", "Producer"),
            InvGroup => lang.pick("Nhóm OCOP", "OCOP group"),
            InvStars => lang.pick("Hạng sao", "Stars"),
            InvNoStars => lang.pick("Chưa xếp hạng", "Not rated"),
            InvUnit => lang.pick("ĐVT", "Unit"),
            InvPrice => lang.pick("Giá bán", "Price"),
            InvVat => lang.pick("VAT", "VAT"),
            InvStock => lang.pick("Tồn", "Stock"),
            InvStatus => lang.pick("Trạng thái", "Status"),
            InvActive => lang.pick("Đang bán", "Active"),
            InvInactive => lang.pick("Ngừng bán", "Inactive"),
            InvEffectiveFrom => lang.pick("Áp dụng từ ngày (dd/mm/yyyy)", "Applies from (dd/mm/yyyy)"),
            InvEffectiveHint => lang.pick("Để trống: giá và thuế suất mới áp dụng ngay. Ngày sau hôm nay: lên lịch thay đổi (ví dụ 01/01/2027).", "Empty: the new price and VAT rate apply now. A later day schedules the change (e.g. 01/01/2027)."),
            InvLowStockThreshold => lang.pick("Ngưỡng tồn thấp", "Low-stock threshold"),
            InvCertificate => lang.pick("Giấy chứng nhận OCOP", "OCOP certificate"),
            InvCertificateNumber => lang.pick("Số quyết định", "Decision number"),
            InvCertificateIssuer => lang.pick("Cơ quan cấp", "Issued by"),
            InvCertificateIssued => lang.pick("Ngày cấp (dd/mm/yyyy)", "Issued on (dd/mm/yyyy)"),
            InvCertificateExpires => lang.pick("Hết hạn", "Expires"),
            InvFilterHint => lang.pick("Lọc: mã, mã vạch, tên, nhà sản xuất (không cần dấu)", "Filter: SKU, barcode, name, producer (accents optional)"),
            InvAllProducers => lang.pick("Mọi nhà sản xuất", "All producers"),
            InvAllGroups => lang.pick("Mọi nhóm", "All groups"),
            InvAllStars => lang.pick("Mọi hạng sao", "All ratings"),
            InvLowStockOnly => lang.pick("Sắp hết hàng", "Low stock"),
            InvIncludeInactive => lang.pick("Cả hàng ngừng bán", "Include inactive"),
            InvRowsShown => lang.pick("Hiển thị {n} sản phẩm", "Showing {n} products"),
            InvNoProducts => lang.pick("Không có sản phẩm nào khớp bộ lọc.", "No product matches the filter."),
            InvNewProduct => lang.pick("Thêm sản phẩm", "New product"),
            InvClose => lang.pick("Đóng", "Close"),
            InvSave => lang.pick("Lưu", "Save"),
            InvDeactivate => lang.pick("Ngừng bán", "Deactivate"),
            InvReactivate => lang.pick("Bán lại", "Reactivate"),
            InvAdjust => lang.pick("Điều chỉnh tồn kho", "Adjust stock"),
            InvAdjustQuantity => lang.pick("Số lượng (5 thêm, -5 bớt)", "Quantity (5 adds, -5 takes off)"),
            InvReason => lang.pick("Lý do", "Reason"),
            InvNote => lang.pick("Ghi chú", "Note"),
            InvAdjustButton => lang.pick("Ghi điều chỉnh", "Record adjustment"),
            InvPriceHistory => lang.pick("Lịch sử giá và thuế suất", "Price and VAT history"),
            InvScheduled => lang.pick("sắp áp dụng", "scheduled"),
            InvMovements => lang.pick("Thẻ kho (mới nhất trước)", "Stock ledger (newest first)"),
            InvWhen => lang.pick("Thời gian", "When"),
            InvKind => lang.pick("Loại", "Kind"),
            InvBy => lang.pick("Người làm", "By"),
            InvPickProducer => lang.pick("Chọn nhà sản xuất", "Pick the producer"),
            InvDeliveryNote => lang.pick("Số phiếu giao hàng", "Delivery note no."),
            InvScanToAdd => lang.pick("Quét mã vạch hoặc gõ tên, rồi Enter", "Scan a barcode or type a name, then Enter"),
            InvUnitCost => lang.pick("Giá nhập", "Unit cost"),
            InvLot => lang.pick("Số lô", "Lot"),
            InvExpiry => lang.pick("Hạn dùng", "Expiry"),
            InvAmount => lang.pick("Thành tiền", "Amount"),
            InvReceivingTotal => lang.pick("Tổng tiền nhập", "Total cost"),
            InvPost => lang.pick("Ghi sổ nhập kho", "Post the receipt"),
            InvCountHint => lang.pick("Kiểm kê các sản phẩm đang lọc ở bảng Sản phẩm (lọc trước theo nhà sản xuất hoặc nhóm để đếm từng phần).", "Counts the products the Products table filters (filter by producer or group first to count part of the shop)."),
            InvStartCount => lang.pick("Bắt đầu kiểm kê mới", "Start a new count"),
            InvScanToCount => lang.pick("Quét mỗi món một lần (mỗi lần quét +1), hoặc gõ số đếm được", "Scan each item once (each scan +1), or type the count"),
            InvExpected => lang.pick("Sổ sách", "Expected"),
            InvCounted => lang.pick("Đếm được", "Counted"),
            InvVariance => lang.pick("Chênh lệch", "Variance"),
            InvVarianceValue => lang.pick("Giá trị chênh", "Variance value"),
            InvCountSummary => lang.pick("Đã đếm {counted}/{lines} sản phẩm (+{more} chưa hiện) · Giá trị chênh lệch: {value}", "Counted {counted}/{lines} products (+{more} not shown) · Variance value: {value}"),
            InvPostCount => lang.pick("Ghi sổ kiểm kê", "Post the count"),
            InvCommune => lang.pick("Xã/phường", "Commune"),
            InvProvince => lang.pick("Tỉnh", "Province"),
            InvContact => lang.pick("Liên hệ", "Contact"),
            InvTaxCode => lang.pick("Mã số thuế", "Tax code"),
            InvBankAccount => lang.pick("Tài khoản ngân hàng", "Bank account"),
            InvConsignment => lang.pick("Ký gửi", "Consignment"),
            InvCommission => lang.pick("Hoa hồng %", "Commission %"),
            InvNewProducer => lang.pick("Thêm nhà sản xuất", "New producer"),
            InvPickProducerHint => lang.pick("Chọn một nhà sản xuất để sửa và xem sản phẩm của họ.", "Pick a producer to edit it and see its products."),
            InvProducerProducts => lang.pick("Sản phẩm và tồn kho", "Products and stock"),
            InvLowStockList => lang.pick("Sắp hết hàng", "Low stock"),
            InvExpiringLots => lang.pick("Lô sắp hết hạn (lô hạn gần nhất bán trước)", "Lots near expiry (sell the first to expire first)"),
            InvCertificateAlerts => lang.pick("Giấy chứng nhận OCOP hết hạn hoặc sắp hết hạn", "OCOP certificates expired or expiring"),
            InvNothingToFlag => lang.pick("Không có gì cần xử lý.", "Nothing to act on."),
            InvItems => lang.pick("Số món", "Items"),
            InvNewPack => lang.pick("Thêm giỏ quà mẫu", "New gift pack"),
            InvPickPackHint => lang.pick("Chọn một giỏ quà để sửa thành phần, giá hoặc ngừng bán.", "Pick a gift pack to change its contents or price, or take it off the counter."),
            InvPackPricing => lang.pick("Cách tính giá", "Pricing"),
            InvPackFixed => lang.pick("Giá cố định", "Fixed price"),
            InvPackLess => lang.pick("Tổng thành phần trừ chiết khấu", "Contents less a discount"),
            InvPackAmount => lang.pick("Giá / chiết khấu (đ)", "Price / discount (đ)"),
            InvPackContents => lang.pick("Thành phần (cả bao bì: hộp, giỏ, nơ)", "Contents (packaging too: box, basket, ribbon)"),
            InvPackSummary => lang.pick("Thành phần theo giá bán lẻ {contents} · Giá giỏ {price} · Chênh lệch {difference}", "Contents at shelf prices {contents} · Pack price {price} · Difference {difference}"),
            InvCsv => lang.pick("Tệp CSV", "CSV files"),
            InvCsvPathHint => lang.pick("Đường dẫn tệp CSV, ví dụ /home/cuahang/san-pham.csv", "Path of the CSV file, e.g. /home/shop/products.csv"),
            InvCsvPreview => lang.pick("Xem trước", "Preview"),
            InvCsvImport => lang.pick("Nhập tệp đã xem", "Import the previewed file"),
            InvCsvExport => lang.pick("Xuất CSV vào thư mục dữ liệu", "Export CSV to the data folder"),
            InvCsvHelp => lang.pick("Nhập: gõ đường dẫn tệp, bấm Xem trước để thấy sản phẩm sẽ tạo (+) và sửa (~), hoặc mọi dòng sai kèm lý do; chỉ khi tệp đúng hết mới nhập được. Xuất: ghi tệp UTF-8 có BOM (Excel đọc được) vào thư mục exports.", "Import: type the file's path, Preview shows what would be created (+) and changed (~), or every bad line with its reason; only a file with no bad line can be imported. Export: writes a UTF-8 file with BOM (Excel reads it) to the exports folder."),
            InvDelete => lang.pick("Xóa (nhập nhầm)", "Delete (entered by mistake)"),
            InvLotLeft => lang.pick("Còn lại (ước tính)", "Left (estimate)"),
            InvReprint => lang.pick("In lại", "Reprint"),
            InvRecentNotes => lang.pick("Phiếu nhập đã ghi sổ gần đây", "Receiving notes posted lately"),
            PinAgainHint => lang.pick("Nhập lại mã PIN", "The PIN again"),
            UnknownBin => lang.pick(
                "BIN không có trong danh sách: kiểm tra bằng mã VietQR",
                "BIN not in the list: check it with the VietQR",
            ),
            SettingsTab => lang.pick("Cài đặt", "Settings"),
            StaffTab => lang.pick("Nhân viên", "Staff"),
            SetupTitle => lang.pick("Thiết lập cửa hàng mới", "Set up the new store"),
            SetupIntro => lang.pick(
                "Các thông tin này in trên mọi hóa đơn và dùng cho VietQR. Sửa lại được ở màn Cài đặt.",
                "These details print on every receipt and are used for VietQR. The Settings screen changes them later.",
            ),
            SetupShop => lang.pick("Cửa hàng", "The shop"),
            SetupBank => lang.pick("Tài khoản nhận chuyển khoản (VietQR)", "Account for transfers (VietQR)"),
            SetupPrinter => lang.pick("Máy in hóa đơn", "Receipt printer"),
            SetupInvoiceHelp => lang.pick(
                "Hóa đơn điện tử từ máy tính tiền: điền khi cửa hàng đã đăng ký với cơ quan thuế (có thể điền sau ở màn Cài đặt; trước đó vẫn bán được nhưng phiếu chưa là hóa đơn).",
                "Cash-register e-invoices: fill in once the shop has registered with the tax authority (or later on the Settings screen; until then the counter sells, but receipts are not invoices).",
            ),
            SetupManager => lang.pick("Quản lý đầu tiên", "The first manager"),
            SetupFinish => lang.pick("Tạo cửa hàng", "Create the store"),
            SettingsTitle => lang.pick("Cài đặt cửa hàng", "Store settings"),
            SettingsSave => lang.pick("Lưu thay đổi", "Save changes"),
            SettingsRevert => lang.pick("Bỏ thay đổi", "Discard changes"),
            SettingsPolicies => lang.pick("Quy định tại quầy", "Counter policies"),
            SettingsBackups => lang.pick("Sao lưu", "Backups"),
            SettingsInvoice => lang.pick("Hóa đơn điện tử", "E-invoices"),
            SettingsSending => lang.pick(
                "Gửi hóa đơn đến cơ quan thuế (qua nhà cung cấp)",
                "Sending invoices to the tax authority (through a provider)",
            ),
            SendNow => lang.pick("Gửi ngay", "Send now"),
            VietQrPreview => lang.pick("Thử mã VietQR", "VietQR check"),
            VietQrPreviewHint => lang.pick(
                "Quét bằng app ngân hàng: phải hiện đúng ngân hàng và chủ tài khoản (có thể chuyển thử 2.000 ₫ cho chính mình).",
                "Scan it with a banking app: it must show the right bank and holder (a 2.000 ₫ test transfer to yourself proves it).",
            ),
            MakeRealTitle => lang.pick("Cửa hàng thật", "A real store"),
            MakeRealHelp => lang.pick(
                "Đây là cửa hàng mẫu. Bắt đầu cửa hàng thật trong thư mục này: dữ liệu mẫu được cất sang một tệp riêng (không xóa), cửa hàng mới trống và hỏi thông tin thiết lập.",
                "This is the demo store. Start a real store in this folder: the demo's data is kept aside in its own file (never deleted), and the new store starts empty with the setup form.",
            ),
            MakeRealButton => lang.pick("Chuyển sang cửa hàng thật…", "Make this a real store…"),
            MakeRealConfirm => lang.pick("Xác nhận: bắt đầu cửa hàng thật", "Confirm: start the real store"),
            StaffTitle => lang.pick("Nhân viên", "Staff"),
            StaffName => lang.pick("Họ tên", "Name"),
            StaffRole => lang.pick("Vai trò", "Role"),
            StaffStatus => lang.pick("Trạng thái", "Status"),
            StaffActive => lang.pick("Đang làm", "Active"),
            StaffDisabled => lang.pick("Đã khóa", "Disabled"),
            StaffAdd => lang.pick("Thêm nhân viên", "Add"),
            StaffDisable => lang.pick("Khóa", "Disable"),
            StaffEnable => lang.pick("Mở lại", "Re-enable"),
            StaffMakeManager => lang.pick("Cho làm quản lý", "Make manager"),
            StaffMakeCashier => lang.pick("Cho làm thu ngân", "Make cashier"),
            StaffResetPin => lang.pick("Đặt lại PIN", "Reset PIN"),
            StaffNewPin => lang.pick("Mã PIN mới", "New PIN"),
            StaffPinFor => lang.pick("Đặt mã PIN mới cho", "New PIN for"),
            RoleCashier => lang.pick("Thu ngân", "Cashier"),
            RoleManager => lang.pick("Quản lý", "Manager"),
            NobodySignedIn => lang.pick("(chưa ai đăng nhập)", "(nobody signed in)"),
        }
    }
}

/// A gated act as people call it (approval prompts, the audit log).
pub fn act_name(act: GatedAct, lang: Lang) -> &'static str {
    match act {
        GatedAct::VoidLine => lang.pick("Xóa dòng đã quét", "Void a scanned line"),
        GatedAct::CancelCart => lang.pick("Hủy cả giỏ hàng", "Cancel the whole cart"),
        GatedAct::DiscountAboveLimit => {
            lang.pick("Giảm giá vượt hạn mức", "Discount above the limit")
        }
        GatedAct::Refund => lang.pick("Trả hàng, hoàn tiền", "Refund"),
        GatedAct::Reprint => lang.pick("In lại hóa đơn", "Reprint a receipt"),
        GatedAct::DailyClose => lang.pick(
            "Doanh thu, két tiền, chốt ca",
            "Daily sales, drawer and close",
        ),
        GatedAct::Settings => {
            lang.pick("Cài đặt, sao lưu, khôi phục", "Settings, backups, restore")
        }
        GatedAct::Inventory => lang.pick(
            "Kho: sản phẩm, giá, nhập hàng, kiểm kê",
            "Inventory: products, prices, receiving, counts",
        ),
        GatedAct::RemoveTender => lang.pick(
            "Bỏ khoản tiền khách đã trả",
            "Take back a payment already recorded",
        ),
        GatedAct::AcknowledgeBreak => lang.pick(
            "Xác nhận dữ liệu bị sửa ngoài chương trình",
            "Acknowledge data changed outside the program",
        ),
        GatedAct::OpenDrawer => lang.pick("Mở két tiền (không bán)", "Open the drawer (no sale)"),
        GatedAct::CorrectInvoice => lang.pick(
            "Sửa hóa đơn: thay thế, thông báo sai sót",
            "Invoice correction: replacement, notice",
        ),
        GatedAct::CancelOrder => lang.pick(
            "Hủy đơn hàng, trả lại tiền cọc",
            "Cancel an order, pay back its deposit",
        ),
        GatedAct::CreditTerms => lang.pick(
            "Hạn mức công nợ và hạn thanh toán",
            "Credit limit and payment term",
        ),
        GatedAct::OverCreditLimit => lang.pick(
            "Bán ghi nợ vượt hạn mức công nợ",
            "Sell on account beyond the credit limit",
        ),
        GatedAct::EraseCustomer => lang.pick(
            "Xóa dữ liệu cá nhân của khách",
            "Erase a customer's personal data",
        ),
    }
}

pub fn method_name(method: PaymentMethod, lang: Lang) -> &'static str {
    match method {
        PaymentMethod::Cash => lang.pick("Tiền mặt (F2)", "Cash (F2)"),
        PaymentMethod::Transfer => lang.pick("Chuyển khoản (F3)", "Transfer (F3)"),
        PaymentMethod::Card => lang.pick("Thẻ (F4)", "Card (F4)"),
        PaymentMethod::Deposit => lang.pick("Trừ tiền đặt cọc", "From the deposit"),
        PaymentMethod::OnAccount => lang.pick("Ghi nợ (F5)", "On account (F5)"),
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
    /// A node's identity or an exchange of events refused: Vietnamese ` / ` English.
    Sync(String),
    SaleCompleted {
        receipt_no: String,
        change: Money,
    },
    DocumentPrinted(String),
    DocumentSaved(String),
    DocumentFailed(String),
    /// The document is saved (at `path`) but did not print: the band offers to try again.
    PrintFailed {
        path: String,
        failure: PrintFailure,
    },
    /// The test page went to the printer.
    TestPagePrinted(String),
    /// The drawer was opened without a sale.
    DrawerOpened,
    /// The drawer did not open, or the test page did not print.
    PrinterFailed(PrintFailure),
    ReceiptNotFound(String),
    /// A sale's receipt this counter does not know: sold at another counter and not synced yet,
    /// or no such receipt.
    SaleNotKnownHere(String),
    Parked,
    Resumed,
    CartCleared,
    NothingToPark,
    /// The cart left on the counter came back after a restart, with its tenders and basket.
    CartRestored,
    /// Clearing a cart the customer has paid into: the tenders (this much) go back first.
    TakeBackTendersFirst(Money),
    /// Enter on an empty cash field with this much still due.
    TypeCashReceived(Money),
    TenderTakenBack(Money),
    /// No sale was paid by a transfer of this amount.
    NoTransferOf(Money),
    /// Backups (store::backup): where they go, how one went, restores.
    BackupFolders {
        folder: String,
        keep: usize,
        second: Option<String>,
    },
    BackupTaken(String),
    /// Backed up in the data folder, but a second folder could not take its copy.
    BackupWarning {
        folder: String,
        error: String,
    },
    BackupFailed(String),
    BackupsNotListed(String),
    BackupUnreadable(String),
    ConfirmRestore(String),
    Restored {
        backup: String,
        set_aside: Option<String>,
    },
    RestoreFailed(String),
    /// Another copy of the program holds the data folder (its process id when known).
    DataInUse(Option<u32>),
    Cash(CashError),
    Refund(RefundError),
    Invoice(InvoiceError),
    InvoiceIssued(String),
    /// The sale has no cash-register invoice (sold before invoices, or unregistered).
    NoInvoiceForSale(String),
    /// A 04/SS-HĐĐT notice was recorded for the invoice: no new invoice.
    InvoiceNoticed(String),
    /// Where the shop stands with its cash-register invoice registration.
    InvoiceRegistration(RegistrationStatus),
    /// Sending invoices to the tax authority.
    Sending(SendNotice),
    /// A buyer the cashier typed for the next sale's invoice cannot be used.
    InvoiceBuyer(InvoiceBuyerError),
    /// The next sale's invoice names this buyer.
    BuyerSet(String),
    GiftPack(GiftPackError),
    Inventory(InventoryError),
    /// A catalogue CSV imported (or, `dry_run`, checked and not imported).
    CatalogueImported {
        created: usize,
        changed: usize,
        unchanged: usize,
        dry_run: bool,
    },
    CatalogueExported {
        rows: usize,
        file: String,
    },
    SignIn(SignInError),
    Refunded {
        refund_no: String,
        total: Money,
    },
    /// Products (or a basket's components) with less stock than the cart takes.
    StockShort(Vec<String>),
    BasketStarted,
    BasketDropped,
    NoSaleYet,
    NotADate(String),
    SessionOpened,
    CashMoved,
    SessionClosed {
        z_number: String,
        difference: Money,
    },
    ProductSaved(String),
    ProductDeactivated(String),
    ProductReactivated(String),
    StockAdjusted {
        sku: String,
        quantity: String,
    },
    /// A stock adjustment needs its reason.
    ReasonRequired,
    /// A delivery needs its producer.
    ProducerRequired,
    /// A receiving note or a count with no line.
    NothingToPost,
    StockReceived {
        number: String,
        lines: usize,
    },
    CountPosted {
        counted: usize,
        corrected: usize,
    },
    ProducerSaved(String),
    PackSaved(String),
    PackDeactivated(String),
    PackReactivated(String),
    /// Import asks for a preview of the file first.
    PreviewFirst,
    FileUnreadable {
        path: String,
        error: String,
    },
    ProductDeleted(String),
    /// A file that is not UTF-8 text (a spreadsheet saved in another encoding).
    NotUtf8(String),
    /// A new count was asked for over counts not posted: asked again, they are dropped.
    CountNotPosted,
    /// A line of a receiving note (by SKU) whose quantity or cost is not a number above 0.
    BadLineValue {
        sku: String,
        field: Label,
        text: String,
    },
    /// No sale while a break of the hash chains is not acknowledged.
    ChainBroken(Box<ChainBreak>),
    BreakAcknowledged,
    /// The PIN pad asks who first: nobody was chosen.
    PickYourName,
    /// The two PINs typed differ.
    PinsDiffer,
    /// Settings refused, each with its reason: nothing was saved.
    SettingsRefused(Vec<(Setting, SettingError)>),
    SettingsSaved(usize),
    NothingChanged,
    StoreSetUp(String),
    StaffSaved(String),
    /// Asks for the second press before the demo store is set aside.
    ConfirmMakeReal,
    /// The demo's database was kept under this name.
    DemoKeptAside(String),
    /// A backup is running: the demo store moves once it is done.
    WaitForBackup,
    /// Orders, customers and receivables (their own texts in `i18n::orders`).
    Orders(OrderNotice),
    /// The back office's notices (issue 16), in their own block at the end of this file.
    Office(OfficeNotice),
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
            Orders(notice) => notice.level(),
            Added { .. }
            | SaleCompleted { .. }
            | DocumentPrinted(_)
            | DocumentSaved(_)
            | TestPagePrinted(_)
            | DrawerOpened
            | Parked
            | Resumed
            | BackupFolders { .. }
            | BackupTaken(_)
            | Restored { .. }
            | CatalogueImported { .. }
            | CatalogueExported { .. }
            | SessionOpened
            | CashMoved
            | SessionClosed { .. }
            | ProductSaved(_)
            | ProductDeactivated(_)
            | ProductReactivated(_)
            | StockAdjusted { .. }
            | StockReceived { .. }
            | CountPosted { .. }
            | ProducerSaved(_)
            | PackSaved(_)
            | PackDeactivated(_)
            | PackReactivated(_)
            | ProductDeleted(_)
            | InvoiceIssued(_)
            | InvoiceNoticed(_)
            | BuyerSet(_)
            | InvoiceRegistration(RegistrationStatus::Registered)
            | Refunded { .. }
            | CartRestored
            | BreakAcknowledged
            | SettingsSaved(_)
            | StoreSetUp(_)
            | StaffSaved(_)
            | DemoKeptAside(_)
            | BasketStarted => Level::Success,
            NothingFound(_)
            | NoLineSelected
            | CartCleared
            | NothingToPark
            | TenderTakenBack(_)
            | PrintFailed { .. }
            | PrinterFailed(_)
            | BackupWarning { .. }
            | StockShort(_)
            | CountNotPosted
            | BasketDropped
            | NothingChanged
            | ConfirmMakeReal
            | WaitForBackup
            | InvoiceRegistration(_)
            | NoSaleYet => Level::Warning,
            Sending(notice) => notice.level(),
            Office(notice) => notice.level(),
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
        match error {
            StoreError::Cash(error) => Notice::Cash(*error),
            StoreError::Refund(error) => Notice::Refund(*error),
            StoreError::Invoice(error) => Notice::Invoice(error.clone()),
            StoreError::GiftPack(error) => Notice::GiftPack(error.clone()),
            StoreError::Inventory(error) => Notice::Inventory(error.clone()),
            StoreError::SignIn(error) => Notice::SignIn(error.clone()),
            StoreError::ChainBroken(broken) => Notice::ChainBroken(broken.clone()),
            StoreError::Settings(refusals) => Notice::SettingsRefused(refusals.clone()),
            StoreError::Order(error) => Notice::Orders(OrderNotice::Refused(error.clone())),
            StoreError::Sync(_) | StoreError::Node(_) => Notice::Sync(error.to_string()),
            other => Notice::Store(other.to_string()),
        }
    }

    pub fn text(&self, lang: Lang) -> String {
        use Notice::*;
        let vi = lang == Lang::Vi;
        match self {
            Orders(notice) => notice.text(lang),
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
            Sync(both) => {
                let (vietnamese, english) = both.split_once(" / ").unwrap_or((both, both));
                if vi { vietnamese } else { english }.to_string()
            }
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
            DocumentPrinted(path) => {
                if vi {
                    format!("Đã in: {path}")
                } else {
                    format!("Printed: {path}")
                }
            }
            DocumentSaved(path) => {
                if vi {
                    format!("Đã lưu: {path}")
                } else {
                    format!("Saved: {path}")
                }
            }
            PrintFailed { path, failure } => {
                let reason = print_failure_text(failure, lang);
                if vi {
                    format!("Đã lưu tại {path} nhưng chưa in được: {reason}. Sửa máy in rồi bấm «In lại».")
                } else {
                    format!("Saved at {path} but not printed: {reason}. Fix the printer, then press «Print again».")
                }
            }
            TestPagePrinted(printer) => {
                if vi {
                    format!("Đã gửi trang in thử tới {printer}.")
                } else {
                    format!("The test page went to {printer}.")
                }
            }
            DrawerOpened => lang.pick("Đã mở két tiền.", "The cash drawer is open.").to_string(),
            PrinterFailed(failure) => {
                let reason = print_failure_text(failure, lang);
                if vi {
                    format!("Máy in chưa làm được: {reason}.")
                } else {
                    format!("The printer did not do it: {reason}.")
                }
            }
            DocumentFailed(detail) => {
                if vi {
                    format!("Không ghi được tài liệu ({detail}). Dữ liệu đã lưu; in lại sau.")
                } else {
                    format!(
                        "The document could not be written ({detail}). The data is saved; print it again later."
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
            SaleNotKnownHere(no) => {
                if vi {
                    format!(
                        "Máy này không có hóa đơn số {no}. Nếu bán ở quầy khác, hãy đồng bộ \
                         (nhập sự kiện của quầy đó) rồi thử lại."
                    )
                } else {
                    format!(
                        "This counter does not know receipt {no}. If it was sold at another \
                         counter, sync first (import that counter's events), then try again."
                    )
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
            CartRestored => lang
                .pick(
                    "Giỏ hàng đang bán dở đã được mở lại (kể cả tiền khách đã trả).",
                    "The cart left on the counter is back (with any money already paid).",
                )
                .into(),
            TakeBackTendersFirst(paid) => {
                if vi {
                    format!("Khách đã trả {paid}: bỏ từng khoản trả (✕ trong màn hình thanh toán, F9) trước khi hủy giỏ.")
                } else {
                    format!("The customer has paid {paid}: take each payment back (✕ in the pay panel, F9) before clearing the cart.")
                }
            }
            TypeCashReceived(due) => {
                if vi {
                    format!("Còn thiếu {due}. Gõ số tiền khách đưa rồi Enter; khách đưa đúng số này thì nhấn F10.")
                } else {
                    format!("{due} still due. Type what the customer hands over and press Enter; if it is exactly this, press F10.")
                }
            }
            NoTransferOf(amount) => {
                if vi {
                    format!("Không có hóa đơn nào trả bằng chuyển khoản {amount}.")
                } else {
                    format!("No sale was paid by a transfer of {amount}.")
                }
            }
            TenderTakenBack(amount) => {
                if vi {
                    format!("Đã bỏ khoản trả {amount} (đã ghi nhật ký). Trả lại tiền cho khách.")
                } else {
                    format!("Payment of {amount} taken back (logged). Give the money back to the customer.")
                }
            }
            NothingToPark => lang
                .pick(
                    "Giỏ trống, không có gì để lưu.",
                    "The cart is empty: nothing to park.",
                )
                .into(),
            BackupFolders {
                folder,
                keep,
                second,
            } => match (vi, second) {
                (true, Some(second)) => format!(
                    "Bản sao lưu nằm trong {folder}, giữ {keep} bản gần nhất. Thư mục thứ hai: {second}."
                ),
                (true, None) => format!(
                    "Bản sao lưu nằm trong {folder}, giữ {keep} bản gần nhất. Chưa đặt thư mục thứ hai (USB, thư mục mạng)."
                ),
                (false, Some(second)) => format!(
                    "Backups go to {folder}; the last {keep} are kept. Second folder: {second}."
                ),
                (false, None) => format!(
                    "Backups go to {folder}; the last {keep} are kept. No second folder (USB stick, network share) is set."
                ),
            },
            BackupTaken(path) => {
                if vi {
                    format!("Đã sao lưu dữ liệu: {path}")
                } else {
                    format!("Backup taken: {path}")
                }
            }
            BackupWarning { folder, error } => {
                if vi {
                    format!(
                        "Đã sao lưu trên máy này, nhưng không chép được sang {folder} ({error}). Kiểm tra USB hoặc thư mục mạng."
                    )
                } else {
                    format!(
                        "Backed up on this PC, but no copy could be made in {folder} ({error}). Check the USB stick or network share."
                    )
                }
            }
            BackupFailed(error) => {
                if vi {
                    format!("Không sao lưu được ({error}). Các bản sao lưu cũ vẫn còn nguyên.")
                } else {
                    format!("The backup failed ({error}). The older backups are untouched.")
                }
            }
            BackupsNotListed(error) => {
                if vi {
                    format!("Không đọc được thư mục sao lưu ({error}).")
                } else {
                    format!("The backups folder cannot be read ({error}).")
                }
            }
            BackupUnreadable(error) => {
                if vi {
                    format!("Bản này bị hỏng, không dùng được ({error}).")
                } else {
                    format!("This backup is damaged and cannot be used ({error}).")
                }
            }
            ConfirmRestore(path) => {
                if vi {
                    format!(
                        "Khôi phục {path}? Dữ liệu hiện tại sẽ được cất vào thư mục backups (tệp replaced-…), không bị xóa."
                    )
                } else {
                    format!(
                        "Restore {path}? The current data is moved to the backups folder (a replaced-… file), not deleted."
                    )
                }
            }
            Restored { backup, set_aside } => match (vi, set_aside) {
                (true, Some(aside)) => {
                    format!("Đã khôi phục {backup}. Dữ liệu trước đó được cất tại {aside}.")
                }
                (true, None) => format!("Đã khôi phục {backup}."),
                (false, Some(aside)) => {
                    format!("Restored {backup}. The previous data is kept at {aside}.")
                }
                (false, None) => format!("Restored {backup}."),
            },
            RestoreFailed(error) => {
                if vi {
                    format!("Không khôi phục được ({error}). Dữ liệu hiện tại vẫn giữ nguyên.")
                } else {
                    format!("The restore failed ({error}). The current data is unchanged.")
                }
            }
            DataInUse(holder) => {
                let process = |word: &str| {
                    holder
                        .map(|pid| format!(" ({word} {pid})"))
                        .unwrap_or_default()
                };
                if vi {
                    format!(
                        "Dữ liệu cửa hàng này đang được một chương trình OCOP POS khác sử dụng{}. Hãy dùng cửa sổ đang mở đó, hoặc đóng nó rồi mở lại.",
                        process("tiến trình")
                    )
                } else {
                    format!(
                        "This store's data is in use by another copy of OCOP POS{}. Use the window that is open, or close it and start again.",
                        process("process")
                    )
                }
            }
            Cash(error) => cash_error_text(*error, lang),
            Refund(error) => refund_error_text(*error, lang),
            NotADate(input) => {
                if vi {
                    format!("“{input}” không phải ngày. Gõ dd/mm/yyyy, ví dụ 26/11/2026.")
                } else {
                    format!("“{input}” is not a date. Type dd/mm/yyyy, e.g. 26/11/2026.")
                }
            }
            Invoice(error) => invoice_error_text(error, lang),
            GiftPack(error) => gift_pack_error_text(error, lang),
            Inventory(error) => inventory_error_text(error, lang),
            CatalogueImported {
                created,
                changed,
                unchanged,
                dry_run: true,
            } => {
                if vi {
                    format!(
                        "Chạy thử, chưa nhập gì: sẽ tạo {created}, sửa {changed}, giữ nguyên {unchanged}."
                    )
                } else {
                    format!(
                        "Dry run, nothing imported: would create {created}, change {changed}, leave {unchanged} as they are."
                    )
                }
            }
            CatalogueImported {
                created,
                changed,
                unchanged,
                dry_run: false,
            } => {
                if vi {
                    format!("Đã nhập: tạo {created}, sửa {changed}, giữ nguyên {unchanged}.")
                } else {
                    format!(
                        "Imported: {created} created, {changed} changed, {unchanged} unchanged."
                    )
                }
            }
            CatalogueExported { rows, file } => {
                if vi {
                    format!("Đã xuất {rows} dòng vào {file}.")
                } else {
                    format!("Exported {rows} rows to {file}.")
                }
            }
            SignIn(error) => sign_in_error_text(error, lang),
            PickYourName => lang
                .pick(
                    "Chọn tên của bạn trước (chạm hoặc ↑ ↓), rồi nhập mã PIN.",
                    "Pick your name first (tap or ↑ ↓), then type your PIN.",
                )
                .into(),
            PinsDiffer => lang
                .pick(
                    "Hai lần nhập mã PIN không giống nhau. Nhập lại cả hai.",
                    "The two PINs differ. Type both again.",
                )
                .into(),
            SettingsRefused(refusals) => {
                let head = lang.pick("Chưa lưu gì:", "Nothing was saved:");
                let lines: Vec<String> = refusals
                    .iter()
                    .map(|(setting, error)| {
                        format!(
                            "{}: {}",
                            setting_name(*setting, lang),
                            setting_error_text(error, lang)
                        )
                    })
                    .collect();
                format!("{head} {}", lines.join(" · "))
            }
            SettingsSaved(count) => match lang {
                Lang::Vi => format!("Đã lưu {count} thay đổi."),
                Lang::En => format!("{count} changes saved."),
            },
            NothingChanged => lang.pick("Không có gì thay đổi.", "Nothing changed.").into(),
            StoreSetUp(name) => match lang {
                Lang::Vi => format!("Đã tạo cửa hàng. Xin chào {name}!"),
                Lang::En => format!("The store is set up. Welcome, {name}!"),
            },
            StaffSaved(name) => match lang {
                Lang::Vi => format!("Đã lưu: {name}."),
                Lang::En => format!("Saved: {name}."),
            },
            ConfirmMakeReal => lang
                .pick(
                    "Bấm Xác nhận để cất dữ liệu mẫu sang tệp riêng và bắt đầu cửa hàng thật trống; Esc để thôi.",
                    "Press Confirm to keep the demo's data aside and start an empty real store; Esc to stay.",
                )
                .into(),
            WaitForBackup => lang
                .pick(
                    "Đang sao lưu: đợi xong rồi thử lại.",
                    "A backup is running: try again when it is done.",
                )
                .into(),
            Office(notice) => notice.text(lang),
            DemoKeptAside(file) => match lang {
                Lang::Vi => format!("Dữ liệu mẫu được giữ ở {file}. Thiết lập cửa hàng thật."),
                Lang::En => format!("The demo's data is kept in {file}. Set up the real store."),
            },
            Refunded { refund_no, total } => match lang {
                Lang::Vi => format!("Đã trả hàng {refund_no}: hoàn {total}."),
                Lang::En => format!("Refund {refund_no} done: {total} paid back."),
            },
            InvoiceIssued(reference) => {
                if vi {
                    format!("Đã xuất hóa đơn {reference}.")
                } else {
                    format!("Invoice {reference} issued.")
                }
            }
            InvoiceNoticed(reference) => {
                if vi {
                    format!("Đã ghi thông báo sai sót 04/SS-HĐĐT cho hóa đơn {reference} (mã số thuế đúng): không lập hóa đơn mới.")
                } else {
                    format!("Recorded a 04/SS-HĐĐT notice for invoice {reference} (the tax code was right): no new invoice.")
                }
            }
            InvoiceRegistration(status) => registration_text(status, lang),
            Sending(notice) => notice.text(lang),
            NoInvoiceForSale(receipt_no) => {
                if vi {
                    format!("Đơn {receipt_no} không có hóa đơn điện tử (bán trước khi đăng ký hóa đơn, hoặc không có đơn này).")
                } else {
                    format!("Sale {receipt_no} has no e-invoice (sold before invoices were registered, or no such sale).")
                }
            }
            InvoiceBuyer(error) => buyer_error_text(*error, lang),
            BuyerSet(name) => {
                if vi {
                    format!("Hóa đơn của đơn này ghi người mua: {name}.")
                } else {
                    format!("This sale's invoice names the buyer: {name}.")
                }
            }
            StockShort(names) => {
                if vi {
                    format!(
                        "Kho không đủ cho: {}. Kiểm tra hàng trước khi giao.",
                        names.join(", ")
                    )
                } else {
                    format!(
                        "Not enough stock of: {}. Check the goods before handing over.",
                        names.join(", ")
                    )
                }
            }
            BasketStarted => lang
                .pick(
                    "Bắt đầu giỏ quà: các món quét tiếp theo sẽ vào giỏ.",
                    "Basket started: the next items scanned go into it.",
                )
                .into(),
            BasketDropped => lang
                .pick(
                    "Đã bỏ giỏ quà đang tạo.",
                    "The basket being built was dropped.",
                )
                .into(),
            NoSaleYet => lang
                .pick("Chưa có đơn vừa bán.", "There is no sale yet.")
                .into(),
            SessionOpened => lang.pick("Đã mở ca.", "Session opened.").into(),
            CashMoved => lang
                .pick("Đã ghi nhận tiền vào/ra két.", "Cash move recorded.")
                .into(),
            SessionClosed {
                z_number,
                difference,
            } => match (lang, difference.dong().signum()) {
                (Lang::Vi, 0) => format!("Đã chốt ca {z_number}: khớp tiền."),
                (Lang::Vi, 1) => format!("Đã chốt ca {z_number}: thừa {difference}."),
                (Lang::Vi, _) => format!("Đã chốt ca {z_number}: thiếu {}.", -*difference),
                (Lang::En, 0) => format!("Session closed, {z_number}: cash matches."),
                (Lang::En, 1) => format!("Session closed, {z_number}: {difference} over."),
                (Lang::En, _) => format!("Session closed, {z_number}: {} short.", -*difference),
            },
            ProductSaved(sku) => in_language(
                vi,
                format!("Đã lưu sản phẩm {sku}."),
                format!("Product {sku} saved."),
            ),
            ProductDeactivated(sku) => in_language(
                vi,
                format!("Đã ngừng bán {sku}; lịch sử của nó vẫn giữ nguyên."),
                format!("{sku} is off the counter; its history stays."),
            ),
            ProductReactivated(sku) => in_language(
                vi,
                format!("{sku} được bán lại."),
                format!("{sku} is back on the counter."),
            ),
            StockAdjusted { sku, quantity } => in_language(
                vi,
                format!("Đã điều chỉnh tồn kho {sku}: {quantity}."),
                format!("Stock of {sku} adjusted by {quantity}."),
            ),
            ReasonRequired => in_language(
                vi,
                "Chọn lý do điều chỉnh.".into(),
                "Pick the reason for the adjustment.".into(),
            ),
            ProducerRequired => in_language(
                vi,
                "Chọn nhà sản xuất giao hàng.".into(),
                "Pick the producer who delivered.".into(),
            ),
            NothingToPost => in_language(
                vi,
                "Chưa có dòng nào để ghi sổ.".into(),
                "There is no line to post.".into(),
            ),
            StockReceived { number, lines } => in_language(
                vi,
                format!("Đã ghi sổ phiếu nhập {number}: {lines} dòng hàng."),
                format!("Receiving note {number} posted: {lines} lines."),
            ),
            CountPosted { counted, corrected } => in_language(
                vi,
                format!(
                    "Đã ghi sổ kiểm kê {counted} sản phẩm; {corrected} sản phẩm được điều chỉnh."
                ),
                format!("Count of {counted} products posted; {corrected} corrected."),
            ),
            ProducerSaved(name) => in_language(
                vi,
                format!("Đã lưu nhà sản xuất {name}."),
                format!("Producer {name} saved."),
            ),
            PackSaved(sku) => in_language(
                vi,
                format!("Đã lưu giỏ quà mẫu {sku}."),
                format!("Gift pack {sku} saved."),
            ),
            PackDeactivated(sku) => in_language(
                vi,
                format!("Giỏ quà {sku} đã ngừng bán."),
                format!("Gift pack {sku} is off the counter."),
            ),
            PackReactivated(sku) => in_language(
                vi,
                format!("Giỏ quà {sku} được bán lại."),
                format!("Gift pack {sku} is back on the counter."),
            ),
            PreviewFirst => in_language(
                vi,
                "Bấm Xem trước để kiểm tra tệp trước khi nhập.".into(),
                "Preview the file before importing it.".into(),
            ),
            FileUnreadable { path, error } => in_language(
                vi,
                format!("Không đọc được tệp {path}: {error}"),
                format!("Cannot read the file {path}: {error}"),
            ),
            BadLineValue { sku, field, text } => in_language(
                vi,
                format!(
                    "{sku} — {}: “{text}” không hợp lệ; gõ một số lớn hơn 0 (giá nhập có thể là 0).",
                    field.text(Lang::Vi)
                ),
                format!(
                    "{sku} — {}: “{text}” is not valid; type a number above 0 (a unit cost may be 0).",
                    field.text(Lang::En)
                ),
            ),
            CountNotPosted => in_language(
                vi,
                "Số đã đếm chưa ghi sổ. Bấm “Bắt đầu kiểm kê mới” lần nữa để bỏ chúng, hoặc “Ghi sổ kiểm kê”.".into(),
                "The counts are not posted. Press “Start a new count” again to drop them, or “Post the count”.".into(),
            ),
            ChainBroken(broken) => in_language(
                vi,
                format!(
                    "Không bán được: {}. Quản lý cần xem và xác nhận trước khi bán tiếp.",
                    chain_break_text(broken, lang)
                ),
                format!(
                    "Cannot sell: {}. A manager must look and acknowledge it before selling on.",
                    chain_break_text(broken, lang)
                ),
            ),
            BreakAcknowledged => in_language(
                vi,
                "Đã xác nhận, ghi vào nhật ký. Bán hàng tiếp tục.".into(),
                "Acknowledged and written to the audit log. Selling goes on.".into(),
            ),
            NotUtf8(path) => in_language(
                vi,
                format!("Tệp {path} không phải văn bản UTF-8. Trong Excel, lưu lại dạng “CSV UTF-8”."),
                format!("The file {path} is not UTF-8 text. In Excel, save it again as “CSV UTF-8”."),
            ),
            ProductDeleted(sku) => in_language(
                vi,
                format!("Đã xóa sản phẩm {sku} (chưa từng bán, chưa có tồn kho)."),
                format!("Product {sku} deleted (never sold, no stock history)."),
            ),
        }
    }
}

fn cash_error_text(error: CashError, lang: Lang) -> String {
    match error {
        CashError::NotANote(note) => match lang {
            Lang::Vi => format!("Không có tờ tiền mệnh giá {note} ₫."),
            Lang::En => format!("There is no {note} ₫ note."),
        },
        CashError::NoteRequired { difference } => match lang {
            Lang::Vi => format!("Tiền đếm lệch {difference} so với sổ: ghi chú lý do trước khi chốt ca."),
            Lang::En => format!("The count differs by {difference}: write a note before closing."),
        },
        CashError::NoOpenSession => lang
            .pick(
                "Chưa mở ca thu ngân. Vào Doanh thu → Mở ca (đếm tiền đầu ca) rồi bán tiếp; giỏ hàng vẫn còn.",
                "No cash session is open. Open one under Daily sales (count the float), then sell; the cart is kept.",
            )
            .into(),
        CashError::AlreadyOpen => lang.pick("Đã có một ca đang mở.", "A session is already open.").into(),
        CashError::AlreadyClosed => lang
            .pick("Ca này đã chốt; không sửa được.", "This session is closed and cannot change.")
            .into(),
        CashError::NotPositive => lang.pick("Số tiền phải lớn hơn 0.", "The amount must be more than 0.").into(),
        CashError::ReasonRequired => lang.pick("Ghi lý do tiền vào/ra.", "Give a reason for the cash move.").into(),
    }
}

fn sign_in_error_text(error: &SignInError, lang: Lang) -> String {
    match error {
        SignInError::NoSuchStaff => lang
            .pick("Không có nhân viên này.", "No such staff member.")
            .into(),
        SignInError::WrongPin { tries_left } => match lang {
            Lang::Vi => {
                format!("Sai mã PIN. Còn {tries_left} lần thử trước khi tài khoản phải chờ.")
            }
            Lang::En => {
                format!("Wrong PIN. {tries_left} tries left before the account has to wait.")
            }
        },
        SignInError::LockedUntil(until) => {
            let at = until
                .with_timezone(&crate::core::clock::SHOP_TIME_ZONE)
                .format("%H:%M");
            match lang {
                Lang::Vi => format!("Sai mã PIN 5 lần liền: tài khoản tạm khóa đến {at}."),
                Lang::En => format!("Five wrong PINs in a row: the account waits until {at}."),
            }
        }
        SignInError::NotAManager => lang
            .pick("Chỉ quản lý mới duyệt được.", "Only a manager can approve.")
            .into(),
        SignInError::BadPin => lang
            .pick(
                "Cần tên và mã PIN 4–8 chữ số.",
                "A name and a 4–8 digit PIN are needed.",
            )
            .into(),
        SignInError::NameTaken => lang
            .pick(
                "Đã có nhân viên tên này.",
                "There is already someone by that name.",
            )
            .into(),
        SignInError::WeakPin => lang
            .pick(
                "Mã PIN quá dễ đoán (lặp một số, 1234, 1212…). Chọn mã khác.",
                "That PIN is too easy to guess (one digit repeated, 1234, 1212…). Choose another.",
            )
            .into(),
        SignInError::PinTaken => lang
            .pick(
                "Mã PIN này đã có người dùng. Mỗi người một mã riêng.",
                "Someone already has that PIN. Each person needs their own.",
            )
            .into(),
        SignInError::LastManager => lang
            .pick(
                "Phải còn ít nhất một quản lý đang làm.",
                "At least one active manager must remain.",
            )
            .into(),
        SignInError::NotSetUp => lang
            .pick(
                "Cửa hàng đã có nhân viên: không thiết lập lại được.",
                "The store already has staff: it cannot be set up again.",
            )
            .into(),
    }
}

/// A setting as the Settings screen names it.
pub fn setting_name(setting: Setting, lang: Lang) -> &'static str {
    match setting {
        Setting::ShopName => lang.pick("Tên cửa hàng", "Shop name"),
        Setting::Address => lang.pick("Số nhà, đường", "House number, street"),
        Setting::Commune => lang.pick("Xã / phường / đặc khu", "Commune / ward"),
        Setting::Province => lang.pick("Tỉnh / thành phố", "Province / city"),
        Setting::TaxCode => lang.pick("Mã số thuế", "Tax code"),
        Setting::Phone => lang.pick("Điện thoại", "Phone"),
        Setting::BankBin => lang.pick("Mã BIN ngân hàng (6 số)", "Bank BIN (6 digits)"),
        Setting::BankAccount => lang.pick("Số tài khoản", "Account number"),
        Setting::BankAccountName => lang.pick("Chủ tài khoản", "Account holder"),
        Setting::ReceiptFooter => lang.pick("Lời chào cuối hóa đơn", "Receipt footer"),
        Setting::PrintCommand => lang.pick(
            "Lệnh in (trống: mở bằng trình xem PDF)",
            "Print command (empty: the PDF viewer)",
        ),
        Setting::Printer => lang.pick(
            "Máy in hóa đơn (pdf, tcp://IP:9100, file:/dev/usb/lp0, spooler:TÊN)",
            "Receipt printer (pdf, tcp://IP:9100, file:/dev/usb/lp0, spooler:NAME)",
        ),
        Setting::PrinterDots => lang.pick("Khổ giấy máy in nhiệt", "Thermal paper width"),
        Setting::LabelPrinter => lang.pick(
            "Máy in tem giá (pdf: tờ A4)",
            "Label printer (pdf: an A4 sheet)",
        ),
        Setting::LabelSize => {
            lang.pick("Cỡ tem (mm, rộng x cao)", "Label size (mm, width x height)")
        }
        Setting::DiscountLimitPct => lang.pick(
            "Thu ngân tự giảm giá tối đa (%)",
            "Largest discount a cashier gives alone (%)",
        ),
        Setting::IdleLockMinutes => lang.pick(
            "Khóa màn hình sau (phút không dùng; 0: không khóa)",
            "Lock the screen after (idle minutes; 0: never)",
        ),
        Setting::NegativeStock => lang.pick("Bán quá tồn kho", "Selling beyond stock"),
        Setting::SessionPolicy => lang.pick("Bán khi chưa mở ca", "Selling with no session open"),
        Setting::BackupKeep => lang.pick("Số bản sao lưu giữ lại", "Backups kept"),
        Setting::BackupSecondDir => lang.pick(
            "Thư mục sao lưu thứ hai (USB, ổ mạng; trống: không)",
            "Second backup folder (USB, share; empty: none)",
        ),
        Setting::VoidLimit => lang.pick(
            "Thu ngân tự bớt hàng đã quét tối đa (đ; 0: luôn cần quản lý)",
            "Largest void a cashier makes alone (đ; 0: always a manager)",
        ),
        Setting::Invoice(field) => invoice_field_name(field, lang),
        Setting::Send(field) => send_field_name(field, lang),
    }
}

/// A field of the cash-register invoice registration as the Settings screen names it.
fn invoice_field_name(field: &str, lang: Lang) -> &'static str {
    match field {
        "seller_name" => lang.pick("Tên người bán (theo đăng ký thuế)", "Seller's legal name"),
        "seller_address" => lang.pick("Địa chỉ người bán", "Seller's address"),
        "seller_tax_code" => lang.pick("Mã số thuế người bán", "Seller's tax code"),
        "vat_method" => lang.pick(
            "Phương pháp thuế (credit: khấu trừ, mẫu 1; direct: trực tiếp, mẫu 2)",
            "VAT method (credit: template 1; direct: template 2)",
        ),
        "store_code" => lang.pick("Mã cửa hàng", "Store code"),
        "store_name" => lang.pick("Tên cửa hàng trên hóa đơn", "Store name on invoices"),
        "registration" => lang.pick(
            "Đăng ký (C: có mã CQT; K: không mã)",
            "Registration (C: with the authority's code; K: without)",
        ),
        "series_letters" => lang.pick(
            "Hai chữ cuối ký hiệu (mỗi quầy một cặp)",
            "The series' two letters (one pair per counter)",
        ),
        "authority_code" => lang.pick(
            "Mã 5 ký tự cơ quan thuế cấp",
            "The 5 characters the tax authority gave",
        ),
        "xml_version" => lang.pick("Phiên bản định dạng XML", "XML format version"),
        "lookup_url" => lang.pick("Địa chỉ tra cứu hóa đơn", "Invoice lookup address"),
        _ => lang.pick("(không rõ)", "(unknown)"),
    }
}

/// What a setting's empty field shows: an example, or the rule.
pub fn setting_example(setting: Setting, lang: Lang) -> &'static str {
    match setting {
        Setting::ShopName => lang.pick(
            "ví dụ: Điểm bán sản phẩm OCOP Phú Quốc",
            "e.g. Điểm bán sản phẩm OCOP Phú Quốc",
        ),
        Setting::Address => lang.pick("ví dụ: 12 Trần Hưng Đạo", "e.g. 12 Trần Hưng Đạo"),
        Setting::Commune => lang.pick(
            "ví dụ: phường Rạch Giá (không ghi huyện)",
            "e.g. phường Rạch Giá (no district)",
        ),
        Setting::Province => lang.pick("ví dụ: tỉnh An Giang", "e.g. tỉnh An Giang"),
        Setting::TaxCode => lang.pick(
            "10 chữ số, chi nhánh thêm -3 số",
            "10 digits, a branch adds -3 digits",
        ),
        Setting::Phone => lang.pick("ví dụ: 0297 3862 555", "e.g. 0297 3862 555"),
        Setting::BankBin => lang.pick("ví dụ: 970436 (Vietcombank)", "e.g. 970436 (Vietcombank)"),
        Setting::BankAccount => lang.pick("chữ số, không dấu cách", "digits, no spaces"),
        Setting::BankAccountName => {
            lang.pick("như app ngân hàng hiện tên", "as the banking app shows it")
        }
        Setting::ReceiptFooter => lang.pick("ví dụ: Cảm ơn quý khách!", "e.g. Cảm ơn quý khách!"),
        Setting::PrintCommand => lang.pick("ví dụ: lp -d XP80", "e.g. lp -d XP80"),
        Setting::Printer | Setting::LabelPrinter => lang.pick(
            "ví dụ: tcp://192.168.1.50:9100",
            "e.g. tcp://192.168.1.50:9100",
        ),
        Setting::LabelSize => lang.pick("ví dụ: 50x30", "e.g. 50x30"),
        Setting::DiscountLimitPct => lang.pick("0 đến 100, ví dụ 10", "0 to 100, e.g. 10"),
        Setting::IdleLockMinutes => lang.pick("0 đến 240, ví dụ 5", "0 to 240, e.g. 5"),
        Setting::BackupKeep => lang.pick("1 đến 3650, ví dụ 30", "1 to 3650, e.g. 30"),
        Setting::BackupSecondDir => {
            lang.pick("ví dụ: /media/usb/ocop-pos", "e.g. /media/usb/ocop-pos")
        }
        Setting::VoidLimit => lang.pick("ví dụ 0 hoặc 50000", "e.g. 0 or 50000"),
        Setting::Invoice("series_letters") => lang.pick("ví dụ: AA", "e.g. AA"),
        Setting::Invoice("authority_code") => lang.pick("ví dụ: AB12C", "e.g. AB12C"),
        Setting::Invoice("registration") => "C / K",
        Setting::Invoice("vat_method") => "credit / direct",
        Setting::Send("url") => "https://…",
        Setting::Send("timeout_seconds") => lang.pick("1 đến 300, ví dụ 60", "1 to 300, e.g. 60"),
        Setting::Send("sender_code") => lang.pick(
            "trống: mã số thuế người bán",
            "empty: the seller's tax code",
        ),
        Setting::Send("export_dir") => lang.pick(
            "trống: thư mục einvoice-export trong thư mục dữ liệu",
            "empty: einvoice-export in the data folder",
        ),
        Setting::NegativeStock
        | Setting::SessionPolicy
        | Setting::PrinterDots
        | Setting::Invoice(_)
        | Setting::Send(_) => "",
    }
}

/// A choice of a setting picked from a list, as people call it.
pub fn setting_choice_name(code: &str, lang: Lang) -> &'static str {
    match code {
        "warn" => lang.pick(
            "Cho bán, báo cho thu ngân",
            "Allowed, the cashier is warned",
        ),
        "block" => lang.pick("Không cho bán", "Refused"),
        "require" => lang.pick("Không cho: mở ca trước", "Refused: open a session first"),
        "auto" => lang.pick(
            "Tự mở ca không tiền đầu ca",
            "A session opens itself, no float",
        ),
        "none" => lang.pick("Chưa chọn: hóa đơn chờ gửi", "None yet: invoices wait"),
        "file" => lang.pick(
            "Tệp XML để tải lên cổng của nhà cung cấp",
            "XML files to upload on the provider's portal",
        ),
        "vnpt" => lang.pick(
            "VNPT: gửi qua dịch vụ máy tính tiền",
            "VNPT: sent through its cash-register service",
        ),
        "576" => lang.pick("80 mm (576 điểm)", "80 mm (576 dots)"),
        "384" => lang.pick("58 mm (384 điểm)", "58 mm (384 dots)"),
        _ => lang.pick("(không rõ)", "(unknown)"),
    }
}

/// Why a printer did not print, in a few words a cashier can act on.
pub fn print_failure_text(failure: &PrintFailure, lang: Lang) -> String {
    let in_language = |vi: String, en: String| if lang == Lang::Vi { vi } else { en };
    match failure {
        PrintFailure::BadSetting(value) => in_language(
            format!("cài đặt máy in «{value}» không dùng được (xem Cài đặt › Máy in hóa đơn)"),
            format!("the printer setting «{value}» is not usable (see Settings › Receipt printer)"),
        ),
        PrintFailure::NoDrawer => in_language(
            "không có két tiền: két nối với máy in nhiệt, mà hóa đơn đang in ra PDF (Cài đặt › Máy in hóa đơn)".into(),
            "no cash drawer: it is wired to a thermal printer, and receipts go to PDF (Settings › Receipt printer)".into(),
        ),
        PrintFailure::Unreachable { printer, detail } => in_language(
            format!(
                "máy in {printer} không trả lời - máy tắt, rút cáp hoặc sai địa chỉ ({detail})"
            ),
            format!(
                "printer {printer} does not answer - off, unplugged or a wrong address ({detail})"
            ),
        ),
        PrintFailure::TimedOut { printer } => in_language(
            format!("máy in {printer} không trả lời trong 3 giây - máy tắt hoặc mất mạng"),
            format!("printer {printer} did not answer within 3 seconds - off or off the network"),
        ),
        PrintFailure::PaperOut { printer } => in_language(
            format!("máy in {printer} hết giấy - thay cuộn giấy mới"),
            format!("printer {printer} is out of paper - load a new roll"),
        ),
        PrintFailure::Spooler { printer, detail } => in_language(
            format!("hàng đợi in {printer} từ chối ({detail})"),
            format!("the print queue {printer} refused the job ({detail})"),
        ),
        PrintFailure::Command(detail) => in_language(
            format!("không chạy được lệnh in ({detail}) - kiểm tra lệnh in trong cài đặt"),
            format!("the print command did not start ({detail}) - check it in the settings"),
        ),
    }
}

pub fn setting_error_text(error: &SettingError, lang: Lang) -> String {
    let in_language = |vi: String, en: String| if lang == Lang::Vi { vi } else { en };
    match error {
        SettingError::UnknownKey(key) => in_language(
            format!(
                "không có cài đặt “{key}” (có: {})",
                ShopSettings::KEYS.join(", ")
            ),
            format!(
                "no setting called “{key}” (known: {})",
                ShopSettings::KEYS.join(", ")
            ),
        ),
        SettingError::BadBankBin => lang
            .pick(
                "mã BIN ngân hàng phải có 6 chữ số",
                "the bank BIN must be 6 digits",
            )
            .into(),
        SettingError::BadTaxCode => lang
            .pick(
                "mã số thuế có 10 chữ số, hoặc 10 chữ số + “-” + 3 chữ số",
                "a tax code is 10 digits, or 10 + “-” + 3",
            )
            .into(),
        SettingError::TaxCodeCheckDigit => lang
            .pick(
                "chữ số cuối không khớp mã số thuế (có thể gõ nhầm một số)",
                "the last digit does not check (a digit may be mistyped)",
            )
            .into(),
        SettingError::Required => lang.pick("không được để trống", "is required").into(),
        SettingError::TooLong(max) => in_language(
            format!("dài quá {max} ký tự"),
            format!("longer than {max} characters"),
        ),
        SettingError::BadPhone => lang
            .pick(
                "số điện thoại có 10–11 chữ số, bắt đầu bằng 0 (hoặc +84)",
                "a phone number has 10–11 digits starting with 0 (or +84)",
            )
            .into(),
        SettingError::BadBankAccount => lang
            .pick(
                "số tài khoản chỉ gồm chữ số và chữ cái, tối đa 19 ký tự, không có dấu cách",
                "an account number is digits and letters, up to 19, no spaces",
            )
            .into(),
        SettingError::IncompleteBankAccount => lang
            .pick(
                "cần đủ cả mã BIN, số tài khoản và chủ tài khoản (hoặc để trống cả ba)",
                "the BIN, account number and holder go together (or all three empty)",
            )
            .into(),
        SettingError::OutOfRange { min, max } => in_language(
            format!("cần một số từ {min} đến {max}"),
            format!("needs a number from {min} to {max}"),
        ),
        SettingError::NotAChoice(choices) => in_language(
            format!("là một trong: {}", choices.join(", ")),
            format!("is one of: {}", choices.join(", ")),
        ),
        SettingError::NotAbsolutePath => lang
            .pick(
                "cần đường dẫn đầy đủ, ví dụ /media/usb/ocop-pos",
                "needs a full path, e.g. /media/usb/ocop-pos",
            )
            .into(),
        SettingError::Send(error) => send_setting_error_text(error, lang),
        SettingError::BadPrinter => lang
            .pick(
                "là pdf, tcp://ĐỊA-CHỈ:CỔNG, file:/dev/usb/lp0 hoặc spooler:TÊN-MÁY-IN",
                "is pdf, tcp://ADDRESS:PORT, file:/dev/usb/lp0 or spooler:PRINTER-NAME",
            )
            .into(),
        SettingError::BadLabelSize => lang
            .pick(
                "là rộng x cao tính bằng mm, mỗi số từ 30 đến 100, ví dụ 50x30",
                "is width x height in mm, each 30 to 100, e.g. 50x30",
            )
            .into(),
        // The registration's own words carry both languages: the part of this one.
        SettingError::Invoice(error) => {
            let both = error.to_string();
            let mut halves = both.splitn(2, " / ");
            let vi = halves.next().unwrap_or_default().to_string();
            let en = halves.next().map_or_else(|| vi.clone(), str::to_string);
            in_language(vi, en)
        }
    }
}

/// Both languages, for the command line (it has no language switch).
impl std::fmt::Display for SettingError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} / {}",
            setting_error_text(self, Lang::Vi),
            setting_error_text(self, Lang::En)
        )
    }
}

/// Why a product, producer, stock change or CSV file was refused. A CSV refusal lists every bad
/// line, one per line of text.
fn inventory_error_text(error: &InventoryError, lang: Lang) -> String {
    use InventoryError::*;
    let text = |vi: String, en: String| if lang == Lang::Vi { vi } else { en };
    let fixed = |vi: &'static str, en: &'static str| lang.pick(vi, en).to_string();
    match error {
        SkuRequired => fixed("Sản phẩm cần mã (SKU).", "A product needs a SKU."),
        NameRequired => fixed("Cần có tên.", "A name is needed."),
        UnitRequired => fixed("Cần có đơn vị tính.", "A unit is needed."),
        PriceNotPositive => fixed("Giá phải lớn hơn 0.", "The price must be more than 0."),
        BadVatRate(rate) => text(
            format!("Thuế suất “{rate}” không hợp lệ: KCT, 0, 5, 8 hoặc 10."),
            format!("VAT rate “{rate}” is not allowed: KCT, 0, 5, 8 or 10."),
        ),
        BadBarcode(code) => text(
            format!("Mã vạch {code} sai (8–14 chữ số; EAN-13 phải đúng số kiểm tra)."),
            format!("Barcode {code} is wrong (8–14 digits; an EAN-13 needs its check digit)."),
        ),
        StarsOutOfRange => fixed("Hạng sao OCOP là 3, 4 hoặc 5.", "OCOP stars are 3, 4 or 5."),
        NegativeThreshold => fixed(
            "Ngưỡng tồn kho thấp không được âm.",
            "The low-stock threshold cannot be negative.",
        ),
        SkuTaken(sku) => text(
            format!("Đã có sản phẩm mã {sku}."),
            format!("There is already a product {sku}."),
        ),
        BarcodeTaken(code) => text(
            format!("Mã vạch {code} đã thuộc sản phẩm khác."),
            format!("Barcode {code} belongs to another product."),
        ),
        PluTaken(plu) => text(
            format!("Mã cân (PLU) {plu} đã thuộc sản phẩm khác."),
            format!("Scale PLU {plu} belongs to another product."),
        ),
        NoSuchProduct(sku) => text(
            format!("Không có sản phẩm mã {sku}."),
            format!("There is no product {sku}."),
        ),
        NoSuchProducer(name) => text(
            format!("Không có nhà sản xuất “{name}”. Nhập nhà sản xuất trước."),
            format!("There is no producer “{name}”. Import the producers first."),
        ),
        ProducerNameTaken(name) => text(
            format!("Đã có nhà sản xuất “{name}”."),
            format!("There is already a producer “{name}”."),
        ),
        BadProducerKind(kind) => text(
            format!(
                "Loại “{kind}” không hợp lệ: cooperative, household, facility, company hoặc store."
            ),
            format!(
                "Kind “{kind}” is not one of cooperative, household, facility, company, store."
            ),
        ),
        BadTaxCode(code) => text(
            format!("Mã số thuế {code} sai: 10 chữ số, hoặc 10 chữ số-3 chữ số."),
            format!("Tax code {code} is wrong: 10 digits, or 10 digits-3 digits."),
        ),
        CommissionOutOfRange => fixed(
            "Hoa hồng ký gửi từ 0 đến 100 %.",
            "The consignment commission is from 0 to 100 %.",
        ),
        EverSold => fixed(
            "Sản phẩm đã từng bán nên không xóa được; hãy ngừng kinh doanh nó.",
            "A product that was ever sold cannot be deleted; deactivate it instead.",
        ),
        HasStockHistory => fixed(
            "Sản phẩm đã có nhập xuất kho nên không xóa được; hãy ngừng kinh doanh nó.",
            "A product with stock history cannot be deleted; deactivate it instead.",
        ),
        InGiftPack(pack) => text(
            format!(
                "Sản phẩm nằm trong giỏ quà “{pack}” nên không xóa được; hãy bỏ nó khỏi giỏ quà trước."
            ),
            format!(
                "The product is in the gift pack “{pack}” and cannot be deleted; take it out of the pack first."
            ),
        ),
        QuantityNotPositive => fixed(
            "Số lượng phải lớn hơn 0 (số đếm không được âm).",
            "Quantities must be more than 0 (a count cannot be negative).",
        ),
        OutOfStock(sku) => text(
            format!("Không đủ hàng {sku} trong kho: cửa hàng không cho bán khi tồn kho âm."),
            format!("Not enough {sku} in stock: the shop does not sell below zero stock."),
        ),
        QuantityZero => fixed(
            "Điều chỉnh cần số lượng khác 0.",
            "An adjustment needs a quantity other than 0.",
        ),
        NothingReceived => fixed(
            "Phiếu nhập kho cần ít nhất một dòng hàng.",
            "A receiving note needs at least one line.",
        ),
        CertificateIncomplete => fixed(
            "Giấy chứng nhận OCOP cần số và cơ quan cấp.",
            "An OCOP certificate needs its number and issuer.",
        ),
        BadCell { column, text: cell } => text(
            format!("Cột {column}: “{cell}” không đọc được."),
            format!("Column {column}: “{cell}” cannot be read."),
        ),
        MissingColumn(column) => text(
            format!("Thiếu cột {column}."),
            format!("The column {column} is missing."),
        ),
        DuplicateInFile { key, first_row } => text(
            format!("{key} đã có ở dòng {first_row}."),
            format!("{key} is already on row {first_row}."),
        ),
        NegativeStock => fixed(
            "Tồn kho đầu kỳ không được âm.",
            "The opening stock cannot be below zero.",
        ),
        ImportCancelled => fixed(
            "Đã dừng nhập tệp: chưa nhập gì.",
            "The import was stopped: nothing was imported.",
        ),
        ExportCancelled => fixed(
            "Đã dừng xuất tệp: không có tệp nào được ghi.",
            "The export was stopped: no file was written.",
        ),
        Unreadable(detail) => text(
            format!("Không đọc được tệp CSV: {detail}"),
            format!("The CSV file cannot be read: {detail}"),
        ),
        BadRows(rows) => {
            let head = text(
                format!("{} dòng sai, chưa nhập gì:", rows.len()),
                format!("{} bad lines, nothing imported:", rows.len()),
            );
            let lines = rows.iter().map(|row| {
                let line = text(format!("Dòng {}", row.line), format!("Line {}", row.line));
                format!("{line}: {}", inventory_error_text(&row.reason, lang))
            });
            std::iter::once(head)
                .chain(lines)
                .collect::<Vec<_>>()
                .join("\n")
        }
    }
}

fn gift_pack_error_text(error: &GiftPackError, lang: Lang) -> String {
    let vi = lang == Lang::Vi;
    match error {
        GiftPackError::NameRequired => lang
            .pick(
                "Giỏ quà cần mã và tên.",
                "A gift pack needs a SKU and a name.",
            )
            .into(),
        GiftPackError::NoItems => lang
            .pick(
                "Giỏ quà cần ít nhất một món.",
                "A gift pack needs at least one item.",
            )
            .into(),
        GiftPackError::PriceNotPositive => lang
            .pick(
                "Giá giỏ quà phải lớn hơn 0.",
                "A gift pack's price must be more than 0.",
            )
            .into(),
        GiftPackError::QuantityNotPositive(sku) => {
            if vi {
                format!("Số lượng của {sku} phải lớn hơn 0.")
            } else {
                format!("The quantity of {sku} must be more than 0.")
            }
        }
        GiftPackError::NoSuchProduct(sku) => {
            if vi {
                format!("Không có sản phẩm mã {sku}.")
            } else {
                format!("There is no product {sku}.")
            }
        }
        GiftPackError::SkuTaken(sku) => {
            if vi {
                format!("Đã có giỏ quà mã {sku}.")
            } else {
                format!("There is already a gift pack {sku}.")
            }
        }
    }
}

fn invoice_error_text(error: &InvoiceError, lang: Lang) -> String {
    let vi = lang == Lang::Vi;
    match error {
        InvoiceError::Buyer(error) => buyer_error_text(*error, lang),
        InvoiceError::NoSuchInvoice(reference) => if vi { format!("Không có hóa đơn {reference}.") } else { format!("There is no invoice {reference}.") },
        InvoiceError::ReasonRequired => lang.pick("Ghi lý do điều chỉnh hoặc thay thế hóa đơn.", "Give the reason for the correction.").into(),
        InvoiceError::NotRegistered => lang
            .pick(
                "Chưa đăng ký hóa đơn điện tử từ máy tính tiền: điền các cài đặt invoice_… trước.",
                "Cash-register invoices are not registered yet: fill in the invoice_… settings first.",
            )
            .into(),
        InvoiceError::ClockBehind { series, last } => {
            let last = crate::core::clock::format_local(*last);
            if vi {
                format!("Đồng hồ máy đang chỉ giờ trước hóa đơn cuối của ký hiệu {series} ({last}): hóa đơn không được lập lùi ngày. Chỉnh lại đồng hồ máy rồi bán tiếp; đơn này chưa được ghi.")
            } else {
                format!("The computer's clock is before the last invoice of series {series} ({last}): an invoice may not be dated earlier. Set the clock right and sell again; this sale was not recorded.")
            }
        }
        InvoiceError::AlreadyReplaced { invoice, by } => if vi {
            format!("Hóa đơn {invoice} đã được thay thế bởi {by}: sửa tiếp trên hóa đơn {by}.")
        } else {
            format!("Invoice {invoice} was already replaced by {by}: correct {by} instead.")
        },
        InvoiceError::AlreadyAdjusted(invoice) => if vi {
            format!("Hóa đơn {invoice} đã được điều chỉnh: các lần sửa sau cũng phải bằng hóa đơn điều chỉnh (trả hàng, Ctrl+R).")
        } else {
            format!("Invoice {invoice} was corrected by adjustment: later corrections are adjustments too (a refund, Ctrl+R).")
        },
        InvoiceError::AdjustedAtAnotherCounter { invoice, counter } => if vi {
            format!("Hóa đơn {invoice} đã được máy {counter} điều chỉnh khi trả hàng ở quầy đó: không thay thế được nữa, các lần sửa sau cũng phải bằng hóa đơn điều chỉnh (trả hàng, Ctrl+R).")
        } else {
            format!("Invoice {invoice} was adjusted by counter {counter} when goods were given back there: it can no longer be replaced, later corrections are adjustments too (a refund, Ctrl+R).")
        },
        InvoiceError::AdjustmentNotReplaceable(invoice) => if vi {
            format!("{invoice} là hóa đơn điều chỉnh: không thay thế được, chỉ điều chỉnh tiếp.")
        } else {
            format!("{invoice} is an adjustment invoice: it cannot be replaced, only adjusted again.")
        },
        InvoiceError::NothingToCorrect => lang
            .pick("Người mua vẫn như trên hóa đơn: không có gì để sửa.", "The buyer is as the invoice names them: nothing to correct.")
            .into(),
        InvoiceError::AgreementRequired => lang
            .pick(
                "Với người mua là doanh nghiệp, ghi số biên bản thỏa thuận với người mua.",
                "With a business buyer, give the reference of the written agreement with the buyer.",
            )
            .into(),
        InvoiceError::OutsideAuthorityBlock { node, last, first, end } => if vi {
            format!("Không cấp được mã của cơ quan thuế (MCCQT): thư mục dữ liệu này đã cấp đến số {last:011}, ngoài dãy {first:011}–{end:011} của máy {node}, mà lấy số trong dãy đó có thể trùng mã máy {node} đã cấp. Nếu mã máy vừa được đổi (ocop-pos node set --code), hãy đặt lại mã cũ; chưa có gì được ghi.")
        } else {
            format!("No tax-authority code (MCCQT) can be issued: this data folder has issued up to {last:011}, beyond node {node}'s range {first:011}–{end:011}, and a number from that range could repeat one node {node} gave. If the node code was just changed (ocop-pos node set --code), set the old one back; nothing was recorded.")
        },
    }
}

/// Whether sales are invoices, and what is missing when they are not.
fn registration_text(status: &RegistrationStatus, lang: Lang) -> String {
    match status {
        RegistrationStatus::Registered => lang
            .pick(
                "Đã đăng ký hóa đơn điện tử khởi tạo từ máy tính tiền: mỗi đơn là một hóa đơn.",
                "Cash-register e-invoices are registered: every sale is an invoice.",
            )
            .into(),
        RegistrationStatus::Demo => lang
            .pick(
                "Cửa hàng demo: hóa đơn là hóa đơn mẫu, không có giá trị.",
                "Demo store: its invoices are samples with no legal value.",
            )
            .into(),
        RegistrationStatus::Incomplete(missing) => {
            let missing = missing
                .iter()
                .map(|field| format!("invoice_{field}"))
                .collect::<Vec<_>>()
                .join(", ");
            match lang {
                Lang::Vi => format!(
                    "CHƯA ĐĂNG KÝ HÓA ĐƠN ĐIỆN TỬ: vẫn bán được nhưng phiếu in ra không phải hóa đơn. Cần điền: {missing}."
                ),
                Lang::En => format!(
                    "INVOICES NOT REGISTERED YET: sales go on, but receipts are not invoices. Fill in: {missing}."
                ),
            }
        }
    }
}

/// Why a buyer cannot go on an invoice.
pub fn buyer_error_text(error: InvoiceBuyerError, lang: Lang) -> String {
    match error {
        InvoiceBuyerError::NameRequired => {
            lang.pick("Nhập tên người mua.", "Enter the buyer's name.")
        }
        InvoiceBuyerError::AddressRequired => {
            lang.pick("Nhập địa chỉ người mua.", "Enter the buyer's address.")
        }
        InvoiceBuyerError::TaxCode(TaxCodeError::Length) => lang.pick(
            "Mã số thuế người mua phải có 10 chữ số, hoặc 10 chữ số + “-” + 3 chữ số (chi nhánh).",
            "The buyer's tax code is 10 digits, or 10 digits + “-” + 3 for a branch.",
        ),
        InvoiceBuyerError::TaxCode(TaxCodeError::CheckDigit) => lang.pick(
            "Mã số thuế người mua sai chữ số kiểm tra: có lẽ gõ nhầm một chữ số.",
            "The buyer's tax code has a wrong check digit: a digit was probably mistyped.",
        ),
        InvoiceBuyerError::IdNumberNot12Digits => lang.pick(
            "Số CCCD phải có đúng 12 chữ số.",
            "A citizen ID (CCCD) is exactly 12 digits.",
        ),
        InvoiceBuyerError::BadPhone => lang.pick(
            "Số điện thoại có 10 chữ số, bắt đầu bằng 0.",
            "A phone number is 10 digits starting with 0.",
        ),
        InvoiceBuyerError::IdOrPhoneRequired => lang.pick(
            "Nhập số CCCD hoặc số điện thoại của người mua.",
            "Enter the buyer's citizen ID (CCCD) or phone number.",
        ),
        InvoiceBuyerError::PassportRequired => lang.pick(
            "Nhập số hộ chiếu (chữ và số) của người mua.",
            "Enter the buyer's passport number (letters and digits).",
        ),
    }
    .into()
}

fn refund_error_text(error: RefundError, lang: Lang) -> String {
    match error {
        RefundError::NoSuchSale => lang
            .pick(
                "Máy này không có hóa đơn này. Nếu bán ở quầy khác, hãy đồng bộ (nhập sự kiện của \
                 quầy đó) rồi thử lại.",
                "This counter does not know this receipt. If it was sold at another counter, \
                 sync first (import that counter's events), then try again.",
            )
            .into(),
        RefundError::NoSuchLine(line) => match lang {
            Lang::Vi => format!("Hóa đơn không có dòng {}.", line + 1),
            Lang::En => format!("The receipt has no line {}.", line + 1),
        },
        RefundError::NothingToRefund => lang
            .pick("Không có gì để trả lại.", "Nothing to refund.")
            .into(),
        RefundError::QuantityNotPositive => lang
            .pick(
                "Số lượng trả phải lớn hơn 0.",
                "The quantity must be more than 0.",
            )
            .into(),
        RefundError::MoreThanSold { line_no, left } => match lang {
            Lang::Vi => format!("Dòng {} chỉ còn {left} có thể trả.", line_no + 1),
            Lang::En => format!("Only {left} of line {} can still be refunded.", line_no + 1),
        },
        RefundError::NoOpenSession => lang
            .pick(
                "Chưa mở ca thu ngân nên chưa hoàn tiền được. Vào Doanh thu → Mở ca (đếm tiền \
                 đầu ca) rồi bấm Hoàn tiền lại; phiếu trả hàng vẫn giữ nguyên.",
                "No cash session is open, so no money can be refunded. Open one under Daily \
                 sales (count the float), then press Refund again; what you typed is kept.",
            )
            .into(),
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
        CartError::PriceNotPositive => lang.pick(
            "Giá giỏ quà phải lớn hơn 0.",
            "A basket's price must be more than 0.",
        ),
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

/// Vietnamese or English, whichever the screen speaks.
fn in_language(vi: bool, vietnamese: String, english: String) -> String {
    if vi { vietnamese } else { english }
}

pub fn adjustment_reason_name(reason: AdjustmentReason, lang: Lang) -> &'static str {
    match reason {
        AdjustmentReason::Damaged => lang.pick("Hư hỏng", "Damaged"),
        AdjustmentReason::Expired => lang.pick("Hết hạn", "Expired"),
        AdjustmentReason::Sample => lang.pick("Hàng mẫu", "Sample"),
        AdjustmentReason::Gift => lang.pick("Tặng", "Gift"),
        AdjustmentReason::Correction => lang.pick("Sửa sai", "Correction"),
    }
}

pub fn movement_kind_name(kind: StockMovementKind, lang: Lang) -> String {
    match kind {
        StockMovementKind::Opening => lang.pick("Tồn đầu", "Opening").into(),
        StockMovementKind::Receipt => lang.pick("Nhập hàng", "Receipt").into(),
        StockMovementKind::Sale => lang.pick("Bán", "Sale").into(),
        StockMovementKind::Refund => lang.pick("Trả hàng", "Refund").into(),
        StockMovementKind::Adjustment(reason) => format!(
            "{}: {}",
            lang.pick("Điều chỉnh", "Adjustment"),
            adjustment_reason_name(reason, lang)
        ),
        StockMovementKind::Count => lang.pick("Kiểm kê", "Count").into(),
    }
}

pub fn producer_kind_name(kind: ProducerKind, lang: Lang) -> &'static str {
    match kind {
        ProducerKind::Cooperative => lang.pick("Hợp tác xã", "Cooperative"),
        ProducerKind::Household => lang.pick("Hộ kinh doanh", "Household business"),
        ProducerKind::Facility => lang.pick("Cơ sở sản xuất", "Production facility"),
        ProducerKind::Company => lang.pick("Doanh nghiệp", "Company"),
        ProducerKind::Store => lang.pick("Cửa hàng", "The store"),
    }
}

pub fn certificate_status_text(status: CertificateStatus, lang: Lang) -> String {
    match (status, lang) {
        (CertificateStatus::Valid, _) => lang.pick("Còn hiệu lực", "Valid").into(),
        (CertificateStatus::ExpiringSoon { days_left }, Lang::Vi) => {
            format!("Còn {days_left} ngày")
        }
        (CertificateStatus::ExpiringSoon { days_left }, Lang::En) => {
            format!("{days_left} days left")
        }
        (CertificateStatus::Expired, _) => lang.pick("Đã hết hạn", "Expired").into(),
    }
}

/// An audit row's act as people call it (the audit screen and its filter).
pub fn audit_act_name(act: AuditAct, lang: Lang) -> &'static str {
    match act {
        AuditAct::VoidLine => lang.pick("Xóa dòng đã quét", "Void a scanned line"),
        AuditAct::CancelCart => lang.pick("Hủy cả giỏ hàng", "Cancel the whole cart"),
        AuditAct::DiscountAboveLimit => {
            lang.pick("Giảm giá vượt hạn mức", "Discount above the limit")
        }
        AuditAct::LowerQuantity => lang.pick("Giảm số lượng đã quét", "Lower a scanned quantity"),
        AuditAct::Discount => lang.pick("Giảm giá trong hạn mức", "Discount within the limit"),
        AuditAct::RemoveTender => lang.pick(
            "Bỏ khoản tiền khách đã trả",
            "Take back a payment already recorded",
        ),
        AuditAct::StoreSetUp => lang.pick("Thiết lập cửa hàng mới", "New store set up"),
        AuditAct::SettingChanged => lang.pick("Đổi cài đặt", "Setting changed"),
        AuditAct::EventsImported => lang.pick(
            "Nhận chứng từ của máy khác",
            "Other nodes' documents imported",
        ),
        AuditAct::DemoMadeReal => lang.pick(
            "Chuyển cửa hàng mẫu sang cửa hàng thật",
            "Demo store made a real store",
        ),
        AuditAct::StaffAdded => lang.pick("Thêm nhân viên", "Staff member added"),
        AuditAct::StaffDisabled => lang.pick("Khóa nhân viên", "Staff member disabled"),
        AuditAct::StaffEnabled => lang.pick("Mở lại nhân viên", "Staff member re-enabled"),
        AuditAct::StaffRoleChanged => lang.pick("Đổi vai trò", "Role changed"),
        AuditAct::StaffPinReset => lang.pick("Đặt lại mã PIN", "PIN reset"),
        AuditAct::OpenSettingsScreen => lang.pick("Mở màn hình cài đặt", "Opened the settings"),
        AuditAct::OpenStaffScreen => lang.pick("Mở màn hình nhân viên", "Opened the staff screen"),
        AuditAct::Restore => lang.pick("Khôi phục bản sao lưu", "Backup restored"),
        AuditAct::CatalogueImported => lang.pick("Nhập tệp CSV danh mục", "Catalogue CSV imported"),
        AuditAct::GiftPackChanged => lang.pick("Đổi giỏ quà mẫu", "Gift-pack template changed"),
        AuditAct::BuyerSaved => lang.pick("Lưu người mua", "Buyer saved"),
        AuditAct::CorrectInvoice => lang.pick(
            "Sửa hóa đơn: thay thế, thông báo sai sót",
            "Invoice correction: replacement, notice",
        ),
        AuditAct::Refund => lang.pick("Trả hàng, hoàn tiền", "Refund"),
        AuditAct::Reprint => lang.pick("In lại hóa đơn", "Reprint a receipt"),
        AuditAct::OpenDailyScreen => lang.pick("Mở màn hình doanh thu", "Open the daily screen"),
        AuditAct::OpenDrawer => lang.pick("Mở két không bán hàng", "Drawer opened, no sale"),
        AuditAct::OpenBackupsScreen => lang.pick("Mở màn hình sao lưu", "Open the backups screen"),
        AuditAct::OpenAuditLog => lang.pick("Mở nhật ký", "Open the audit log"),
        AuditAct::OpenInventoryScreen => lang.pick("Mở màn hình kho", "Open the inventory screen"),
        AuditAct::OpenCashSession => lang.pick("Mở ca (tiền đầu ca)", "Open a cash session"),
        AuditAct::CashIn => lang.pick("Nộp tiền vào két", "Cash in"),
        AuditAct::CashOut => lang.pick("Rút tiền khỏi két", "Cash out"),
        AuditAct::CloseCashSession => lang.pick(
            "Chốt ca (Z), thừa/thiếu",
            "Close the session (Z), over/short",
        ),
        AuditAct::ReceiveStock => lang.pick("Nhập hàng", "Receive stock"),
        AuditAct::PostStockCount => lang.pick("Ghi sổ kiểm kê", "Post a stock count"),
        AuditAct::AdjustStock => lang.pick("Điều chỉnh tồn kho", "Adjust stock"),
        AuditAct::CreateProduct => lang.pick("Thêm sản phẩm", "Create a product"),
        AuditAct::EditProduct => lang.pick("Sửa thông tin sản phẩm", "Edit a product"),
        AuditAct::ChangePrice => lang.pick("Đổi giá, thuế suất", "Change a price or VAT rate"),
        AuditAct::DeactivateProduct => lang.pick("Ngừng bán sản phẩm", "Deactivate a product"),
        AuditAct::ReactivateProduct => lang.pick("Bán lại sản phẩm", "Reactivate a product"),
        AuditAct::DeleteProduct => lang.pick("Xóa sản phẩm nhập nhầm", "Delete a product"),
        AuditAct::ImportProducts => lang.pick("Nhập danh mục từ CSV", "Import products (CSV)"),
        AuditAct::PinFailed => lang.pick("Nhập sai mã PIN", "Wrong PIN"),
        AuditAct::AcknowledgeChainBreak => lang.pick(
            "Xác nhận dữ liệu bị sửa ngoài chương trình",
            "Acknowledge a chain break",
        ),
        AuditAct::CancelOrder => lang.pick("Hủy đơn hàng", "Cancel an order"),
        AuditAct::SetCreditTerms => {
            lang.pick("Đặt hạn mức, hạn thanh toán công nợ", "Set credit terms")
        }
        AuditAct::OverCreditLimit => {
            lang.pick("Bán ghi nợ vượt hạn mức", "Sale on account above the limit")
        }
        AuditAct::EraseCustomer => lang.pick(
            "Xóa dữ liệu cá nhân của khách",
            "Erase a customer's personal data",
        ),
        AuditAct::SendEinvoices => lang.pick(
            "Gửi hóa đơn điện tử (dòng lệnh)",
            "Send e-invoices (command line)",
        ),
        AuditAct::ExportEinvoices => {
            lang.pick("Xuất hóa đơn điện tử ra tệp", "Export e-invoices to files")
        }
        AuditAct::TillSimulation => lang.pick(
            "Chạy quầy mô phỏng (bán hàng giả lập)",
            "Simulated till run (simulated sales)",
        ),
        AuditAct::FormerManagerScreen => lang.pick(
            "Mở màn hình sao lưu hoặc nhật ký (mục cũ)",
            "Open backups or the audit log (old row)",
        ),
        AuditAct::FormerInventory => lang.pick(
            "Kho: mở màn hình hoặc đổi giá (mục cũ)",
            "Inventory: open or change a price (old row)",
        ),
    }
}

/// A kind of chained record as people call it.
pub fn chain_kind_name(kind: ChainKind, lang: Lang) -> &'static str {
    match kind {
        ChainKind::Sale => lang.pick("Hóa đơn bán hàng", "Sale"),
        ChainKind::Refund => lang.pick("Phiếu trả hàng", "Refund"),
        ChainKind::Invoice => lang.pick("Hóa đơn GTGT", "VAT invoice"),
        ChainKind::CashMove => lang.pick("Nộp/rút tiền két", "Cash move"),
        ChainKind::ZClose => lang.pick("Chốt ca (Z)", "Z close"),
        ChainKind::Audit => lang.pick("Dòng nhật ký", "Audit row"),
        ChainKind::EInvoice => lang.pick("Hóa đơn điện tử", "E-invoice"),
        ChainKind::CustomerSale => lang.pick("Bán cho khách hàng", "Customer sale"),
        ChainKind::CustomerPayment => {
            lang.pick("Tiền cọc, thu công nợ", "Deposit or payment on account")
        }
    }
}

/// A break of a hash chain in words: the record (kind, number or id, place in the chain) and
/// what is wrong with it.
pub fn chain_break_text(broken: &ChainBreak, lang: Lang) -> String {
    let vi = lang == Lang::Vi;
    let kind = chain_kind_name(broken.kind, lang);
    let record = match (&broken.number, broken.record_id) {
        (Some(number), _) => format!("{kind} {number}"),
        (None, Some(id)) => format!("{kind} id {id}"),
        (None, None) => kind.to_string(),
    };
    let place = broken.position;
    let money = |amount: i64| Money(amount).to_string();
    match &broken.fault {
        Fault::Altered { discrepancy } => {
            let what = discrepancy.map(|d| {
                let (stored, parts) = (money(d.stored), money(d.parts));
                match (d.figure, vi) {
                    (Figure::TotalOfLines, true) => {
                        format!("tổng tiền {stored} nhưng các dòng cộng lại {parts}")
                    }
                    (Figure::TotalOfLines, false) => {
                        format!("the total is {stored} but its lines add up to {parts}")
                    }
                    (Figure::TotalOfVat, true) => {
                        format!("tổng tiền {stored} nhưng các dòng thuế cộng lại {parts}")
                    }
                    (Figure::TotalOfVat, false) => {
                        format!("the total is {stored} but its VAT rows add up to {parts}")
                    }
                    (Figure::TotalOfPayments, true) => {
                        format!("tổng tiền {stored} nhưng tiền trả trừ tiền thối là {parts}")
                    }
                    (Figure::TotalOfPayments, false) => {
                        format!("the total is {stored} but payments less change are {parts}")
                    }
                    (Figure::CountedOfNotes, true) => {
                        format!("tiền đếm {stored} nhưng các tờ tiền cộng lại {parts}")
                    }
                    (Figure::CountedOfNotes, false) => {
                        format!("the counted cash is {stored} but the notes add up to {parts}")
                    }
                }
            });
            match (what, vi) {
                (Some(what), true) => {
                    format!("{record} (vị trí {place}) đã bị sửa ngoài chương trình: {what}")
                }
                (Some(what), false) => {
                    format!("{record} (place {place}) was changed outside the program: {what}")
                }
                (None, true) => format!("{record} (vị trí {place}) đã bị sửa ngoài chương trình"),
                (None, false) => {
                    format!("{record} (place {place}) was changed outside the program")
                }
            }
        }
        Fault::Unchained => in_language(
            vi,
            format!(
                "{record} không có vị trí riêng trong chuỗi chứng từ: được ghi thêm ngoài chương trình"
            ),
            format!(
                "{record} has no place of its own in the chain: it was written outside the program"
            ),
        ),
        Fault::Removed { count } => in_language(
            vi,
            format!("{count} chứng từ ngay trước {record} (vị trí {place}) đã bị xóa"),
            format!("{count} record(s) just before {record} (place {place}) were deleted"),
        ),
        Fault::Truncated => in_language(
            vi,
            format!(
                "{kind}: các chứng từ từ vị trí {place} trở đi đã bị xóa (đã có khi kiểm tra lần trước hoặc khi chốt ca)"
            ),
            format!(
                "{kind}: the records from place {place} on were deleted (they were there at the last check or a Z close)"
            ),
        ),
        Fault::Rewritten => in_language(
            vi,
            format!(
                "{kind}: chuỗi đã bị tính lại tại vị trí {place}, khác với lần kiểm tra trước hoặc báo cáo Z"
            ),
            format!(
                "{kind}: the chain was recomputed at place {place}: it differs from the last check or a Z-report"
            ),
        ),
    }
}

/// A number series as people call it; a series without a name here is told by its code.
pub fn series_name(series: &str, lang: Lang) -> String {
    let (vi, en) = match series {
        "receipt" => ("Hóa đơn bán lẻ", "Receipts"),
        "refund" => ("Phiếu trả hàng", "Refunds"),
        "invoice" => ("Hóa đơn GTGT", "VAT invoices"),
        "z" => ("Báo cáo Z", "Z-reports"),
        "receiving" => ("Phiếu nhập kho", "Receiving notes"),
        other => return other.to_string(),
    };
    lang.pick(vi, en).to_string()
}

/// What a restore takes out of the store, by number, one series a line.
pub fn restore_loss_text(lost: &[LostNumbers], lang: Lang) -> String {
    if lost.is_empty() {
        return lang
            .pick(
                "Khôi phục bản này không bỏ chứng từ nào: không có số nào được cấp sau khi sao lưu.",
                "Restoring this backup loses no document: no number was issued after it.",
            )
            .to_string();
    }
    let mut text = lang
        .pick(
            "Khôi phục bản này sẽ bỏ khỏi dữ liệu những chứng từ lập sau khi sao lưu (tệp PDF của chúng vẫn giữ nguyên, số của chúng không bao giờ được cấp lại):",
            "Restoring this backup takes out of the data what was issued after it (their PDF files stay; their numbers are never issued again):",
        )
        .to_string();
    for run in lost {
        let numbers = if run.count == 1 {
            run.first.clone()
        } else {
            format!("{} … {}", run.first, run.last)
        };
        text += &format!(
            "\n  {} {}: {numbers} ({})",
            series_name(&run.series, lang),
            run.year,
            run.count
        );
    }
    text
}

/// What the command line says about PINs, stores and restores.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommandNotice {
    ManagerPinPrompt,
    NewPinPrompt(String),
    NewPinAgainPrompt,
    /// A PIN is asked but there is no terminal to type it at.
    NoTerminal,
    /// Standard input ended before the PIN.
    NoPinGiven,
    /// The PIN typed is no active manager's (why, as the PIN pad tells it).
    PinRefused(SignInError),
    NewPinsDiffer,
    PinInUse,
    NoManagerYet,
    /// The data folder has no store (commands never create one, except `staff add`).
    NoStoreYet(String),
    RestoreLoses(Vec<LostNumbers>),
    StaffAdded {
        name: String,
        role: String,
    },
    SettingChanged {
        key: String,
        value: String,
    },
    /// A password asked for instead of given on the command line.
    SecretPrompt(String),
}

impl CommandNotice {
    pub fn text(&self, lang: Lang) -> String {
        use CommandNotice::*;
        let vi = lang == Lang::Vi;
        match self {
            ManagerPinPrompt => lang.pick("Mã PIN quản lý: ", "Manager's PIN: ").into(),
            NewPinPrompt(name) => match lang {
                Lang::Vi => format!("Mã PIN mới của {name}: "),
                Lang::En => format!("New PIN for {name}: "),
            },
            NewPinAgainPrompt => lang
                .pick("Nhập lại mã PIN mới: ", "The new PIN again: ")
                .into(),
            NoTerminal => lang
                .pick(
                    "Không có cửa sổ dòng lệnh để gõ mã PIN: chạy lệnh trong terminal, hoặc thêm --pin-stdin để đọc mã PIN từ đầu vào chuẩn (mỗi mã một dòng).",
                    "There is no terminal to type the PIN at: run the command in a terminal, or add --pin-stdin to read PINs from standard input (one a line).",
                )
                .into(),
            NoPinGiven => lang
                .pick(
                    "Không nhận được mã PIN: lệnh này cần mã PIN của quản lý. Không có gì thay đổi.",
                    "No PIN was given: this command needs a manager's PIN. Nothing was changed.",
                )
                .into(),
            PinRefused(error) => {
                let reason = sign_in_error_text(error, lang);
                if vi {
                    format!("Không thực hiện: cần mã PIN của quản lý. {reason}")
                } else {
                    format!("Not done: a manager's PIN is needed. {reason}")
                }
            }
            NewPinsDiffer => lang
                .pick(
                    "Hai lần nhập mã PIN mới không khớp; chưa thêm ai.",
                    "The two new PINs differ; nobody was added.",
                )
                .into(),
            PinInUse => lang
                .pick(
                    "Mã PIN này đã có người dùng; mỗi người cần một mã PIN riêng.",
                    "Someone already has this PIN; each person needs their own.",
                )
                .into(),
            NoManagerYet => lang
                .pick(
                    "Cửa hàng chưa có quản lý. Thêm quản lý đầu tiên: ocop-pos staff add --role manager --name \"…\" (hoặc trong cửa sổ).",
                    "The store has no manager yet. Add the first one: ocop-pos staff add --role manager --name \"…\" (or in the window).",
                )
                .into(),
            NoStoreYet(folder) => {
                if vi {
                    format!(
                        "Chưa có cửa hàng ở {folder}. Mở cửa sổ (ocop-pos --no-demo cho cửa hàng thật, ocop-pos cho cửa hàng mẫu), hoặc tạo cửa hàng thật bằng quản lý đầu tiên: ocop-pos staff add --role manager --name \"…\"."
                    )
                } else {
                    format!(
                        "There is no store in {folder} yet. Open the window (ocop-pos --no-demo for a real store, ocop-pos for the demo), or make a real store with its first manager: ocop-pos staff add --role manager --name \"…\"."
                    )
                }
            }
            RestoreLoses(lost) => restore_loss_text(lost, lang),
            StaffAdded { name, role } => {
                if vi {
                    format!("Đã thêm {name} ({role}).")
                } else {
                    format!("Added {name} ({role}).")
                }
            }
            SettingChanged { key, value } => {
                if vi {
                    format!("Đã đổi {key} = {value}")
                } else {
                    format!("Changed {key} = {value}")
                }
            }
            SecretPrompt(key) => {
                if vi {
                    format!("{key} (không hiện khi gõ): ")
                } else {
                    format!("{key} (not shown as typed): ")
                }
            }
        }
    }
}

// Sending invoices to the tax authority.

/// A field of the sending settings as the Settings screen names it.
fn send_field_name(field: &str, lang: Lang) -> &'static str {
    match field {
        "provider" => lang.pick("Nhà cung cấp hóa đơn điện tử", "E-invoice provider"),
        "url" => lang.pick(
            "Địa chỉ dịch vụ của nhà cung cấp (https://…)",
            "The provider's service address (https://…)",
        ),
        "account" => lang.pick(
            "Tài khoản phát hành (Account)",
            "Publishing account (Account)",
        ),
        "account_password" => lang.pick(
            "Mật khẩu tài khoản phát hành (ACpass)",
            "Publishing account's password (ACpass)",
        ),
        "username" => lang.pick(
            "Tài khoản dịch vụ (username)",
            "Web service user (username)",
        ),
        "password" => lang.pick("Mật khẩu tài khoản dịch vụ", "Web service user's password"),
        "timeout_seconds" => lang.pick(
            "Chờ nhà cung cấp trả lời tối đa (giây)",
            "Longest wait for the provider (seconds)",
        ),
        "sender_code" => lang.pick(
            "Mã nơi gửi trong gói thông điệp 206 (MNGui)",
            "Sender's code in a message-206 package (MNGui)",
        ),
        "export_dir" => lang.pick(
            "Thư mục tệp tải lên cổng nhà cung cấp",
            "Folder of upload files for the provider's portal",
        ),
        _ => lang.pick("(không rõ)", "(unknown)"),
    }
}

fn send_setting_error_text(error: &SendSettingError, lang: Lang) -> String {
    match error {
        SendSettingError::UnknownKey(key) => in_language(
            lang == Lang::Vi,
            format!("không có cài đặt gửi hóa đơn “{key}”"),
            format!("no sending setting called “{key}”"),
        ),
        SendSettingError::Provider => lang
            .pick(
                "nhà cung cấp là none (chưa chọn), file (tệp tải lên) hoặc vnpt",
                "the provider is none, file (upload files) or vnpt",
            )
            .into(),
        SendSettingError::Url => lang
            .pick(
                "địa chỉ bắt đầu bằng https:// (http:// chỉ cho máy này, khi thử)",
                "the address starts with https:// (http:// only to this computer, for a test)",
            )
            .into(),
        SendSettingError::Timeout => lang
            .pick("cần số giây từ 1 đến 300", "needs seconds from 1 to 300")
            .into(),
        SendSettingError::SenderCode => lang
            .pick(
                "mã nơi gửi gồm chữ, số và “-”, tối đa 20 ký tự",
                "the sender's code is letters, digits and “-”, up to 20",
            )
            .into(),
        SendSettingError::ExportDir => lang
            .pick(
                "cần đường dẫn đầy đủ, ví dụ /home/cuahang/hoa-don",
                "needs a full path, e.g. /home/shop/invoices",
            )
            .into(),
        SendSettingError::TooLong(max) => in_language(
            lang == Lang::Vi,
            format!("dài quá {max} ký tự"),
            format!("longer than {max} characters"),
        ),
    }
}

/// Both languages of a sending setting's refusal, for the command line.
impl std::fmt::Display for SendSettingError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} / {}",
            send_setting_error_text(self, Lang::Vi),
            send_setting_error_text(self, Lang::En)
        )
    }
}

/// What became of an invoice, as people say it.
pub fn delivery_state_name(state: DeliveryState, lang: Lang) -> &'static str {
    match state {
        DeliveryState::Waiting => lang.pick("chờ gửi", "waiting"),
        DeliveryState::Refused => lang.pick("bị từ chối, chưa gửi", "refused, not sent"),
        DeliveryState::Sent => lang.pick("đã gửi", "sent"),
        DeliveryState::Exported => lang.pick("đã xuất tệp tải lên", "exported for upload"),
        DeliveryState::Accepted => lang.pick("cơ quan thuế đã nhận", "accepted"),
        DeliveryState::Rejected => {
            lang.pick("cơ quan thuế từ chối", "refused by the tax authority")
        }
    }
}

/// Why the provider refused, and what the manager does about it.
pub fn refusal_text(refusal: &Refusal, lang: Lang) -> String {
    let vi = lang == Lang::Vi;
    match refusal {
        Refusal::WrongCredentials => lang
            .pick(
                "Nhà cung cấp không nhận tài khoản hoặc mật khẩu. Sửa tài khoản, mật khẩu trong Cài đặt rồi gửi lại.",
                "The provider does not accept the account or password. Correct them in Settings, then send again.",
            )
            .into(),
        Refusal::SeriesNotRegistered => lang
            .pick(
                "Nhà cung cấp không có mẫu số, ký hiệu này cho cửa hàng (hoặc đã hết số). Đăng ký với nhà cung cấp, rồi gửi lại.",
                "The provider has no such template and series for the shop (or its numbers ran out). Register them with the provider, then send again.",
            )
            .into(),
        Refusal::DatedBeforeLast => lang
            .pick(
                "Hóa đơn có ngày trước hóa đơn cuối nhà cung cấp đã có trong ký hiệu này. Hỏi nhà cung cấp (có hóa đơn lập ở nơi khác?), rồi gửi lại.",
                "The invoice is dated before the last one the provider has in this series. Ask the provider (an invoice made elsewhere?), then send again.",
            )
            .into(),
        Refusal::InvalidData => lang
            .pick(
                "Nhà cung cấp cho rằng dữ liệu hóa đơn không hợp lệ. Gửi tệp XML của hóa đơn (ocop-pos einvoice show … --xml) cho nhà cung cấp để kiểm tra.",
                "The provider finds the invoice's data invalid. Send the invoice's XML (ocop-pos einvoice show … --xml) to the provider to check.",
            )
            .into(),
        Refusal::WrongAddress(status) => in_language(
            vi,
            format!("Địa chỉ dịch vụ trả lời HTTP {status}: kiểm tra địa chỉ trong Cài đặt."),
            format!("The service address answered HTTP {status}: check the address in Settings."),
        ),
        Refusal::DuplicateNotFound => lang
            .pick(
                "Nhà cung cấp báo đã có hóa đơn này nhưng không tìm thấy nó. Hỏi nhà cung cấp, rồi gửi lại.",
                "The provider says it has this invoice but cannot find it. Ask the provider, then send again.",
            )
            .into(),
        Refusal::ByTaxAuthority(reason) => in_language(
            vi,
            format!("Cơ quan thuế từ chối: {reason}. Lập hóa đơn thay thế."),
            format!("The tax authority refused it: {reason}. Issue a replacement invoice."),
        ),
        Refusal::Other(code) => in_language(
            vi,
            format!("Nhà cung cấp từ chối ({code}). Hỏi nhà cung cấp mã này nghĩa là gì, rồi gửi lại."),
            format!("The provider refused it ({code}). Ask the provider what it means, then send again."),
        ),
    }
}

/// `2 giờ 05 phút`, `3 ngày 2 giờ`, `45 phút`.
pub fn age_text(age: chrono::Duration, lang: Lang) -> String {
    let minutes = age.num_minutes().max(0);
    let (days, hours, minutes) = (minutes / 1440, minutes / 60 % 24, minutes % 60);
    let vi = lang == Lang::Vi;
    let (day, hour, minute) = if vi {
        ("ngày", "giờ", "phút")
    } else {
        ("d", "h", "min")
    };
    if days > 0 {
        format!("{days} {day} {hours} {hour}")
    } else if hours > 0 {
        format!("{hours} {hour} {minutes:02} {minute}")
    } else {
        format!("{minutes} {minute}")
    }
}

/// The top bar's band: how many invoices are unsent and the oldest one's age, then why (the
/// queue stopped, the provider out of reach, none chosen).
pub fn band_text(band: &Band, activity: &Activity, lang: Lang) -> String {
    let vi = lang == Lang::Vi;
    let age = age_text(band.oldest_age, lang);
    let mut text = in_language(
        vi,
        format!(
            "Chưa gửi cơ quan thuế: {} hóa đơn, cũ nhất {age} trước.",
            band.unsent
        ),
        format!(
            "Not yet sent to the tax authority: {} invoices, the oldest {age} ago.",
            band.unsent
        ),
    );
    if band.late {
        text.push(' ');
        text.push_str(lang.pick(
            "Hóa đơn phải gửi trong ngày lập!",
            "Invoices must be sent the day they are issued!",
        ));
    }
    let why = match (&band.blocked, activity) {
        (Some(blocked), _) => in_language(
            vi,
            format!(
                "Dừng ở {}: {}",
                blocked.reference,
                refusal_text(&blocked.refusal, lang)
            ),
            format!(
                "Stopped at {}: {}",
                blocked.reference,
                refusal_text(&blocked.refusal, lang)
            ),
        ),
        (
            None,
            Activity::Waiting {
                error,
                since,
                retry_at,
            },
        ) => in_language(
            vi,
            format!(
                "Chưa gửi được từ {} ({error}); thử lại lúc {}.",
                format_local_time(*since),
                format_local_time(*retry_at)
            ),
            format!(
                "Not sent since {} ({error}); trying again at {}.",
                format_local_time(*since),
                format_local_time(*retry_at)
            ),
        ),
        (None, Activity::NotConfigured(why)) => not_configured_text(why, lang),
        (None, Activity::Sending { done, total }) => in_language(
            vi,
            format!("Đang gửi {done}/{total}…"),
            format!("Sending {done}/{total}…"),
        ),
        (None, Activity::ExportWhenAsked) => lang
            .pick(
                "Gửi bằng tệp: bấm Gửi ngay (hoặc chốt ca) để ghi tệp, rồi tải tệp lên cổng của nhà cung cấp.",
                "Sent as files: press Send now (or close the day) to write them, then upload them on the provider's portal.",
            )
            .into(),
        (None, Activity::Idle | Activity::Blocked) => String::new(),
    };
    if !why.is_empty() {
        text.push(' ');
        text.push_str(&why);
    }
    text
}

fn format_local_time(at: chrono::DateTime<chrono::Utc>) -> String {
    at.with_timezone(&crate::core::clock::SHOP_TIME_ZONE)
        .format("%H:%M")
        .to_string()
}

pub fn not_configured_text(why: &NotConfigured, lang: Lang) -> String {
    match why {
        NotConfigured::NoProvider => lang
            .pick(
                "Chưa chọn nhà cung cấp hóa đơn điện tử (Cài đặt, hoặc ocop-pos settings set send_provider …).",
                "No e-invoice provider chosen (Settings, or ocop-pos settings set send_provider …).",
            )
            .into(),
        NotConfigured::Missing(fields) => {
            let names: Vec<String> = fields.iter().map(|f| format!("send_{f}")).collect();
            in_language(
                lang == Lang::Vi,
                format!("Còn thiếu cài đặt gửi hóa đơn: {}.", names.join(", ")),
                format!("Sending settings still missing: {}.", names.join(", ")),
            )
        }
    }
}

/// A period's invoices, sent and unsent: `Hóa đơn điện tử: đã gửi 40 (xuất tệp 5) · chưa gửi 3`.
pub fn day_delivery_text(delivery: &DayDelivery, lang: Lang) -> String {
    let exported = if delivery.exported > 0 {
        in_language(
            lang == Lang::Vi,
            format!(" (xuất tệp {})", delivery.exported),
            format!(" ({} exported)", delivery.exported),
        )
    } else {
        String::new()
    };
    in_language(
        lang == Lang::Vi,
        format!(
            "Hóa đơn điện tử gửi cơ quan thuế: đã gửi {}{exported} · chưa gửi {}",
            delivery.handed_over, delivery.unsent
        ),
        format!(
            "E-invoices to the tax authority: sent {}{exported} · unsent {}",
            delivery.handed_over, delivery.unsent
        ),
    )
}

/// How a pass went.
pub fn pass_report_text(report: &PassReport, lang: Lang) -> String {
    let vi = lang == Lang::Vi;
    let handed = in_language(
        vi,
        format!("Đã gửi {} hóa đơn.", report.handed_over),
        format!("{} invoices sent.", report.handed_over),
    );
    match &report.end {
        PassEnd::Emptied => handed,
        PassEnd::Blocked(blocked) => in_language(
            vi,
            format!(
                "{handed} Dừng ở {} ({}): {}",
                blocked.reference,
                blocked.detail,
                refusal_text(&blocked.refusal, lang)
            ),
            format!(
                "{handed} Stopped at {} ({}): {}",
                blocked.reference,
                blocked.detail,
                refusal_text(&blocked.refusal, lang)
            ),
        ),
        PassEnd::Failed(error) => in_language(
            vi,
            format!("{handed} Chưa gửi được phần còn lại ({error}); sẽ thử lại."),
            format!("{handed} The rest could not be sent ({error}); it will be tried again."),
        ),
    }
}

/// What the message band says about sending.
#[derive(Debug, Clone, PartialEq)]
pub enum SendNotice {
    /// The manager asked to send: under way.
    Asked,
    /// Closing the day: the invoices go first.
    BeforeClose,
    Outcome(SendOutcome),
}

impl SendNotice {
    fn level(&self) -> Level {
        match self {
            SendNotice::Asked | SendNotice::BeforeClose => Level::Warning,
            SendNotice::Outcome(SendOutcome::Passed(report)) => match report.end {
                PassEnd::Emptied => Level::Success,
                PassEnd::Failed(_) => Level::Warning,
                PassEnd::Blocked(_) => Level::Error,
            },
            SendNotice::Outcome(SendOutcome::NotConfigured(_)) => Level::Warning,
            SendNotice::Outcome(SendOutcome::Failed(_)) => Level::Error,
        }
    }

    fn text(&self, lang: Lang) -> String {
        match self {
            SendNotice::Asked => lang
                .pick("Đang gửi hóa đơn điện tử…", "Sending the invoices…")
                .into(),
            SendNotice::BeforeClose => lang
                .pick(
                    "Đang gửi hóa đơn điện tử trước khi chốt ca…",
                    "Sending the invoices before the close…",
                )
                .into(),
            SendNotice::Outcome(outcome) => send_outcome_text(outcome, lang),
        }
    }
}

pub fn send_outcome_text(outcome: &SendOutcome, lang: Lang) -> String {
    match outcome {
        SendOutcome::Passed(report) => pass_report_text(report, lang),
        SendOutcome::NotConfigured(why) => not_configured_text(why, lang),
        SendOutcome::Failed(error) => in_language(
            lang == Lang::Vi,
            format!("Không đọc/ghi được dữ liệu gửi hóa đơn: {error}"),
            format!("The sending records could not be read or written: {error}"),
        ),
    }
}
/// The back office's words for margins, refunds in lists and the checks of issue 16, kept in
/// one block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfficeText {
    GrossMargin,
    MarginSales,
    MarginCost,
    MarginTotal,
    MarginByDay,
    MarginTopProducts,
    /// Under the margins when some goods have no cost yet.
    UncostedNote,
    /// Before a refund's number in the day's list.
    RefundOf,
    /// Beside a gift pack among the counter's search results.
    GiftPackResult,
    /// Above the shifts closed lately on the daily screen.
    ZHistory,
    /// Beside the rows done of an import running.
    Importing,
    StopImport,
    /// Beside the rows done of a file being checked (the preview).
    Checking,
    StopCheck,
    /// A catalogue sheet being read for its CSV file.
    Exporting,
    StopExport,
    /// Opens the system's file dialog for a CSV file.
    ChooseFile,
}

impl OfficeText {
    pub fn text(self, lang: Lang) -> &'static str {
        use OfficeText::*;
        match self {
            GrossMargin => lang.pick(
                "Lãi gộp (giá vốn bình quân)",
                "Gross margin (moving-average cost)",
            ),
            MarginSales => lang.pick("Doanh thu", "Sales"),
            MarginCost => lang.pick("Giá vốn", "Cost"),
            MarginTotal => lang.pick("Tổng cộng", "Total"),
            MarginByDay => lang.pick("Theo ngày", "By day"),
            MarginTopProducts => lang.pick("Sản phẩm lãi nhất", "Best-margin products"),
            UncostedNote => lang.pick(
                "* gồm doanh thu hàng chưa có giá vốn (chưa nhập kho có giá), tính giá vốn 0",
                "* includes sales of goods with no cost yet (never received with one), costed at 0",
            ),
            RefundOf => lang.pick("Trả hàng của", "Refund of"),
            GiftPackResult => lang.pick("Giỏ quà", "Gift pack"),
            ZHistory => lang.pick("Báo cáo Z đã chốt", "Z-reports of closed shifts"),
            Importing => lang.pick("Đang nhập tệp…", "Importing…"),
            StopImport => lang.pick("Dừng nhập (không giữ gì)", "Stop (keep nothing)"),
            Checking => lang.pick("Đang kiểm tra tệp…", "Checking the file…"),
            StopCheck => lang.pick("Dừng kiểm tra", "Stop checking"),
            Exporting => lang.pick(
                "Đang đọc danh mục để xuất tệp CSV…",
                "Reading the catalogue for the CSV file…",
            ),
            StopExport => lang.pick("Dừng xuất tệp", "Stop the export"),
            ChooseFile => lang.pick("Chọn tệp…", "Choose a file…"),
        }
    }
}

/// The back office's notices: confirmations asked once, refusals naming what to fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OfficeNotice {
    /// A delivery holds products of producers other than the note's: a second press posts it,
    /// each printed under its own producer.
    ConfirmOtherProducers {
        producer: String,
        others: Vec<String>,
    },
    /// A code scanned at the counter belongs to a product (or pack) taken off the counter.
    Discontinued(String),
    /// Closing the shift cannot be undone: asked once, with the cash counted.
    ConfirmCloseSession { counted: Money },
    /// Taking a product with stock on hand off the counter: asked once.
    ConfirmDeactivate { name: String, stock: String },
    /// Posting a count writes the ledger for good: asked once, with how many lines differ.
    ConfirmPostCount { lines: usize },
    /// A form with this many faults, each shown under its field; nothing was saved.
    FormFaults(usize),
}

impl OfficeNotice {
    pub fn level(&self) -> Level {
        match self {
            OfficeNotice::ConfirmOtherProducers { .. } => Level::Warning,
            OfficeNotice::Discontinued(_) | OfficeNotice::FormFaults(_) => Level::Error,
            OfficeNotice::ConfirmCloseSession { .. }
            | OfficeNotice::ConfirmDeactivate { .. }
            | OfficeNotice::ConfirmPostCount { .. } => Level::Warning,
        }
    }

    pub fn text(&self, lang: Lang) -> String {
        match self {
            OfficeNotice::ConfirmOtherProducers { producer, others } => {
                let others = others.join(", ");
                match lang {
                    Lang::Vi => format!(
                        "Phiếu nhập của {producer} có hàng của nhà sản xuất khác: {others}. Bấm Ghi sổ lần nữa để nhập (in dưới tên nhà sản xuất của từng hàng), hoặc bỏ các dòng đó."
                    ),
                    Lang::En => format!(
                        "This delivery from {producer} holds another producer's goods: {others}. Press Post again to receive them (printed under each one's own producer), or remove those lines."
                    ),
                }
            }
            OfficeNotice::ConfirmCloseSession { counted } => match lang {
                Lang::Vi => format!(
                    "Chốt ca với {counted} tiền mặt đã đếm? Ca đã chốt không mở lại được. Bấm Chốt ca lần nữa để chốt."
                ),
                Lang::En => format!(
                    "Close the shift with {counted} in cash counted? A closed shift cannot be reopened. Press Close again to close it."
                ),
            },
            OfficeNotice::ConfirmDeactivate { name, stock } => match lang {
                Lang::Vi => format!(
                    "{name} còn tồn {stock}. Bấm Ngừng bán lần nữa để ngừng bán (hàng tồn vẫn giữ trong sổ)."
                ),
                Lang::En => format!(
                    "{name} still has {stock} in stock. Press Deactivate again to take it off the counter (the stock stays on the books)."
                ),
            },
            OfficeNotice::ConfirmPostCount { lines } => match lang {
                Lang::Vi => format!(
                    "Ghi sổ kiểm kê sẽ điều chỉnh tồn kho của {lines} sản phẩm và không hoàn tác được. Bấm Ghi sổ kiểm kê lần nữa để ghi."
                ),
                Lang::En => format!(
                    "Posting the count corrects the stock of {lines} products and cannot be undone. Press Post count again to post it."
                ),
            },
            OfficeNotice::FormFaults(count) => match lang {
                Lang::Vi => format!("{count} chỗ cần sửa, ghi dưới từng ô; chưa lưu gì."),
                Lang::En => {
                    format!("{count} things to fix, each under its field; nothing was saved.")
                }
            },
            OfficeNotice::Discontinued(name) => match lang {
                Lang::Vi => format!("{name}: ngừng bán, không bán được ở quầy (Kho → Bán lại)."),
                Lang::En => format!(
                    "{name}: no longer sold (ngừng bán); put it back on sale in Inventory first."
                ),
            },
        }
    }
}
