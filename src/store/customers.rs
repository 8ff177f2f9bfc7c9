//! Customers: people by phone (with their consent), companies from the buyer records, the
//! credit a company buys on account with, and erasing a person's data on request.

use super::staff::insert_audit;
use super::{Store, StoreError, StoreResult, parse_timestamp, timestamp};
use crate::core::audit::{Actor, AuditAct};
use crate::core::customer::{
    Consent, CreditTerms, Customer, CustomerError, CustomerKind, MAX_TERM_DAYS, PersonDraft,
    normalize_phone,
};
use crate::core::einvoice::InvoiceBuyer;
use crate::core::fold::fold;
use crate::core::money::Money;
use crate::core::order::OrderError;
use crate::core::staff::AuditChange;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};

pub(crate) fn refused(error: impl Into<OrderError>) -> StoreError {
    StoreError::Order(error.into())
}

/// A customer's columns: a company's name, tax code and address come from its buyer record.
pub(crate) const CUSTOMER_COLUMNS: &str = "
    SELECT c.id, c.kind, coalesce(b.name, c.name), coalesce(c.phone, ''),
           coalesce(c.id_number, ''), coalesce(b.tax_code, ''), coalesce(b.address, c.address),
           coalesce(b.email, ''), coalesce(b.contact, ''), c.notes, c.consent_at, c.consent_by,
           c.credit_limit, c.payment_term_days, c.erased_at IS NOT NULL
      FROM customers c LEFT JOIN buyers b ON b.id = c.buyer_id";

pub(crate) fn customer_from_row(row: &Row<'_>) -> rusqlite::Result<Customer> {
    let kind: String = row.get(1)?;
    let consent_at: Option<String> = row.get(10)?;
    let consent = match (consent_at, row.get::<_, Option<String>>(11)?) {
        (Some(at), Some(by)) => Some(Consent {
            at: parse_timestamp(&at).map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(10, rusqlite::types::Type::Text, e.into())
            })?,
            recorded_by: by,
        }),
        _ => None,
    };
    Ok(Customer {
        id: row.get(0)?,
        kind: CustomerKind::from_code(&kind).unwrap_or(CustomerKind::Person),
        name: row.get(2)?,
        phone: row.get(3)?,
        id_number: row.get(4)?,
        tax_code: row.get(5)?,
        address: row.get(6)?,
        email: row.get(7)?,
        contact: row.get(8)?,
        notes: row.get(9)?,
        consent,
        terms: CreditTerms {
            limit: Money(row.get(12)?),
            days: row.get(13)?,
        },
        erased: row.get(14)?,
    })
}

pub(crate) fn read_customer(conn: &Connection, id: i64) -> StoreResult<Customer> {
    conn.prepare_cached(&format!("{CUSTOMER_COLUMNS} WHERE c.id = ?1"))?
        .query_row([id], customer_from_row)
        .optional()?
        .ok_or(StoreError::NotFound)
}

/// The customer of a company's buyer record, made the first time it is needed.
pub(crate) fn company_customer(
    conn: &Connection,
    buyer_id: i64,
    at: DateTime<Utc>,
) -> StoreResult<i64> {
    conn.prepare_cached(
        "INSERT INTO customers (kind, buyer_id, created_at) VALUES ('company', ?1, ?2)
         ON CONFLICT (buyer_id) DO NOTHING",
    )?
    .execute(params![buyer_id, timestamp(at)])?;
    Ok(conn
        .prepare_cached("SELECT id FROM customers WHERE buyer_id = ?1")?
        .query_row([buyer_id], |row| row.get(0))?)
}

fn company_by_tax_code(
    conn: &Connection,
    tax_code: &str,
    at: DateTime<Utc>,
) -> StoreResult<Option<i64>> {
    let buyer: Option<i64> = conn
        .prepare_cached("SELECT id FROM buyers WHERE tax_code = ?1")?
        .query_row([tax_code.trim()], |row| row.get(0))
        .optional()?;
    buyer.map(|id| company_customer(conn, id, at)).transpose()
}

fn person_by_phone(conn: &Connection, phone: &str) -> StoreResult<Option<i64>> {
    let Some(phone) = normalize_phone(phone) else {
        return Ok(None);
    };
    Ok(conn
        .prepare_cached("SELECT id FROM customers WHERE phone = ?1")?
        .query_row([phone], |row| row.get(0))
        .optional()?)
}

/// The customer a sale's invoice names: a company by its tax code (from the buyer records), a
/// person by the phone they are kept under. None for a consumer, a foreigner, or someone not
/// on record.
pub(crate) fn customer_of_buyer(
    conn: &Connection,
    buyer: Option<&InvoiceBuyer>,
    at: DateTime<Utc>,
) -> StoreResult<Option<i64>> {
    match buyer {
        Some(InvoiceBuyer::Company(buyer)) => company_by_tax_code(conn, &buyer.tax_code, at),
        Some(InvoiceBuyer::Person { phone, .. }) => person_by_phone(conn, phone),
        Some(InvoiceBuyer::Foreigner { .. }) | None => Ok(None),
    }
}

/// A person's subject in the audit log: the record's number, never their name or phone (an
/// audit row is never erased).
pub(crate) fn audit_subject(customer: &Customer) -> String {
    match customer.kind {
        CustomerKind::Company => customer.tax_code.clone(),
        CustomerKind::Person => format!("KH{:06}", customer.id),
    }
}

impl Store {
    pub fn customer(&self, id: i64) -> StoreResult<Customer> {
        read_customer(&self.conn, id)
    }

    /// Records a person (or changes the one `existing`), with the consent to keep their phone
    /// and ID recorded now by `by`. Refused without consent, with a phone another person has,
    /// or for an erased record.
    pub fn save_person(
        &mut self,
        draft: &PersonDraft,
        existing: Option<i64>,
        by: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<Customer> {
        let person = draft.checked().map_err(refused)?;
        let tx = self.conn.transaction()?;
        if let Some(other) = person_by_phone(&tx, &person.phone)?
            && Some(other) != existing
        {
            return Err(refused(CustomerError::PhoneTaken(person.phone)));
        }
        let id_number = (!person.id_number.is_empty()).then_some(person.id_number.as_str());
        let id = match existing {
            Some(id) => {
                let current = read_customer(&tx, id)?;
                if current.erased || current.kind != CustomerKind::Person {
                    return Err(refused(CustomerError::Erased));
                }
                tx.execute(
                    "UPDATE customers SET name = ?2, phone = ?3, id_number = ?4, address = ?5,
                            notes = ?6, consent_at = ?7, consent_by = ?8
                      WHERE id = ?1",
                    params![
                        id,
                        person.name,
                        person.phone,
                        id_number,
                        person.address,
                        person.notes,
                        timestamp(at),
                        by
                    ],
                )?;
                id
            }
            None => {
                tx.execute(
                    "INSERT INTO customers (kind, name, phone, id_number, address, notes,
                                            consent_at, consent_by, created_at)
                     VALUES ('person', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?6)",
                    params![
                        person.name,
                        person.phone,
                        id_number,
                        person.address,
                        person.notes,
                        timestamp(at),
                        by
                    ],
                )?;
                tx.last_insert_rowid()
            }
        };
        let saved = read_customer(&tx, id)?;
        tx.commit()?;
        Ok(saved)
    }

    /// A company's notes (its name and address are the buyer record's).
    pub fn save_company_notes(&mut self, customer_id: i64, notes: &str) -> StoreResult<()> {
        self.conn.execute(
            "UPDATE customers SET notes = ?2 WHERE id = ?1 AND kind = 'company'",
            params![customer_id, notes.trim()],
        )?;
        Ok(())
    }

    /// The customer known by `key`: a tax code (a company in the buyer records) or a phone.
    pub fn find_customer(&mut self, key: &str, at: DateTime<Utc>) -> StoreResult<Option<Customer>> {
        let key = key.trim();
        let id = match company_by_tax_code(&self.conn, key, at)? {
            Some(id) => Some(id),
            None => person_by_phone(&self.conn, key)?,
        };
        id.map(|id| read_customer(&self.conn, id)).transpose()
    }

    /// The person kept under this phone, however it is typed.
    pub fn person(&self, phone: &str) -> StoreResult<Option<Customer>> {
        person_by_phone(&self.conn, phone)?
            .map(|id| read_customer(&self.conn, id))
            .transpose()
    }

    /// The company customer of a buyer record by tax code (its customer record made now if it
    /// has none yet).
    pub fn company(&mut self, tax_code: &str, at: DateTime<Utc>) -> StoreResult<Option<Customer>> {
        company_by_tax_code(&self.conn, tax_code, at)?
            .map(|id| read_customer(&self.conn, id))
            .transpose()
    }

    /// The same without writing anything: a buyer that was never a customer has no record yet,
    /// and is given as customer 0, with nothing on account.
    pub fn find_company(&self, tax_code: &str) -> StoreResult<Option<Customer>> {
        let found: Option<(i64, Option<i64>)> = self
            .conn
            .prepare_cached(
                "SELECT b.id, c.id FROM buyers b LEFT JOIN customers c ON c.buyer_id = b.id
                  WHERE b.tax_code = ?1",
            )?
            .query_row([tax_code.trim()], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()?;
        match found {
            None => Ok(None),
            Some((_, Some(id))) => read_customer(&self.conn, id).map(Some),
            Some((buyer_id, None)) => {
                let buyer = self
                    .conn
                    .prepare_cached(
                        "SELECT name, tax_code, address, email, contact FROM buyers WHERE id = ?1",
                    )?
                    .query_row([buyer_id], |row| {
                        Ok(Customer {
                            id: 0,
                            kind: CustomerKind::Company,
                            name: row.get(0)?,
                            phone: String::new(),
                            id_number: String::new(),
                            tax_code: row.get(1)?,
                            address: row.get(2)?,
                            email: row.get(3)?,
                            contact: row.get(4)?,
                            notes: String::new(),
                            consent: None,
                            terms: CreditTerms::default(),
                            erased: false,
                        })
                    })?;
                Ok(Some(buyer))
            }
        }
    }

    /// Customers whose name, phone or tax code contains the query (accents and case ignored),
    /// companies of the buyer records included, erased people left out.
    pub fn search_customers(
        &mut self,
        query: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<Vec<Customer>> {
        // Every buyer is a customer: the rows are made once, here.
        let buyers: Vec<i64> = self
            .conn
            .prepare_cached(
                "SELECT b.id FROM buyers b LEFT JOIN customers c ON c.buyer_id = b.id
                  WHERE c.id IS NULL",
            )?
            .query_map([], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        if !buyers.is_empty() {
            let tx = self.conn.transaction()?;
            for buyer in buyers {
                company_customer(&tx, buyer, at)?;
            }
            tx.commit()?;
        }
        let query = fold(query);
        let mut stmt = self.conn.prepare_cached(&format!(
            "{CUSTOMER_COLUMNS} WHERE c.erased_at IS NULL ORDER BY coalesce(b.name, c.name)"
        ))?;
        let customers = stmt
            .query_map([], customer_from_row)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(customers
            .into_iter()
            .filter(|c| {
                fold(&format!("{} {} {}", c.name, c.phone, c.tax_code)).contains(query.trim())
            })
            .collect())
    }

    /// Sets a company's credit limit and payment term (a manager's act, audited).
    pub fn set_credit_terms<'a>(
        &mut self,
        customer_id: i64,
        terms: CreditTerms,
        by: impl Into<Actor<'a>>,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        if terms.days > MAX_TERM_DAYS {
            return Err(refused(CustomerError::TermTooLong(terms.days)));
        }
        if terms.limit < Money::ZERO || !terms.limit.is_within_limit() {
            return Err(refused(CustomerError::AmountNotValid));
        }
        let tx = self.conn.transaction()?;
        let customer = read_customer(&tx, customer_id)?;
        if customer.kind != CustomerKind::Company {
            return Err(refused(CustomerError::CompaniesOnly));
        }
        if customer.terms == terms {
            return Ok(());
        }
        tx.execute(
            "UPDATE customers SET credit_limit = ?2, payment_term_days = ?3 WHERE id = ?1",
            params![customer_id, terms.limit.dong(), terms.days],
        )?;
        let show = |terms: CreditTerms| format!("{} / {} ngày", terms.limit, terms.days);
        insert_audit(
            &tx,
            by.into(),
            AuditAct::SetCreditTerms,
            &AuditChange {
                subject: &audit_subject(&customer),
                before: &show(customer.terms),
                after: &show(terms),
            },
            at,
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Erases a person's data on their request: name, phone, ID, address and notes, and on
    /// their orders the delivery address, contact, notes, card messages and receivers. The
    /// record stays, anonymised, so their sales and orders still add up; the invoices already
    /// issued keep what they printed (accounting law keeps invoices for ten years). Refused
    /// while an order of theirs is open. Audited by the record's number only.
    pub fn erase_person<'a>(
        &mut self,
        customer_id: i64,
        by: impl Into<Actor<'a>>,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let by = by.into();
        let tx = self.conn.transaction()?;
        let customer = read_customer(&tx, customer_id)?;
        if customer.kind != CustomerKind::Person || customer.erased {
            return Err(refused(CustomerError::Erased));
        }
        let open: Vec<String> = tx
            .prepare_cached(
                "SELECT number FROM orders WHERE customer_id = ?1 AND status = 'open' ORDER BY id",
            )?
            .query_map([customer_id], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        if !open.is_empty() {
            return Err(refused(CustomerError::OpenOrders(open)));
        }
        tx.execute(
            "UPDATE customers SET name = '', phone = NULL, id_number = NULL, address = '',
                    notes = '', erased_at = ?2, erased_by = ?3
              WHERE id = ?1",
            params![customer_id, timestamp(at), by.name],
        )?;
        tx.execute(
            "UPDATE orders SET delivery_address = '', contact = '', notes = ''
              WHERE customer_id = ?1",
            [customer_id],
        )?;
        tx.execute(
            "UPDATE order_lines SET card_message = ''
              WHERE order_id IN (SELECT id FROM orders WHERE customer_id = ?1)",
            [customer_id],
        )?;
        tx.execute(
            "UPDATE customer_sales SET receiver = '' WHERE customer_id = ?1",
            [customer_id],
        )?;
        insert_audit(
            &tx,
            by,
            AuditAct::EraseCustomer,
            &AuditChange {
                subject: &audit_subject(&customer),
                before: "",
                after: "",
            },
            at,
        )?;
        tx.commit()?;
        Ok(())
    }
}
