"""Filters of the site's log (settings.LOGGING)."""

import logging


class RefusalsWithoutTraceback(logging.Filter):
    """A 403 is the access rules working, not a fault: one line ("Forbidden (Permission denied): /path"),
    without the traceback of the PermissionDenied that Django's request logger attaches."""

    def filter(self, record):
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
