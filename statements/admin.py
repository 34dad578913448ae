"""The editor's workplace for sources, statements, claims and events."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import admin
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import Count, F, Max, Min, Q, Subquery
from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html
from django.utils.text import smart_split, unescape_string_literal
from simple_history.admin import SimpleHistoryAdmin

from actors.admin import (
    AutoSlugForm,
    PreloadedAutocompleteInlineMixin,
    count_of,
    run_atomically,
)
from actors.models import Actor
from statements.admin_paginator import EstimatedCountPaginator
from statements.filters import SEARCH_CONFIG, text_contains
from statements.models import (
    Claim,
    ClaimStatus,
    Event,
    EventParticipant,
    Source,
    Stance,
    StanceKind,
    Statement,
    Status,
)
from statements.models.statements import StatementQuerySet
from statements.templatetags.tracker import format_precise_date
from tracker.admin_fields import CheckedIdsAdminMixin
from tracker.history import ReviewerRevertMixin

EXCERPT_CONTEXT = 240  # characters of source text shown either side of a span


# --- inlines


class StanceOnStatementInline(PreloadedAutocompleteInlineMixin, admin.TabularInline):
    model = Stance
    fields = ["claim", "stance"]
    autocomplete_fields = ["claim"]
    inline_select_related = ("claim",)
    extra = 1
    verbose_name = "stance on a claim"
    verbose_name_plural = "stances on claims"


class StanceOnClaimInline(PreloadedAutocompleteInlineMixin, admin.TabularInline):
    model = Stance
    fields = ["statement", "stance"]
    autocomplete_fields = ["statement"]
    inline_select_related = ("statement__speaker",)
    extra = 1
    verbose_name = "statement taking a stance"
    verbose_name_plural = "statements taking a stance"


class EventParticipantInline(PreloadedAutocompleteInlineMixin, admin.TabularInline):
    model = EventParticipant
    fields = ["actor", "role"]
    autocomplete_fields = ["actor"]
    inline_select_related = ("actor",)
    extra = 1


# --- sources


class SourceAdminForm(forms.ModelForm):
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
class SourceAdmin(CheckedIdsAdminMixin, SimpleHistoryAdmin):
    form = SourceAdminForm
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


# --- statements


class YearsByProbe(StatementQuerySet):
    """The statement changelist's queryset. Its date hierarchy asks ``dates(field,
    "year")``, which Django answers with ``SELECT DISTINCT date_trunc('year', …)`` over
    every matching row (~130 ms at 1M statements). Here: the first and last date (the
    two ends of the said_on index), then one ``EXISTS`` per year between them — a few
    index probes, the same years. Spans over ``MAX_PROBES`` years use Django's query."""

    MAX_PROBES = 60

    def aggregate(self, *args, **kwargs):
        """The hierarchy's ``aggregate(first=Min(f), last=Max(f))`` (Django's template tag
        asks it, then ``dates`` below): as two ``ORDER BY f LIMIT 1`` walks of the date
        index in one query, which stop at the first match (a search for a common word
        made ``MIN``/``MAX`` scan every matching row: 33 ms each at 100k on SQLite);
        answered once per queryset."""
        first, last = kwargs.get("first"), kwargs.get("last")
        if args or kwargs.keys() != {"first", "last"}:
            return super().aggregate(*args, **kwargs)
        if type(first) is not Min or type(last) is not Max:
            return super().aggregate(*args, **kwargs)
        field = first.source_expressions[0]
        if field != last.source_expressions[0] or not isinstance(field, F):
            return super().aggregate(*args, **kwargs)
        cached = self.__dict__.get("_date_bounds")
        if cached is None or cached[0] != field.name:
            name = field.name
            known = self.filter(**{f"{name}__isnull": False}).values(name)
            ends = self.model._default_manager.using(self.db).annotate(
                first=Subquery(known.order_by(name)[:1]),
                last=Subquery(known.order_by(f"-{name}")[:1]),
            )
            row = next(iter(ends.values("first", "last").order_by()[:1]), None)
            bounds = row or {"first": None, "last": None}  # no statements at all
            cached = self.__dict__["_date_bounds"] = (name, bounds)
        return dict(cached[1])

    def dates(self, field_name, kind, order="ASC"):
        if kind != "year":
            return super().dates(field_name, kind, order)
        bounds = self.aggregate(first=Min(field_name), last=Max(field_name))
        if bounds["first"] is None:
            return []
        span = range(bounds["first"].year, bounds["last"].year + 1)
        if len(span) > self.MAX_PROBES:
            return super().dates(field_name, kind, order)
        years = [
            datetime.date(year, 1, 1)
            for year in span
            if self.filter(**{f"{field_name}__year": year}).exists()
        ]
        return years if order == "ASC" else years[::-1]


@admin.register(Statement)
class StatementAdmin(CheckedIdsAdminMixin, ReviewerRevertMixin, SimpleHistoryAdmin):
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
        printed), as on the public list; an ``icontains`` over four columns took 5 s at
        1M. SQLite: Django's rule (every word in some ``search_fields`` column), with the
        text and the name as printed looked up through migration 0009's trigram index
        and the speaker and the source by id, not joined (p95 456 → 119 ms at 100k)."""
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

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        queryset = YearsByProbe(model=queryset.model, query=queryset.query, using=queryset.db)
        return queryset.select_related("speaker", "source").prefetch_related("tags")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request):
            fields.append("status")  # drafts are published only by reviewers
        return fields

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
        body = obj.source.body
        start, end = obj.span_start, obj.span_end
        before = body[max(0, start - EXCERPT_CONTEXT) : start]
        after = body[end : end + EXCERPT_CONTEXT]
        return format_html(
            '<div class="source-excerpt" dir="auto">{}{}<mark>{}</mark>{}{}</div>',
            "…" if start > EXCERPT_CONTEXT else "",
            linebreaksbr(before),  # escapes, then keeps the paragraph breaks
            linebreaksbr(body[start:end]),
            linebreaksbr(after),
            "…" if end + EXCERPT_CONTEXT < len(body) else "",
        )

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm("statements.publish_statement")

    def _set_status(self, request, queryset, status: str, verb: str) -> None:
        changed: list[Statement] = []

        def work() -> None:
            for statement in queryset.select_related("source"):
                if statement.status == status:
                    continue
                statement.status = status
                if status == Status.PUBLISHED:
                    statement.clean()  # a broken span must not go public
                statement._history_user = request.user
                statement._change_reason = f"{verb} in the admin"
                statement.save(update_fields=["status", "updated_at"])
                changed.append(statement)

        run_atomically(
            request, self, work, lambda: f"{verb.capitalize()} {len(changed)} statement(s)."
        )

    @admin.action(description="Publish selected statements", permissions=["publish"])
    def publish(self, request, queryset):
        self._set_status(request, queryset, Status.PUBLISHED, "published")

    @admin.action(description="Discard selected statements", permissions=["publish"])
    def discard(self, request, queryset):
        self._set_status(request, queryset, Status.DISCARDED, "discarded")


# --- claims and stances


class ClaimForm(AutoSlugForm):
    slug_from = "text"

    class Meta:
        model = Claim
        fields = ["text", "slug", "status", "description", "tags"]


class EventForm(AutoSlugForm):
    slug_from = "title"

    class Meta:
        model = Event
        fields = [
            "title",
            "slug",
            "kind",
            "mode",
            "description",
            "tags",
            "start_date",
            "start_precision",
            "end_date",
            "end_precision",
            "location",
            "sources",
        ]


def _claim_status_action(status: ClaimStatus):
    @admin.action(
        description=f"Set status of selected claims to “{status.label}”",
        permissions=["set_claim_status"],
    )
    def action(modeladmin, request, queryset):
        changed: list[Claim] = []

        def work() -> None:
            for claim in queryset:
                if claim.status == status:
                    continue
                claim.status = status
                claim._history_user = request.user
                claim._change_reason = f"status set to {status.value} in the admin"
                claim.save(update_fields=["status", "updated_at"])
                changed.append(claim)

        run_atomically(
            request, modeladmin, work, lambda: f"Set {len(changed)} claim(s) to {status.label}."
        )

    action.__name__ = f"set_status_{status.value}"
    return action


@admin.register(Claim)
class ClaimAdmin(CheckedIdsAdminMixin, SimpleHistoryAdmin):
    form = ClaimForm
    list_display = ["text", "slug", "status", "asserts", "denies", "questions"]
    list_filter = ["status", "tags"]
    search_fields = ["text", "slug"]
    prepopulated_fields = {"slug": ["text"]}
    fields = ["text", "slug", "status", "description", "tags"]
    inlines = [StanceOnClaimInline]
    actions = [_claim_status_action(status) for status in ClaimStatus]
    list_per_page = 50
    show_full_result_count = False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                asserts_count=Count("stances", filter=Q(stances__stance=StanceKind.ASSERTS)),
                denies_count=Count("stances", filter=Q(stances__stance=StanceKind.DENIES)),
                questions_count=Count("stances", filter=Q(stances__stance=StanceKind.QUESTIONS)),
            )
        )

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self.has_set_claim_status_permission(request):
            fields.append("status")
        return fields

    def has_set_claim_status_permission(self, request) -> bool:
        return request.user.has_perm("statements.set_claim_status")

    @admin.display(description="Asserted by", ordering="asserts_count")
    def asserts(self, obj: Claim) -> int:
        return obj.asserts_count

    @admin.display(description="Denied by", ordering="denies_count")
    def denies(self, obj: Claim) -> int:
        return obj.denies_count

    @admin.display(description="Questioned by", ordering="questions_count")
    def questions(self, obj: Claim) -> int:
        return obj.questions_count


@admin.register(Stance)
class StanceAdmin(CheckedIdsAdminMixin, SimpleHistoryAdmin):
    list_display = ["statement", "stance", "claim"]
    list_select_related = ["statement__speaker", "claim"]
    list_filter = ["stance", "claim__status"]
    search_fields = ["claim__text", "claim__slug", "statement__text", "statement__speaker__name"]
    autocomplete_fields = ["statement", "claim"]
    list_per_page = 50
    show_full_result_count = False


# --- events


@admin.register(Event)
class EventAdmin(CheckedIdsAdminMixin, SimpleHistoryAdmin):
    form = EventForm
    list_display = ["title", "kind", "starts", "ends", "location", "participant_count"]
    list_filter = ["kind", "start_date", "tags"]
    search_fields = ["title", "slug", "description", "location"]
    date_hierarchy = "start_date"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["sources"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "mode", "description", "tags"]}),
        (
            "When and where",
            {
                "fields": [
                    ("start_date", "start_precision"),
                    ("end_date", "end_precision"),
                    "location",
                ]
            },
        ),
        ("Told by", {"fields": ["sources"]}),
    ]
    inlines = [EventParticipantInline]
    history_list_per_page = 25  # m2m (sources) diffs cost queries per record
    list_per_page = 50
    show_full_result_count = False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(participant_count=count_of(EventParticipant, "event"))
        )

    @admin.display(description="Starts", ordering="start_date")
    def starts(self, obj: Event) -> str:
        return format_precise_date(obj.start_date, obj.start_precision)

    @admin.display(description="Ends", ordering="end_date")
    def ends(self, obj: Event) -> str:
        return format_precise_date(obj.end_date, obj.end_precision)

    @admin.display(description="Participants", ordering="participant_count")
    def participant_count(self, obj: Event) -> int:
        return obj.participant_count


@admin.register(EventParticipant)
class EventParticipantAdmin(CheckedIdsAdminMixin, SimpleHistoryAdmin):
    list_display = ["event", "actor", "role"]
    list_select_related = ["event", "actor"]
    list_filter = ["role", "event__kind", ("actor__kind", admin.ChoicesFieldListFilter)]
    search_fields = ["event__title", "actor__name"]
    autocomplete_fields = ["event", "actor"]
    list_per_page = 50
    show_full_result_count = False
