
-- Version 18 (issue 17): how far the hub has acknowledged each of this folder's own origins,
-- as the sync worker last heard it. The status light counts from it the events still waiting
-- to go up (an earlier origin's too, after a restore or a new node code), right after a start
-- with the hub away, rather than only once the worker has reached the hub.
ALTER TABLE sync_origins ADD COLUMN hub_acked INTEGER NOT NULL DEFAULT 0 CHECK (hub_acked >= 0);
