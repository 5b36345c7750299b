"""Reference lists shown on many pages (the ALRO units of a filter), kept briefly in the page cache.

Listing the units is a query and a model per unit on every page with a filter; they change a few
times a year. A change made through the ORM forgets the list at once in this process; other app
servers (and bulk changes that send no signals) show it within ``TIMEOUT`` seconds.
"""

from django.core.cache import caches

TIMEOUT = 60
ALRO_UNITS = "reference:alro-units"


def alro_units():
    """The active ALRO units below the agency, in Thai dictionary order."""
    from accounts.models import OrgUnit

    return OrgUnit.objects.filter(agency="alro", is_active=True).exclude(kind="agency").in_thai_order()


def alro_unit_choices() -> list[tuple[int, str]]:
    """(id, Thai name) of alro_units(), for a filter."""
    cache = caches["pages"]
    choices = cache.get(ALRO_UNITS)
    if choices is None:
        choices = list(alro_units().values_list("pk", "name_th"))
        cache.set(ALRO_UNITS, choices, TIMEOUT)
    return choices


def forget(**_kwargs) -> None:
    caches["pages"].delete(ALRO_UNITS)
