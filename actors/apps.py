from django.apps import AppConfig


class ActorsConfig(AppConfig):
    """Who: people, bodies and states, the names they go by and the posts they hold.

    ``actors`` knows nothing of statements; ``statements`` imports ``actors``.
    """

    name = "actors"
    verbose_name = "Actors"
    default_auto_field = "django.db.models.BigAutoField"
