"""tracker — the project itself: settings, URLs, and what guards the whole site
(security headers, login throttling, edit history for every write path)."""

from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "Site security and history"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tracker import data_version, history

        # Signal receivers, not patches: history's user/reason filler and fixture
        # history, and the data version every write raises.
        history.install()
        data_version.install()
