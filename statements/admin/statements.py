"""Statements in the admin: search, the source in context, publishing and discarding."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import Q
from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html
from django.utils.text import smart_split, unescape_string_literal
from simple_history.admin import SimpleHistoryAdmin

from actors.admin import PreloadedAutocompleteInlineMixin, run_atomically
from actors.models import Actor
from statements.admin.changelist import YearsByProbe
from statements.admin.history import related_changes
from statements.admin.paginator import EstimatedCountPaginator
from statements.filters import SEARCH_CONFIG, text_contains
from statements.models import Source, Stance, Statement
from statements.services import statement_discard, statement_publish
from statements.templatetags.statement_display import format_precise_date
from tracker.admin_fields import CheckedIdsAdminMixin
from tracker.admin_guards import GuardedAdminMixin, check_search_term
from tracker.admin_history import FullDiffHistoryMixin
from tracker.concurrency import VersionCheckedForm


class StanceOnStatementInline(PreloadedAutocompleteInlineMixin, admin.TabularInline):
    model = Stance
    fields = ["claim", "stance"]
    autocomplete_fields = ["claim"]
    inline_select_related = ("claim",)
    extra = 1
    verbose_name = "stance on a claim"
    verbose_name_plural = "stances on claims"


class StatementForm(VersionCheckedForm):
    class Meta:
        model = Statement
        fields = "__all__"


@admin.register(Statement)
class StatementAdmin(
    GuardedAdminMixin, FullDiffHistoryMixin, CheckedIdsAdminMixin, SimpleHistoryAdmin
):
    form = StatementForm
    object_history_template = "admin/statements/statement/object_history.html"
    # Drafts are published or discarded only by reviewers, here as in every screen.
    guarded_fields = {"status": "statements.publish_statement"}
    list_display = [
        "id",
        "said",
        "speaker",
        "mode",
        "medium",
        "status",
        "tag_list",
        "short_text",
    ]
    list_display_links = ["id", "said"]
    list_select_related = ["speaker", "source"]
    list_filter = [
        "status",
        "mode",
        "medium",
        "date_precision",
        ("speaker__kind", admin.ChoicesFieldListFilter),
        "tags",
    ]
    search_fields = ["text", "speaker__name", "speaker_as_printed", "source__title"]
    # Editors browse by year/month/day; its year links come from YearsByProbe.
    date_hierarchy = "said_on"
    autocomplete_fields = ["speaker", "source", "recipients", "events"]
    readonly_fields = ["source_in_context", "extraction", "uid"]
    fieldsets = [
        ("Who", {"fields": ["speaker", "speaker_as_printed", "speaker_title", "recipients"]}),
        ("What", {"fields": ["text", "mode", "medium", "tags", "events"]}),
        ("When", {"fields": ["said_on", "date_precision"]}),
        (
            "Where in the source",
            {"fields": ["source", "span_start", "span_end", "source_in_context"]},
        ),
        ("Status", {"fields": ["status", "uid", "extraction"]}),
    ]
    inlines = [StanceOnStatementInline]
    # simple_history diffs m2m fields (recipients, events) with queries per record.
    history_list_per_page = 25
    actions = ["publish", "discard"]
    list_per_page = 50
    show_full_result_count = False
    paginator = EstimatedCountPaginator

    def get_search_results(self, request, queryset, search_term):
        """PostgreSQL: the GIN-indexed ``search_vector`` (text, speaker names, the name as
        printed), as on the public list; an ``icontains`` over four columns scans every
        row. SQLite: Django's rule (every word in some ``search_fields`` column), with the
        text and the name as printed looked up through migration 0009's trigram index
        and the speaker and the source by id, not joined, which made the search much
        faster (figures for both: docs/benchmark.md).
        A term with a control character (a NUL breaks PostgreSQL) is a 400."""
        check_search_term(search_term)
        if not search_term.strip():
            return super().get_search_results(request, queryset, search_term)
        if connection.vendor == "sqlite":
            return self._sqlite_search_results(queryset, search_term), False
        if connection.vendor != "postgresql":
            return super().get_search_results(request, queryset, search_term)
        query = SearchQuery(search_term, search_type="websearch", config=SEARCH_CONFIG)
        return queryset.filter(search_vector=query), False

    @staticmethod
    def _sqlite_search_results(queryset, search_term: str):
        for bit in smart_split(search_term):
            if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
                bit = unescape_string_literal(bit)
            speakers = Actor.objects.filter(name__icontains=bit).values("pk")
            sources = Source.objects.filter(title__icontains=bit).values("pk")
            queryset = queryset.filter(
                text_contains(bit, ("text", "speaker_as_printed"))
                | Q(speaker__in=speakers)
                | Q(source__in=sources)
            )
        return queryset

    def history_view(self, request, object_id, extra_context=None):
        """The statement's versions, then its stance and tag changes (who, when, why)."""
        extra = {**(extra_context or {})}
        if object_id.isdigit():
            extra["related_changes"] = related_changes(int(object_id))
        return super().history_view(request, object_id, extra)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        queryset = YearsByProbe(model=queryset.model, query=queryset.query, using=queryset.db)
        return queryset.select_related("speaker", "source").prefetch_related("tags")

    @admin.display(description="Said", ordering="said_on")
    def said(self, obj: Statement) -> str:
        return format_precise_date(obj.said_on, obj.date_precision)

    @admin.display(description="Tags")
    def tag_list(self, obj: Statement) -> str:
        return ", ".join(sorted(tag.name for tag in obj.tags.all()))

    @admin.display(description="Text")
    def short_text(self, obj: Statement) -> str:
        return obj.text if len(obj.text) <= 90 else obj.text[:89] + "…"

    @admin.display(description="In the source")
    def source_in_context(self, obj: Statement) -> str:
        if not obj.pk or not obj.source_id:
            return "–"
        excerpt = obj.source.excerpt(obj.span_start, obj.span_end)
        return format_html(
            '<div class="source-excerpt" dir="auto">{}{}<mark>{}</mark>{}{}</div>',
            "…" if excerpt.cut_before else "",
            linebreaksbr(excerpt.before),  # escapes, then keeps the paragraph breaks
            linebreaksbr(excerpt.span),
            linebreaksbr(excerpt.after),
            "…" if excerpt.cut_after else "",
        )

    def has_publish_permission(self, request) -> bool:
        return self.may_set(request, "status")

    def _set_status(self, request, queryset, write, verb: str) -> None:
        """Publish or discard through the one service that does it for every screen."""
        changed: list[int] = []

        def work() -> None:
            statements = queryset.select_related("source")
            changed.append(
                write(statements=statements, user=request.user, reason=f"{verb} in the admin")
            )

        run_atomically(
            request, self, work, lambda: f"{verb.capitalize()} {changed[0]} statement(s)."
        )

    @admin.action(description="Publish selected statements", permissions=["publish"])
    def publish(self, request, queryset):
        self._set_status(request, queryset, statement_publish, "published")

    @admin.action(description="Discard selected statements", permissions=["publish"])
    def discard(self, request, queryset):
        self._set_status(request, queryset, statement_discard, "discarded")
