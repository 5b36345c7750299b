"""A migration that reads a file must always read the same bytes: the geography migration loads the
DOPA lists from accounts/data/. Their content is pinned here; new geography goes into a new file
read by a new migration, never into these."""

import hashlib
import re

from django.conf import settings

FROZEN = {
    "accounts/data/districts.json": "8a10a48896a02b15743676bd22927d1ab75033f5aeacd01cd4123fdb95cc6c1b",
    "accounts/data/provinces.json": "bc758ea979785f6922eac4ee64318336085fe6ccb50a1a9159a38c4acbf07f14",
}


def test_files_read_by_migrations_never_change():
    for name, digest in FROZEN.items():
        content = (settings.BASE_DIR / name).read_bytes()
        assert hashlib.sha256(content).hexdigest() == digest, f"{name} is read by a released migration"


def test_no_other_migration_reads_a_file():
    readers = [
        path.relative_to(settings.BASE_DIR).as_posix()
        for path in settings.BASE_DIR.glob("*/migrations/*.py")
        if re.search(r"read_text|read_bytes|\bopen\(", path.read_text(encoding="utf-8"))
    ]
    assert readers == ["accounts/migrations/0003_geography_data.py"]
