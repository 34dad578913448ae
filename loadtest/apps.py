from django.apps import AppConfig


class LoadtestConfig(AppConfig):
    """Synthetic data and the benchmark: they fill and time the domain apps, outside them.

    ``loadtest`` imports ``statements`` and ``actors``; neither imports ``loadtest``.
    """

    name = "loadtest"
    verbose_name = "Load testing"
