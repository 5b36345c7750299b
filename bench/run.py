"""The benchmark: ``make bench`` (``python -m bench``).

For a 1-year and a 10-year national-scale database (generated once, kept
between runs while the generator and migrations are unchanged) it starts
gunicorn, signs in as the roles, and loads each page in turn with many
concurrent clients on loopback. The floor page (``/status/``: signed in, the
base template and the middleware, no data) is measured the same way by the
same server between short rounds of every page, and each page is compared with
the floor phases around its rounds. It reports latency percentiles,
throughput and each page's ratio to the floor, checks the goals of issue 9
and writes ``bench/results.md`` and ``bench/results.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import hashlib
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from bench.client import Session

BASE = Path(__file__).resolve().parent.parent
PY = sys.executable
PASSWORD = "Bench@2569"  # noqa: S105 - generated benchmark users  # nosec B105
SCALE_DEFAULTS = {"small": 1, "big": 10}

# Goals: (p50 ratio to the floor, p95 ratio to the floor) by kind of page.
GOALS = {"list": (3, 5), "detail": (3, 5), "form": (3, 5), "dashboard": (5, 8)}
HISTORY_GOAL = 1.5  # 10-year p50 ÷ 1-year p50, every page
MEMORY_GOAL_MB = 200


# --- databases --------------------------------------------------------------------------------


def _url_params(url: str) -> dict:
    from urllib.parse import parse_qs, unquote, urlparse

    parts = urlparse(url)
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    return {
        "host": query.get("host") or parts.hostname or "",
        "port": parts.port or 5432,
        "user": unquote(parts.username or ""),
        "password": unquote(parts.password or ""),
    }


def server_params() -> dict:
    """Where the bench databases live and as whom, like the site: the owner role creates,
    migrates and fills them, gunicorn connects as the application role (tracking/db_roles.py).

    DATABASE_URL's server, with MIGRATE_DATABASE_URL's user as the owner (who needs CREATEDB),
    else the bundled server, whose superuser creates the databases for the owner role.
    """
    url = os.environ.get("DATABASE_URL")
    if url:
        app = _url_params(url)
        owner = _url_params(os.environ.get("MIGRATE_DATABASE_URL") or url)
        roles = {"owner": (owner["user"], owner["password"]), "app": (app["user"], app["password"])}
        return {**owner, "roles": roles}
    sys.path.insert(0, str(BASE))
    from tracking import db_roles, embedded_db

    params = embedded_db.ensure_running()
    # The bundled server trusts local connections: no password.
    return {**params, "roles": {"owner": (db_roles.OWNER, ""), "app": (db_roles.APP, "")}}


def database_url(params: dict, name: str, role: str = "app") -> str:
    user, password = params["roles"][role]
    auth = user + (f":{password}" if password else "")
    host = params["host"]
    if host.startswith("/"):
        return f"postgresql://{auth}@localhost:{params['port']}/{name}?host={host}"
    return f"postgresql://{auth}@{host}:{params['port']}/{name}"


def signature(years: int, scale: float, seed: int) -> str:
    """Changes when the data would: generator, migrations, parameters."""
    digest = hashlib.sha256(f"{years}/{scale}/{seed}".encode())
    for path in sorted(
        [BASE / "bench" / "generator.py", *BASE.glob("*/migrations/*.py"), *BASE.glob("*/sql/*.sql")]
    ):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def prepare(params: dict, name: str, years: int, scale: float, seed: int, log) -> str:
    wanted = signature(years, scale, seed)
    admin = {k: v for k, v in params.items() if v != "" and k != "roles"}
    owner = params["roles"]["owner"][0]
    with psycopg.connect(dbname="postgres", autocommit=True, **admin) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if row and row[0] == wanted:
            log(f"{name}: reusing the generated database ({wanted}).")
            return database_url(params, name)
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" OWNER "{owner}" ENCODING \'UTF8\' TEMPLATE template0')
    url = database_url(params, name)
    # manage.py runs these three as the owner (MIGRATE_DATABASE_URL); migrate grants the app role its rights.
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "MIGRATE_DATABASE_URL": database_url(params, name, "owner"),
        "DEMO": "1",
        "BENCH": "1",  # generate_scale is a command of the bench app, installed only then
    }
    log(f"{name}: migrating and generating {years} year(s) at scale {scale} ...")
    started = time.monotonic()
    for command in (
        ["migrate", "-v0"],
        ["createcachetable"],
        ["generate_scale", "--years", str(years), "--scale", str(scale), "--seed", str(seed)],
    ):
        subprocess.run([PY, "manage.py", *command], cwd=BASE, env=env, check=True, capture_output=True)
    with psycopg.connect(dbname="postgres", autocommit=True, **admin) as conn:
        conn.execute(f"COMMENT ON DATABASE \"{name}\" IS '{wanted}'")
    log(f"{name}: ready in {time.monotonic() - started:.0f} s.")
    return url


def lookups(url: str) -> dict:
    """Ids the pages need, read straight from the database."""
    with psycopg.connect(_libpq(url)) as conn:
        fy = conn.execute("SELECT MAX(fiscal_year) FROM projects_project").fetchone()[0]
        project = conn.execute(
            "SELECT id FROM projects_project WHERE fiscal_year = %s ORDER BY code LIMIT 1", [fy]
        ).fetchone()[0]
        assignments = [
            r[0]
            for r in conn.execute(
                "SELECT au.id FROM projects_activityunit au JOIN projects_activity a ON a.id = au.activity_id"
                " JOIN projects_project p ON p.id = a.project_id JOIN accounts_orgunit u ON u.id = au.unit_id"
                " JOIN accounts_province pr ON pr.id = u.province_id"
                " WHERE p.fiscal_year = %s AND pr.code = '50' AND u.agency = 'alro' ORDER BY au.id",
                [fy],
            )
        ]
        offices = conn.execute(
            "SELECT u.code, d.code FROM workload_submission s"
            " JOIN workload_questionnaire q ON q.id = s.questionnaire_id"
            " JOIN accounts_orgunit u ON u.id = s.office_id JOIN accounts_district d ON d.id = u.district_id"
            " WHERE q.fiscal_year = %s AND s.confirmed_at IS NULL ORDER BY u.code LIMIT 64",
            [fy],
        ).fetchall()
        questions = [
            r[0]
            for r in conn.execute(
                "SELECT qu.id FROM workload_question qu JOIN workload_aspect a ON a.id = qu.aspect_id"
                " JOIN workload_questionnaire q ON q.id = a.questionnaire_id"
                " WHERE q.fiscal_year = %s AND a.number = 1"
                " ORDER BY qu.order",
                [fy],
            )
        ]
        first_year = conn.execute("SELECT MIN(fiscal_year) FROM workload_questionnaire").fetchone()[0]
    return {
        "fy": fy,
        "project": project,
        "assignments": assignments,
        "offices": offices,
        "questions": questions,
        "first_year": first_year,
    }


def _libpq(url: str) -> str:
    from urllib.parse import parse_qs, urlparse

    parts = urlparse(url)
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    host = query.get("host") or parts.hostname
    return (
        f"host={host} port={parts.port or 5432} dbname={parts.path.lstrip('/')} user={parts.username or ''}"
        + (f" password={parts.password}" if parts.password else "")
    )


# --- the server -------------------------------------------------------------------------------


class Gunicorn:
    def __init__(self, url: str, workers: int, threads: int = 1):
        self.url, self.workers, self.threads = url, workers, threads
        self.port = _free_port()

    def __enter__(self):
        gunicorn = shutil.which("gunicorn", path=os.path.dirname(PY)) or "gunicorn"
        env = {
            **os.environ,
            "DATABASE_URL": self.url,
            "DEBUG": "0",
            "HTTPS": "0",
            "DEMO": "1",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LOG_LEVEL": "WARNING",
            # Every simulated person signs in from 127.0.0.1.
            "LOGINS_PER_ADDRESS_PER_MINUTE": "1000000",
        }
        command = [
            gunicorn,
            "tracking.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--backlog",
            "2048",
            "--timeout",
            "120",
        ]
        if self.threads > 1:
            command += ["--threads", str(self.threads), "--worker-class", "gthread"]
        self.process = subprocess.Popen(
            command, cwd=BASE, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not start: " + self.process.stderr.read().decode())

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- pages -------------------------------------------------------------------------------------


@dataclass
class Page:
    name: str
    kind: str  # floor, list, detail, form, dashboard, export, login
    user: str
    path: str = ""
    method: str = "GET"
    tabs: list = field(default_factory=list)
    weight: float = 1.0  # share of the phase's time budget (slow pages get fewer requests anyway)


FLOOR = Page("floor", "floor", "bench_report_viewer", "/status/")


def pages(ids: dict) -> list[Page]:
    fy, project = ids["fy"], ids["project"]
    month = 2
    return [
        Page("home", "detail", "bench_report_viewer", "/"),
        Page("login", "login", "bench_report_viewer", "/accounts/login/", "POST"),
        Page("project list", "list", "bench_admin_all", f"/projects/?fy={fy}"),
        Page("project detail", "detail", "bench_admin_all", f"/projects/{project}/"),
        Page(
            "project tabs",
            "detail",
            "bench_admin_all",
            tabs=[
                f"/progress/projects/{project}/{tab}/"
                for tab in ("detail", "performance", "disbursement", "procurement", "transfers", "photos")
            ],
        ),
        Page("unit progress list", "list", "bench_province_user_50", f"/progress/?fy={fy}&month={month}"),
        Page(
            "save a month's results",
            "form",
            "bench_province_user_50",
            "/progress/assignments/{au}/performance/2/",
            "POST",
        ),
        Page(
            "province workload review", "list", "bench_province_confirmer_50", f"/workload/{fy}/province/50/"
        ),
        Page("save an aspect", "form", "recorders", "/workload/{fy}/office/{office}/aspect/1/", "POST"),
        Page("budget dashboard", "dashboard", "bench_report_viewer", f"/reports/budget/?fy={fy}"),
        Page("performance dashboard", "dashboard", "bench_report_viewer", f"/reports/performance/?fy={fy}"),
        Page("DLA national overview", "dashboard", "bench_dla_admin", f"/workload/{fy}/national/"),
        Page("DLA reports", "dashboard", "bench_dla_admin", f"/reports/workload/?fy={fy}"),
        Page("workload answers .xlsx", "export", "bench_dla_admin", f"/workload/{fy}/answers.xlsx"),
    ]


class Load:
    """Sessions per role, and the one request each kind of page makes."""

    def __init__(self, port: int, ids: dict):
        self.port, self.ids = port, ids
        self.sessions: dict = {}

    async def session(self, username: str) -> Session:
        if username not in self.sessions:
            session = Session("127.0.0.1", self.port)
            await session.login(username, PASSWORD)
            self.sessions[username] = session
        return self.sessions[username]

    async def prepare(self, page: Page, clients: int):
        if page.user == "recorders":
            for index in range(clients):
                _code, district = self.ids["offices"][index % len(self.ids["offices"])]
                await self.session(f"bench_district_recorder_{district}")
        else:
            await self.session(page.user)

    async def hit(self, page: Page, client: int, turn: int):
        """One measured request of ``page`` by client number ``client``; returns (response, floor session)."""
        if page.kind == "login":
            session = Session("127.0.0.1", self.port)
            await session.get(page.path)
            response = await session.post(page.path, {"login": page.user, "password": PASSWORD})
            return response, self.sessions[page.user], 302
        if page.name == "save a month's results":
            session = self.sessions[page.user]
            au = self.ids["assignments"][(client * 7 + turn) % len(self.ids["assignments"])]
            path = page.path.format(au=au)
            form = await session.get(path)
            version = _field(form.text(), "version")
            data = {
                "version": version,
                "quantity": str(turn % 9 + 1),
                "narrative": f"รอบที่ {turn}",
                "obstacles": "",
            }
            return await session.post(path, data), session, 302
        if page.name == "save an aspect":
            code, district = self.ids["offices"][client % len(self.ids["offices"])]
            session = self.sessions[f"bench_district_recorder_{district}"]
            path = page.path.format(fy=self.ids["fy"], office=code)
            form = await session.get(path)
            data = {"edit_stamp": _field(form.text(), "edit_stamp")}  # as a browser sends it back
            for qid in self.ids["questions"]:
                data.update({f"q{qid}_volume": str(turn % 30), f"q{qid}_days": "1", f"q{qid}_hours": "2"})
            return await session.post(path, data), session, 302
        session = self.sessions[page.user]
        path = page.tabs[turn % len(page.tabs)] if page.tabs else page.path
        return await session.get(path), session, 200


def _field(html: str, name: str) -> str:
    import re

    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', html
    )
    return match.group(1) if match else ""


async def run_phase(load: Load, page: Page, clients: int, seconds: float, warmup: float) -> dict:
    """``clients`` concurrent clients request the page over and over; the last ``seconds`` are measured."""
    await load.prepare(page, clients)
    samples: list = []
    errors: list = []
    started = time.perf_counter()
    measure_from = started + warmup
    deadline = measure_from + seconds

    async def client(index: int):
        turn = 0
        while time.perf_counter() < deadline:
            response, _session, expected = await load.hit(page, index, turn)
            if time.perf_counter() >= measure_from:
                if response.status != expected:
                    errors.append(f"{page.name}: HTTP {response.status}")
                samples.append(response.seconds)
            turn += 1

    await asyncio.gather(*(client(i) for i in range(clients)))
    elapsed = time.perf_counter() - measure_from
    return {
        "page": _stats(samples, elapsed),
        "errors": sorted(set(errors))[:5],
        "error_count": len(errors),
        "samples": samples,
        "elapsed": elapsed,
    }


def _stats(values: list, elapsed: float) -> dict:
    if not values:
        return {"n": 0}
    ordered = sorted(values)

    def pct(p):
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000

    return {
        "n": len(values),
        "p50": pct(50),
        "p95": pct(95),
        "p99": pct(99),
        "mean": statistics.fmean(values) * 1000,
        "rps": len(values) / elapsed,
    }


# --- probes (in-process, through Django) ------------------------------------------------------------


def probe_queries(url: str, ids: dict) -> dict:
    spec = {
        p.name: (p.user, p.tabs[1] if p.tabs else p.path)
        for p in pages(ids)
        if p.method == "GET" and p.kind not in ("export", "login")
    }
    spec["floor"] = ("bench_report_viewer", "/status/")
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(spec, fh)
    result = subprocess.run(
        [PY, "-m", "bench.probe", "queries", fh.name],
        cwd=BASE,
        check=True,
        capture_output=True,
        env={**os.environ, "DATABASE_URL": url, "DEMO": "1", "HTTPS": "0"},
        text=True,
    )
    os.unlink(fh.name)
    return json.loads(result.stdout.strip().splitlines()[-1])


def probe_memory(url: str, fy: int) -> dict:
    result = subprocess.run(
        [PY, "-m", "bench.probe", "memory", f"/workload/{fy}/answers.xlsx", "bench_dla_admin"],
        cwd=BASE,
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "DATABASE_URL": url, "DEMO": "1", "HTTPS": "0"},
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def rows_of_year(url: str, fy: int) -> int:
    with psycopg.connect(_libpq(url)) as conn:
        return conn.execute(
            "SELECT count(*) FROM workload_answer a JOIN workload_submission s ON s.id = a.submission_id"
            " JOIN workload_questionnaire q ON q.id = s.questionnaire_id WHERE q.fiscal_year = %s",
            [fy],
        ).fetchone()[0]


# --- the run ----------------------------------------------------------------------------------------


def machine() -> dict:
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    git = shutil.which("git")
    commit = (
        subprocess.run([git, "rev-parse", "--short", "HEAD"], cwd=BASE, capture_output=True, text=True).stdout
        if git
        else ""
    )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "python": platform.python_version(),
        "system": platform.platform(),
        "commit": commit.strip(),
        "date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
    }


def settle(owner_url: str) -> None:
    """VACUUM (ANALYZE) the database and wait for it: the dead rows and stale statistics that the
    bench's own saves leave behind are cleared before the next page is measured, instead of by
    autovacuum in the middle of it."""
    with psycopg.connect(_libpq(owner_url), autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")


def measure(url: str, args, log, owner_url: str) -> dict:
    """Every page in turn, alternating with the floor page: ``--rounds`` short phases of the page,
    each followed by a floor phase. A page's figures pool its phases, and its floor pools the floor
    phases between them (with the one just before), so drifts of a shared machine, which last some
    seconds, weigh on the page and its floor alike. The database is settled (settle()) first and
    after each page that writes."""
    settle(owner_url)
    ids = lookups(url)
    with Gunicorn(url, args.workers, args.threads) as server:
        load = Load(server.port, ids)
        results, floors = {}, []

        def phase(page, clients, seconds, warmup):
            return asyncio.run(run_phase(load, page, clients, seconds, warmup))

        def show(name, stats, errors=0):
            shown = f"  errors: {errors}" if errors else ""
            log(
                f"  {name:<28} p50 {stats.get('p50', 0):8.1f} ms  p95 {stats.get('p95', 0):8.1f} ms"
                f"  n={stats.get('n', 0)}{shown}"
            )

        chosen = [p for p in pages(ids) if not args.only or p.name in args.only]
        last_floor = phase(FLOOR, args.clients, args.seconds / 2, args.warmup)
        floors.append(last_floor["page"])
        for page in chosen:
            export = page.kind == "export"
            clients = min(4, args.clients) if export else args.clients
            rounds = 1 if export else args.rounds
            seconds = args.seconds * (2 if export else 1) / rounds
            page_phases, floor_phases = [], [last_floor]
            for number in range(rounds):
                # The first phase warms the page up; later ones only let the clients start again.
                page_phases.append(
                    phase(page, clients, seconds, args.warmup if number == 0 else ROUND_WARMUP)
                )
                last_floor = phase(FLOOR, args.clients, args.seconds / 2 / rounds, ROUND_WARMUP)
                floor_phases.append(last_floor)
            result = _pooled(page_phases)
            result["floor"] = _pooled(floor_phases)["page"]
            floors.append(_pooled(floor_phases[1:])["page"])
            show(page.name, result["page"], result["error_count"])
            show("floor", result["floor"])
            results[page.name] = result
            if page.method != "GET":
                settle(owner_url)
    kept = {k: v for k, v in ids.items() if k in ("fy", "project", "first_year")}
    return {"ids": kept, "pages": results, "floor": _mean_stats(floors)}


ROUND_WARMUP = 0.5  # seconds before each later round is measured


def _pooled(phases: list[dict]) -> dict:
    """One result of several phases of the same page: their samples together."""
    samples = [value for phase in phases for value in phase["samples"]]
    errors = sorted({error for phase in phases for error in phase["errors"]})[:5]
    return {
        "page": _stats(samples, sum(phase["elapsed"] for phase in phases)),
        "errors": errors,
        "error_count": sum(phase["error_count"] for phase in phases),
    }


def _mean_stats(floors: list[dict]) -> dict:
    mean = {key: statistics.fmean(f[key] for f in floors) for key in ("p50", "p95", "p99", "mean", "rps")}
    mean["n"] = sum(f["n"] for f in floors)
    return mean


SWEEP_CONFIGS = [(2, 1), (3, 1), (4, 1), (5, 1), (6, 1), (2, 4), (3, 4)]  # (workers, threads)
SWEEP_PAGES = ("project detail", "unit progress list", "budget dashboard", "save a month's results")


def sweep(url: str, args, log) -> list[dict]:
    """Throughput and p95 of a few kinds of page under each gunicorn setting, to choose one."""
    ids = lookups(url)
    chosen = [FLOOR, *[p for p in pages(ids) if p.name in SWEEP_PAGES]]
    results = []
    for workers, threads in SWEEP_CONFIGS:
        with Gunicorn(url, workers, threads) as server:
            load = Load(server.port, ids)
            rps, p95 = 0.0, []
            for page in chosen:
                result = asyncio.run(run_phase(load, page, args.clients, args.seconds / 2, args.warmup))
                rps += result["page"].get("rps", 0) / len(chosen)
                p95.append(result["page"].get("p95", 0))
        row = {"workers": workers, "threads": threads, "rps": rps, "p95_max": max(p95)}
        results.append(row)
        log(f"  {workers} workers × {threads} threads: {rps:6.1f} req/s a page, worst p95 {max(p95):7.1f} ms")
    return results


def evaluate(run: dict) -> list[dict]:
    """Every goal with its figure and pass/fail."""
    checks = []
    small, big = run["databases"].get("1y"), run["databases"].get("10y")
    kinds = {
        p.name: p.kind
        for p in pages({"fy": 0, "project": 0, "assignments": [], "offices": [], "questions": []})
    }
    for label, db in run["databases"].items():
        for name, result in db["pages"].items():
            goal = GOALS.get(kinds.get(name, ""))
            if not goal or not result["page"].get("n"):
                continue
            p50 = result["page"]["p50"] / result["floor"]["p50"]
            p95 = result["page"]["p95"] / result["floor"]["p95"]
            checks.append(
                {
                    "goal": f"{label} {name}: p50 ≤ {goal[0]}× floor",
                    "value": round(p50, 2),
                    "ok": p50 <= goal[0],
                }
            )
            checks.append(
                {
                    "goal": f"{label} {name}: p95 ≤ {goal[1]}× floor",
                    "value": round(p95, 2),
                    "ok": p95 <= goal[1],
                }
            )
            if result["error_count"]:
                checks.append(
                    {"goal": f"{label} {name}: no errors", "value": result["error_count"], "ok": False}
                )
    if small and big:
        for name, result in big["pages"].items():
            if name in small["pages"] and result["page"].get("n") and small["pages"][name]["page"].get("n"):
                ratio = result["page"]["p50"] / small["pages"][name]["page"]["p50"]
                checks.append(
                    {
                        "goal": f"{name}: 10 years ≤ {HISTORY_GOAL}× 1 year (p50)",
                        "value": round(ratio, 2),
                        "ok": ratio <= HISTORY_GOAL,
                    }
                )
        differing = {
            n: (small["queries"][n]["queries"], big["queries"][n]["queries"])
            for n in small["queries"]
            if small["queries"][n]["queries"] != big["queries"].get(n, {}).get("queries")
        }
        checks.append(
            {
                "goal": "query counts identical at 1 and 10 years",
                "value": differing or "identical",
                "ok": not differing,
            }
        )
    for label, db in run["databases"].items():
        memory = db.get("memory")
        if memory:
            checks.append(
                {
                    "goal": f"{label} full-year answers .xlsx ({memory['rows']:,} rows): peak memory < "
                    f"{MEMORY_GOAL_MB} MB",
                    "value": memory["peak_mb"],
                    "ok": memory["peak_mb"] < MEMORY_GOAL_MB and memory["status"] == 200,
                }
            )
    return checks


def write_results(run: dict, checks: list[dict], out: Path):
    out.mkdir(parents=True, exist_ok=True)
    out.joinpath("results.json").write_text(
        json.dumps({**run, "checks": checks}, indent=2, ensure_ascii=False)
    )
    m = run["machine"]
    lines = [
        "# Benchmark results",
        "",
        f"- Machine: {m['cpu']}, {m['cores']} cores, {m['memory']}; {m['system']}; Python {m['python']}",
        f"- Date: {m['date']}; commit `{m['commit']}`",
        f"- gunicorn: {run['settings']['workers']} sync workers"
        + (f" × {run['settings']['threads']} threads (gthread)" if run["settings"]["threads"] > 1 else "")
        + f"; {run['settings']['clients']} concurrent clients on loopback, {run['settings']['seconds']} s a"
        f" page in {run['settings'].get('rounds', 1)} rounds after {run['settings']['warmup']} s of warm-up;"
        " the floor page (`/status/`: signed in, base template, no data) measured the same way after every"
        " round and before the first; each ratio is against the floor phases around the page's rounds"
        " (the floor columns). The database is vacuumed and analyzed (`VACUUM (ANALYZE)`, waited for)"
        " before the first page and after each page that writes (login and the two saves), so that"
        " autovacuum does not clean up after one page while the next is measured.",
        f"- Data: scale {run['settings']['scale']}; the 1-year and 10-year databases of `generate_scale`.",
        "",
    ]
    for label, db in run["databases"].items():
        lines += [
            f"## {label} database",
            "",
            "| page | kind | p50 ms | p95 ms | p99 ms | req/s | floor p50 | floor p95 | × floor p50 "
            "| × floor p95 | queries |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        kinds = {
            p.name: p.kind
            for p in pages({"fy": 0, "project": 0, "assignments": [], "offices": [], "questions": []})
        }
        for name, result in db["pages"].items():
            page, floor = result["page"], result["floor"]
            if not page.get("n"):
                continue
            queries = db["queries"].get(name, {}).get("queries", "")
            lines.append(
                f"| {name} | {kinds.get(name, '')} | {page['p50']:.1f} | {page['p95']:.1f} "
                f"| {page['p99']:.1f} | {page['rps']:.1f} | {floor['p50']:.1f} | {floor['p95']:.1f} "
                f"| {page['p50'] / floor['p50']:.2f} | {page['p95'] / floor['p95']:.2f} | {queries} |"
            )
        if db.get("memory"):
            mem = db["memory"]
            lines += [
                "",
                f"Full-year answers export: {mem['rows']:,} rows, {mem['bytes'] / 1e6:.1f} MB file, "
                f"{mem['seconds']} s, peak memory {mem['peak_mb']} MB "
                f"(process at {mem['before_mb']} MB before).",
            ]
        lines.append("")
    if run.get("sweep"):
        best = max(run["sweep"], key=lambda r: r["rps"])
        lines += [
            "## gunicorn settings",
            "",
            "| workers | threads | req/s a page (mean) | worst p95 ms |",
            "|---:|---:|---:|---:|",
        ]
        for row in run["sweep"]:
            mark = " **(best)**" if row is best else ""
            lines.append(
                f"| {row['workers']} | {row['threads']} | {row['rps']:.1f}{mark} | {row['p95_max']:.1f} |"
            )
        lines.append("")
    lines += ["## Goals", "", "| goal | value | |", "|---|---:|---|"]
    for check in checks:
        lines.append(f"| {check['goal']} | {check['value']} | {'PASS' if check['ok'] else '**FAIL**'} |")
    passed = sum(c["ok"] for c in checks)
    lines += ["", f"{passed} of {len(checks)} goals met.", ""]
    out.joinpath("results.md").write_text("\n".join(lines), encoding="utf-8")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=float(os.environ.get("BENCH_SCALE", 1)))
    parser.add_argument("--seed", type=int, default=2570)
    parser.add_argument("--years", default=os.environ.get("BENCH_YEARS", "1,10"), help="databases to measure")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", 4)))
    parser.add_argument("--threads", type=int, default=int(os.environ.get("BENCH_THREADS", 1)))
    parser.add_argument("--clients", type=int, default=int(os.environ.get("BENCH_CLIENTS", 16)))
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("BENCH_SECONDS", 8)))
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument(
        "--rounds",
        type=int,
        default=int(os.environ.get("BENCH_ROUNDS", 3)),
        help="phases of each page, alternating with the floor page",
    )
    parser.add_argument("--only", nargs="*", help="measure only these pages")
    parser.add_argument("--out", default=str(BASE / "bench"))
    parser.add_argument(
        "--sweep", action="store_true", help="also compare gunicorn settings on the first database"
    )
    args = parser.parse_args(argv)

    def log(text):
        print(text, flush=True)

    params = server_params()
    run = {
        "machine": machine(),
        "settings": {
            k: getattr(args, k)
            for k in ("scale", "workers", "threads", "clients", "seconds", "warmup", "rounds")
        },
        "databases": {},
    }
    for years in [int(y) for y in args.years.split(",")]:
        label = f"{years}y"
        url = prepare(params, f"bench_{label}", years, args.scale, args.seed, log)
        log(f"{label}: measuring ...")
        db = measure(url, args, log, database_url(params, f"bench_{label}", "owner"))
        ids = lookups(url)
        db["queries"] = probe_queries(url, ids)
        export_year = ids["first_year"] if years > 1 else ids["fy"]
        db["memory"] = {
            **probe_memory(url, export_year),
            "rows": rows_of_year(url, export_year),
            "fiscal_year": export_year,
        }
        run["databases"][label] = db
        if args.sweep and "sweep" not in run:
            log(f"{label}: comparing gunicorn settings ...")
            run["sweep"] = sweep(url, args, log)
    checks = evaluate(run)
    print(write_results(run, checks, Path(args.out)))
    return 0 if all(c["ok"] for c in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
