-- Version 2: a catalogue change held from a node that is not its store's catalogue node is
-- passed on like any other event. Each node takes another node's events 1, 2, 3 … with no gap,
-- so an event left out of the feed stopped every other counter at that number for good; the
-- nodes themselves apply catalogue changes from their catalogue node only.
CREATE OR REPLACE FUNCTION hub_pull(p_store text, p_origin text, cursor_xid xid8,
                                    cursor_id bigint, lim int)
RETURNS TABLE (xid xid8, feed_id bigint, body jsonb)
LANGUAGE sql STABLE AS $$
    SELECT e.xid, e.feed_id, e.body
    FROM hub_events e
    WHERE e.store = p_store
      AND e.origin <> p_origin
      AND (e.xid, e.feed_id) > (cursor_xid, cursor_id)
      AND e.xid < pg_snapshot_xmin(pg_current_snapshot())
    ORDER BY e.xid, e.feed_id
    LIMIT lim
$$;
