from django.apps import AppConfig


class StatementsConfig(AppConfig):
    """What was said, when, in which source, about which claims and events.

    Imports ``actors`` for speakers, recipients and participants; never the reverse.
    """

    name = "statements"
    verbose_name = "Statements"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from statements.csv import refresh as csv_refresh
        from statements.filters import word_index
        from statements.models import tally_sql

        csv_refresh.install()
        word_index.install_migrate_hooks()
        tally_sql.install_migrate_hooks()
