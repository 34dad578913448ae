"""No lost update: optimistic concurrency for every editable model.

Each editable row carries a ``version`` that every save raises by one
(:class:`VersionedModel`). An edit form (admin or review flow) sends back the version
it was opened at (:class:`VersionCheckedForm`); when the stored row has moved on since,
the save is refused with a form error naming what the other save changed and who made
it, and nothing of either edit is lost: the other edit is stored, this one stays in the
form to be re-applied.

The check runs inside the form's transaction with the row locked (``SELECT … FOR
UPDATE``), so two saves that arrive together cannot both pass it.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction


class VersionedModel(models.Model):
    """Adds ``version``, raised by one on every save.

    Nullable, without a default, so that adding it is a plain ``ADD COLUMN`` on SQLite
    too (a non-null column makes Django rebuild the table there, which would drop the
    triggers on it). Rows written before it existed, or by bulk paths, hold NULL: read
    as version 0."""

    version = models.IntegerField(
        null=True,
        blank=True,
        editable=False,
        help_text="Raised by every save; an edit opened at an older version is refused.",
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        self.version = (self.version or 0) + 1
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "version"}
        super().save(*args, **kwargs)


def changes_since(instance: models.Model, version: int) -> tuple[list[str], str]:
    """What changed on ``instance``'s stored row since ``version``, as field labels, and
    who saved last: from the row's history (django-simple-history) when it has one."""
    model = type(instance)
    current = model._default_manager.filter(pk=instance.pk).first()
    history = getattr(model, "history", None)
    if current is None:
        return ["the whole record (it was deleted)"], ""
    if history is None:
        return [], ""
    then_version = {"version": version} if version else {"version__isnull": True}
    then = history.filter(id=instance.pk, **then_version).order_by("-history_id").first()
    latest = history.filter(id=instance.pk).order_by("-history_id").first()
    who = ""
    if latest is not None and latest.history_user_id:
        who = str(latest.history_user)
    if then is None:
        return [], who
    changed = [
        str(field.verbose_name)
        for field in model._meta.concrete_fields
        if field.editable
        and field.name != "version"
        and getattr(then, field.attname, None) != getattr(current, field.attname)
    ]
    return changed, who


class VersionCheckedForm(forms.ModelForm):
    """A ModelForm that refuses to overwrite a row saved since the form was opened."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            self.initial["version"] = self.instance.version or 0

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        if instance.pk is None:
            return cleaned
        opened_at = cleaned.get("version")
        if opened_at is None:
            raise ValidationError(
                "This form does not say which version it edits; reload the page and "
                "make the change again."
            )
        rows = type(instance)._default_manager.filter(pk=instance.pk)
        if transaction.get_connection().in_atomic_block:
            rows = rows.select_for_update()  # a save arriving meanwhile waits for ours
        found = list(rows.values_list("version", flat=True)[:1])
        if not found:
            raise ValidationError("This record was deleted after you opened it.", code="conflict")
        stored = found[0]
        if (stored or 0) != opened_at:
            changed, who = changes_since(instance, opened_at)
            by = f" by {who}" if who else ""
            what = f" ({', '.join(changed)})" if changed else ""
            raise ValidationError(
                f"Someone else saved this record{by} after you opened it{what}. Your "
                "changes are still in the form below but were not saved: reload the page "
                "in another tab to see the stored version, then apply your changes to it.",
                code="conflict",
            )
        # The form saves the instance it was opened with: its version is the stored one.
        instance.version = stored
        return cleaned
