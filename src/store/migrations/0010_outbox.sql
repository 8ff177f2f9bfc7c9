-- Version 10: sending invoices to the tax authority through a provider (issue 14).
--
-- The outbox: every record a destination must receive, queued in the transaction that made
-- it and read in `id` order by a sender. Each destination reads its own rows: the tax
-- authority (the cash-register invoices of `einvoices`) today, a store hub later.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    destination     TEXT NOT NULL,
    -- What is sent: the kind of record and its row (`einvoice` and einvoices.id).
    record_kind     TEXT NOT NULL,
    record_id       INTEGER NOT NULL,
    -- What the destination knows the record by, so that sending it again can never make a
    -- second one: an invoice's MCCQT, or `1K26MAA-00000012` for one without.
    idempotency_key TEXT NOT NULL,
    -- The shop's day of the record: the day's counts and the day's upload file.
    local_date      TEXT NOT NULL,
    queued_at       TEXT NOT NULL,
    UNIQUE (destination, idempotency_key)
) STRICT;
CREATE INDEX outbox_day ON outbox(destination, local_date);
CREATE TRIGGER outbox_no_update BEFORE UPDATE ON outbox BEGIN SELECT RAISE(ABORT, 'the outbox is append-only'); END;
CREATE TRIGGER outbox_no_delete BEFORE DELETE ON outbox BEGIN SELECT RAISE(ABORT, 'the outbox is append-only'); END;

-- What became of each queued record, one row per event, never changed: refused by the
-- provider (the queue stops there until the cause is put right), sent, exported to an upload
-- file, accepted or rejected by the tax authority. A record without an event is waiting.
CREATE TABLE outbox_events (
    id        INTEGER PRIMARY KEY,
    outbox_id INTEGER NOT NULL REFERENCES outbox(id),
    at        TEXT NOT NULL,
    state     TEXT NOT NULL CHECK (state IN ('refused', 'sent', 'exported', 'accepted', 'rejected')),
    -- Why, for a refusal (core::delivery::Refusal::code).
    reason    TEXT CHECK ((reason IS NOT NULL) = (state IN ('refused', 'rejected'))),
    -- What the destination answered (a provider's number and MCCQT), or the upload file.
    detail    TEXT NOT NULL
) STRICT;
CREATE INDEX outbox_events_record ON outbox_events(outbox_id);
CREATE TRIGGER outbox_events_no_update BEFORE UPDATE ON outbox_events BEGIN SELECT RAISE(ABORT, 'delivery events are append-only'); END;
CREATE TRIGGER outbox_events_no_delete BEFORE DELETE ON outbox_events BEGIN SELECT RAISE(ABORT, 'delivery events are append-only'); END;

-- The sender's work lists, kept beside the events so that neither the sender nor the top bar
-- reads the whole history: records not yet out of the shop's hands, and records sent whose
-- verdict is still to come. A row moves or leaves in the transaction of the event that ends
-- its wait.
CREATE TABLE outbox_queue (
    outbox_id INTEGER PRIMARY KEY REFERENCES outbox(id)
) STRICT;
CREATE TABLE outbox_awaiting_verdict (
    outbox_id INTEGER PRIMARY KEY REFERENCES outbox(id)
) STRICT;

-- A batch handed to a destination whose answer is not recorded yet. After a lost reply or a
-- crash the sender first asks the destination which of them it has, and sends only the rest.
CREATE TABLE outbox_in_flight (
    destination TEXT PRIMARY KEY,
    first_id    INTEGER NOT NULL,
    last_id     INTEGER NOT NULL,
    since       TEXT NOT NULL
) STRICT;

-- The close's day's invoices as the Z close found them: printed on the Z-report.
CREATE TABLE z_einvoice_delivery (
    session_id  INTEGER PRIMARY KEY REFERENCES cash_sessions(id),
    local_date  TEXT NOT NULL,
    handed_over INTEGER NOT NULL,
    exported    INTEGER NOT NULL,
    unsent      INTEGER NOT NULL
) STRICT;
CREATE TRIGGER z_einvoice_delivery_no_update BEFORE UPDATE ON z_einvoice_delivery BEGIN SELECT RAISE(ABORT, 'a Z close is never changed'); END;
CREATE TRIGGER z_einvoice_delivery_no_delete BEFORE DELETE ON z_einvoice_delivery BEGIN SELECT RAISE(ABORT, 'a Z close is never changed'); END;

-- Invoices issued before this version are queued now, in issue order (the demo's never are).
-- The shop's day is Vietnam's, UTC+7 all year. Nothing to do in a new store.
INSERT INTO outbox (destination, record_kind, record_id, idempotency_key, local_date, queued_at)
SELECT 'tax_authority', 'einvoice', id,
       coalesce(authority_code, template || series || '-' || printf('%08d', number)),
       date(issued_at, '+7 hours'), issued_at
  FROM einvoices WHERE demo = 0 ORDER BY id;
INSERT INTO outbox_queue (outbox_id) SELECT id FROM outbox ORDER BY id;
