"""Sources in the admin: the report texts statements are cut from."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import Max
from simple_history.admin import SimpleHistoryAdmin

from actors.admin import count_of
from statements.models import Source, Statement, Status
from tracker.admin_fields import CheckedIdsAdminMixin
from tracker.admin_guards import GuardedAdminMixin
from tracker.concurrency import VersionCheckedForm

PUBLISH = "statements.publish_statement"


class SourceAdminForm(VersionCheckedForm):
    url = forms.URLField(label="URL", max_length=1000, required=False, assume_scheme="https")

    class Meta:
        model = Source
        fields = ["title", "publisher", "url", "published_on", "language", "status", "body"]

    def clean_url(self):
        """The database's one-source-per-URL rule, reported next to the field."""
        url = self.cleaned_data.get("url", "")
        if url and Source.objects.filter(url=url).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("Another source already has this URL.")
        return url

    def clean_body(self):
        body = self.cleaned_data["body"]
        if self.instance.pk:
            furthest = self.instance.statements.aggregate(end=Max("span_end"))["end"] or 0
            if len(body) < furthest:
                raise forms.ValidationError(
                    f"A statement's span ends at {furthest}; the body must keep at least "
                    f"that many characters (it has {len(body)})."
                )
        return body


@admin.register(Source)
class SourceAdmin(GuardedAdminMixin, CheckedIdsAdminMixin, SimpleHistoryAdmin):
    form = SourceAdminForm
    # A source's status makes its body public or hides its statements: a reviewer's call.
    guarded_fields = {"status": PUBLISH}
    unreviewed_values = {"status": Status.DRAFT}  # the model's default is "published"
    change_form_template = "admin/statements/source/change_form.html"
    list_display = ["title", "publisher", "published_on", "language", "status", "statement_count"]
    list_filter = ["status", "language", "published_on", "publisher"]
    search_fields = ["title", "publisher", "url"]
    date_hierarchy = "published_on"
    readonly_fields = ["sha256"]
    fields = ["title", "publisher", "url", "published_on", "language", "status", "body", "sha256"]
    list_per_page = 50
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(statement_count=count_of(Statement, "source"))

    @admin.display(description="Statements", ordering="statement_count")
    def statement_count(self, obj: Source) -> int:
        return obj.statement_count
