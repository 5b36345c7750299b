"""Exports too slow to make while the request waits, prepared in the background.

A person presses the button; ``prepared_export_start`` records a job (``PreparedExport``) and, once
that is committed, starts a thread of the web process on it: no extra server or queue, which a
2-core government server and the demo do not have. The page they are sent to polls the job with
htmx and shows how far it is, then the download link. The file is written to the site's private
storage (never served as media), only its requester may fetch it, and it is removed when it expires
(expired jobs are purged whenever someone starts a new one). Pressing the button again while the
job runs leads to the same job. If the web process dies meanwhile, the job falls silent and the
page says it failed (``PreparedExport.is_stuck``); the person starts it again.

Each kind of export declares who may ask for it, how its parameters are read from the form, and how
its workbook is built; the building is the same function the direct download uses, so both give the
same workbook.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connections, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import access
from reports.models import STUCK_AFTER, PreparedExport
from tracking.xlsx import write_workbook

logger = logging.getLogger(__name__)

# Rows written are 0–95 % of the bar; closing the workbook (zipping it) and storing it the rest.
ROWS_SHARE = 95


@dataclass(frozen=True)
class ExportKind:
    label: object
    allowed: Callable  # (user) -> bool
    params: Callable  # (user, data) -> dict; raises Http404 for parameters that name nothing visible
    describe: Callable  # (params) -> str, what the file holds
    build: Callable  # (user, params, progress) -> (names, sheets), as tracking.xlsx takes them
    back: Callable  # (params) -> the URL of the page the export is asked from


def _answers_questionnaire(user, fy):
    from workload.models import Questionnaire

    try:
        fy = int(fy)
    except (TypeError, ValueError):
        raise Http404 from None
    questionnaire = Questionnaire.objects.visible_to(user).filter(fiscal_year=fy).first()
    if questionnaire is None:
        raise Http404
    return questionnaire


def _answers_build(user, params, progress):
    from workload.exports import answers_workbook

    return answers_workbook(_answers_questionnaire(user, params["fy"]), progress)


def _answers_describe(params) -> str:
    return _("All answers of fiscal year %(fy)s (.xlsx)") % {"fy": params["fy"]}


KINDS: dict[str, ExportKind] = {
    "workload-answers": ExportKind(
        label=gettext_lazy("All workload answers of a year"),
        allowed=access.may_export_workload_answers,
        params=lambda user, data: {"fy": _answers_questionnaire(user, data.get("fy")).fiscal_year},
        describe=_answers_describe,
        build=_answers_build,
        back=lambda params: reverse("workload:national", args=[params["fy"]]),
    ),
}


def kind_for(name: str) -> ExportKind:
    try:
        return KINDS[name]
    except KeyError:
        raise Http404 from None


def prepared_export_start(*, by, kind: str, params: dict) -> PreparedExport:
    """The job that prepares ``kind`` with ``params`` for ``by``: the one already under way, or a new one
    started once this transaction commits. The caller has checked that ``by`` may have this export."""
    kind_for(kind)
    now = timezone.now()
    with transaction.atomic():
        # One person's presses are taken one at a time, so a double press finds the first job.
        get_user_model().objects.select_for_update().filter(pk=by.pk).first()
        prepared_export_purge(now=now)
        running = (
            PreparedExport.objects.visible_to(by)
            .unfinished()
            .filter(kind=kind, params=params, updated_at__gt=now - STUCK_AFTER)
            .first()
        )
        if running is not None:
            return running
        job = PreparedExport.objects.create(
            user=by,
            kind=kind,
            params=params,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            expires_at=now + dt.timedelta(hours=settings.EXPORT_KEEP_HOURS),
        )
        transaction.on_commit(partial(_launch, job.pk))
    return job


def _launch(job_id: int) -> None:
    if settings.EXPORTS_IN_BACKGROUND:
        threading.Thread(target=_run_in_thread, args=(job_id,), name=f"export-{job_id}", daemon=True).start()
    else:
        prepared_export_run(job_id=job_id)


def _run_in_thread(job_id: int) -> None:
    try:
        prepared_export_run(job_id=job_id)
    finally:
        connections.close_all()  # the thread's own connections


def prepared_export_run(*, job_id: int) -> None:
    """Build the job's workbook into private storage; a job already taken or gone is left alone."""
    jobs = PreparedExport.objects.filter(pk=job_id)
    if not jobs.filter(status=PreparedExport.Status.WAITING).update(status=PreparedExport.Status.RUNNING):
        return
    job = PreparedExport.objects.select_related("user").get(pk=job_id)

    def progress(done: int, total: int) -> None:
        share = ROWS_SHARE * done // total if total else ROWS_SHARE
        jobs.update(progress=min(share, ROWS_SHARE), updated_at=timezone.now())

    try:
        with translation.override(job.language):
            kind = kind_for(job.kind)
            if not job.user.is_active or not kind.allowed(job.user):
                raise PermissionError(f"user {job.user_id} may no longer have {job.kind}")
            names, sheets = kind.build(job.user, job.params, progress)
            with tempfile.TemporaryFile() as spool:
                write_workbook(spool, sheets)
                spool.seek(0)
                name = default_storage.save(f"private/exports/{secrets.token_hex(16)}.xlsx", File(spool))
    except Exception:
        logger.exception("Prepared export %s (%s) failed", job_id, job.kind)
        jobs.update(status=PreparedExport.Status.FAILED, updated_at=timezone.now())
        return
    done = jobs.update(
        status=PreparedExport.Status.READY,
        progress=100,
        file=name,
        filename=names["filename"],
        fallback=names["fallback"],
        updated_at=timezone.now(),
    )
    if not done:  # purged meanwhile
        default_storage.delete(name)


def prepared_export_purge(*, now=None) -> int:
    """Remove expired jobs and, once that is committed, their files. Returns how many."""
    expired = PreparedExport.objects.expired(now)
    files = [name for name in expired.values_list("file", flat=True) if name]
    count, _by_model = expired.delete()

    def remove_files():
        for name in files:
            default_storage.delete(name)

    transaction.on_commit(remove_files)
    return count
