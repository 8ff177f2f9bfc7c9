-- Version 16 (issue 17): the store's settings and staff travel from its catalogue node.
--
-- Each store setting (by key) and each person (by uid) remembers which event last set it, so
-- events applied in any order leave every node with the same: the later by (event time,
-- origin, number) wins, and one already applied changes nothing. Stamps are kept per store:
-- what a folder wrote before it joined its store never outranks the store's own.
CREATE TABLE shared_stamps (
    store  TEXT NOT NULL,
    -- `setting` (uid: the setting's key) or `staff` (uid: the person's uid).
    kind   TEXT NOT NULL CHECK (kind IN ('setting', 'staff')),
    uid    TEXT NOT NULL,
    at     TEXT NOT NULL,
    origin TEXT NOT NULL,
    seq    INTEGER NOT NULL CHECK (seq > 0),
    PRIMARY KEY (store, kind, uid)
) STRICT, WITHOUT ROWID;

-- The store's settings and staff a catalogue node held before this version are written once
-- as its events (by the program, at its next start as the catalogue node).
ALTER TABLE sync_node ADD COLUMN shared_baseline_done INTEGER NOT NULL DEFAULT 0
    CHECK (shared_baseline_done IN (0, 1));
