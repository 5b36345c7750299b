"""Backups of the whole site in one file, and their restore (``manage.py backup`` / ``restore``).

A backup is a plain tar file holding, in this order:

* ``database.dump``: the database in pg_dump's custom format;
* ``media/…``: every uploaded file under MEDIA_ROOT (none when media live in S3);
* ``manifest.json``: when and from what it was made, the exact row count of every table
  and the size and SHA-256 of the dump and of every media file.

The row counts are taken in the very snapshot pg_dump dumps (``pg_export_snapshot``), so
they match the dump even while the site is in use. A backup is written under a temporary
name and renamed at the end: a file named ``tracking-….tar`` is always complete.

A restore reads and checks the whole file (manifest, checksums, dump readable) before it
touches anything, then replaces the database in ONE transaction (everything in the schemas
the backup holds is dropped and re-created from the dump; on any error nothing changes),
swaps the media folder for the restored one, and finally compares the row counts and the
files with the manifest.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = 1
KIND = "tracking-backup"
MANIFEST = "manifest.json"
DUMP = "database.dump"
MEDIA = "media"
# Left beside (or, for a mount point, inside) MEDIA_ROOT only while a restore runs.
STAGING_PREFIX = ".media-restore-"
REPLACED_PREFIX = ".media-replaced-"
CHUNK = 1024 * 1024
# How long a restore waits for other sessions' locks before giving up (nothing changed).
LOCK_TIMEOUT = "60s"

Say = Callable[[str], None]


class BackupError(Exception):
    """A problem the operator can act on; nothing has been changed."""


# --- the database to back up or restore --------------------------------------------------


@dataclass
class Database:
    """libpq parameters of one configured database; the password travels in the environment."""

    alias: str
    params: dict
    password: str = field(repr=False)

    @property
    def name(self) -> str:
        return self.params.get("dbname", "")

    @property
    def label(self) -> str:
        host = self.params.get("host") or "localhost"
        port = self.params.get("port")
        return f"{self.name} @ {host}{':' + str(port) if port else ''}"

    def conninfo(self) -> str:
        from psycopg.conninfo import make_conninfo

        return make_conninfo(**self.params)

    def env(self) -> dict:
        env = dict(os.environ)
        if self.password:
            env["PGPASSWORD"] = self.password
        return env

    def connect(self, **kwargs):
        import psycopg

        password = {"password": self.password} if self.password else {}
        return psycopg.connect(**self.params, **password, **kwargs)


def _libpq_keywords() -> set[str]:
    from psycopg import pq

    return {option.keyword.decode() for option in pq.Conninfo.get_defaults()}


def database(alias: str = "default") -> Database:
    """The database of a DATABASES alias, as libpq sees it (Django-only OPTIONS left out)."""
    conf = connections[alias].settings_dict
    keywords = _libpq_keywords()
    params = {
        "dbname": conf["NAME"],
        "user": conf.get("USER"),
        "host": conf.get("HOST"),
        "port": conf.get("PORT"),
    }
    params.update(
        {k: v for k, v in (conf.get("OPTIONS") or {}).items() if k in keywords and "password" not in k}
    )
    params = {k: str(v) for k, v in params.items() if v not in (None, "")}
    return Database(alias=alias, params=params, password=conf.get("PASSWORD") or "")


# --- pg_dump, pg_restore and psql ---------------------------------------------------------


@dataclass
class Tools:
    """A matching set of PostgreSQL client programs."""

    source: str  # "bundled" or "PATH"
    paths: dict[str, Path]
    major: int
    version: str

    def __getitem__(self, name: str) -> str:
        return str(self.paths[name])


def _bundled_bindir() -> Path | None:
    try:
        from tracking import embedded_db

        return Path(embedded_db._package().__file__).parent / "pginstall" / "bin"
    except ImportError:
        return None


def _version(program: Path) -> tuple[int, str] | None:
    try:
        out = subprocess.run(
            [str(program), "--version"], capture_output=True, text=True, timeout=30, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"(\d+)(?:\.(\d+))?", out)
    if not match:
        return None
    return int(match.group(1)), match.group(0)


def _candidates(names: tuple[str, ...]) -> Iterator[Tools]:
    """With DATABASE_URL, the programs on PATH first (they usually match that server); then
    the bundled ones, which match the bundled server and can dump older servers."""
    sources = []
    if settings.DATABASE_URL:
        found = {name: shutil.which(name) for name in names}
        if all(found.values()):
            sources.append(("PATH", {name: Path(path) for name, path in found.items()}))
    bindir = _bundled_bindir()
    if bindir is not None:
        sources.append(("bundled", {name: bindir / name for name in names}))
    for source, paths in sources:
        versions = [_version(path) for path in paths.values()]
        if all(versions) and len({v[0] for v in versions}) == 1:
            yield Tools(source=source, paths=paths, major=versions[0][0], version=versions[0][1])


def find_tools(names: tuple[str, ...], at_least: int) -> Tools:
    """Client programs of PostgreSQL ``at_least`` or newer (pg_dump refuses newer servers)."""
    found = []
    for tools in _candidates(names):
        if tools.major >= at_least:
            return tools
        found.append(f"{tools.version} ({tools.source})")
    raise BackupError(
        _(
            "No %(programs)s of PostgreSQL %(version)s or newer was found (found: %(found)s). "
            "Install the PostgreSQL client programs of that version."
        )
        % {"programs": ", ".join(names), "version": at_least, "found": ", ".join(found) or "-"}
    )


# --- what is in a database ----------------------------------------------------------------

# Tables and routines of our own: not PostgreSQL's catalogs and not those of an extension.
_OUR_TABLES = """
    SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind = 'r' AND n.nspname <> 'information_schema' AND n.nspname !~ '^pg_'
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                      AND d.objid = c.oid AND d.deptype = 'e')
    ORDER BY 1, 2
"""
_OUR_TRIGGERS = """
    SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE NOT t.tgisinternal AND n.nspname <> 'information_schema' AND n.nspname !~ '^pg_'
"""
_OUR_FUNCTIONS = """
    SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname <> 'information_schema' AND n.nspname !~ '^pg_'
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                      AND d.objid = p.oid AND d.deptype = 'e')
"""


def table_counts(cursor) -> dict[str, int]:
    """Exact row count of every table, as ``schema.table``."""
    from psycopg import sql

    cursor.execute(_OUR_TABLES)
    counts = {}
    for schema, table in cursor.fetchall():
        cursor.execute(
            sql.SQL("SELECT count(*) FROM {}.{}").format(sql.Identifier(schema), sql.Identifier(table))
        )
        counts[f"{schema}.{table}"] = cursor.fetchone()[0]
    return counts


def object_counts(cursor) -> dict[str, int]:
    """Triggers and functions: the rules kept by the database itself must come back too."""
    cursor.execute(_OUR_TRIGGERS)
    triggers = cursor.fetchone()[0]
    cursor.execute(_OUR_FUNCTIONS)
    return {"triggers": triggers, "functions": cursor.fetchone()[0]}


def applied_migrations(cursor) -> list[str]:
    cursor.execute("SELECT to_regclass('public.django_migrations') IS NOT NULL")
    if not cursor.fetchone()[0]:
        return []
    cursor.execute("SELECT app || '.' || name FROM public.django_migrations ORDER BY id")
    return [row[0] for row in cursor.fetchall()]


def major(version) -> int:
    """18 for "18.6" (0 when unknown)."""
    match = re.match(r"\d+", str(version or ""))
    return int(match.group(0)) if match else 0


def server_version(conn) -> tuple[int, str]:
    number = conn.info.server_version
    return number // 10000, f"{number // 10000}.{number % 10000}"


# --- media ----------------------------------------------------------------------------------


def media_root() -> Path | None:
    """MEDIA_ROOT when uploaded files are stored on this machine; None for object storage."""
    from django.core.files.storage import FileSystemStorage, storages

    if isinstance(storages["default"], FileSystemStorage):
        return Path(settings.MEDIA_ROOT)
    return None


def _hidden(rel: PurePosixPath) -> bool:
    return rel.parts[0].startswith((STAGING_PREFIX, REPLACED_PREFIX))


def media_files(root: Path) -> Iterator[tuple[str, Path]]:
    """(relative posix path, path) of every regular file under root, sorted; links are skipped."""
    if not root.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            rel = PurePosixPath(path.relative_to(root).as_posix())
            if _hidden(rel) or path.is_symlink() or not path.is_file():
                continue
            yield str(rel), path


def file_digest(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def media_listing(root: Path) -> list[dict]:
    listing = []
    for rel, path in media_files(root):
        size, sha = file_digest(path)
        listing.append({"path": rel, "size": size, "sha256": sha})
    return listing


class _Hashing(io.RawIOBase):
    """Reads through to a file while hashing what was read."""

    def __init__(self, f):
        self.f, self.digest, self.size = f, hashlib.sha256(), 0

    def readable(self):
        return True

    def read(self, n=-1):
        data = self.f.read(n)
        self.digest.update(data)
        self.size += len(data)
        return data


def _git_commit() -> str | None:
    git = shutil.which("git")
    if git is None or not (settings.BASE_DIR / ".git").exists():
        return None
    try:
        out = subprocess.run(
            [git, "-C", str(settings.BASE_DIR), "rev-parse", "HEAD"],
            capture_output=True, text=True, timeout=10, check=True,
        ).stdout  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    return out.strip() or None


def human_size(size: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size} B"  # pragma: no cover


# --- backup -----------------------------------------------------------------------------------


@dataclass
class BackupResult:
    path: Path
    size: int
    manifest: dict


def _tarinfo(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, 0o600, int(timezone.now().timestamp())
    return info


def _new_name(directory: Path) -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    path, n = directory / f"tracking-{stamp}.tar", 1
    while path.exists():
        n += 1
        path = directory / f"tracking-{stamp}-{n}.tar"
    return path


def create(db: Database, directory: Path, say: Say) -> BackupResult:
    """Write one backup file into ``directory`` and return it."""
    directory = Path(directory)
    _make_folder(directory)
    root = media_root()
    final = _new_name(directory)
    partial = directory / f".{final.name}.partial"
    dump_fd, dump_name = tempfile.mkstemp(prefix=".tracking-", suffix=".dump.partial", dir=directory)
    os.close(dump_fd)
    dump = Path(dump_name)
    done = False
    try:
        dumped = _dump_database(db, dump, say)
        manifest = _manifest(db, dumped, media_included=root is not None)
        if root is None:
            say(
                _(
                    "Media files are stored in object storage (MEDIA_STORAGE=s3), not on this machine: "
                    "they are not in this backup. Back up the bucket separately."
                )
            )
        _write_archive(partial, dump, root, manifest, say)
        _publish(partial, final)
        done = True
        return BackupResult(path=final, size=final.stat().st_size, manifest=manifest)
    except OSError as exc:
        raise BackupError(_("The backup could not be written: %(error)s") % {"error": exc}) from exc
    finally:
        dump.unlink(missing_ok=True)
        if not done:
            partial.unlink(missing_ok=True)


def _make_folder(directory: Path) -> None:
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(
            _("Cannot create the folder %(path)s: %(error)s") % {"path": directory, "error": exc}
        ) from exc


@dataclass
class _Dumped:
    """What the database said, in the snapshot pg_dump dumped."""

    version: str
    pg_dump_version: str
    counts: dict[str, int]
    objects: dict[str, int]
    migrations: list[str]


def _dump_database(db: Database, dump: Path, say: Say) -> _Dumped:
    """pg_dump the database into ``dump``; count its rows and objects in the same snapshot."""
    import psycopg

    try:
        conn = db.connect(autocommit=False)
    except psycopg.Error as exc:
        raise BackupError(
            _("Cannot connect to the database %(db)s: %(error)s") % {"db": db.label, "error": exc}
        ) from exc
    with conn:
        major, version = server_version(conn)
        tools = find_tools(("pg_dump",), at_least=major)
        with conn.cursor() as cur:
            # One snapshot for the counts and for pg_dump: they agree even while the site is in use.
            cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cur.execute("SELECT pg_export_snapshot()")
            snapshot = cur.fetchone()[0]
            say(
                _("Database %(db)s (PostgreSQL %(version)s): counting rows…")
                % {"db": db.label, "version": version}
            )
            dumped = _Dumped(
                version, tools.version, table_counts(cur), object_counts(cur), applied_migrations(cur)
            )
            say(
                _("Dumping the database with pg_dump %(version)s (%(source)s)…")
                % {"version": tools.version, "source": tools.source}
            )
            result = subprocess.run(
                [tools["pg_dump"], "--format=custom", "--no-password", f"--snapshot={snapshot}",
                 "--lock-wait-timeout=60s", f"--file={dump}", f"--dbname={db.conninfo()}"],
                env=db.env(), capture_output=True, text=True, check=False,
            )  # fmt: skip
        conn.rollback()
    if result.returncode != 0:
        raise BackupError(_("pg_dump failed: %(error)s") % {"error": result.stderr.strip()})
    return dumped


def _manifest(db: Database, dumped: _Dumped, media_included: bool) -> dict:
    """The manifest, before the dump's and the media files' sizes and checksums are added."""
    return {
        "format": FORMAT,
        "kind": KIND,
        "created_at": timezone.now().isoformat(),
        "app": {"commit": _git_commit()},
        "database": {
            "name": db.name,
            "server_version": dumped.version,
            "pg_dump_version": dumped.pg_dump_version,
            "file": DUMP,
            "tables": dumped.counts,
            "rows": sum(dumped.counts.values()),
            **dumped.objects,
            "migrations": dumped.migrations,
        },
        "media": {"included": media_included, "files": []},
    }


def _write_archive(partial: Path, dump: Path, root: Path | None, manifest: dict, say: Say) -> None:
    """The tar file at ``partial``: the dump (removed once in), the media files, then the manifest."""
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with (
        os.fdopen(fd, "wb") as out,
        tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar,
    ):
        with dump.open("rb") as f:
            reader = _Hashing(f)
            tar.addfile(_tarinfo(DUMP, dump.stat().st_size), reader)
        manifest["database"].update(size=reader.size, sha256=reader.digest.hexdigest())
        dump.unlink()
        if root is not None:
            say(_("Adding the media files of %(path)s…") % {"path": root})
            manifest["media"]["files"] = list(_add_media(tar, root))
        manifest["media"]["size"] = sum(item["size"] for item in manifest["media"]["files"])
        data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
        tar.addfile(_tarinfo(MANIFEST, len(data)), io.BytesIO(data))
        tar.close()
        out.flush()
        os.fsync(out.fileno())


def _add_media(tar: tarfile.TarFile, root: Path) -> Iterator[dict]:
    """Add every media file under ``root``; yield each one's manifest entry."""
    for rel, path in media_files(root):
        try:
            f = path.open("rb")
        except FileNotFoundError:
            continue  # deleted since the folder was listed
        with f:
            reader = _Hashing(f)
            tar.addfile(_tarinfo(f"{MEDIA}/{rel}", os.fstat(f.fileno()).st_size), reader)
        yield {"path": rel, "size": reader.size, "sha256": reader.digest.hexdigest()}


def _publish(partial: Path, final: Path) -> None:
    """Give the finished file its name, durably: a ``tracking-….tar`` is always complete."""
    os.rename(partial, final)
    with contextlib.suppress(OSError):
        dir_fd = os.open(final.parent, os.O_RDONLY)
        os.fsync(dir_fd)
        os.close(dir_fd)


# --- reading and checking a backup file ------------------------------------------------------


@dataclass
class Checked:
    """A backup file read and checked in full: its dump in a temp folder, its media staged."""

    manifest: dict
    dump: Path
    staging: Path | None  # the restored media folder, not yet in place
    media_count: int


def _damaged(detail) -> BackupError:
    return BackupError(
        _("The backup file is damaged or not a backup of this site: %(detail)s") % {"detail": detail}
    )


def _media_rel(name: str) -> PurePosixPath:
    rel = PurePosixPath(name).relative_to(MEDIA)
    if (
        not rel.parts
        or rel.is_absolute()
        or any(part in ("", ".", "..") for part in rel.parts)
        or _hidden(rel)
    ):
        raise _damaged(_("unsafe file name %(name)s") % {"name": name})
    return rel


def _copy(src, dest: Path | None) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    with open(dest, "xb") if dest is not None else contextlib.nullcontext() as out:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            if out is not None:
                out.write(chunk)
    return size, digest.hexdigest()


def _check_manifest(manifest) -> None:
    if not isinstance(manifest, dict) or manifest.get("kind") != KIND:
        raise _damaged(_("the manifest is not one of this site"))
    if manifest.get("format") != FORMAT:
        raise BackupError(
            _("This backup has format %(found)s; this version of the site reads format %(format)s.")
            % {"found": manifest.get("format"), "format": FORMAT}
        )
    db, media = manifest.get("database"), manifest.get("media")
    try:
        whole = (
            all(isinstance(n, int) for n in db["tables"].values())
            and isinstance(db["size"], int)
            and isinstance(db["sha256"], str)
            and all(
                isinstance(f["path"], str) and isinstance(f["size"], int) and isinstance(f["sha256"], str)
                for f in media.get("files", [])
            )
        )
    except (AttributeError, KeyError, TypeError):
        whole = False
    if not whole:
        raise _damaged(_("the manifest is incomplete"))


def read(path: Path, workdir: Path, staging: Path | None) -> Checked:
    """Read the whole file: the dump goes to ``workdir``, media files into ``staging`` (when given).

    Raises BackupError unless the manifest is there and every checksum matches it.
    """
    path = Path(path)
    if not path.is_file():
        raise BackupError(_("No such backup file: %(path)s") % {"path": path})
    manifest, dump_digest, found_media = None, None, {}
    dump = workdir / DUMP
    try:
        with tarfile.open(path, mode="r:") as tar:
            for member in tar:
                if member.isdir():
                    continue
                if not member.isfile():
                    raise _damaged(_("unexpected entry %(name)s") % {"name": member.name})
                src = tar.extractfile(member)
                if member.name == MANIFEST:
                    if member.size > 256 * 1024 * 1024:
                        raise _damaged(_("the manifest is too large"))
                    manifest = json.loads(src.read().decode())
                elif member.name == DUMP:
                    dump_digest = _copy(src, dump)
                elif member.name.startswith(MEDIA + "/"):
                    rel = _media_rel(member.name)
                    target = None
                    if staging is not None:
                        target = staging.joinpath(*rel.parts)
                        target.parent.mkdir(parents=True, exist_ok=True)
                    found_media[str(rel)] = _copy(src, target)
                else:
                    raise _damaged(_("unexpected entry %(name)s") % {"name": member.name})
    except (tarfile.TarError, EOFError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _damaged(exc) from exc
    except FileExistsError as exc:
        raise _damaged(_("a file appears twice: %(name)s") % {"name": exc.filename}) from exc

    if manifest is None:
        raise _damaged(_("the manifest is missing (the file may be cut short)"))
    _check_manifest(manifest)
    db = manifest["database"]
    if dump_digest is None:
        raise _damaged(_("the database dump is missing"))
    if dump_digest != (db.get("size"), db.get("sha256")):
        raise _damaged(_("the database dump does not match its checksum"))
    expected = {item["path"]: (item["size"], item["sha256"]) for item in manifest["media"].get("files", [])}
    if found_media != expected:
        missing = sorted(set(expected) - set(found_media))
        changed = sorted(p for p in set(expected) & set(found_media) if expected[p] != found_media[p])
        extra = sorted(set(found_media) - set(expected))
        raise _damaged(
            _(
                "the media files do not match the manifest "
                "(missing %(missing)s, changed %(changed)s, extra %(extra)s)"
            )
            % {"missing": len(missing), "changed": len(changed), "extra": len(extra)}
        )
    return Checked(manifest=manifest, dump=dump, staging=staging, media_count=len(found_media))


def check_dump(tools: Tools, dump: Path) -> list[str]:
    """pg_restore can read the dump; returns its table of contents."""
    result = subprocess.run(
        [tools["pg_restore"], "--list", str(dump)], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise _damaged(
            _("pg_restore cannot read the database dump: %(error)s") % {"error": result.stderr.strip()}
        )
    return result.stdout.splitlines()


# --- restore ------------------------------------------------------------------------------------

# Runs first, in the same transaction as the restore: everything the restore is about to
# re-create is dropped (the public schema's tables, views, sequences, functions and types,
# and any other schema the backup holds), so that tables added since the backup go too.
# Extensions' objects are left alone: the dump re-creates extensions only if missing.
_CLEAR = """
DO $clear$
DECLARE
    statement text;
BEGIN
    FOREACH statement IN ARRAY ARRAY(
        SELECT stmt FROM (
            SELECT 1 AS step, format('DROP %s IF EXISTS %I.%I CASCADE',
                       CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                       WHEN 'f' THEN 'FOREIGN TABLE' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END,
                       n.nspname, c.relname) AS stmt
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
              -- neither an extension's nor a column's own sequence (those go with their table)
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                              AND d.objid = c.oid AND d.deptype IN ('e', 'a', 'i'))
            UNION ALL
            SELECT 2, format('DROP %s IF EXISTS %I.%I(%s) CASCADE',
                       CASE p.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END,
                       n.nspname, p.proname, pg_get_function_identity_arguments(p.oid))
            FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = 'public'
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                              AND d.objid = p.oid AND d.deptype = 'e')
            UNION ALL
            SELECT 3, format('DROP %s IF EXISTS %I.%I CASCADE',
                       CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, n.nspname, t.typname)
            FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE n.nspname = 'public'
              AND (t.typtype IN ('e', 'd', 'r')
                   OR (t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c'))
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass
                              AND d.objid = t.oid AND d.deptype = 'e')
        ) AS drops ORDER BY step
    ) LOOP
        EXECUTE statement;
    END LOOP;
END
$clear$;
"""
_SCHEMA_ENTRY = re.compile(r"^\d+; \d+ \d+ SCHEMA - (\S+) ")


def _prelude(toc: list[str]) -> str:
    from psycopg import sql

    schemas = {m.group(1) for line in toc if (m := _SCHEMA_ENTRY.match(line))} - {"public"}
    drops = "".join(
        sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE;\n").format(sql.Identifier(s)).as_string()
        for s in sorted(schemas)
    )
    return (
        "BEGIN;\n"
        "SELECT pg_catalog.set_config('search_path', '', true);\n"
        f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}';\n" + drops + _CLEAR
    )


def restore_database(db: Database, tools: Tools, dump: Path, toc: list[str], server_major: int) -> None:
    """Replace the database's contents with the dump, all in one transaction.

    pg_restore writes the SQL, psql runs it; COMMIT is sent only when pg_restore finished
    cleanly and psql stopped at no error, so a failure leaves the database as it was.
    """
    with tempfile.TemporaryFile() as restore_err, tempfile.TemporaryFile() as psql_err:
        restore = subprocess.Popen(
            [tools["pg_restore"], "--no-owner", "--no-privileges", "--no-subscriptions",
             "--file=-", str(dump)],
            stdout=subprocess.PIPE, stderr=restore_err,
        )  # fmt: skip
        psql = subprocess.Popen(
            [tools["psql"], "--no-psqlrc", "--quiet", "--no-password", "--set=ON_ERROR_STOP=1",
             f"--dbname={db.conninfo()}", "--file=-"],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=psql_err, env=db.env(),
        )  # fmt: skip
        committed = False
        try:
            psql.stdin.write(_prelude(toc).encode())
            header = True
            for line in restore.stdout:
                if header:
                    # pg_restore writing a script does not know the server: a newer one sets
                    # transaction_timeout, which PostgreSQL 16 and older do not have.
                    if line.startswith(b"SET transaction_timeout") and server_major < 17:
                        continue
                    header = not line.startswith(b"CREATE")
                psql.stdin.write(line)
            if restore.wait() == 0:
                psql.stdin.write(b"COMMIT;\n")
                committed = True
        except BrokenPipeError:
            pass  # psql stopped at an error: its message says which
        finally:
            if restore.poll() is None:
                restore.kill()
            restore.wait()
            restore.stdout.close()
            with contextlib.suppress(BrokenPipeError):
                psql.stdin.close()
            psql_rc = psql.wait()
        if not committed or psql_rc != 0:
            psql_err.seek(0)
            restore_err.seek(0)
            errors = (psql_err.read() + restore_err.read()).decode(errors="replace").strip()
            if "lock timeout" in errors:
                errors += "\n" + _("Other sessions are using the database: stop the site and try again.")
            raise BackupError(
                _("The database restore failed and was rolled back; the database is unchanged. %(error)s")
                % {"error": errors}
            )


def staging_dir(root: Path) -> Path:
    """A new empty folder on the same file system as MEDIA_ROOT, to be swapped in."""
    parent = root if os.path.ismount(root) else root.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=parent))
    except OSError as exc:
        raise BackupError(
            _("Cannot prepare the media folder next to %(path)s: %(error)s") % {"path": root, "error": exc}
        ) from exc


def _match_owner(staging: Path, root: Path) -> None:
    """The restored folder gets the mode (and, when run as root, the owner) of the old one."""
    if not root.exists():
        staging.chmod(0o755)
        return
    st = root.stat()
    staging.chmod(st.st_mode & 0o7777)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        for dirpath, _dirs, files in os.walk(staging):
            os.chown(dirpath, st.st_uid, st.st_gid)
            for name in files:
                os.chown(Path(dirpath) / name, st.st_uid, st.st_gid)


def swap_media(staging: Path, root: Path) -> None:
    """Put the staged folder in place of MEDIA_ROOT (two renames), then delete the old files."""
    _match_owner(staging, root)
    stamp = timezone.now().strftime("%Y%m%d%H%M%S")
    if not root.exists():
        os.rename(staging, root)
    elif not os.path.ismount(root):
        old = root.with_name(f"{REPLACED_PREFIX}{root.name}-{stamp}")
        os.rename(root, old)
        try:
            os.rename(staging, root)
        except OSError:
            os.rename(old, root)
            raise
        shutil.rmtree(old, ignore_errors=True)
    else:
        # A mount point cannot be renamed: move its entries instead (staging lives inside it).
        old = Path(tempfile.mkdtemp(prefix=REPLACED_PREFIX, dir=root))
        for entry in root.iterdir():
            if entry not in (old, staging):
                os.rename(entry, old / entry.name)
        for entry in staging.iterdir():
            os.rename(entry, root / entry.name)
        staging.rmdir()
        shutil.rmtree(old, ignore_errors=True)


def compare(
    manifest: dict, counts: dict[str, int], objects: dict[str, int], media: list[dict] | None
) -> list[str]:
    """Differences between the manifest and what is there now (empty: all equal)."""
    problems = []
    expected = manifest["database"]["tables"]
    for table in sorted(set(expected) | set(counts)):
        if expected.get(table) != counts.get(table):
            problems.append(
                _("table %(table)s: %(found)s rows, the backup has %(expected)s")
                % {"table": table, "found": counts.get(table, "-"), "expected": expected.get(table, "-")}
            )
    for kind, label in (("triggers", _("triggers")), ("functions", _("functions"))):
        if kind in manifest["database"] and manifest["database"][kind] != objects.get(kind):
            problems.append(
                _("%(kind)s: %(found)s, the backup has %(expected)s")
                % {"kind": label, "found": objects.get(kind), "expected": manifest["database"][kind]}
            )
    if media is not None:
        want = {item["path"]: (item["size"], item["sha256"]) for item in manifest["media"]["files"]}
        have = {item["path"]: (item["size"], item["sha256"]) for item in media}
        for path in sorted(set(want) | set(have)):
            if want.get(path) != have.get(path):
                problems.append(
                    _("media file %(path)s differs from the backup (missing, extra or changed)")
                    % {"path": path}
                )
    return problems
