//! Plain data and pure functions: money, VAT, cart pricing, barcodes, search folding, VietQR.
//! Nothing here touches a database, a file or a window.

pub mod audit;
pub mod barcode;
pub mod cart;
pub mod cash;
pub mod catalog;
pub mod chain;
pub mod clock;
pub mod cost;
pub mod customer;
pub mod delivery;
pub mod einvoice;
pub mod fold;
pub mod giftpack;
pub mod inventory;
pub mod invoice;
pub mod label;
pub mod money;
pub mod order;
pub mod payment;
pub mod printer;
pub mod product_list;
pub mod receivable;
pub mod receiving;
pub mod reduction;
pub mod refund;
pub mod report;
pub mod sale;
pub mod settings;
pub mod shared_text;
pub mod staff;
pub mod sync_event;
pub mod vat;
pub mod vietqr;
pub mod words;
