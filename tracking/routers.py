"""Send the reports' reads to a streaming replica when DATABASE_REPLICA_URL is set.

Only the summaries the dashboards and national overviews read go there; every
write, and every read the access rules and forms make, stays on the primary.
A replica may lag by a moment: the cached pages are keyed by the version read
from the same replica as their figures, so they are never mixed.
"""

REPLICATED = {
    ("progress", "assignmentfigures"),
    ("progress", "figuresversion"),
    ("workload", "submissionfigures"),
}


class ReportsReplicaRouter:
    def db_for_read(self, model, **hints):
        if (model._meta.app_label, model._meta.model_name) in REPLICATED:
            return "replica"
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
