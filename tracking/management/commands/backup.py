"""Back up the database and the uploaded files into one file (used by `make backup`)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS
from django.utils.translation import gettext as _

from tracking import backup


class Command(BaseCommand):
    help = (
        "Write backups/tracking-<date>-<time>.tar: the database (pg_dump custom format), the media "
        "files and a manifest with row counts and checksums. Restore it with `manage.py restore`."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir",
            default=str(settings.BASE_DIR / "backups"),
            help="Folder for the backup file (default: backups/ in the checkout).",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias (default: default).")

    def handle(self, *args, output_dir, database, **options):
        try:
            result = backup.create(backup.database(database), Path(output_dir), say=self.stdout.write)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        db, media = result.manifest["database"], result.manifest["media"]
        self.stdout.write(
            self.style.SUCCESS(
                _("Backup written: %(path)s (%(size)s)")
                % {"path": result.path, "size": backup.human_size(result.size)}
            )
        )
        self.stdout.write(
            _("Database: %(tables)s tables, %(rows)s rows. Media: %(files)s files (%(size)s).")
            % {
                "tables": len(db["tables"]),
                "rows": f"{db['rows']:,}",
                "files": len(media["files"]) if media["included"] else "-",
                "size": backup.human_size(media.get("size", 0)),
            }
        )
        self.stdout.write(
            _(
                "Keep a copy on another machine. The file holds personal data and password hashes: "
                "store it safely."
            )
        )
