-- EdgeCloud store schema, SQLite. Every table is keyed by cluster first: no query reaches another cluster's rows.
-- edgecloud_kv holds only the latest version of each live key, so reads never scan history (unlike kine's MAX(id) per key).
-- edgecloud_log holds the history that watches and consistent pagination read; compaction bounds it.

CREATE TABLE IF NOT EXISTS edgecloud_clusters (
    id               TEXT    NOT NULL PRIMARY KEY,
    revision         INTEGER NOT NULL,
    compact_revision INTEGER NOT NULL,
    created_at       INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS edgecloud_kv (
    cluster_id      TEXT    NOT NULL,
    key             TEXT    NOT NULL,
    create_revision INTEGER NOT NULL,
    mod_revision    INTEGER NOT NULL,
    expires_at      INTEGER,
    value           BLOB    NOT NULL,
    PRIMARY KEY (cluster_id, key)
) WITHOUT ROWID; -- the primary key is the table: keys are not stored a second time in an index

CREATE INDEX IF NOT EXISTS edgecloud_kv_expiry ON edgecloud_kv (expires_at) WHERE expires_at IS NOT NULL;

-- type: 0 created, 1 updated, 2 deleted. create_revision is that of the version written or deleted; value is the
-- version written (NULL for a delete). The version a change replaced is the history row at prev_mod_revision:
-- watches report it, and a list at an older revision rebuilds a key's state from the first change after that
-- revision. prev_value holds it only when that row may already be compacted (it was at or below the compact mark
-- when the change was written); compaction keeps any row a later change still refers to. So a value is stored
-- once in history, not twice.
CREATE TABLE IF NOT EXISTS edgecloud_log (
    cluster_id        TEXT    NOT NULL,
    revision          INTEGER NOT NULL,
    key               TEXT    NOT NULL,
    type              INTEGER NOT NULL,
    create_revision   INTEGER NOT NULL,
    prev_mod_revision INTEGER NOT NULL,
    created_at        INTEGER NOT NULL,
    value             BLOB,
    prev_value        BLOB,
    PRIMARY KEY (cluster_id, revision)
);

CREATE INDEX IF NOT EXISTS edgecloud_log_key ON edgecloud_log (cluster_id, key, revision);
