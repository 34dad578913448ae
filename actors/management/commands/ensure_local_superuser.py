"""Make the first login possible on a fresh local database, without a third command.

Only when DEBUG is on and the database has no user at all: creates the superuser
``admin`` with a random password and prints it once. Otherwise does nothing.
"""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model

from tracker.history import AttributedCommand


class Command(AttributedCommand):
    help = (
        "Create a local superuser with a random password if the database has no user (DEBUG only)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--site",
            default="http://127.0.0.1:8000",
            help="where the server will answer (make run passes its HOST and PORT)",
        )

    def handle(self, *args, site: str, **options) -> None:
        if not settings.DEBUG:
            self.stdout.write("DEBUG is off: no local superuser created.")
            return
        user_model = get_user_model()
        if user_model.objects.exists():
            return
        password = secrets.token_urlsafe(18)
        user_model.objects.create_superuser("admin", email="", password=password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created a local superuser for {site.rstrip('/')}/admin/ — "
                f"username: admin  password: {password}  (shown once; change it in the admin)"
            )
        )
