from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenchConfig(AppConfig):
    """The data generator and the benchmark of national scale (no models, no pages)."""

    name = "bench"
    verbose_name = _("Benchmark")
