"""Events and their participants in the admin."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from actors.admin import AutoSlugForm, PreloadedAutocompleteInlineMixin, count_of
from statements.models import Event, EventParticipant
from statements.templatetags.statement_display import format_precise_date
from tracker.admin_fields import CheckedIdsAdminMixin
from tracker.admin_guards import GuardedAdminMixin
from tracker.admin_history import FullDiffHistoryMixin
from tracker.concurrency import VersionCheckedForm


class EventParticipantInline(PreloadedAutocompleteInlineMixin, admin.TabularInline):
    model = EventParticipant
    fields = ["actor", "role"]
    autocomplete_fields = ["actor"]
    inline_select_related = ("actor",)
    extra = 1


class EventForm(VersionCheckedForm, AutoSlugForm):
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


@admin.register(Event)
class EventAdmin(GuardedAdminMixin, FullDiffHistoryMixin, CheckedIdsAdminMixin, SimpleHistoryAdmin):
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


class EventParticipantForm(VersionCheckedForm):
    class Meta:
        model = EventParticipant
        fields = ["event", "actor", "role"]


@admin.register(EventParticipant)
class EventParticipantAdmin(GuardedAdminMixin, CheckedIdsAdminMixin, SimpleHistoryAdmin):
    form = EventParticipantForm
    list_display = ["event", "actor", "role"]
    list_select_related = ["event", "actor"]
    list_filter = ["role", "event__kind", ("actor__kind", admin.ChoicesFieldListFilter)]
    search_fields = ["event__title", "actor__name"]
    autocomplete_fields = ["event", "actor"]
    list_per_page = 50
    show_full_result_count = False
