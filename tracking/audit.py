"""The audit trail: every insert, update and delete of business data, by trigger.

django-pghistory records changes with PostgreSQL triggers, so bulk updates,
admin actions and scripts are caught as well as form saves; its middleware
attaches the signed-in user and the URL of the request. Decorate a model with
``@pghistory.track(*audited(), exclude=[...])``.
"""

import pghistory


def audited():
    """Fresh insert/update/delete trackers for one model (trackers are bound to their model)."""
    return (pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
