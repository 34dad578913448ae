"""Durable records the site's guards need: failed logins, the data version.

The tag links' history models (``HistoricalTaggedStatement`` and its siblings) live in
this app too; ``statements.models.tags`` registers them here.
"""

from __future__ import annotations

import uuid

from django.db import models


class LoginFailure(models.Model):
    """One failed login, remembered by a hash of the username and of the client address.

    Hashes, not the text: people type passwords into the username field.
    """

    class Scope(models.TextChoices):
        USERNAME = "username", "Username"
        ADDRESS = "address", "Client address"

    scope = models.CharField(max_length=10, choices=Scope)
    key = models.CharField(max_length=64, help_text="SHA-256 of the username or address.")
    failed_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-failed_at"]
        indexes = [models.Index(fields=["scope", "key", "failed_at"], name="login_failure_key_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scope__in=["username", "address"]),
                name="login_failure_scope_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key[:12]} at {self.failed_at:%Y-%m-%d %H:%M:%S}"


class DataVersion(models.Model):
    """One row whose number goes up with every write to the tracked data (statements,
    actors, tags): cached summaries are keyed by it, so no process ever serves a
    summary older than the last committed write (``tracker/data_version.py``)."""

    number = models.BigIntegerField(default=0)
    epoch = models.UUIDField(
        default=uuid.uuid4, help_text="New for each database, so keys never collide."
    )

    def __str__(self) -> str:
        return f"data version {self.number}"
