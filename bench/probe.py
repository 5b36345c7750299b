"""In-process checks the benchmark runs against a generated database (DATABASE_URL set by the runner).

``python -m bench.probe queries PAGES.json``: the number of SQL queries each page runs, as JSON.
``python -m bench.probe memory PATH USERNAME``: peak memory of this process while one user's
request (an .xlsx export) is built and its whole body read, as JSON.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracking.settings")
    import django

    django.setup()


def _client(username):
    from django.test import Client

    from accounts.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username=username))
    return client


def queries(spec_path: str) -> dict:
    """Each page of the spec, fetched twice (the first warms caches); the second's count is kept."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with open(spec_path, encoding="utf-8") as fh:
        pages = json.load(fh)
    counts = {}
    for name, (username, path) in pages.items():
        client = _client(username)
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        counts[name] = {"queries": len(captured), "status": response.status_code}
    return counts


def memory(path: str, username: str) -> dict:
    client = _client(username)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    response = client.get(path)
    size = 0
    streaming = getattr(response, "streaming", False)
    for chunk in response.streaming_content if streaming else [response.content]:
        size += len(chunk)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "status": response.status_code,
        "streamed": streaming,
        "bytes": size,
        "seconds": round(time.perf_counter() - started, 2),
        "peak_mb": round(peak / 1024, 1),
        "before_mb": round(before / 1024, 1),
    }


def main(argv):
    _setup()
    if argv[:1] == ["queries"]:
        print(json.dumps(queries(argv[1])))
    elif argv[:1] == ["memory"]:
        print(json.dumps(memory(argv[1], argv[2])))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
