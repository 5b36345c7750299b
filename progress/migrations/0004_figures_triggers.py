"""Each assigned unit's figures kept by PostgreSQL (the comment at the top of ``SQL`` says how).

The SQL is written here, not read from a file: a released migration must not change when a file
does. Later changes to these functions and triggers are later migrations.
"""

from django.db import migrations

SQL = """-- Each assigned unit's figures, one row per unit (progress_assignmentfigures), kept by PostgreSQL.
--
-- 1. Row triggers on every table a figure comes from put the assigned units a write touches
--    into progress_figures_queue, once per transaction and unit.
-- 2. At commit, a deferred trigger on the queue recomputes those units' rows from the raw
--    rows in one set-based statement (progress_refresh_figures) and empties the transaction's
--    part of the queue. So a plan grid of twelve months costs one recomputation, and no
--    write path (view, admin, import, bulk update, psql) can leave a figure stale.
-- 3. Refreshes of the same unit by concurrent transactions take an advisory lock on it, in
--    unit order; the recomputation after the lock reads with a fresh snapshot, so the last
--    committer writes figures that include every committed change. A batch of more than
--    1,000 units takes one exclusive lock instead (the lock table is finite).
-- 4. Every refresh gives the fiscal years it touches a new version (progress_figuresversion),
--    from a sequence that never gives a number twice: cached pages are kept under it.

CREATE TABLE progress_figures_queue (
    txid bigint NOT NULL,
    activity_unit_id bigint NOT NULL,
    PRIMARY KEY (txid, activity_unit_id)
);

CREATE SEQUENCE progress_figures_version_seq;

CREATE OR REPLACE FUNCTION progress_bump_versions(years smallint[]) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO progress_figuresversion (fiscal_year, version, changed_at)
    SELECT y, nextval('progress_figures_version_seq'), now()
    FROM (SELECT DISTINCT y FROM unnest(years) AS t(y) WHERE y IS NOT NULL) AS distinct_years
    ORDER BY y
    ON CONFLICT (fiscal_year) DO UPDATE SET version = EXCLUDED.version, changed_at = EXCLUDED.changed_at;
$$;

CREATE OR REPLACE FUNCTION progress_refresh_figures(ids bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    years smallint[];
BEGIN
    IF cardinality(ids) > 1000 THEN
        PERFORM pg_advisory_xact_lock(1919250036, 0);
    ELSE
        PERFORM pg_advisory_xact_lock_shared(1919250036, 0);
        PERFORM pg_advisory_xact_lock(1919250036, x.id::int)
        FROM (SELECT DISTINCT unnest(ids) AS id ORDER BY 1) AS x;
    END IF;

    -- The years the units were in before, and (below) after: each gets a new version.
    years := ARRAY(SELECT DISTINCT f.fiscal_year FROM progress_assignmentfigures f WHERE f.activity_unit_id = ANY(ids));

    DELETE FROM progress_assignmentfigures f
    WHERE f.activity_unit_id = ANY(ids)
      AND NOT EXISTS (SELECT 1 FROM projects_activityunit au WHERE au.id = f.activity_unit_id);

    INSERT INTO progress_assignmentfigures AS f (
        activity_unit_id, fiscal_year, funding_source, project_id, activity_id, unit_id,
        planned_quantity, planned_spending, result_quantity,
        committed, disbursed, disbursed_investment, committed_carried, disbursed_carried,
        received, received_carried,
        step_completion, indicators_met, indicator_count,
        allocated, allocated_investment, allocated_carried, refreshed_at
    )
    SELECT
        au.id, p.fiscal_year, p.funding_source, p.id, a.id, au.unit_id,
        plan.quantity, plan.spending, res.quantity,
        dis.committed, dis.disbursed, dis.disbursed_investment, dis.committed_carried, dis.disbursed_carried,
        rec.received, rec.received_carried,
        st.completion,
        COALESCE(ind.met, array_fill(0, ARRAY[12])),
        (SELECT count(*) FROM projects_indicator i WHERE i.activity_id = a.id),
        alloc.allocated, alloc.allocated_investment, alloc.allocated_carried,
        now()
    FROM projects_activityunit au
    JOIN projects_activity a ON a.id = au.activity_id
    JOIN projects_project p ON p.id = a.project_id
    -- Monthly plan: output and spending.
    CROSS JOIN LATERAL (
        SELECT array_agg(c.q ORDER BY c.m) AS quantity, array_agg(c.s ORDER BY c.m) AS spending
        FROM (
            SELECT g.m, SUM(COALESCE(v.q, 0)) OVER w AS q, SUM(COALESCE(v.s, 0)) OVER w AS s
            FROM generate_series(1, 12) AS g(m)
            LEFT JOIN (
                SELECT x.month AS m, SUM(x.quantity) AS q, SUM(x.spending) AS s
                FROM projects_monthlyplan x WHERE x.activity_unit_id = au.id GROUP BY x.month
            ) v ON v.m = g.m
            WINDOW w AS (ORDER BY g.m)
        ) c
    ) plan
    -- Performance results: output achieved.
    CROSS JOIN LATERAL (
        SELECT array_agg(c.q ORDER BY c.m) AS quantity
        FROM (
            SELECT g.m, SUM(COALESCE(v.q, 0)) OVER (ORDER BY g.m) AS q
            FROM generate_series(1, 12) AS g(m)
            LEFT JOIN (
                SELECT x.month AS m, SUM(x.quantity) AS q
                FROM progress_performanceresult x WHERE x.activity_unit_id = au.id GROUP BY x.month
            ) v ON v.m = g.m
        ) c
    ) res
    -- Disbursements: this year's money (all and investment) and carried-over money apart.
    CROSS JOIN LATERAL (
        SELECT
            array_agg(c.cm ORDER BY c.m) AS committed,
            array_agg(c.ds ORDER BY c.m) AS disbursed,
            array_agg(c.inv ORDER BY c.m) AS disbursed_investment,
            array_agg(c.cmc ORDER BY c.m) AS committed_carried,
            array_agg(c.dsc ORDER BY c.m) AS disbursed_carried
        FROM (
            SELECT g.m,
                SUM(COALESCE(v.cm, 0)) OVER w AS cm, SUM(COALESCE(v.ds, 0)) OVER w AS ds,
                SUM(COALESCE(v.inv, 0)) OVER w AS inv,
                SUM(COALESCE(v.cmc, 0)) OVER w AS cmc, SUM(COALESCE(v.dsc, 0)) OVER w AS dsc
            FROM generate_series(1, 12) AS g(m)
            LEFT JOIN (
                SELECT x.month AS m,
                    SUM(x.committed) FILTER (WHERE NOT x.carried_over) AS cm,
                    SUM(x.disbursed) FILTER (WHERE NOT x.carried_over) AS ds,
                    SUM(x.disbursed) FILTER (WHERE NOT x.carried_over AND x.category = 'investment') AS inv,
                    SUM(x.committed) FILTER (WHERE x.carried_over) AS cmc,
                    SUM(x.disbursed) FILTER (WHERE x.carried_over) AS dsc
                FROM progress_disbursement x WHERE x.activity_unit_id = au.id GROUP BY x.month
            ) v ON v.m = g.m
            WINDOW w AS (ORDER BY g.m)
        ) c
    ) dis
    -- Transfers minus returns, in the fiscal month of their date (before the year: month 1, after: 12).
    CROSS JOIN LATERAL (
        SELECT array_agg(c.r ORDER BY c.m) AS received, array_agg(c.rc ORDER BY c.m) AS received_carried
        FROM (
            SELECT g.m, SUM(COALESCE(v.r, 0)) OVER w AS r, SUM(COALESCE(v.rc, 0)) OVER w AS rc
            FROM generate_series(1, 12) AS g(m)
            LEFT JOIN (
                SELECT
                    LEAST(12, GREATEST(1,
                        EXTRACT(YEAR FROM x.date)::int * 12 + EXTRACT(MONTH FROM x.date)::int
                        - ((p.fiscal_year - 544) * 12 + 10) + 1)) AS m,
                    SUM(CASE WHEN x.kind = 'transfer' THEN x.amount ELSE -x.amount END)
                        FILTER (WHERE NOT x.carried_over) AS r,
                    SUM(CASE WHEN x.kind = 'transfer' THEN x.amount ELSE -x.amount END)
                        FILTER (WHERE x.carried_over) AS rc
                FROM progress_transfer x WHERE x.activity_unit_id = au.id GROUP BY 1
            ) v ON v.m = g.m
            WINDOW w AS (ORDER BY g.m)
        ) c
    ) rec
    -- Steps: weight × the latest percentage reported as of each month; null when the activity has none.
    LEFT JOIN LATERAL (
        SELECT array_agg(c.done ORDER BY c.m) AS completion
        FROM (
            SELECT g.m, ROUND(SUM(s.weight * COALESCE(lp.percent, 0) / 100), 2) AS done
            FROM generate_series(1, 12) AS g(m)
            CROSS JOIN projects_step s
            LEFT JOIN LATERAL (
                SELECT sp.percent FROM progress_stepprogress sp
                WHERE sp.activity_unit_id = au.id AND sp.step_id = s.id AND sp.month <= g.m
                ORDER BY sp.month DESC LIMIT 1
            ) lp ON true
            WHERE s.activity_id = a.id
            GROUP BY g.m
        ) c
    ) st ON true
    -- Indicators: the latest result as of each month against the unit's share of the target, or the whole.
    LEFT JOIN LATERAL (
        SELECT array_agg(c.met ORDER BY c.m) AS met
        FROM (
            SELECT g.m, (count(*) FILTER (WHERE lr.value >= COALESCE(t.target, i.target)))::int AS met
            FROM generate_series(1, 12) AS g(m)
            CROSS JOIN projects_indicator i
            LEFT JOIN projects_indicatortarget t ON t.indicator_id = i.id AND t.activity_unit_id = au.id
            LEFT JOIN LATERAL (
                SELECT r.value FROM progress_indicatorresult r
                WHERE r.indicator_id = i.id AND r.activity_unit_id = au.id AND r.month <= g.m
                ORDER BY r.month DESC LIMIT 1
            ) lr ON true
            WHERE i.activity_id = a.id
            GROUP BY g.m
        ) c
    ) ind ON true
    -- Allocations.
    CROSS JOIN LATERAL (
        SELECT
            COALESCE(SUM(b.amount) FILTER (WHERE NOT b.carried_over), 0) AS allocated,
            COALESCE(SUM(b.amount) FILTER (WHERE NOT b.carried_over AND b.category = 'investment'), 0)
                AS allocated_investment,
            COALESCE(SUM(b.amount) FILTER (WHERE b.carried_over), 0) AS allocated_carried
        FROM projects_budgetallocation b WHERE b.activity_unit_id = au.id
    ) alloc
    WHERE au.id = ANY(ids)
    ON CONFLICT (activity_unit_id) DO UPDATE SET
        fiscal_year = EXCLUDED.fiscal_year,
        funding_source = EXCLUDED.funding_source,
        project_id = EXCLUDED.project_id,
        activity_id = EXCLUDED.activity_id,
        unit_id = EXCLUDED.unit_id,
        planned_quantity = EXCLUDED.planned_quantity,
        planned_spending = EXCLUDED.planned_spending,
        result_quantity = EXCLUDED.result_quantity,
        committed = EXCLUDED.committed,
        disbursed = EXCLUDED.disbursed,
        disbursed_investment = EXCLUDED.disbursed_investment,
        committed_carried = EXCLUDED.committed_carried,
        disbursed_carried = EXCLUDED.disbursed_carried,
        received = EXCLUDED.received,
        received_carried = EXCLUDED.received_carried,
        step_completion = EXCLUDED.step_completion,
        indicators_met = EXCLUDED.indicators_met,
        indicator_count = EXCLUDED.indicator_count,
        allocated = EXCLUDED.allocated,
        allocated_investment = EXCLUDED.allocated_investment,
        allocated_carried = EXCLUDED.allocated_carried,
        refreshed_at = EXCLUDED.refreshed_at;

    years := years || ARRAY(
        SELECT DISTINCT f.fiscal_year FROM progress_assignmentfigures f WHERE f.activity_unit_id = ANY(ids)
    );
    PERFORM progress_bump_versions(years);
END;
$$;


-- Every assigned unit again, and no row for a unit that is gone: for a bulk load that set the
-- triggers aside, or to check the summary against the raw rows.
CREATE OR REPLACE FUNCTION progress_refresh_all_figures() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM progress_assignmentfigures f
    WHERE NOT EXISTS (SELECT 1 FROM projects_activityunit au WHERE au.id = f.activity_unit_id);
    PERFORM progress_refresh_figures(ARRAY(SELECT id FROM projects_activityunit ORDER BY id));
END;
$$;

-- Row trigger: queue the assigned units a write touches. TG_ARGV[0] says how the row leads to
-- them ('unit': the row names the assigned unit; 'activity': every unit of the row's activity;
-- 'project': every unit of the row's project), TG_ARGV[1] names the column to follow.
CREATE OR REPLACE FUNCTION progress_figures_enqueue() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    keys bigint[] := ARRAY[]::bigint[];
    ids bigint[];
BEGIN
    IF TG_OP <> 'DELETE' THEN
        keys := keys || (to_jsonb(NEW) ->> TG_ARGV[1])::bigint;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        keys := keys || (to_jsonb(OLD) ->> TG_ARGV[1])::bigint;
    END IF;
    IF TG_ARGV[0] = 'unit' THEN
        ids := keys;
    ELSIF TG_ARGV[0] = 'activity' THEN
        ids := ARRAY(SELECT au.id FROM projects_activityunit au WHERE au.activity_id = ANY(keys));
    ELSE
        ids := ARRAY(
            SELECT au.id FROM projects_activityunit au
            JOIN projects_activity a ON a.id = au.activity_id
            WHERE a.project_id = ANY(keys)
        );
    END IF;
    INSERT INTO progress_figures_queue (txid, activity_unit_id)
    SELECT txid_current(), x.id FROM (SELECT DISTINCT unnest(ids) AS id) x WHERE x.id IS NOT NULL
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$;

-- Deferred to commit: the first firing in a transaction refreshes all its queued units at once;
-- later firings find the queue already emptied.
CREATE OR REPLACE FUNCTION progress_figures_flush() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    ids bigint[];
BEGIN
    WITH taken AS (
        DELETE FROM progress_figures_queue q WHERE q.txid = txid_current() RETURNING q.activity_unit_id
    )
    SELECT array_agg(taken.activity_unit_id) INTO ids FROM taken;
    IF ids IS NOT NULL THEN
        PERFORM progress_refresh_figures(ids);
    END IF;
    RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER progress_figures_flush
    AFTER INSERT ON progress_figures_queue
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION progress_figures_flush();

CREATE TRIGGER progress_figures_activityunit
    AFTER INSERT OR UPDATE OR DELETE ON projects_activityunit
    FOR EACH ROW EXECUTE FUNCTION progress_figures_enqueue('unit', 'id');
CREATE TRIGGER progress_figures_monthlyplan
    AFTER INSERT OR UPDATE OR DELETE ON projects_monthlyplan
    FOR EACH ROW EXECUTE FUNCTION progress_figures_enqueue('unit', 'activity_unit_id');
CREATE TRIGGER progress_figures_budgetallocation
    AFTER INSERT OR UPDATE OR DELETE ON projects_budgetallocation
    FOR EACH ROW EXECUTE FUNCTION progress_figures_enqueue('unit', 'activity_unit_id');
CREATE TRIGGER progress_figures_indicatortarget
    AFTER INSERT OR UPDATE OR DELETE ON projects_indicatortarget
    FOR EACH ROW EXECUTE FUNCTION progress_figures_enqueue('unit', 'activity_unit_id');
CREATE TRIGGER progress_figures_performanceresult
    AFTER INSERT OR UPDATE OR DELETE ON progress_performanceresult
    FOR EACH ROW EXECUTE FUNCTION progress_figures_enqueue('unit', 'activity_unit_id');
CREATE TRIGGER progress_figures_stepprogress
    AFTER INSERT OR UPDATE OR DELETE ON progress_stepprogress
    FOR EACH ROW EXECUTE FUNCTION progress_figures_enqueue('unit', 'activity_unit_id');
CREATE TRIGGER progress_figures_indicatorresult
    AFTER INSERT OR UPDATE OR DELETE ON progress_indicatorresult
    FOR EACH ROW EXECUTE FUNCTION progress_figures_enqueue('unit', 'activity_unit_id');
CREATE TRIGGER progress_figures_disbursement
    AFTER INSERT OR UPDATE OR DELETE ON progress_disbursement
    FOR EACH ROW EXECUTE FUNCTION progress_figures_enqueue('unit', 'activity_unit_id');
CREATE TRIGGER progress_figures_transfer
    AFTER INSERT OR UPDATE OR DELETE ON progress_transfer
    FOR EACH ROW EXECUTE FUNCTION progress_figures_enqueue('unit', 'activity_unit_id');
CREATE TRIGGER progress_figures_step
    AFTER INSERT OR UPDATE OR DELETE ON projects_step
    FOR EACH ROW EXECUTE FUNCTION progress_figures_enqueue('activity', 'activity_id');
CREATE TRIGGER progress_figures_indicator
    AFTER INSERT OR UPDATE OR DELETE ON projects_indicator
    FOR EACH ROW EXECUTE FUNCTION progress_figures_enqueue('activity', 'activity_id');
CREATE TRIGGER progress_figures_activity
    AFTER UPDATE OF project_id ON projects_activity
    FOR EACH ROW WHEN (OLD.project_id IS DISTINCT FROM NEW.project_id)
    EXECUTE FUNCTION progress_figures_enqueue('activity', 'id');
CREATE TRIGGER progress_figures_project
    AFTER UPDATE OF fiscal_year, funding_source ON projects_project
    FOR EACH ROW WHEN (OLD.fiscal_year IS DISTINCT FROM NEW.fiscal_year
                       OR OLD.funding_source IS DISTINCT FROM NEW.funding_source)
    EXECUTE FUNCTION progress_figures_enqueue('project', 'id');


CREATE OR REPLACE FUNCTION progress_bump_project_year() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM progress_bump_versions(ARRAY[OLD.fiscal_year, NEW.fiscal_year]::smallint[]);
    RETURN NULL;
END;
$$;

CREATE TRIGGER progress_figures_project_names
    AFTER UPDATE OF name, code, status ON projects_project
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.code IS DISTINCT FROM NEW.code
                       OR OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION progress_bump_project_year();

SELECT progress_refresh_all_figures();
"""

TRIGGERS = {
    "projects_activityunit": "activityunit",
    "projects_monthlyplan": "monthlyplan",
    "projects_budgetallocation": "budgetallocation",
    "projects_indicatortarget": "indicatortarget",
    "progress_performanceresult": "performanceresult",
    "progress_stepprogress": "stepprogress",
    "progress_indicatorresult": "indicatorresult",
    "progress_disbursement": "disbursement",
    "progress_transfer": "transfer",
    "projects_step": "step",
    "projects_indicator": "indicator",
    "projects_activity": "activity",
    "projects_project": "project",
}
REVERSE = [
    *(f"DROP TRIGGER IF EXISTS progress_figures_{name} ON {table}" for table, name in TRIGGERS.items()),
    "DROP TRIGGER IF EXISTS progress_figures_project_names ON projects_project",
    "DROP TABLE IF EXISTS progress_figures_queue",
    "DROP FUNCTION IF EXISTS progress_bump_project_year()",
    "DROP FUNCTION IF EXISTS progress_figures_flush()",
    "DROP FUNCTION IF EXISTS progress_figures_enqueue()",
    "DROP FUNCTION IF EXISTS progress_refresh_all_figures()",
    "DROP FUNCTION IF EXISTS progress_refresh_figures(bigint[])",
    "DROP FUNCTION IF EXISTS progress_bump_versions(smallint[])",
    "DROP SEQUENCE IF EXISTS progress_figures_version_seq",
]


class Migration(migrations.Migration):
    dependencies = [("progress", "0003_assignment_figures")]

    operations = [migrations.RunSQL(sql=[SQL], reverse_sql=REVERSE)]
