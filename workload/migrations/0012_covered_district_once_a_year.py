"""A district is covered by one district office a year at most; an office listing districts lists its
own too (so coverage is one level deep and no office covers itself through another).

The covered row carries its submission's year (filled by a trigger), for the unique constraint.
Existing rows get theirs with the lock trigger set aside for the statement: a confirmed
submission's rows only gain the year they already had through the submission. If two offices
already list the same district in one year the migration stops and names them: which office
records that district is the province's decision, not the migration's.
"""

import django.db.models.deletion
import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations, models


DUPLICATES_STOP = """
DO $$
DECLARE listed text;
BEGIN
    SELECT string_agg(format('FY %s district %s: %s', q.fiscal_year, d.code, offices), '; ')
    INTO listed
    FROM (
        SELECT c.questionnaire_id, c.district_id, string_agg(o.code, ', ' ORDER BY o.code) AS offices
        FROM workload_covereddistrict c
        JOIN workload_submission s ON s.id = c.submission_id
        JOIN accounts_orgunit o ON o.id = s.office_id
        GROUP BY c.questionnaire_id, c.district_id HAVING count(*) > 1
    ) dup
    JOIN workload_questionnaire q ON q.id = dup.questionnaire_id
    JOIN accounts_district d ON d.id = dup.district_id;
    IF listed IS NOT NULL THEN
        RAISE EXCEPTION 'districts covered by more than one office (untick them on all but one): %', listed;
    END IF;
END $$;
"""


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0011_admin_thai_labels'),
        ('workload', '0011_admin_thai_labels'),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(
            model_name='covereddistrict',
            name='insert_insert',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='covereddistrict',
            name='update_update',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='covereddistrict',
            name='delete_delete',
        ),
        migrations.AddField(
            model_name='covereddistrict',
            name='questionnaire',
            field=models.ForeignKey(editable=False, help_text="The submission's; set by the database.", null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='workload.questionnaire', verbose_name='questionnaire'),
        ),
        migrations.AddField(
            model_name='covereddistrictevent',
            name='questionnaire',
            field=models.ForeignKey(db_constraint=False, editable=False, help_text="The submission's; set by the database.", null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='workload.questionnaire', verbose_name='questionnaire'),
        ),
        migrations.RunSQL(
            sql=[
                "ALTER TABLE workload_covereddistrict DISABLE TRIGGER pgtrigger_covered_lock_c1787",
                "UPDATE workload_covereddistrict c SET questionnaire_id = s.questionnaire_id"
                " FROM workload_submission s WHERE s.id = c.submission_id",
                "ALTER TABLE workload_covereddistrict ENABLE TRIGGER pgtrigger_covered_lock_c1787",
                DUPLICATES_STOP,
            ],
            reverse_sql=migrations.RunSQL.noop,
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='covereddistrict',
            trigger=pgtrigger.compiler.Trigger(name='covered_year', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    SELECT s.questionnaire_id INTO NEW.questionnaire_id FROM workload_submission s\n        WHERE s.id = NEW.submission_id;\n    RETURN NEW;\n', hash='459ce470e23711b175b3f7b42a8bd87ef0e6344b', operation='INSERT OR UPDATE', pgid='pgtrigger_covered_year_6ef01', table='workload_covereddistrict', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='covereddistrict',
            trigger=pgtrigger.compiler.Trigger(name='covered_own_first', sql=pgtrigger.compiler.UpsertTriggerSql(constraint='CONSTRAINT', declare='DECLARE sub bigint; own bigint;', func="\n    FOR sub IN SELECT unnest(ARRAY[\n        CASE WHEN TG_OP <> 'DELETE' THEN NEW.submission_id END,\n        CASE WHEN TG_OP <> 'INSERT' THEN OLD.submission_id END]) LOOP\n        CONTINUE WHEN sub IS NULL;\n        SELECT o.district_id INTO own FROM workload_submission s\n            JOIN accounts_orgunit o ON o.id = s.office_id WHERE s.id = sub;\n        IF own IS NOT NULL\n           AND EXISTS (SELECT 1 FROM workload_covereddistrict c WHERE c.submission_id = sub)\n           AND NOT EXISTS (SELECT 1 FROM workload_covereddistrict c\n                           WHERE c.submission_id = sub AND c.district_id = own) THEN\n            RAISE EXCEPTION 'workload submission % lists districts but not its own district %', sub, own\n                USING ERRCODE = 'check_violation';\n        END IF;\n    END LOOP;\n    RETURN NULL;\n", hash='8e34ac3e1a61207f3011165ac4eeb69831f70306', operation='INSERT OR UPDATE OR DELETE', pgid='pgtrigger_covered_own_first_dc0a6', table='workload_covereddistrict', timing='DEFERRABLE INITIALLY DEFERRED', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='covereddistrict',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "workload_covereddistrictevent" ("district_id", "id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "questionnaire_id", "submission_id") VALUES (NEW."district_id", NEW."id", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."questionnaire_id", NEW."submission_id"); RETURN NULL;', hash='59f90561296a2b25bfe23a9ef495a58dd9cbfb0b', operation='INSERT', pgid='pgtrigger_insert_insert_1c6be', table='workload_covereddistrict', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='covereddistrict',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD.* IS DISTINCT FROM NEW.*)', func='INSERT INTO "workload_covereddistrictevent" ("district_id", "id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "questionnaire_id", "submission_id") VALUES (NEW."district_id", NEW."id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."questionnaire_id", NEW."submission_id"); RETURN NULL;', hash='b1cc6c37162f34c26cbb4e215cd906f775e1a78e', operation='UPDATE', pgid='pgtrigger_update_update_3c4f4', table='workload_covereddistrict', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='covereddistrict',
            trigger=pgtrigger.compiler.Trigger(name='delete_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "workload_covereddistrictevent" ("district_id", "id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "questionnaire_id", "submission_id") VALUES (OLD."district_id", OLD."id", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."questionnaire_id", OLD."submission_id"); RETURN NULL;', hash='3405eff662e2fe082988f60b1a7e87ba01b332af', operation='DELETE', pgid='pgtrigger_delete_delete_eba8f', table='workload_covereddistrict', when='AFTER')),
        ),
        migrations.AddConstraint(
            model_name='covereddistrict',
            constraint=models.UniqueConstraint(fields=('questionnaire', 'district'), name='covered_district_once_a_year'),
        ),
        migrations.AddConstraint(
            model_name='covereddistrict',
            constraint=models.CheckConstraint(condition=models.Q(questionnaire__isnull=False), name='covered_has_year'),
        ),
    ]
