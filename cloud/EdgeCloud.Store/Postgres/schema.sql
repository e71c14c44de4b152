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

-- Fixed-width columns come first so that rows carry no alignment padding between them.
CREATE TABLE IF NOT EXISTS edgecloud_kv (
    create_revision bigint NOT NULL,
    mod_revision    bigint NOT NULL,
    expires_at      bigint,
    cluster_id      text   COLLATE "C" NOT NULL,
    key             text   COLLATE "C" NOT NULL,
    value           bytea  NOT NULL,
    PRIMARY KEY (cluster_id, key)
) WITH (fillfactor = 90, autovacuum_vacuum_scale_factor = 0.05); -- room for heartbeat updates to stay HOT (pruned in place, no VACUUM needed)

CREATE INDEX IF NOT EXISTS edgecloud_kv_expiry ON edgecloud_kv (expires_at) WHERE expires_at IS NOT NULL;

-- type: 0 created, 1 updated, 2 deleted. value is the version written (NULL for a delete). The version a change
-- replaced is the history row at prev_mod_revision; prev_value holds it only when that row may already be compacted
-- (it was at or below the compact mark when the change was written), so most values are stored once in history.
CREATE TABLE IF NOT EXISTS edgecloud_log (
    revision          bigint   NOT NULL,
    create_revision   bigint   NOT NULL,
    prev_mod_revision bigint   NOT NULL,
    created_at        bigint   NOT NULL,
    type              smallint NOT NULL,
    cluster_id        text     COLLATE "C" NOT NULL,
    key               text     COLLATE "C" NOT NULL,
    value             bytea,
    prev_value        bytea,
    PRIMARY KEY (cluster_id, revision)
);

-- History has only its primary key. Every reader goes by revision: watches read a revision range; a list at an
-- old revision reads the changes after it (at most the retained window); compaction finds the rows still
-- referenced through the prev_mod_revision of the retained rows. A (cluster, key, revision) index cost more
-- space than the rows' values (about 60% of the heap under heartbeat churn) and served only those bounded scans.
DROP INDEX IF EXISTS edgecloud_log_key;

DROP FUNCTION IF EXISTS edgecloud_apply(smallint, text, text, bytea, bigint, bigint, bigint);

-- Applies a batch of writes of one cluster, in order. The cluster row is locked first, so that all writers of a
-- cluster queue on one lock in one order (no deadlocks), and every check and write happens in the caller's
-- transaction: two writers can never both win a compare-and-swap. The head revision is written and the change
-- notice sent once per batch. Status per write: 0 applied, 1 already exists, 2 not found, 3 conflict, 4 no such cluster.
-- Ops: 0 create, 1 update, 2 delete.
CREATE OR REPLACE FUNCTION edgecloud_apply_batch(
    p_cluster text, p_ops smallint[], p_keys text[], p_values bytea[], p_expected bigint[], p_expires bigint[], p_now bigint)
RETURNS TABLE (r_status smallint, r_revision bigint, r_create_revision bigint, r_mod_revision bigint, r_value bytea, r_expires_at bigint)
LANGUAGE plpgsql AS $$
DECLARE
    head bigint;
    first_head bigint;
    compacted bigint;
    cur record;
    i integer;
    v_op smallint;
    v_key text;
BEGIN
    SELECT c.revision, c.compact_revision INTO head, compacted FROM edgecloud_clusters c WHERE c.id = p_cluster FOR UPDATE;
    IF NOT FOUND THEN
        FOR i IN 1 .. cardinality(p_ops) LOOP
            r_status := 4;
            RETURN NEXT;
        END LOOP;
        RETURN;
    END IF;

    first_head := head;
    FOR i IN 1 .. cardinality(p_ops) LOOP
        v_op := p_ops[i];
        v_key := p_keys[i];
        r_status := 0; r_revision := head; r_create_revision := NULL; r_mod_revision := NULL; r_value := NULL; r_expires_at := NULL;

        SELECT k.create_revision, k.mod_revision, k.value, k.expires_at INTO cur
          FROM edgecloud_kv k WHERE k.cluster_id = p_cluster AND k.key = v_key;

        IF v_op = 0 AND FOUND THEN
            r_status := 1;
        ELSIF v_op <> 0 AND NOT FOUND THEN
            r_status := 2;
        ELSIF v_op <> 0 AND p_expected[i] <> 0 AND cur.mod_revision <> p_expected[i] THEN
            r_status := 3;
        END IF;

        IF r_status <> 0 THEN
            IF r_status <> 2 THEN
                r_create_revision := cur.create_revision; r_mod_revision := cur.mod_revision;
                r_value := cur.value; r_expires_at := cur.expires_at;
            END IF;
            RETURN NEXT;
            CONTINUE;
        END IF;

        head := head + 1;
        r_revision := head; r_mod_revision := head;
        IF v_op = 0 THEN
            INSERT INTO edgecloud_kv (cluster_id, key, create_revision, mod_revision, expires_at, value)
                 VALUES (p_cluster, v_key, head, head, p_expires[i], p_values[i]);
            INSERT INTO edgecloud_log (cluster_id, revision, key, type, create_revision, prev_mod_revision, created_at, value, prev_value)
                 VALUES (p_cluster, head, v_key, 0, head, 0, p_now, p_values[i], NULL);
            r_create_revision := head; r_expires_at := p_expires[i];
        ELSIF v_op = 1 THEN
            UPDATE edgecloud_kv k SET mod_revision = head, expires_at = p_expires[i], value = p_values[i]
             WHERE k.cluster_id = p_cluster AND k.key = v_key;
            INSERT INTO edgecloud_log (cluster_id, revision, key, type, create_revision, prev_mod_revision, created_at, value, prev_value)
                 VALUES (p_cluster, head, v_key, 1, cur.create_revision, cur.mod_revision, p_now, p_values[i],
                         CASE WHEN cur.mod_revision <= compacted THEN cur.value END);
            r_create_revision := cur.create_revision; r_expires_at := p_expires[i];
        ELSE
            DELETE FROM edgecloud_kv k WHERE k.cluster_id = p_cluster AND k.key = v_key;
            INSERT INTO edgecloud_log (cluster_id, revision, key, type, create_revision, prev_mod_revision, created_at, value, prev_value)
                 VALUES (p_cluster, head, v_key, 2, cur.create_revision, cur.mod_revision, p_now, NULL,
                         CASE WHEN cur.mod_revision <= compacted THEN cur.value END);
            -- A delete reports the version it removed.
            r_create_revision := cur.create_revision; r_mod_revision := cur.mod_revision;
            r_value := cur.value; r_expires_at := cur.expires_at;
        END IF;
        RETURN NEXT;
    END LOOP;

    IF head > first_head THEN
        UPDATE edgecloud_clusters SET revision = head WHERE id = p_cluster;
        -- Delivered at commit; other processes' listeners wake their watchers with it.
        PERFORM pg_notify('edgecloud_changes', p_cluster || ' ' || head);
    END IF;
END;
$$;
