-- Version 3: the stock-count rule of ../shared/docs/MULTI_TILL.md. A count posts counted −
-- expected *as its node knew it*; a movement of another node dated before the count that
-- reaches the hub after it was not in that expected stock, yet the shelf the count saw was
-- already without (or with) those goods, so the ledger now holds that movement twice. Counter
-- AB sells 3 bottles offline at 10:00, AA counts the shelf at 11:00 and posts −3, AB's sale
-- arrives at 12:00: the store's stock ends 3 too low. The hub cannot undo either side; it
-- raises moved_before_count so a manager recounts the product or checks the late document.
--
-- "Another node" is another origin: one origin's events reach the hub in their own order, so a
-- count knew every earlier event of its origin, whatever the dates say (a clock set back).
-- "Arrives after": the count's rows are in hub_stock_moves when the movement is projected;
-- hub_ingest locks each product's stock row first, so two batches moving one product queue and
-- one of them is always first. A count whose node saw no difference posts no row, and the hub
-- cannot know of it.

-- The stock counts of a store's product by date: the check below looks them up at every
-- projected movement, and counts are a small part of the ledger.
CREATE INDEX hub_stock_moves_counts ON hub_stock_moves (store, product, at)
WHERE kind = 'count';

-- A moment as the events write it (UTC, milliseconds), for alert details.
CREATE FUNCTION hub_utc_text(p_at timestamptz) RETURNS text LANGUAGE sql STABLE
AS $$ SELECT to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$;

-- One moved_before_count alert per product that event e moves (its rows of any kind but count,
-- added up) when the hub already holds a count of that product at e's store from another
-- origin dated after e. Subject: the product. Detail, read back by src/hub/report.rs:
--   count AA 2026-12-01T04:00:00.000Z; sale AB 2026-12-01T03:00:00.000Z -3000
-- the latest such count's node and time, then e's kind, node and time and the quantity it
-- moved (thousandths).
-- PL/pgSQL, not SQL: its plan is kept for the session instead of made again at every event.
CREATE FUNCTION hub_alert_moved_before_count(e hub_events) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO hub_alerts (kind, store, origin, seq, subject, detail)
    SELECT 'moved_before_count', e.store, e.origin, e.seq, m.product,
           format('count %s %s; %s %s %s %s', split_part(c.origin, '/', 2),
                  hub_utc_text(c.at), e.kind, split_part(e.origin, '/', 2), hub_utc_text(e.at),
                  m.qty_milli)
    FROM (SELECT s.product, sum(s.qty_milli) AS qty_milli
          FROM hub_stock_moves s
          WHERE s.origin = e.origin AND s.seq = e.seq AND s.kind <> 'count'
          GROUP BY s.product
          HAVING sum(s.qty_milli) <> 0) m
    CROSS JOIN LATERAL (
        SELECT c.origin, c.at
        FROM hub_stock_moves c
        WHERE c.store = e.store AND c.product = m.product AND c.kind = 'count'
          AND c.at > e.at AND c.origin <> e.origin
        ORDER BY c.at DESC, c.origin, c.seq
        LIMIT 1) c
    ORDER BY m.product;
END $$;

-- As in version 1, and the check above after the event's stock rows.
-- Writes one stored event into the projections, with its alerts when p_alerting.
CREATE OR REPLACE FUNCTION hub_project(e hub_events, p_alerting boolean) RETURNS void
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
    IF p_alerting THEN
        PERFORM hub_alert_moved_before_count(e);
    END IF;

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
