//! Customers: a person known by phone (kept only with their consent, Personal Data Protection
//! Law, in force 1 Jan 2026) or a company (the buyer records: tax code, address, contact), with
//! notes, and for a company the credit it may buy on account with.

use crate::core::einvoice::InvoiceBuyer;
use crate::core::invoice::Buyer;
use crate::core::money::Money;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The longest payment term a manager may give, in days.
pub const MAX_TERM_DAYS: u32 = 365;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CustomerKind {
    Person,
    Company,
}

impl CustomerKind {
    pub fn code(self) -> &'static str {
        match self {
            CustomerKind::Person => "person",
            CustomerKind::Company => "company",
        }
    }

    pub fn from_code(code: &str) -> Option<CustomerKind> {
        match code {
            "person" => Some(CustomerKind::Person),
            "company" => Some(CustomerKind::Company),
            _ => None,
        }
    }
}

/// How much a company may owe and how long it has to pay: set by a manager. A limit of zero
/// means nothing on account without a manager's approval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CreditTerms {
    pub limit: Money,
    pub days: u32,
}

/// When and by whom a person's consent to keep their phone and ID was recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    pub at: DateTime<Utc>,
    pub recorded_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    pub id: i64,
    pub kind: CustomerKind,
    pub name: String,
    /// A person's phone, the key they are found by (`0912345678`); empty for a company or
    /// once erased.
    pub phone: String,
    /// A person's citizen ID (CCCD, 12 digits), only if they want it on invoices.
    pub id_number: String,
    /// A company's tax code.
    pub tax_code: String,
    pub address: String,
    pub email: String,
    pub contact: String,
    pub notes: String,
    pub consent: Option<Consent>,
    pub terms: CreditTerms,
    /// A person's data erased on request: the record stays, anonymised, for the sales it made.
    pub erased: bool,
}

impl Customer {
    /// What the invoices of this customer's deliveries name: a company by tax code, a person by
    /// CCCD when they gave one (a phone alone stays off the invoice), else a consumer.
    pub fn invoice_buyer(&self) -> Option<InvoiceBuyer> {
        match self.kind {
            CustomerKind::Company => Some(InvoiceBuyer::Company(Buyer {
                id: 0,
                name: self.name.clone(),
                tax_code: self.tax_code.clone(),
                address: self.address.clone(),
                email: self.email.clone(),
                contact: self.contact.clone(),
            })),
            CustomerKind::Person if !self.erased && !self.id_number.is_empty() => {
                Some(InvoiceBuyer::Person {
                    name: self.name.clone(),
                    id_number: self.id_number.clone(),
                    phone: String::new(),
                    address: self.address.clone(),
                })
            }
            CustomerKind::Person => None,
        }
    }

    /// The name with the key it is known by: `Công ty … (0100233488)`, `Lê Văn An (0912…)`.
    pub fn label(&self) -> String {
        let key = match self.kind {
            CustomerKind::Company => &self.tax_code,
            CustomerKind::Person => &self.phone,
        };
        if key.is_empty() {
            self.name.clone()
        } else {
            format!("{} ({key})", self.name)
        }
    }
}

/// A person as typed at the counter or on the orders screen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonDraft {
    pub name: String,
    pub phone: String,
    pub id_number: String,
    pub address: String,
    pub notes: String,
    /// The person said yes to keeping their phone (and ID) for their orders and invoices.
    pub consent_given: bool,
}

impl PersonDraft {
    /// The person tidied and checked: a name, a Vietnamese mobile or landline number, a CCCD
    /// of 12 digits if any, and their consent.
    pub fn checked(&self) -> Result<PersonDraft, CustomerError> {
        let name = self.name.trim().to_string();
        if name.is_empty() {
            return Err(CustomerError::NameRequired);
        }
        let phone = normalize_phone(&self.phone).ok_or(CustomerError::BadPhone)?;
        let id_number: String = self
            .id_number
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let twelve_digits = id_number.len() == 12 && id_number.bytes().all(|b| b.is_ascii_digit());
        if !(id_number.is_empty() || twelve_digits) {
            return Err(CustomerError::IdNumberNot12Digits);
        }
        if !self.consent_given {
            return Err(CustomerError::ConsentRequired);
        }
        Ok(PersonDraft {
            name,
            phone,
            id_number,
            address: self.address.trim().to_string(),
            notes: self.notes.trim().to_string(),
            consent_given: true,
        })
    }
}

/// A phone number as the key it is kept under: ten digits starting with 0, whether typed
/// `0912 345 678`, `0912.345.678`, `+84912345678` or `84912345678`. None if it is not one.
pub fn normalize_phone(typed: &str) -> Option<String> {
    let digits: String = typed
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '+'))
        .collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let local = match digits.strip_prefix("84") {
        Some(rest) if digits.len() == 11 => format!("0{rest}"),
        _ => digits,
    };
    (local.len() == 10 && local.starts_with('0')).then_some(local)
}

/// Why a customer record or an act on it was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CustomerError {
    NameRequired,
    BadPhone,
    IdNumberNot12Digits,
    /// A person's phone or ID is kept only with their consent.
    ConsentRequired,
    /// Another person is already known by this phone.
    PhoneTaken(String),
    /// No customer by this phone or tax code.
    NotFound(String),
    /// The person's data was erased.
    Erased,
    /// A person with orders still open cannot be erased yet: their number is on them.
    OpenOrders(Vec<String>),
    /// Credit is given to companies only.
    CompaniesOnly,
    /// A term beyond [`MAX_TERM_DAYS`].
    TermTooLong(u32),
    AmountNotValid,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phone_is_kept_one_way_however_it_is_typed() {
        for typed in [
            "0912345678",
            "0912 345 678",
            "0912.345.678",
            "+84912345678",
            "84912345678",
            " 0912-345-678 ",
        ] {
            assert_eq!(
                normalize_phone(typed).as_deref(),
                Some("0912345678"),
                "{typed}"
            );
        }
        for bad in [
            "",
            "12345",
            "091234567",
            "09123456789",
            "0912abc678",
            "+84 912",
        ] {
            assert_eq!(normalize_phone(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_person_needs_a_name_a_phone_and_consent() {
        let person = PersonDraft {
            name: " Lê Văn An ".into(),
            phone: "0912 345 678".into(),
            id_number: "036 204 001 234".into(),
            consent_given: true,
            ..PersonDraft::default()
        };
        let checked = person.checked().unwrap();
        assert_eq!(checked.name, "Lê Văn An");
        assert_eq!(checked.phone, "0912345678");
        assert_eq!(checked.id_number, "036204001234");
        let refused = |change: fn(&mut PersonDraft), error: CustomerError| {
            let mut draft = person.clone();
            change(&mut draft);
            assert_eq!(draft.checked(), Err(error));
        };
        refused(|p| p.name = "  ".into(), CustomerError::NameRequired);
        refused(|p| p.phone = "123".into(), CustomerError::BadPhone);
        refused(
            |p| p.id_number = "0362".into(),
            CustomerError::IdNumberNot12Digits,
        );
        refused(|p| p.consent_given = false, CustomerError::ConsentRequired);
    }

    #[test]
    fn a_person_is_named_on_invoices_by_cccd_only() {
        let mut person = Customer {
            id: 1,
            kind: CustomerKind::Person,
            name: "Lê Văn An".into(),
            phone: "0912345678".into(),
            id_number: String::new(),
            tax_code: String::new(),
            address: String::new(),
            email: String::new(),
            contact: String::new(),
            notes: String::new(),
            consent: None,
            terms: CreditTerms::default(),
            erased: false,
        };
        assert_eq!(person.invoice_buyer(), None);
        person.id_number = "036204001234".into();
        assert!(matches!(
            person.invoice_buyer(),
            Some(InvoiceBuyer::Person { phone, .. }) if phone.is_empty()
        ));
        person.erased = true;
        assert_eq!(person.invoice_buyer(), None);
    }
}
