#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys

# Commands that change the schema or handle the whole database connect as the owner role;
# every other command, like the site, as the application role (tracking/db_roles.py).
OWNER_COMMANDS = {
    "migrate",
    "createcachetable",
    "flush",
    "loaddata",  # resets sequences, which only their owner may
    "backup",
    "restore",
    "serve",
    "generate_scale",
}


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracking.settings")
    if len(sys.argv) > 1 and sys.argv[1] in OWNER_COMMANDS:
        os.environ.setdefault("DATABASE_ROLE", "owner")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
