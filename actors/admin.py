"""The editor's workplace for actors: search, filters, inline names and posts, merging."""

from __future__ import annotations

import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, transaction
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.template.response import TemplateResponse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from actors.models import WIKIDATA_ID_PATTERN, Actor, Alias, Role
from actors.services import actor_merge, actor_merge_plan
from actors.text import fold
from tracker.admin_fields import CheckedAutocompleteSelect, CheckedIdsAdminMixin
from tracker.admin_guards import GuardedAdminMixin
from tracker.admin_history import FullDiffHistoryMixin
from tracker.concurrency import VersionCheckedForm
from tracker.slugs import free_slug

admin.site.site_header = "Statement Tracker admin"
admin.site.site_title = "Statement Tracker admin"
admin.site.index_title = "Editing"


# --- shared admin helpers (statements.admin imports these; actors never imports statements)


class PreloadedAutocompleteSelect(CheckedAutocompleteSelect):
    """An autocomplete that renders its selected object from memory when it can.

    The stock widget runs one query per rendered form to label the selected choice,
    so an inline with N rows costs N queries. The inline formsets below hand each
    widget the related object their (select_related) queryset already loaded.
    """

    preloaded: dict[str, models.Model] | None = None

    def optgroups(self, name, value, attr=None):
        wanted = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        known = self.preloaded or {}
        if not wanted or not wanted.issubset(known):
            return super().optgroups(name, value, attr)
        default = (None, [], 0)
        if not self.is_required and not self.allow_multiple_selected:
            default[1].append(self.create_option(name, "", "", False, 0))
        for key in sorted(wanted):
            obj = known[key]
            label = self.choices.field.label_from_instance(obj)
            default[1].append(self.create_option(name, obj.pk, label, True, len(default[1])))
        return [default]


class PreloadedAutocompleteInlineMixin(CheckedIdsAdminMixin):
    """Inline whose autocomplete foreign keys cost no query per row.

    Set ``inline_select_related`` (names for ``select_related``); every
    autocomplete foreign key that is in it is labelled from the loaded object.
    """

    inline_select_related: tuple[str, ...] = ()

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.inline_select_related:
            queryset = queryset.select_related(*self.inline_select_related)
        return queryset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = PreloadedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        names = [
            name
            for name in self.get_autocomplete_fields(request)
            if self.model._meta.get_field(name).many_to_one
        ]

        class PreloadingFormSet(formset):
            def _construct_form(self, i, **form_kwargs):
                form = super()._construct_form(i, **form_kwargs)
                instance = form.instance
                if instance.pk and getattr(instance, self.fk.attname) == self.instance.pk:
                    # Rows print their parent (``__str__``); hand it over, don't refetch it.
                    self.fk.set_cached_value(instance, self.instance)
                for name in names:
                    field = instance._meta.get_field(name)
                    if name not in form.fields or not field.is_cached(instance):
                        continue
                    related = field.get_cached_value(instance)
                    widget = form.fields[name].widget
                    while not isinstance(widget, AutocompleteSelect) and hasattr(widget, "widget"):
                        widget = widget.widget
                    if related is not None and isinstance(widget, PreloadedAutocompleteSelect):
                        widget.preloaded = {str(related.pk): related}
                return form

        return PreloadingFormSet


def run_atomically(request, modeladmin, work, success) -> bool:
    """Run ``work()`` all-or-nothing; report success or the reason it changed nothing.

    ``success`` is the message (or a callable returning it, evaluated after the work).
    """
    try:
        with transaction.atomic():
            work()
    except (ValidationError, DatabaseError) as exc:
        reason = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        modeladmin.message_user(request, f"Nothing was changed: {reason}", level=messages.ERROR)
        return False
    message = success() if callable(success) else success
    modeladmin.message_user(request, message, level=messages.SUCCESS)
    return True


def count_of(relation_model: type[models.Model], fk_name: str):
    """A correlated ``COUNT`` of rows of ``relation_model`` pointing at the outer row."""
    counted = (
        relation_model._default_manager.filter(**{fk_name: OuterRef("pk")})
        .order_by()
        .values(fk_name)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=models.IntegerField()), Value(0))


class AutoSlugForm(forms.ModelForm):
    """A slug left blank is made from ``slug_from`` (no JavaScript needed), never reusing
    one that a current or a deleted (historical) row has had."""

    slug_from = "name"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields[
                "slug"
            ].help_text = f"Permanent. Left blank, it is made from the {self.slug_from}."

    def clean(self):
        cleaned = super().clean()
        if "slug" in self.fields and not cleaned.get("slug") and cleaned.get(self.slug_from):
            cleaned["slug"] = free_slug(
                self._meta.model, cleaned[self.slug_from], exclude_pk=self.instance.pk
            )
        return cleaned


class ActorForm(VersionCheckedForm, AutoSlugForm):
    slug_from = "name"

    class Meta:
        model = Actor
        fields = ["name", "slug", "kind", "parent", "wikidata_id", "description", "needs_review"]

    def clean_wikidata_id(self):
        """The database's format check, reported next to the field."""
        value = self.cleaned_data.get("wikidata_id", "").strip()
        if not re.fullmatch(WIKIDATA_ID_PATTERN, value):
            raise forms.ValidationError("A Wikidata id looks like Q42.")
        return value


# --- inlines


class AliasInlineFormSet(forms.BaseInlineFormSet):
    """Two new aliases differing only in case/accents are caught before the database."""

    def clean(self):
        super().clean()
        seen: dict[str, forms.Form] = {}
        for form in self.forms:
            if not getattr(form, "cleaned_data", None) or self._should_delete_form(form):
                continue
            name = form.cleaned_data.get("name")
            if not name:
                continue
            key = fold(name)
            if key in seen:
                form.add_error("name", "This actor already has that alias.")
            seen[key] = form


class AliasInline(CheckedIdsAdminMixin, admin.TabularInline):
    model = Alias
    formset = AliasInlineFormSet
    fields = ["name", "kind"]
    extra = 1


class RoleInline(PreloadedAutocompleteInlineMixin, admin.TabularInline):
    model = Role
    fk_name = "actor"
    fields = ["title", "organization", "start_date", "end_date"]
    autocomplete_fields = ["organization"]
    inline_select_related = ("organization",)
    extra = 1


class AliasForm(VersionCheckedForm):
    class Meta:
        model = Alias
        fields = ["actor", "name", "kind"]


class RoleForm(VersionCheckedForm):
    class Meta:
        model = Role
        fields = ["actor", "title", "organization", "start_date", "end_date"]


# --- model admins

# Approving an actor makes it public on its own, before any statement of it is: the
# same decision as publishing, so the same permission (a string: no import of the app).
APPROVE_PERMISSION = "statements.publish_statement"


class ActorAdmin(GuardedAdminMixin, FullDiffHistoryMixin, CheckedIdsAdminMixin, SimpleHistoryAdmin):
    form = ActorForm
    guarded_fields = {"needs_review": APPROVE_PERMISSION}
    unreviewed_values = {"needs_review": True}  # an editor's new actor awaits a reviewer
    list_display = [
        "name",
        "kind",
        "parent",
        "wikidata",
        "alias_count",
        "statement_count",
        "needs_review",
    ]
    list_select_related = ["parent"]
    list_filter = ["kind", "needs_review", ("parent__kind", admin.ChoicesFieldListFilter)]
    search_fields = ["name", "slug", "aliases__name", "wikidata_id"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    fields = ["name", "slug", "kind", "parent", "wikidata_id", "description", "needs_review"]
    inlines = [AliasInline, RoleInline]
    actions = ["merge_actors", "approve"]
    list_per_page = 50
    show_full_result_count = False

    def get_queryset(self, request):
        statements = Actor._meta.get_field("statements").related_model
        return (
            super()
            .get_queryset(request)
            .annotate(
                alias_count=count_of(Alias, "actor"),
                statement_count=count_of(statements, "speaker"),
            )
        )

    @admin.display(description="Wikidata", ordering="wikidata_id")
    def wikidata(self, obj: Actor) -> str:
        if not obj.wikidata_id:
            return "–"
        return format_html(
            '<a href="https://www.wikidata.org/wiki/{}" rel="noopener noreferrer">{}</a>',
            obj.wikidata_id,
            obj.wikidata_id,
        )

    @admin.display(description="Aliases", ordering="alias_count")
    def alias_count(self, obj: Actor) -> int:
        return obj.alias_count

    @admin.display(description="Statements", ordering="statement_count")
    def statement_count(self, obj: Actor) -> int:
        return obj.statement_count

    def has_approve_permission(self, request) -> bool:
        return self.may_set(request, "needs_review")

    @admin.action(description="Approve (no longer needs review)", permissions=["approve"])
    def approve(self, request, queryset):
        approved: list[Actor] = []

        def work() -> None:
            for actor in queryset.filter(needs_review=True):
                actor.needs_review = False
                actor._history_user = request.user
                actor._change_reason = "approved in the admin"
                actor.save(update_fields=["needs_review", "updated_at"])
                approved.append(actor)

        run_atomically(request, self, work, lambda: f"Approved {len(approved)} actor(s).")

    def has_merge_permission(self, request) -> bool:
        return request.user.has_perm("actors.merge_actor")

    @admin.action(description="Merge selected actors into one…", permissions=["merge"])
    def merge_actors(self, request, queryset):
        actors = list(queryset.order_by("name", "id"))
        if len(actors) < 2:
            self.message_user(request, "Select at least two actors to merge.", messages.WARNING)
            return None
        if request.POST.get("post") == "yes":
            by_pk = {str(actor.pk): actor for actor in actors}
            keep = by_pk.get(request.POST.get("keep", ""))
            if keep is None:
                self.message_user(request, "Choose the actor to keep.", messages.ERROR)
            else:
                others = [actor for actor in actors if actor.pk != keep.pk]
                names = ", ".join(actor.name for actor in others)
                run_atomically(
                    request,
                    self,
                    lambda: actor_merge(keep=keep, merge=others, user=request.user),
                    f"Merged {names} into {keep.name}.",
                )
                return None
        rows = [{"actor": actor, "plan": actor_merge_plan(merge=[actor])} for actor in actors]
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge actors",
            "opts": self.model._meta,
            "rows": rows,
            "relations": list(rows[0]["plan"].labels.values()),
            "queryset": actors,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/actors/actor/merge.html", context)


class AliasAdmin(GuardedAdminMixin, CheckedIdsAdminMixin, SimpleHistoryAdmin):
    form = AliasForm
    list_display = ["name", "actor", "kind"]
    list_select_related = ["actor"]
    list_filter = ["kind", ("actor__kind", admin.ChoicesFieldListFilter)]
    search_fields = ["name", "actor__name", "actor__slug"]
    autocomplete_fields = ["actor"]
    list_per_page = 50
    show_full_result_count = False


class RoleAdmin(GuardedAdminMixin, CheckedIdsAdminMixin, SimpleHistoryAdmin):
    form = RoleForm
    list_display = ["title", "actor", "organization", "start_date", "end_date"]
    list_select_related = ["actor", "organization"]
    list_filter = ["start_date", "end_date", ("actor__kind", admin.ChoicesFieldListFilter)]
    search_fields = ["title", "actor__name", "organization__name"]
    autocomplete_fields = ["actor", "organization"]
    date_hierarchy = "start_date"
    list_per_page = 50
    show_full_result_count = False


admin.site.register(Actor, ActorAdmin)
admin.site.register(Alias, AliasAdmin)
admin.site.register(Role, RoleAdmin)
