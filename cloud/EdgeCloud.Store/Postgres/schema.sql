-- EdgeCloud store schema, PostgreSQL. Every table is keyed by cluster first: no query reaches another cluster's rows.
-- edgecloud_kv holds only the latest version of each live key, so reads never scan history (unlike kine's MAX(id) per key).
-- edgecloud_log holds the history that watches and consistent pagination read; compaction bounds it.
-- Keys use the "C" collation so that ranges compare bytes, as etcd does.

CREATE TABLE IF NOT EXISTS edgecloud_clusters (
    id               text   COLLATE "C" NOT NULL PRIMARY KEY,
    revision         bigint NOT NULL,
    compact_revision bigint NOT NULL,
    created_at       bigint NOT NULL
) WITH (fillfactor = 50);

CREATE TABLE IF NOT EXISTS edgecloud_kv (
    cluster_id      text   COLLATE "C" NOT NULL,
    key             text   COLLATE "C" NOT NULL,
    create_revision bigint NOT NULL,
    mod_revision    bigint NOT NULL,
    expires_at      bigint,
    value           bytea  NOT NULL,
    PRIMARY KEY (cluster_id, key)
) WITH (fillfactor = 70);

CREATE INDEX IF NOT EXISTS edgecloud_kv_expiry ON edgecloud_kv (expires_at) WHERE expires_at IS NOT NULL;

CREATE TABLE IF NOT EXISTS edgecloud_log (
    cluster_id        text     COLLATE "C" NOT NULL,
    revision          bigint   NOT NULL,
    key               text     COLLATE "C" NOT NULL,
    type              smallint NOT NULL,
    create_revision   bigint   NOT NULL,
    prev_mod_revision bigint   NOT NULL,
    created_at        bigint   NOT NULL,
    value             bytea,
    prev_value        bytea,
    PRIMARY KEY (cluster_id, revision)
);

CREATE INDEX IF NOT EXISTS edgecloud_log_key ON edgecloud_log (cluster_id, key, revision);

-- Applies one write. The cluster row is locked first, so that all writers of a cluster queue on one lock in one
-- order (no deadlocks), and the check and the write happen in the caller's transaction: two writers can never
-- both win a compare-and-swap. Status: 0 applied, 1 already exists, 2 not found, 3 conflict, 4 no such cluster.
CREATE OR REPLACE FUNCTION edgecloud_apply(
    p_op smallint, p_cluster text, p_key text, p_value bytea, p_expected bigint, p_expires_at bigint, p_now bigint,
    OUT status smallint, OUT revision bigint, OUT create_revision bigint, OUT mod_revision bigint,
    OUT value bytea, OUT expires_at bigint)
LANGUAGE plpgsql AS $$
DECLARE
    head bigint;
    cur record;
BEGIN
    SELECT c.revision INTO head FROM edgecloud_clusters c WHERE c.id = p_cluster FOR UPDATE;
    IF NOT FOUND THEN
        status := 4;
        RETURN;
    END IF;

    SELECT k.create_revision, k.mod_revision, k.value, k.expires_at INTO cur
      FROM edgecloud_kv k WHERE k.cluster_id = p_cluster AND k.key = p_key;

    IF p_op = 0 THEN
        IF FOUND THEN
            status := 1; revision := head;
            create_revision := cur.create_revision; mod_revision := cur.mod_revision;
            value := cur.value; expires_at := cur.expires_at;
            RETURN;
        END IF;
    ELSE
        IF NOT FOUND THEN
            status := 2; revision := head;
            RETURN;
        END IF;
        IF p_expected <> 0 AND cur.mod_revision <> p_expected THEN
            status := 3; revision := head;
            create_revision := cur.create_revision; mod_revision := cur.mod_revision;
            value := cur.value; expires_at := cur.expires_at;
            RETURN;
        END IF;
    END IF;

    head := head + 1;
    UPDATE edgecloud_clusters SET revision = head WHERE id = p_cluster;
    status := 0; revision := head; mod_revision := head;

    IF p_op = 0 THEN
        INSERT INTO edgecloud_kv (cluster_id, key, create_revision, mod_revision, expires_at, value)
             VALUES (p_cluster, p_key, head, head, p_expires_at, p_value);
        INSERT INTO edgecloud_log (cluster_id, revision, key, type, create_revision, prev_mod_revision, created_at, value, prev_value)
             VALUES (p_cluster, head, p_key, 0, head, 0, p_now, p_value, NULL);
        create_revision := head; expires_at := p_expires_at;
    ELSIF p_op = 1 THEN
        UPDATE edgecloud_kv k SET mod_revision = head, expires_at = p_expires_at, value = p_value
         WHERE k.cluster_id = p_cluster AND k.key = p_key;
        INSERT INTO edgecloud_log (cluster_id, revision, key, type, create_revision, prev_mod_revision, created_at, value, prev_value)
             VALUES (p_cluster, head, p_key, 1, cur.create_revision, cur.mod_revision, p_now, p_value, cur.value);
        create_revision := cur.create_revision; expires_at := p_expires_at;
    ELSE
        DELETE FROM edgecloud_kv k WHERE k.cluster_id = p_cluster AND k.key = p_key;
        INSERT INTO edgecloud_log (cluster_id, revision, key, type, create_revision, prev_mod_revision, created_at, value, prev_value)
             VALUES (p_cluster, head, p_key, 2, cur.create_revision, cur.mod_revision, p_now, NULL, cur.value);
        -- A delete reports the version it removed.
        create_revision := cur.create_revision; mod_revision := cur.mod_revision;
        value := cur.value; expires_at := cur.expires_at;
    END IF;
END;
$$;
