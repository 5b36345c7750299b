"""The national-scale generator: valid data by every rule the database keeps, the same for the same seed."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from bench.generator import Generator
from bench.management.commands.generate_scale import Command as GenerateScale
from progress.models import AssignmentFigures, Disbursement, PerformanceResult, Transfer
from projects.models import ActivityUnit, Project
from workload.models import Answer, Submission, SubmissionFigures
from workload.services import digest_of, record_check, snapshot_of

pytestmark = pytest.mark.django_db
SMALL = {"years": 2, "scale": 0.02, "seed": 7, "password": "Bench@2569"}


class Rollback(Exception):
    pass


def fingerprint() -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM projects_activityunit),"
            " (SELECT sum(amount) FROM progress_transfer),"
            " (SELECT sum(disbursed) FROM progress_disbursement),"
            " (SELECT sum(volume) FROM workload_answer),"
            " (SELECT string_agg(username, ',' ORDER BY username) FROM accounts_user"
            "  WHERE username LIKE 'bench_%%'),"
            " (SELECT string_agg(name, ',' ORDER BY code) FROM projects_project)"
        )
        return cursor.fetchone()


def test_the_same_seed_gives_the_same_data():
    prints = []
    for _ in range(2):
        try:
            with transaction.atomic():
                Generator(**SMALL).run()
                prints.append(fingerprint())
                raise Rollback
        except Rollback:
            pass
    assert prints[0] == prints[1]
    assert prints[0][0] > 0 and prints[0][3] > 0


def test_generated_data_keeps_every_rule():
    Generator(**SMALL).run()
    assert Project.objects.values("fiscal_year").distinct().count() == 2
    # The money ledger: no pool of any assigned unit disbursed beyond what it received.
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH r AS (SELECT activity_unit_id, carried_over, SUM(CASE WHEN kind = 'transfer' THEN amount"
            " ELSE -amount END) AS received FROM progress_transfer GROUP BY 1, 2),"
            " d AS (SELECT activity_unit_id, carried_over, SUM(disbursed) AS spent FROM progress_disbursement"
            " GROUP BY 1, 2)"
            " SELECT count(*) FROM d LEFT JOIN r USING (activity_unit_id, carried_over)"
            " WHERE d.spent > COALESCE(r.received, 0)"
        )
        assert cursor.fetchone()[0] == 0
        cursor.execute(
            "SELECT count(*) FROM (SELECT activity_id FROM projects_step GROUP BY 1"
            " HAVING SUM(weight) <> 100) s"
        )
        assert cursor.fetchone()[0] == 0
    # Both summaries were rebuilt and agree with the raw rows.
    assert AssignmentFigures.objects.count() == ActivityUnit.objects.count()
    raw = sum((d.disbursed for d in Disbursement.objects.filter(carried_over=False)), Decimal(0))
    assert sum((f.disbursed[11] for f in AssignmentFigures.objects.all()), Decimal(0)) == raw
    assert SubmissionFigures.objects.count() == Submission.objects.count()
    assert sum(f.answered_total for f in SubmissionFigures.objects.all()) == Answer.objects.count()
    # Confirmed submissions carry the record their data gives.
    for submission in Submission.objects.filter(confirmed_at__isnull=False)[:5]:
        assert record_check(submission).matches
        assert digest_of(snapshot_of(submission)) == submission.digest  # in the shape of the service
    assert PerformanceResult.objects.exists() and Transfer.objects.exists()
    # The triggers are back: a change to a confirmed year's data is refused, the ledger too.
    confirmed = Answer.objects.filter(submission__confirmed_at__isnull=False).first()
    with pytest.raises(Exception, match="locked"), transaction.atomic():
        Answer.objects.filter(pk=confirmed.pk).update(volume=confirmed.volume + 1)


def test_the_command_refuses_a_database_with_data(settings, make_user):
    Generator(**{**SMALL, "years": 1}).run()
    with pytest.raises(CommandError, match="empty database"):
        call_command(GenerateScale(), "--years", "1", "--scale", "0.01")
    settings.DEMO = settings.DEBUG = False
    with pytest.raises(CommandError, match="DEMO=1"):
        call_command(GenerateScale(), "--years", "1")
