-- The province hub, version 1: every node's events, the projections rebuilt from them, the
-- alerts, and the two functions the nodes call (hub_ingest, hub_pull). See
-- ../shared/docs/MULTI_TILL.md and src/core/sync_event.rs for the event's shape.
--
-- Applied by `ocop-pos hub init` in one transaction, which records the version in
-- hub_schema_version.

-- One row per store: which node writes its catalogue (the first node that sends a catalogue
-- event claims it).
CREATE TABLE hub_stores (
    store text PRIMARY KEY,
    catalogue_node text
);

-- One row per origin (store/node/incarnation): how far the hub has it, and why it is refused.
CREATE TABLE hub_nodes (
    origin text PRIMARY KEY,
    store text NOT NULL,
    node text NOT NULL,
    incarnation text NOT NULL,
    acked_seq bigint NOT NULL DEFAULT 0,
    blocked text,
    last_event_at timestamptz,
    last_ingest_at timestamptz,
    CHECK (origin = store || '/' || node || '/' || incarnation)
);

-- Every event as the node sent it. (origin, seq) is the identity: idempotency is this key, not
-- a search before an insert. xid is the inserting transaction: pulls move on (xid, feed_id) and
-- only over transactions older than every running one, as identities are handed out at insert,
-- not at commit.
CREATE TABLE hub_events (
    feed_id bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    origin text NOT NULL REFERENCES hub_nodes (origin),
    seq bigint NOT NULL CHECK (seq > 0),
    xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
    store text NOT NULL,
    kind text NOT NULL,
    uid text NOT NULL,
    at timestamptz NOT NULL,
    body jsonb NOT NULL,
    -- Why the hub keeps this event without passing it on (a catalogue change from a node that
    -- is not its store's catalogue node).
    held text,
    ingested_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (origin, seq)
);
CREATE INDEX hub_events_feed ON hub_events (store, xid, feed_id);

-- Projections: ordinary tables filled from the events (hub_project), emptied and filled again
-- by hub_rebuild().
CREATE TABLE hub_stock_moves (
    origin text NOT NULL,
    seq bigint NOT NULL,
    line_no int NOT NULL,
    store text NOT NULL,
    product text NOT NULL,
    qty_milli bigint NOT NULL,
    kind text NOT NULL,
    at timestamptz NOT NULL,
    PRIMARY KEY (origin, seq, line_no)
);

CREATE TABLE hub_store_stock (
    store text NOT NULL,
    product text NOT NULL,
    qty_milli bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (store, product)
);

CREATE TABLE hub_sales (
    uid text PRIMARY KEY,
    origin text NOT NULL,
    seq bigint NOT NULL,
    store text NOT NULL,
    node text NOT NULL,
    number text,
    local_date date NOT NULL,
    cashier text,
    total bigint NOT NULL,
    at timestamptz NOT NULL
);
CREATE INDEX hub_sales_day ON hub_sales (local_date);

CREATE TABLE hub_sale_lines (
    sale_uid text NOT NULL REFERENCES hub_sales (uid),
    line_no int NOT NULL,
    store text NOT NULL,
    local_date date NOT NULL,
    product text NOT NULL,
    producer text,
    sku text,
    name text,
    qty_milli bigint NOT NULL,
    vat_rate text,
    total bigint NOT NULL,
    vat bigint NOT NULL,
    PRIMARY KEY (sale_uid, line_no)
);
CREATE INDEX hub_sale_lines_day ON hub_sale_lines (local_date);
CREATE INDEX hub_sale_lines_producer ON hub_sale_lines (producer, local_date);
CREATE INDEX hub_sale_lines_sale_product ON hub_sale_lines (sale_uid, product);

CREATE TABLE hub_refunds (
    uid text PRIMARY KEY,
    origin text NOT NULL,
    seq bigint NOT NULL,
    store text NOT NULL,
    node text NOT NULL,
    number text,
    sale_uid text NOT NULL,
    local_date date NOT NULL,
    total bigint NOT NULL,
    at timestamptz NOT NULL
);
CREATE INDEX hub_refunds_day ON hub_refunds (local_date);

CREATE TABLE hub_refund_lines (
    refund_uid text NOT NULL REFERENCES hub_refunds (uid),
    line_no int NOT NULL,
    store text NOT NULL,
    local_date date NOT NULL,
    sale_uid text NOT NULL,
    product text NOT NULL,
    producer text,
    qty_milli bigint NOT NULL,
    total bigint NOT NULL,
    vat bigint NOT NULL,
    PRIMARY KEY (refund_uid, line_no)
);
CREATE INDEX hub_refund_lines_day ON hub_refund_lines (local_date);
CREATE INDEX hub_refund_lines_producer ON hub_refund_lines (producer, local_date);
CREATE INDEX hub_refund_lines_sale_product ON hub_refund_lines (sale_uid, product);

-- Document numbers: one per store, kind and number, whichever node wrote it.
CREATE TABLE hub_document_numbers (
    store text NOT NULL,
    kind text NOT NULL,
    number text NOT NULL,
    origin text NOT NULL,
    seq bigint NOT NULL,
    PRIMARY KEY (store, kind, number)
);

-- The catalogue as the store's catalogue node last sent it, by uid (names for the reports).
CREATE TABLE hub_catalogue (
    store text NOT NULL,
    kind text NOT NULL,
    uid text NOT NULL,
    doc jsonb NOT NULL,
    at timestamptz NOT NULL,
    PRIMARY KEY (store, kind, uid)
);

-- What a manager must look at: oversell, over_refund, divergent_replay, clock_skew,
-- catalogue_writer, duplicate_number.
CREATE TABLE hub_alerts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind text NOT NULL,
    store text NOT NULL,
    origin text,
    seq bigint,
    subject text,
    detail text NOT NULL,
    raised_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX hub_alerts_origin_kind ON hub_alerts (origin, kind, raised_at);

-- The kinds that change a store's catalogue: written by its catalogue node only.
CREATE FUNCTION hub_is_catalogue(p_kind text) RETURNS boolean LANGUAGE sql IMMUTABLE
AS $$ SELECT p_kind IN ('product', 'producer', 'gift_pack', 'staff', 'setting') $$;

-- An event's clock may run this far ahead of the hub's before it is a clock-skew alert.
CREATE FUNCTION hub_clock_tolerance() RETURNS interval LANGUAGE sql IMMUTABLE
AS $$ SELECT interval '5 minutes' $$;

-- Moves a store's stock of a product and raises the oversell alert when this move takes it
-- from zero or more to below zero: once per crossing, not once per sale below zero.
CREATE FUNCTION hub_move_stock(p_store text, p_product text, p_qty bigint, p_origin text,
                               p_seq bigint, p_alerting boolean) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    after bigint;
BEGIN
    INSERT INTO hub_store_stock AS s (store, product, qty_milli)
    VALUES (p_store, p_product, p_qty)
    ON CONFLICT (store, product) DO UPDATE SET qty_milli = s.qty_milli + excluded.qty_milli
    RETURNING s.qty_milli INTO after;
    IF p_alerting AND after < 0 AND after - p_qty >= 0 THEN
        INSERT INTO hub_alerts (kind, store, origin, seq, subject, detail)
        VALUES ('oversell', p_store, p_origin, p_seq, p_product,
                format('stock %s → %s', after - p_qty, after));
    END IF;
END $$;

-- Writes one stored event into the projections, with its alerts when p_alerting.
CREATE FUNCTION hub_project(e hub_events, p_alerting boolean) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_doc jsonb := e.body -> 'doc';
    v_node text := e.body ->> 'node';
    v_number text := e.body -> 'doc' ->> 'number';
    v_uid text := e.body -> 'doc' ->> 'uid';
    v_line jsonb;
    v_line_no int := 0;
    v_refund record;
BEGIN
    FOR v_line IN SELECT value FROM jsonb_array_elements(coalesce(e.body -> 'stock', '[]'))
    LOOP
        v_line_no := v_line_no + 1;
        INSERT INTO hub_stock_moves (origin, seq, line_no, store, product, qty_milli, kind, at)
        VALUES (e.origin, e.seq, v_line_no, e.store, v_line ->> 'product',
                (v_line ->> 'qty_milli')::bigint, v_line ->> 'kind', e.at);
        PERFORM hub_move_stock(e.store, v_line ->> 'product', (v_line ->> 'qty_milli')::bigint,
                               e.origin, e.seq, p_alerting);
    END LOOP;

    IF v_number IS NOT NULL THEN
        INSERT INTO hub_document_numbers (store, kind, number, origin, seq)
        VALUES (e.store, e.kind, v_number, e.origin, e.seq)
        ON CONFLICT DO NOTHING;
        IF NOT FOUND AND p_alerting THEN
            INSERT INTO hub_alerts (kind, store, origin, seq, subject, detail)
            VALUES ('duplicate_number', e.store, e.origin, e.seq, v_number,
                    format('%s %s already came from another event', e.kind, v_number));
        END IF;
    END IF;

    IF e.kind = 'sale' THEN
        INSERT INTO hub_sales (uid, origin, seq, store, node, number, local_date, cashier,
                               total, at)
        VALUES (v_uid, e.origin, e.seq, e.store, v_node, v_number,
                (v_doc ->> 'local_date')::date, v_doc ->> 'cashier',
                (v_doc ->> 'total')::bigint, e.at)
        ON CONFLICT DO NOTHING;
        IF NOT FOUND THEN
            PERFORM hub_duplicate_document(e, p_alerting);
            RETURN;
        END IF;
        INSERT INTO hub_sale_lines (sale_uid, line_no, store, local_date, product, producer,
                                    sku, name, qty_milli, vat_rate, total, vat)
        SELECT v_uid, l.ord, e.store, (v_doc ->> 'local_date')::date,
               l.value ->> 'product', l.value ->> 'producer', l.value ->> 'sku',
               l.value ->> 'name', (l.value ->> 'qty_milli')::bigint, l.value ->> 'vat_rate',
               (l.value ->> 'total')::bigint, coalesce((l.value ->> 'vat')::bigint, 0)
        FROM jsonb_array_elements(coalesce(v_doc -> 'lines', '[]')) WITH ORDINALITY
             AS l(value, ord);
    ELSIF e.kind = 'refund' THEN
        INSERT INTO hub_refunds (uid, origin, seq, store, node, number, sale_uid, local_date,
                                 total, at)
        VALUES (v_uid, e.origin, e.seq, e.store, v_node, v_number, v_doc ->> 'sale',
                (v_doc ->> 'local_date')::date, (v_doc ->> 'total')::bigint, e.at)
        ON CONFLICT DO NOTHING;
        IF NOT FOUND THEN
            PERFORM hub_duplicate_document(e, p_alerting);
            RETURN;
        END IF;
        INSERT INTO hub_refund_lines (refund_uid, line_no, store, local_date, sale_uid, product,
                                      producer, qty_milli, total, vat)
        SELECT v_uid, l.ord, e.store, (v_doc ->> 'local_date')::date, v_doc ->> 'sale',
               l.value ->> 'product', l.value ->> 'producer',
               (l.value ->> 'qty_milli')::bigint, (l.value ->> 'total')::bigint,
               coalesce((l.value ->> 'vat')::bigint, 0)
        FROM jsonb_array_elements(coalesce(v_doc -> 'lines', '[]')) WITH ORDINALITY
             AS l(value, ord);
        IF p_alerting THEN
            -- Refunded ≤ sold, per product of the sale, over every refund of it so far.
            FOR v_refund IN
                SELECT r.product, sum(r.qty_milli) AS refunded,
                       (SELECT coalesce(sum(s.qty_milli), 0) FROM hub_sale_lines s
                        WHERE s.sale_uid = r.sale_uid AND s.product = r.product) AS sold
                FROM hub_refund_lines r
                WHERE r.sale_uid = v_doc ->> 'sale'
                  AND r.product IN (SELECT l.product FROM hub_refund_lines l
                                    WHERE l.refund_uid = v_uid)
                GROUP BY r.sale_uid, r.product
            LOOP
                IF v_refund.refunded > v_refund.sold THEN
                    INSERT INTO hub_alerts (kind, store, origin, seq, subject, detail)
                    VALUES ('over_refund', e.store, e.origin, e.seq, v_number,
                            format('sale %s, product %s: refunded %s > sold %s',
                                   v_doc ->> 'sale', v_refund.product, v_refund.refunded,
                                   v_refund.sold));
                END IF;
            END LOOP;
        END IF;
    ELSIF hub_is_catalogue(e.kind) THEN
        INSERT INTO hub_catalogue AS c (store, kind, uid, doc, at)
        VALUES (e.store, e.kind, v_uid, v_doc, e.at)
        ON CONFLICT (store, kind, uid) DO UPDATE SET doc = excluded.doc, at = excluded.at
        WHERE c.at <= excluded.at;
    END IF;
END $$;

-- A sale or refund whose uid the hub already has from another event.
CREATE FUNCTION hub_duplicate_document(e hub_events, p_alerting boolean) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF p_alerting THEN
        INSERT INTO hub_alerts (kind, store, origin, seq, subject, detail)
        VALUES ('duplicate_number', e.store, e.origin, e.seq, e.body -> 'doc' ->> 'uid',
                format('%s %s already came from another event', e.kind,
                       e.body -> 'doc' ->> 'uid'));
    END IF;
END $$;

-- Takes a batch of one origin's events (a JSON array of sync events, seq ascending) and
-- returns the origin's acknowledged seq. One transaction; the origin's row locked, so two
-- pushes of one origin queue up.
-- - seq ≤ acked with the same content: already here, nothing changes (a retry);
-- - seq ≤ acked with other content: a restored or copied folder replaying history. The batch
--   is refused, a divergent_replay alert raised and the origin blocked: the function returns
--   NULL (it cannot raise: that would undo the block) and hub_nodes.blocked says why. Later
--   batches raise HB001 with that reason.
-- - a seq beyond acked + 1, or a hole inside the batch: refused (HG001), nothing changes.
-- - an event of another origin in the batch: refused (HO001).
CREATE FUNCTION hub_ingest(p_origin text, p_events jsonb) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_parts text[] := string_to_array(p_origin, '/');
    v_me hub_nodes;
    v_event jsonb;
    v_expected bigint;
    v_seq bigint;
    v_stored jsonb;
    v_row hub_events;
    v_divergent bigint;
    v_catalogue_node text;
    v_held text;
    v_at timestamptz;
BEGIN
    IF coalesce(array_length(v_parts, 1), 0) <> 3 OR jsonb_typeof(p_events) <> 'array' THEN
        RAISE EXCEPTION 'origin % is not store/node/incarnation, or the events not an array',
            p_origin USING ERRCODE = 'HO001';
    END IF;
    INSERT INTO hub_stores (store) VALUES (v_parts[1]) ON CONFLICT DO NOTHING;
    INSERT INTO hub_nodes (origin, store, node, incarnation)
    VALUES (p_origin, v_parts[1], v_parts[2], v_parts[3]) ON CONFLICT DO NOTHING;
    SELECT * INTO v_me FROM hub_nodes n WHERE n.origin = p_origin FOR UPDATE;
    IF v_me.blocked IS NOT NULL THEN
        RAISE EXCEPTION '%', v_me.blocked USING ERRCODE = 'HB001';
    END IF;

    -- Two counters' batches touching the same products take their stock rows in one order,
    -- so they queue instead of deadlocking.
    INSERT INTO hub_store_stock (store, product, qty_milli)
    SELECT DISTINCT v_parts[1], s.value ->> 'product', 0
    FROM jsonb_array_elements(p_events) e,
         jsonb_array_elements(coalesce(e.value -> 'stock', '[]')) s
    ORDER BY 2
    ON CONFLICT DO NOTHING;
    PERFORM 1 FROM hub_store_stock st
    WHERE st.store = v_parts[1]
      AND st.product IN (SELECT s.value ->> 'product'
                         FROM jsonb_array_elements(p_events) e,
                              jsonb_array_elements(coalesce(e.value -> 'stock', '[]')) s)
    ORDER BY st.product
    FOR UPDATE;

    FOR v_event IN SELECT value FROM jsonb_array_elements(p_events) LOOP
        IF v_event ->> 'store' IS DISTINCT FROM v_parts[1]
           OR v_event ->> 'node' IS DISTINCT FROM v_parts[2]
           OR v_event ->> 'incarnation' IS DISTINCT FROM v_parts[3] THEN
            RAISE EXCEPTION 'event % of % sent as %', v_event ->> 'seq',
                concat_ws('/', v_event ->> 'store', v_event ->> 'node',
                          v_event ->> 'incarnation'), p_origin
                USING ERRCODE = 'HO001';
        END IF;
        v_seq := (v_event ->> 'seq')::bigint;
        IF v_expected IS NOT NULL AND v_seq <> v_expected THEN
            RAISE EXCEPTION 'the batch of % jumps from % to %', p_origin, v_expected - 1, v_seq
                USING ERRCODE = 'HG001';
        END IF;
        v_expected := v_seq + 1;
        IF v_seq <= v_me.acked_seq THEN
            SELECT e.body INTO v_stored FROM hub_events e
            WHERE e.origin = p_origin AND e.seq = v_seq;
            IF v_stored IS DISTINCT FROM v_event THEN
                v_divergent := v_seq;
                EXIT;
            END IF;
            CONTINUE;
        END IF;
        IF v_seq <> v_me.acked_seq + 1 THEN
            RAISE EXCEPTION '% has events up to %, the batch starts at %', p_origin,
                v_me.acked_seq, v_seq USING ERRCODE = 'HG001';
        END IF;
        v_at := (v_event ->> 'at')::timestamptz;
        v_held := NULL;
        IF hub_is_catalogue(v_event ->> 'kind') THEN
            -- The first node to send a catalogue change becomes its store's catalogue node.
            UPDATE hub_stores s SET catalogue_node = v_parts[2]
            WHERE s.store = v_parts[1] AND s.catalogue_node IS NULL;
            SELECT s.catalogue_node INTO v_catalogue_node FROM hub_stores s
            WHERE s.store = v_parts[1];
            IF v_catalogue_node <> v_parts[2] THEN
                v_held := format('catalogue change from %s; the catalogue node of %s is %s',
                                 v_parts[2], v_parts[1], v_catalogue_node);
            END IF;
        END IF;
        INSERT INTO hub_events (origin, seq, store, kind, uid, at, body, held)
        VALUES (p_origin, v_seq, v_parts[1], v_event ->> 'kind', v_event ->> 'uid', v_at,
                v_event, v_held)
        RETURNING * INTO v_row;
        IF v_held IS NOT NULL THEN
            INSERT INTO hub_alerts (kind, store, origin, seq, subject, detail)
            VALUES ('catalogue_writer', v_parts[1], p_origin, v_seq, v_event ->> 'kind',
                    v_held);
        ELSE
            PERFORM hub_project(v_row, true);
        END IF;
        IF v_at > now() + hub_clock_tolerance() AND NOT EXISTS (
            SELECT 1 FROM hub_alerts a WHERE a.origin = p_origin AND a.kind = 'clock_skew'
              AND a.raised_at > now() - interval '1 hour') THEN
            INSERT INTO hub_alerts (kind, store, origin, seq, subject, detail)
            VALUES ('clock_skew', v_parts[1], p_origin, v_seq, v_parts[2],
                    format('event at %s, hub clock %s', v_event ->> 'at', now()));
        END IF;
        v_me.acked_seq := v_seq;
        v_me.last_event_at := v_at;
    END LOOP;

    IF v_divergent IS NOT NULL THEN
        -- Undo whatever this call did, then keep the block and the alert (the handler below).
        RAISE EXCEPTION USING ERRCODE = 'HD001', MESSAGE = v_divergent::text;
    END IF;

    UPDATE hub_nodes n
    SET acked_seq = v_me.acked_seq, last_event_at = v_me.last_event_at, last_ingest_at = now()
    WHERE n.origin = p_origin;
    RETURN v_me.acked_seq;
EXCEPTION
    WHEN SQLSTATE 'HD001' THEN
        UPDATE hub_nodes n
        SET blocked = format('event %s of %s came again with other content: a restored or '
                             'copied data folder replaying its history', SQLERRM, p_origin)
        WHERE n.origin = p_origin;
        INSERT INTO hub_alerts (kind, store, origin, seq, subject, detail)
        VALUES ('divergent_replay', v_parts[1], p_origin, SQLERRM::bigint, v_parts[2],
                format('event %s of %s came again with other content', SQLERRM, p_origin));
        RETURN NULL;
END $$;

-- The other nodes' events of a store after a cursor (xid, feed_id), oldest first, only from
-- transactions older than every transaction still running: a slow batch that took its feed
-- ids before a quick one committed is read after it commits, never skipped. The horizon is the
-- server's, not the database's: a long transaction anywhere on the server delays every pull
-- (never loses one), so keep ingest transactions short and the hub's server to itself.
CREATE FUNCTION hub_pull(p_store text, p_origin text, cursor_xid xid8, cursor_id bigint,
                         lim int)
RETURNS TABLE (xid xid8, feed_id bigint, body jsonb)
LANGUAGE sql STABLE AS $$
    SELECT e.xid, e.feed_id, e.body
    FROM hub_events e
    WHERE e.store = p_store
      AND e.origin <> p_origin
      AND e.held IS NULL
      AND (e.xid, e.feed_id) > (cursor_xid, cursor_id)
      AND e.xid < pg_snapshot_xmin(pg_current_snapshot())
    ORDER BY e.xid, e.feed_id
    LIMIT lim
$$;

-- Empties the projections and fills them again from the events, in feed order (no alerts).
CREATE FUNCTION hub_rebuild() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    e hub_events;
BEGIN
    TRUNCATE hub_stock_moves, hub_store_stock, hub_sale_lines, hub_sales, hub_refund_lines,
             hub_refunds, hub_document_numbers, hub_catalogue;
    FOR e IN SELECT * FROM hub_events WHERE held IS NULL ORDER BY feed_id LOOP
        PERFORM hub_project(e, false);
    END LOOP;
END $$;
