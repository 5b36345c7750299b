"""Restore a file written by `manage.py backup` (used by `make restore FILE=…`).

The whole file is checked before anything changes; the database is replaced in one
transaction and the media folder by a swap; the result is compared with the manifest.
"""

import shutil
import sys
import tempfile
import unicodedata
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from tracking import backup, db_roles
from tracking.apps import project_app_configs


def _width(text: str) -> int:
    """Columns a text takes in a terminal: Thai vowel and tone marks take none."""
    return sum(1 for ch in text if unicodedata.category(ch) not in ("Mn", "Me", "Cf"))


def _pad(text: str, width: int, right: bool = False) -> str:
    fill = " " * max(0, width - _width(text))
    return fill + text if right else text + fill


def _number(value) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


def app_tables():
    """[(app name, its tables as schema.table)] of each of this project's apps with tables, in the
    order of INSTALLED_APPS: the parts an operator recognises, shown before a restore. Found from
    the app registry, so a new app or model shows without a change here."""
    found = []
    for config in project_app_configs():  # Django's and the libraries' tables count in the totals only
        tables = {f"public.{model._meta.db_table}" for model in config.get_models(include_auto_created=True)}
        if tables:
            found.append((_("rows: %(app)s") % {"app": config.verbose_name}, sorted(tables)))
    return found


def _rows_in(counts: dict, tables) -> int | str:
    """Rows of these tables in ``counts``, "-" when none of them is there."""
    present = [counts[table] for table in tables if table in counts]
    return sum(present) if present else "-"


class Command(BaseCommand):
    help = (
        "Restore a backup file written by `manage.py backup`: checks it, replaces the database and "
        "the media folder, then compares both with the backup's manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The backup file (backups/tracking-….tar).")
        parser.add_argument("--yes", action="store_true", help="Replace without asking.")
        parser.add_argument(
            "--check", action="store_true", help="Only check the file and show what it would replace."
        )
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="Never ask; without --yes, refuse.",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias (default: default).")

    def handle(self, *args, file, yes, check, interactive, database, **options):
        db = backup.database(database)
        root = backup.media_root()
        staging = None
        try:
            with tempfile.TemporaryDirectory(prefix="tracking-restore-") as workdir:
                self.stdout.write(_("Checking %(path)s…") % {"path": file})
                if root is not None and not check:
                    staging = backup.staging_dir(root)
                checked = backup.read(Path(file), Path(workdir), staging)
                manifest = checked.manifest
                conn = self._connect(db)
                with conn:
                    server_major, _version = backup.server_version(conn)
                    dumped_by = backup.major(manifest["database"].get("pg_dump_version"))
                    tools = backup.find_tools(("pg_restore", "psql"), at_least=max(server_major, dumped_by))
                    toc = backup.check_dump(tools, checked.dump)
                    self.stdout.write(self.style.SUCCESS(_("The backup file is complete and readable.")))
                    self._describe(manifest, db, conn, root)
                if check:
                    self.stdout.write(_("Nothing was changed (--check)."))
                    return
                self._confirm(db, yes, interactive)

                self.stdout.write(
                    _("Restoring the database with pg_restore %(version)s…") % {"version": tools.version}
                )
                connections.close_all()
                backup.restore_database(db, tools, checked.dump, toc, server_major)
                self.stdout.write(_("Database restored."))
                # The dump carries no grants (--no-owner --no-privileges): the site's role gets its own.
                db_roles.grant_to_app_role(connections[database])
                try:
                    media_checked = self._restore_media(manifest, root, staging)
                except backup.BackupError:
                    staging = None  # the restored files stay for the operator
                    raise
                if media_checked:
                    staging = None  # it is MEDIA_ROOT now
                self._verify(db, manifest, root if media_checked else None)
                self._migrations_note(manifest)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:
            raise CommandError(_("The restore stopped: %(error)s") % {"error": exc}) from exc
        finally:
            if staging is not None and staging.exists():
                shutil.rmtree(staging, ignore_errors=True)

    def _connect(self, db):
        import psycopg

        try:
            return db.connect(autocommit=True)
        except psycopg.Error as exc:
            raise backup.BackupError(
                _("Cannot connect to the database %(db)s: %(error)s") % {"db": db.label, "error": exc}
            ) from exc

    def _describe(self, manifest, db, conn, root):
        """What the backup holds, next to what is there now and will be replaced."""
        data, media = manifest["database"], manifest["media"]
        with conn.cursor() as cur:
            now = backup.table_counts(cur)
        created = parse_datetime(manifest.get("created_at") or "")
        commit = (manifest.get("app") or {}).get("commit") or "-"
        self.stdout.write(
            _("Backup of %(date)s, database %(name)s on PostgreSQL %(version)s, code %(commit)s.")
            % {
                "date": timezone.localtime(created).strftime("%Y-%m-%d %H:%M")
                if created and timezone.is_aware(created)
                else "-",
                "name": data.get("name", "-"),
                "version": data.get("server_version", "-"),
                "commit": commit[:12],
            }
        )
        rows = [
            (_("tables"), len(data["tables"]), len(now)),
            (_("rows"), sum(data["tables"].values()), sum(now.values())),
        ]
        for name, tables in app_tables():
            rows.append((name, _rows_in(data["tables"], tables), _rows_in(now, tables)))
        if root is not None:
            current = sum(1 for _item in backup.media_files(root))
            rows.append((_("media files"), len(media["files"]) if media.get("included") else "-", current))
        rows = [(str(label), _number(then), _number(current)) for label, then, current in rows]
        first = max(_width(label) for label, *_counts in rows)
        header = ("", _("in the backup"), _("now"))
        other = max(_width(text) for row in [header, *rows] for text in row[1:])
        for label, then, current in [header, *rows]:
            self.stdout.write(
                f"  {_pad(label, first)}  {_pad(then, other, right=True)}  {_pad(current, other, right=True)}"
            )
        with conn.cursor() as cur:
            cur.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            others = cur.fetchone()[0]
        if others:
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "Other connections to this database are open (%(count)s): stop the site (gunicorn, "
                        "make run) before restoring, or it will write into the database meanwhile."
                    )
                    % {"count": others}
                )
            )
        self.stdout.write(
            _("A restore replaces everything in the database %(db)s and in the media folder %(media)s.")
            % {"db": db.label, "media": root if root is not None else "-"}
        )

    def _confirm(self, db, yes, interactive):
        if yes:
            return
        refused = _("Nothing was changed. To restore, confirm with --yes (make restore FILE=… YES=1).")
        if not interactive or not sys.stdin.isatty():
            raise CommandError(refused)
        answer = input(_("Type the database name (%(name)s) to replace it: ") % {"name": db.name})
        if answer.strip() != db.name:
            raise CommandError(refused)

    def _restore_media(self, manifest, root, staging):
        """Swap in the staged media folder; True when the media were restored and can be compared."""
        media = manifest["media"]
        if not media.get("included"):
            self.stdout.write(
                _(
                    "This backup holds no media files (they were in object storage); "
                    "the media folder was not changed."
                )
            )
            return False
        if root is None:
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "Media files are stored in object storage (MEDIA_STORAGE=s3) here: the %(count)s "
                        "media files of the backup were not restored. Upload them from the media/ folder "
                        "of the backup file (tar -xf FILE media)."
                    )
                    % {"count": len(media["files"])}
                )
            )
            return False
        try:
            backup.swap_media(staging, root)
        except OSError as exc:
            raise backup.BackupError(
                _(
                    "The database was restored but the media folder could not be replaced (%(error)s). "
                    "The restored files are in %(staging)s: move them to %(path)s by hand."
                )
                % {"error": exc, "staging": staging, "path": root}
            ) from exc
        self.stdout.write(_("Media folder restored: %(path)s") % {"path": root})
        return True

    def _verify(self, db, manifest, root):
        conn = self._connect(db)
        with conn, conn.cursor() as cur:
            counts = backup.table_counts(cur)
            objects = backup.object_counts(cur)
        media = backup.media_listing(root) if root is not None else None
        problems = backup.compare(manifest, counts, objects, media)
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(
                _("The restored data do not match the backup: %(count)s differences (listed above).")
                % {"count": len(problems)}
            )
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Restore complete and checked: %(tables)s tables with %(rows)s rows, %(triggers)s "
                    "triggers and %(files)s media files equal the backup."
                )
                % {
                    "tables": len(counts),
                    "rows": f"{sum(counts.values()):,}",
                    "triggers": objects["triggers"],
                    "files": len(media) if media is not None else "-",
                }
            )
        )

    def _migrations_note(self, manifest):
        applied = set(manifest["database"].get("migrations", []))
        loader = MigrationLoader(None, ignore_no_migrations=True)
        known = {f"{app}.{name}" for app, name in loader.disk_migrations}
        replaced = {f"{app}.{name}" for app, name in loader.replacements}
        if applied - known:
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "The backup was made by a newer version of the site (migrations this code does not "
                        "have): run the same or a newer version of the code."
                    )
                )
            )
        elif known - replaced - applied:
            self.stdout.write(
                _("The backup is older than this code: run `python manage.py migrate` (make run does it).")
            )
        self.stdout.write(_("Restart the site so that no page cached before the restore is shown."))
