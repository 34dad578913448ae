"""Claims and stances in the admin: the claim's status actions, stance counts."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, Q
from simple_history.admin import SimpleHistoryAdmin

from actors.admin import AutoSlugForm, PreloadedAutocompleteInlineMixin, run_atomically
from statements.models import Claim, ClaimStatus, Stance, StanceKind
from tracker.admin_fields import CheckedIdsAdminMixin
from tracker.admin_guards import GuardedAdminMixin
from tracker.admin_history import FullDiffHistoryMixin
from tracker.concurrency import VersionCheckedForm


class StanceOnClaimInline(PreloadedAutocompleteInlineMixin, admin.TabularInline):
    model = Stance
    fields = ["statement", "stance"]
    autocomplete_fields = ["statement"]
    inline_select_related = ("statement__speaker",)
    extra = 1
    verbose_name = "statement taking a stance"
    verbose_name_plural = "statements taking a stance"


class ClaimForm(VersionCheckedForm, AutoSlugForm):
    slug_from = "text"

    class Meta:
        model = Claim
        fields = ["text", "slug", "status", "description", "tags"]


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
class ClaimAdmin(GuardedAdminMixin, FullDiffHistoryMixin, CheckedIdsAdminMixin, SimpleHistoryAdmin):
    form = ClaimForm
    guarded_fields = {"status": "statements.set_claim_status"}
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

    def has_set_claim_status_permission(self, request) -> bool:
        return self.may_set(request, "status")

    @admin.display(description="Asserted by", ordering="asserts_count")
    def asserts(self, obj: Claim) -> int:
        return obj.asserts_count

    @admin.display(description="Denied by", ordering="denies_count")
    def denies(self, obj: Claim) -> int:
        return obj.denies_count

    @admin.display(description="Questioned by", ordering="questions_count")
    def questions(self, obj: Claim) -> int:
        return obj.questions_count


class StanceForm(VersionCheckedForm):
    class Meta:
        model = Stance
        fields = ["statement", "claim", "stance"]


@admin.register(Stance)
class StanceAdmin(GuardedAdminMixin, CheckedIdsAdminMixin, SimpleHistoryAdmin):
    form = StanceForm
    list_display = ["statement", "stance", "claim"]
    list_select_related = ["statement__speaker", "claim"]
    list_filter = ["stance", "claim__status"]
    search_fields = ["claim__text", "claim__slug", "statement__text", "statement__speaker__name"]
    autocomplete_fields = ["statement", "claim"]
    list_per_page = 50
    show_full_result_count = False
