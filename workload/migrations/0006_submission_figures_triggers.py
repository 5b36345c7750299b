"""Submissions' figures kept by PostgreSQL (the comment at the top of ``SQL`` says how).

The SQL is written here, not read from a file: a released migration must not change when a file
does. Later changes to these functions and triggers are later migrations (0008 first).
"""

from django.db import migrations

SQL = """-- Each district submission's figures (answers counted and hours summed per aspect, extra items,
-- districts covered, confirmed or not) in workload_submissionfigures, kept by statement triggers:
-- whatever writes answers, extra items, covered districts or submissions (the pages, the admin, a
-- bulk update, psql), the touched submissions are recomputed at the end of the statement.
-- A recomputation takes an advisory lock on each submission first (in order), so a concurrent
-- one waits and then reads the committed rows; each row gets a new version from a sequence.

CREATE SEQUENCE workload_figures_version_seq;

CREATE OR REPLACE FUNCTION workload_refresh_figures(ids bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF cardinality(ids) > 1000 THEN
        PERFORM pg_advisory_xact_lock(1919250037, 0);
    ELSE
        PERFORM pg_advisory_xact_lock_shared(1919250037, 0);
        PERFORM pg_advisory_xact_lock(1919250037, x.id::int)
        FROM (SELECT DISTINCT unnest(ids) AS id ORDER BY 1) AS x;
    END IF;

    DELETE FROM workload_submissionfigures f
    WHERE f.submission_id = ANY(ids)
      AND NOT EXISTS (SELECT 1 FROM workload_submission s WHERE s.id = f.submission_id);

    INSERT INTO workload_submissionfigures AS f (
        submission_id, questionnaire_id, office_id, answered_by_aspect, hours_by_aspect, answered_total,
        extra_hours, total_hours, covered_count, is_confirmed, version
    )
    SELECT
        s.id, s.questionnaire_id, s.office_id, a.answered, a.hours, a.answered_total,
        e.extra_hours, a.hours_total + e.extra_hours, c.covered, s.confirmed_at IS NOT NULL,
        nextval('workload_figures_version_seq')
    FROM workload_submission s
    JOIN workload_questionnaire q ON q.id = s.questionnaire_id
    -- Per aspect 1-8: answers given and volume × (days × working hours a day + hours).
    CROSS JOIN LATERAL (
        SELECT
            array_agg(COALESCE(v.n, 0) ORDER BY g.k) AS answered,
            array_agg(COALESCE(v.h, 0) ORDER BY g.k) AS hours,
            COALESCE(SUM(v.n), 0)::int AS answered_total,
            COALESCE(SUM(v.h), 0) AS hours_total
        FROM generate_series(1, 8) AS g(k)
        LEFT JOIN (
            SELECT asp.number AS k, count(*) AS n, SUM(x.volume * (x.days * q.hours_per_day + x.hours)) AS h
            FROM workload_answer x
            JOIN workload_question qu ON qu.id = x.question_id
            JOIN workload_aspect asp ON asp.id = qu.aspect_id
            WHERE x.submission_id = s.id
            GROUP BY asp.number
        ) v ON v.k = g.k
    ) a
    CROSS JOIN LATERAL (
        SELECT COALESCE(SUM(x.volume * (x.days * q.hours_per_day + x.hours)), 0) AS extra_hours
        FROM workload_extraitem x WHERE x.submission_id = s.id
    ) e
    CROSS JOIN LATERAL (
        SELECT count(*)::int AS covered FROM workload_covereddistrict x WHERE x.submission_id = s.id
    ) c
    WHERE s.id = ANY(ids)
    ON CONFLICT (submission_id) DO UPDATE SET
        questionnaire_id = EXCLUDED.questionnaire_id,
        office_id = EXCLUDED.office_id,
        answered_by_aspect = EXCLUDED.answered_by_aspect,
        hours_by_aspect = EXCLUDED.hours_by_aspect,
        answered_total = EXCLUDED.answered_total,
        extra_hours = EXCLUDED.extra_hours,
        total_hours = EXCLUDED.total_hours,
        covered_count = EXCLUDED.covered_count,
        is_confirmed = EXCLUDED.is_confirmed,
        version = EXCLUDED.version;
END;
$$;

CREATE OR REPLACE FUNCTION workload_refresh_all_figures() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM workload_submissionfigures f
    WHERE NOT EXISTS (SELECT 1 FROM workload_submission s WHERE s.id = f.submission_id);
    PERFORM workload_refresh_figures(ARRAY(SELECT id FROM workload_submission ORDER BY id));
END;
$$;

-- Statement triggers: the transition tables name the rows written (TG_ARGV[0]: the column that
-- names the submission).
CREATE OR REPLACE FUNCTION workload_figures_after_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM workload_refresh_figures(ARRAY(
        SELECT DISTINCT (to_jsonb(r) ->> TG_ARGV[0])::bigint FROM new_rows r));
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION workload_figures_after_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM workload_refresh_figures(ARRAY(
        SELECT (to_jsonb(r) ->> TG_ARGV[0])::bigint FROM new_rows r
        UNION SELECT (to_jsonb(r) ->> TG_ARGV[0])::bigint FROM old_rows r));
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION workload_figures_after_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM workload_refresh_figures(ARRAY(
        SELECT DISTINCT (to_jsonb(r) ->> TG_ARGV[0])::bigint FROM old_rows r));
    RETURN NULL;
END;
$$;

CREATE TRIGGER workload_figures_answer_insert AFTER INSERT ON workload_answer
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION workload_figures_after_insert('submission_id');
CREATE TRIGGER workload_figures_answer_update AFTER UPDATE ON workload_answer
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION workload_figures_after_update('submission_id');
CREATE TRIGGER workload_figures_answer_delete AFTER DELETE ON workload_answer
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION workload_figures_after_delete('submission_id');

CREATE TRIGGER workload_figures_extraitem_insert AFTER INSERT ON workload_extraitem
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION workload_figures_after_insert('submission_id');
CREATE TRIGGER workload_figures_extraitem_update AFTER UPDATE ON workload_extraitem
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION workload_figures_after_update('submission_id');
CREATE TRIGGER workload_figures_extraitem_delete AFTER DELETE ON workload_extraitem
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION workload_figures_after_delete('submission_id');

CREATE TRIGGER workload_figures_covered_insert AFTER INSERT ON workload_covereddistrict
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION workload_figures_after_insert('submission_id');
CREATE TRIGGER workload_figures_covered_update AFTER UPDATE ON workload_covereddistrict
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION workload_figures_after_update('submission_id');
CREATE TRIGGER workload_figures_covered_delete AFTER DELETE ON workload_covereddistrict
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION workload_figures_after_delete('submission_id');

CREATE TRIGGER workload_figures_submission_insert AFTER INSERT ON workload_submission
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION workload_figures_after_insert('id');
-- A submission's own row matters to its figures only when it is confirmed or reopened (or moved):
-- saving contact details or stamping updated_at costs nothing here.
CREATE OR REPLACE FUNCTION workload_figures_of_submission() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM workload_refresh_figures(ARRAY[NEW.id]);
    RETURN NULL;
END;
$$;

CREATE TRIGGER workload_figures_submission_update AFTER UPDATE ON workload_submission
    FOR EACH ROW WHEN (OLD.confirmed_at IS DISTINCT FROM NEW.confirmed_at
                       OR OLD.questionnaire_id IS DISTINCT FROM NEW.questionnaire_id
                       OR OLD.office_id IS DISTINCT FROM NEW.office_id)
    EXECUTE FUNCTION workload_figures_of_submission();
CREATE TRIGGER workload_figures_submission_delete AFTER DELETE ON workload_submission
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION workload_figures_after_delete('id');

-- What every submission of a questionnaire depends on: the working hours of a day, and which
-- aspect each question belongs to.
CREATE OR REPLACE FUNCTION workload_figures_of_questionnaire() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    questionnaire bigint;
BEGIN
    IF TG_TABLE_NAME = 'workload_questionnaire' THEN
        questionnaire := NEW.id;
    ELSIF TG_TABLE_NAME = 'workload_aspect' THEN
        questionnaire := NEW.questionnaire_id;
    ELSE
        SELECT a.questionnaire_id INTO questionnaire FROM workload_aspect a WHERE a.id = NEW.aspect_id;
    END IF;
    PERFORM workload_refresh_figures(ARRAY(
        SELECT s.id FROM workload_submission s WHERE s.questionnaire_id = questionnaire ORDER BY s.id));
    RETURN NULL;
END;
$$;

CREATE TRIGGER workload_figures_hours_per_day AFTER UPDATE OF hours_per_day ON workload_questionnaire
    FOR EACH ROW WHEN (OLD.hours_per_day IS DISTINCT FROM NEW.hours_per_day)
    EXECUTE FUNCTION workload_figures_of_questionnaire();
CREATE TRIGGER workload_figures_aspect_number AFTER UPDATE OF number ON workload_aspect
    FOR EACH ROW WHEN (OLD.number IS DISTINCT FROM NEW.number)
    EXECUTE FUNCTION workload_figures_of_questionnaire();
CREATE TRIGGER workload_figures_question_aspect AFTER UPDATE OF aspect_id ON workload_question
    FOR EACH ROW WHEN (OLD.aspect_id IS DISTINCT FROM NEW.aspect_id)
    EXECUTE FUNCTION workload_figures_of_questionnaire();

SELECT workload_refresh_all_figures();
"""

TRIGGERS = {
    "workload_answer": ("insert", "update", "delete"),
    "workload_extraitem": ("insert", "update", "delete"),
    "workload_covereddistrict": ("insert", "update", "delete"),
    "workload_submission": ("insert", "update", "delete"),
}
REVERSE = [
    *(
        f"DROP TRIGGER IF EXISTS workload_figures_{table.split('_', 1)[1].replace('covereddistrict', 'covered')}"
        f"_{event} ON {table}"
        for table, events in TRIGGERS.items()
        for event in events
    ),
    "DROP TRIGGER IF EXISTS workload_figures_hours_per_day ON workload_questionnaire",
    "DROP TRIGGER IF EXISTS workload_figures_aspect_number ON workload_aspect",
    "DROP TRIGGER IF EXISTS workload_figures_question_aspect ON workload_question",
    "DROP FUNCTION IF EXISTS workload_figures_of_questionnaire()",
    "DROP FUNCTION IF EXISTS workload_figures_of_submission()",
    "DROP FUNCTION IF EXISTS workload_figures_after_insert()",
    "DROP FUNCTION IF EXISTS workload_figures_after_update()",
    "DROP FUNCTION IF EXISTS workload_figures_after_delete()",
    "DROP FUNCTION IF EXISTS workload_refresh_all_figures()",
    "DROP FUNCTION IF EXISTS workload_refresh_figures(bigint[])",
    "DROP SEQUENCE IF EXISTS workload_figures_version_seq",
]


class Migration(migrations.Migration):
    dependencies = [("workload", "0005_submission_figures")]

    operations = [migrations.RunSQL(sql=[SQL], reverse_sql=REVERSE)]
