"""Backup and restore: a round trip gives back every row and file with working triggers;
a damaged file, a missing confirmation or a failing restore change nothing.

The restores replace the test database itself, so these tests commit their data
(transaction=True) and get the migrations' data back afterwards (serialized_rollback).
"""

import datetime as dt
import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone, translation
from PIL import Image

from accounts.models import District, OrgUnit
from accounts.roles import Role
from news import services as news_services
from news.models import News
from projects.models import Project
from tracking import backup
from tracking.apps import project_app_configs
from workload import services as workload_services
from workload.models import Aspect, Question, Questionnaire, Submission, SubmissionFigures

# These tests restore into the test database: their data must be committed.
restores = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _english():
    """The messages checked below are the English msgids; the site's default language is Thai."""
    with translation.override("en"):
        yield


def photo(name):
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (30, 90, 160)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def site(make_user, media):
    """People, a project, a district's workload answers and a news item with a photo and a file."""
    recorder = make_user("recorder", roles=[Role.DISTRICT_RECORDER], unit="DLA-D5001")
    admin = make_user("admin_all", roles=[Role.ADMIN_ALL], unit="ALRO-KTP")
    Project.objects.create(
        fiscal_year=2570, funding_source="budget_act", code="P-01", name="โครงการทดสอบ",
        owner_unit=OrgUnit.objects.get(code="ALRO-SPP"),
    )  # fmt: skip
    today = timezone.localdate()
    questionnaire = Questionnaire.objects.create(
        fiscal_year=2570, opens_on=today - dt.timedelta(days=10), closes_on=today + dt.timedelta(days=30)
    )
    for number in range(1, 9):
        aspect = Aspect.objects.create(questionnaire=questionnaire, number=number, title=f"ด้านที่ {number}")
        Question.objects.create(aspect=aspect, order=1, text=f"งาน {number}.1", unit="ครั้ง")
    submission = Submission.objects.create(questionnaire=questionnaire, office=recorder.org_unit)
    workload_services.contact_save(
        submission=submission, by=recorder, districts=[District.objects.get(code="5001")],
        fields={"office_address": "ที่ว่าการอำเภอเมืองเชียงใหม่", "office_phone": "053-112233",
                "contact_name": "อนุชา ดวงแก้ว", "contact_mobile": "0812345678",
                "contact_email": "sto5001@example.go.th"},
    )  # fmt: skip
    for aspect in questionnaire.aspects.all():
        rows = {q.pk: (3, 1, 2) for q in aspect.questions.all()}
        workload_services.aspect_save(submission=submission, aspect=aspect, by=recorder, rows=rows)
    news = news_services.news_save(
        by=admin, news=None, cover=photo("cover.png"),
        fields={"title": "ข่าวทดสอบ", "summary": "สรุป", "body": "<p>เนื้อหา</p>", "category": "press"},
    )  # fmt: skip
    news_services.image_add(by=admin, news=news, upload=photo("p.png"), caption="บรรยากาศ")
    news_services.attachment_add(
        by=admin, news=news,
        upload=SimpleUploadedFile("กำหนดการ.pdf", b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", "application/pdf"),
    )  # fmt: skip
    return {"recorder": recorder, "admin": admin, "submission": submission, "news": news}


def state(media_root):
    """Row count of every table (read here, not by the code under test) and every file's SHA-256."""
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    files = {
        path.relative_to(media_root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(Path(media_root).rglob("*"))
        if path.is_file()
    }
    return counts, files


def make_backup(tmp_path):
    out = io.StringIO()
    call_command("backup", output_dir=str(tmp_path / "backups"), stdout=out)
    (path,) = (tmp_path / "backups").glob("tracking-*.tar")
    assert str(path) in out.getvalue()
    return path


def change_everything(site, media_root):
    """Data and files after the backup: deleted, added and removed."""
    site["news"].delete()  # its photo and file rows go with it
    News.objects.create(
        title="ข่าวใหม่",
        summary="-",
        body="-",
        category="press",
        unit=site["admin"].org_unit,
        author=site["admin"],
    )
    for path in list(Path(media_root).rglob("*.pdf")):
        path.unlink()
    (Path(media_root) / "stray.txt").write_text("added after the backup")


@restores
def test_round_trip_gives_back_every_row_and_file_with_working_triggers(site, media, tmp_path):
    news_pk = site["news"].pk
    before = state(media)
    path = make_backup(tmp_path)
    with tarfile.open(path) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert {t.removeprefix("public."): n for t, n in manifest["database"]["tables"].items()} == before[0]
    assert {f["path"]: f["sha256"] for f in manifest["media"]["files"]} == before[1]
    assert len(before[1]) == 4  # cover, photo, its thumbnail, attachment

    change_everything(site, media)
    with connection.cursor() as cursor:
        # A table added since the backup (say, by a newer version) goes too, even when it refers to others.
        cursor.execute(
            "CREATE TABLE stray_after_backup (id int PRIMARY KEY, user_id bigint REFERENCES accounts_user)"
        )
        cursor.execute("INSERT INTO stray_after_backup VALUES (1, %s)", [site["admin"].pk])
    assert state(media) != before

    try:
        call_command("restore", str(path), yes=True, stdout=io.StringIO())
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass('stray_after_backup')")
            stray = cursor.fetchone()[0]
            cursor.execute("DROP TABLE IF EXISTS stray_after_backup")
    assert stray is None
    assert state(media) == before

    # The audit trail's triggers (pghistory) work on the restored tables.
    news = News.objects.get(pk=news_pk)
    events = news.events.count()
    news.title = "แก้ไขหลังกู้คืน"
    news.save()
    assert news.events.count() == events + 1
    # So do the workload figures' statement triggers, and the sequences go on from the backup's values.
    submission = Submission.objects.get(pk=site["submission"].pk)
    figures = SubmissionFigures.objects.get(pk=submission.pk)
    aspect = submission.questionnaire.aspects.get(number=1)
    workload_services.aspect_save(
        submission=submission,
        aspect=aspect,
        by=site["recorder"],
        rows={q.pk: (5, 1, 2) for q in aspect.questions.all()},
    )
    after = SubmissionFigures.objects.get(pk=submission.pk)
    assert after.version > figures.version
    assert figures.hours_by_aspect[0] > 0
    assert after.hours_by_aspect[0] * 3 == figures.hours_by_aspect[0] * 5


@restores
def test_damaged_file_is_refused_and_changes_nothing(site, media, tmp_path):
    path = make_backup(tmp_path)
    change_everything(site, media)
    changed = state(media)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])

    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(path), yes=True, stdout=io.StringIO())
    assert state(media) == changed
    assert [p.name for p in media.parent.iterdir() if p.name.startswith(".media")] == []


@restores
def test_restore_without_confirmation_is_refused(site, media, tmp_path):
    path = make_backup(tmp_path)
    change_everything(site, media)
    changed = state(media)

    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(path), interactive=False, stdout=io.StringIO())
    assert state(media) == changed
    out = io.StringIO()
    call_command("restore", str(path), check=True, stdout=out)  # only checks
    assert "Nothing was changed" in out.getvalue()
    # Each of the project's apps is counted, found from the app registry, not named in the command.
    counted = [line.split("  ")[1].strip() for line in out.getvalue().splitlines() if "rows: " in line]
    assert counted == [
        f"rows: {config.verbose_name}" for config in project_app_configs() if config.models_module
    ]
    assert state(media) == changed


@restores
def test_a_failing_restore_is_rolled_back(site, media, tmp_path):
    """The database is replaced in one transaction: an error part-way leaves it as it was."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if not cursor.fetchone()[0]:
            pytest.skip("needs a superuser to set up an event trigger that breaks the restore")
    path = make_backup(tmp_path)
    change_everything(site, media)
    changed = state(media)
    with connection.cursor() as cursor:
        # Outside the public schema, which a restore clears: it stops the restore's first CREATE TABLE.
        cursor.execute("CREATE SCHEMA restore_guard")
        cursor.execute(
            "CREATE FUNCTION restore_guard.stop() RETURNS event_trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'restore stopped by the test'; END $$"
        )
        cursor.execute(
            "CREATE EVENT TRIGGER restore_guard ON ddl_command_start WHEN TAG IN ('CREATE TABLE') "
            "EXECUTE FUNCTION restore_guard.stop()"
        )
    try:
        with pytest.raises(CommandError, match="restore stopped by the test"):
            call_command("restore", str(path), yes=True, stdout=io.StringIO())
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP EVENT TRIGGER restore_guard")
            cursor.execute("DROP SCHEMA restore_guard CASCADE")
    assert state(media) == changed


@pytest.mark.django_db
def test_backup_says_media_in_object_storage_are_not_included(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    out = io.StringIO()
    call_command("backup", output_dir=str(tmp_path), stdout=out)
    assert "MEDIA_STORAGE=s3" in out.getvalue()
    (path,) = tmp_path.glob("tracking-*.tar")
    with tarfile.open(path) as tar:
        assert sorted(tar.getnames()) == ["database.dump", "manifest.json"]
        assert json.load(tar.extractfile("manifest.json"))["media"] == {
            "included": False,
            "files": [],
            "size": 0,
        }
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left behind


def sha(data):
    return hashlib.sha256(data).hexdigest()


def hand_made(path, damage=None):
    """A small backup file written by hand, whole or with one kind of damage."""
    dump, photo_data = b"PGDMP dump", b"a"
    manifest = {
        "format": backup.FORMAT,
        "kind": backup.KIND,
        "database": {"tables": {}, "size": len(dump), "sha256": sha(dump)},
        "media": {"included": True, "files": [{"path": "news/a.jpg", "size": 1, "sha256": sha(photo_data)}]},
    }
    if damage == "manifest incomplete":
        del manifest["database"]["sha256"]
    members = {
        "database.dump": dump,
        "media/news/a.jpg": photo_data,
        "manifest.json": json.dumps(manifest).encode(),
    }
    if damage == "no manifest":
        del members["manifest.json"]
    elif damage == "dump altered":
        members["database.dump"] = b"PGDMP dumq"
    elif damage == "media file altered":
        members["media/news/a.jpg"] = b"b"
    elif damage == "path escape":
        members["media/../../evil.txt"] = b"x"
    if damage == "not a tar":
        path.write_bytes(b"hello " * 1000)
        return path
    with tarfile.open(path, "w") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


@pytest.mark.parametrize(
    "damage",
    ["not a tar", "no manifest", "manifest incomplete", "dump altered", "media file altered", "path escape"],
)
def test_reading_refuses_damaged_files(damage, tmp_path):
    path = hand_made(tmp_path / "backup.tar", damage)
    staging = tmp_path / "staging"
    staging.mkdir()
    with pytest.raises(backup.BackupError, match="damaged"):
        backup.read(path, tmp_path, staging)
    assert not (tmp_path.parent / "evil.txt").exists()


def test_reading_accepts_a_good_file(tmp_path):
    """The same hand-made file, undamaged, passes: the refusals above are for the damage."""
    path = hand_made(tmp_path / "backup.tar")
    staging = tmp_path / "staging"
    staging.mkdir()
    checked = backup.read(path, tmp_path, staging)
    assert checked.media_count == 1
    assert (staging / "news" / "a.jpg").read_bytes() == b"a"


def test_media_on_a_mount_point_are_replaced_in_place(tmp_path, monkeypatch):
    """A mount point cannot be renamed: its entries are swapped inside it instead."""
    root = tmp_path / "media"
    (root / "news").mkdir(parents=True)
    (root / "news" / "old.jpg").write_bytes(b"old")
    monkeypatch.setattr(backup.os.path, "ismount", lambda path: Path(path) == root)
    staging = backup.staging_dir(root)
    assert staging.parent == root
    (staging / "news").mkdir()
    (staging / "news" / "new.jpg").write_bytes(b"new")
    backup.swap_media(staging, root)
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*")) == ["news", "news/new.jpg"]


def test_missing_client_programs_are_named():
    with pytest.raises(backup.BackupError, match="PostgreSQL 99 or newer"):
        backup.find_tools(("pg_dump",), at_least=99)
