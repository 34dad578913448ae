"""The API's objects: fields named as the CSV columns where those exist.

Multi-valued cells of the CSV are arrays here (slugs for actors and tags, ids for
claims, events and sources), a statement's claims are ``{"claim": id, "stance": ...}``,
``url`` is the absolute address of the object's HTML page, and ``id`` is the slug for
actors and tags. Staff (``context["staff"]``) also get ``status``; everyone else never
sees the key. Serializers only read what the viewsets prepared (no query per row).
"""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from actors.models import ActorKind
from statements.models import (
    ClaimStatus,
    DatePrecision,
    EventKind,
    Medium,
    Mode,
    ParticipantRole,
    StanceKind,
    Status,
)
from statements.selectors.statement_rows import UrlPattern


class PageUrlField(serializers.Field):
    """The absolute URL of the object's HTML page: ``get_absolute_url()``, or the named
    route with the object's slug (tags come from django-taggit, without that method)."""

    def __init__(self, route: str | None = None, **kwargs):
        self.route = route
        kwargs.setdefault("source", "*")
        kwargs.setdefault("help_text", "The object's page on this site (absolute URL).")
        super().__init__(**kwargs)

    def to_representation(self, obj):
        path = reverse(self.route, args=[obj.slug]) if self.route else obj.get_absolute_url()
        return self.context["request"].build_absolute_uri(path)


extend_schema_field({"type": "string", "format": "uri"})(PageUrlField)


class ApiSerializer(serializers.Serializer):
    """Read-only; the fields named in ``staff_only`` only for staff."""

    staff_only: tuple[str, ...] = ()

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("staff"):
            for name in self.staff_only:
                data.pop(name, None)
        return data


def status_field(what: str, **kwargs) -> serializers.ChoiceField:
    return serializers.ChoiceField(
        choices=Status.choices,
        required=False,
        **kwargs,
        help_text=f"Staff only: the {what}'s own status (drafts are hidden from everyone else).",
    )


def slugs(help_text: str, **kwargs) -> serializers.ListField:
    return serializers.ListField(child=serializers.SlugField(), help_text=help_text, **kwargs)


def ids(help_text: str, **kwargs) -> serializers.ListField:
    return serializers.ListField(child=serializers.IntegerField(), help_text=help_text, **kwargs)


# -- statements ------------------------------------------------------------------------


class ClaimStanceSerializer(serializers.Serializer):
    claim = serializers.IntegerField(help_text="The claim's id.")
    stance = serializers.ChoiceField(choices=StanceKind.choices)


class StatementSerializer(ApiSerializer):
    staff_only = ("status",)

    id = serializers.IntegerField()
    said_on = serializers.DateField(help_text="When it was said (see date_precision).")
    date_precision = serializers.ChoiceField(choices=DatePrecision.choices)
    speaker = serializers.CharField(source="speaker.name", help_text="The speaker's name.")
    speaker_slug = serializers.SlugField(source="speaker.slug")
    speaker_kind = serializers.ChoiceField(source="speaker.kind", choices=ActorKind.choices)
    speaker_title = serializers.CharField(help_text="The speaker's role at the time.")
    speaker_as_printed = serializers.CharField(help_text="The words the source used.")
    mode = serializers.ChoiceField(choices=Mode.choices)
    medium = serializers.ChoiceField(choices=Medium.choices)
    text = serializers.CharField()
    recipients = slugs("Slugs of the actors addressed.", source="recipients_sorted")
    claims = serializers.SerializerMethodField()
    events = ids("Ids of the events it is about.", source="events_sorted")
    tags = slugs("Tag slugs.", source="tags_sorted")
    source = serializers.IntegerField(source="source_id", help_text="The source's id.")
    source_title = serializers.CharField(source="source.title")
    source_url = serializers.CharField(source="source.url", help_text="The original, if any.")
    source_published_on = serializers.DateField(source="source.published_on")
    span_start = serializers.IntegerField(help_text="Offset of the statement in the source body.")
    span_end = serializers.IntegerField()
    url = PageUrlField()
    status = status_field("statement")

    @extend_schema_field(ClaimStanceSerializer(many=True))
    def get_claims(self, statement) -> list[dict]:
        return [
            {"claim": claim_id, "stance": stance}
            for claim_id, stance in sorted(statement.export_stance_pairs)
        ]

    def to_representation(self, statement):
        """The object the declared fields describe, built directly: a page of 50 rows
        through every field's ``get_attribute`` and ``to_representation`` was most of an
        API list's time (docs/benchmark.md). ``declared_representation`` is the generic
        path, kept as the spec a test compares this with."""
        s, speaker, source = statement, statement.speaker, statement.source
        data = {
            "id": s.id,
            "said_on": _iso(s.said_on),
            "date_precision": s.date_precision,
            "speaker": speaker.name,
            "speaker_slug": speaker.slug,
            "speaker_kind": speaker.kind,
            "speaker_title": s.speaker_title,
            "speaker_as_printed": s.speaker_as_printed,
            "mode": s.mode,
            "medium": s.medium,
            "text": s.text,
            "recipients": sorted(s.export_recipient_slugs),
            "claims": self.get_claims(s),
            "events": sorted(s.export_event_ids),
            "tags": sorted(s.export_tag_slugs),
            "source": s.source_id,
            "source_title": source.title,
            "source_url": source.url,
            "source_published_on": _iso(source.published_on),
            "span_start": s.span_start,
            "span_end": s.span_end,
            "url": self._page_url(s.pk),
        }
        if self.context.get("staff"):
            data["status"] = s.status
        return data

    def _page_url(self, pk: int) -> str:
        """``build_absolute_uri(statement.get_absolute_url())``, by string substitution
        into the absolute URL built once per page (``reverse`` for every row was a tenth
        of a page's time)."""
        pattern = getattr(self, "_url_pattern", None)
        if pattern is None:
            pattern = self._url_pattern = UrlPattern("statements:statement_detail")
            pattern.prefix = self.context["request"].build_absolute_uri(pattern.prefix)
        return pattern(pk)

    def declared_representation(self, statement):
        statement.recipients_sorted = sorted(statement.export_recipient_slugs)
        statement.events_sorted = sorted(statement.export_event_ids)
        statement.tags_sorted = sorted(statement.export_tag_slugs)
        return super().to_representation(statement)


def _iso(day):
    """``serializers.DateField``'s output with the default ``DATE_FORMAT``."""
    return day.isoformat() if day else None


# -- actors, claims, events, tags -------------------------------------------------------


class ActorSerializer(ApiSerializer):
    id = serializers.SlugField(source="slug", help_text="The actor's slug (permanent).")
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=ActorKind.choices)
    description = serializers.CharField()
    parent_slug = serializers.SerializerMethodField(
        help_text="The institution it belongs to, if any."
    )
    wikidata_id = serializers.CharField(help_text="Q123, or blank.")
    aliases = serializers.SerializerMethodField()
    statements = serializers.IntegerField(
        source="statement_count", help_text="How many statements by this actor you may see."
    )
    url = PageUrlField()

    def get_parent_slug(self, actor) -> str | None:
        return actor.parent.slug if actor.parent_id else None

    def get_aliases(self, actor) -> list[str]:
        return sorted(alias.name for alias in actor.aliases.all())


class ClaimSerializer(ApiSerializer):
    id = serializers.IntegerField()
    slug = serializers.SlugField()
    text = serializers.CharField(help_text="The proposition, in one sentence.")
    description = serializers.CharField()
    status = serializers.ChoiceField(
        choices=ClaimStatus.choices, help_text="What is known of it (not a publication status)."
    )
    asserts = serializers.IntegerField(source="asserts_count")
    denies = serializers.IntegerField(source="denies_count")
    questions = serializers.IntegerField(source="questions_count")
    tags = serializers.SerializerMethodField()
    url = PageUrlField()

    def get_tags(self, obj) -> list[str]:
        return sorted(tag.slug for tag in obj.tags.all())


class ParticipantSerializer(serializers.Serializer):
    actor = serializers.SlugField(help_text="The actor's slug.")
    role = serializers.ChoiceField(choices=ParticipantRole.choices)


class EventSerializer(ApiSerializer):
    id = serializers.IntegerField()
    slug = serializers.SlugField()
    title = serializers.CharField()
    description = serializers.CharField()
    kind = serializers.ChoiceField(choices=EventKind.choices, help_text="PLOVER category.")
    mode = serializers.CharField(help_text="How it happened, e.g. phone.")
    start_date = serializers.DateField()
    start_precision = serializers.ChoiceField(choices=DatePrecision.choices)
    end_date = serializers.DateField(allow_null=True)
    end_precision = serializers.ChoiceField(choices=DatePrecision.choices)
    location = serializers.CharField()
    participants = serializers.SerializerMethodField()
    sources = serializers.SerializerMethodField()
    tags = serializers.SerializerMethodField()
    url = PageUrlField()

    @extend_schema_field(ParticipantSerializer(many=True))
    def get_participants(self, event) -> list[dict]:
        pairs = sorted((p.actor.slug, p.role) for p in event.participations.all())
        return [{"actor": slug, "role": role} for slug, role in pairs]

    def get_sources(self, event) -> list[int]:
        return sorted(source.pk for source in event.visible_sources)

    def get_tags(self, event) -> list[str]:
        return sorted(tag.slug for tag in event.tags.all())


class TagSerializer(ApiSerializer):
    id = serializers.CharField(source="slug", help_text="The tag's slug.")
    name = serializers.CharField()
    statements = serializers.IntegerField(source="statement_count")
    claims = serializers.IntegerField(source="claim_count")
    events = serializers.IntegerField(source="event_count")
    url = PageUrlField("statements:tag_detail")


# -- stances and sources ------------------------------------------------------------------


class StanceSerializer(ApiSerializer):
    staff_only = ("status",)

    id = serializers.IntegerField()
    statement = serializers.IntegerField(source="statement_id", help_text="The statement's id.")
    claim = serializers.IntegerField(source="claim_id", help_text="The claim's id.")
    stance = serializers.ChoiceField(choices=StanceKind.choices)
    speaker_slug = serializers.SlugField(source="statement.speaker.slug")
    said_on = serializers.DateField(source="statement.said_on")
    url = serializers.SerializerMethodField(help_text="The statement's page (absolute URL).")
    status = status_field("statement", source="statement.status")

    def get_url(self, stance) -> str:
        return self.context["request"].build_absolute_uri(stance.statement.get_absolute_url())


extend_schema_field({"type": "string", "format": "uri"})(StanceSerializer.get_url)


class SourceSerializer(ApiSerializer):
    staff_only = ("status",)

    id = serializers.IntegerField()
    title = serializers.CharField()
    publisher = serializers.CharField()
    source_url = serializers.CharField(source="url", help_text="The original, if any.")
    published_on = serializers.DateField()
    language = serializers.CharField()
    sha256 = serializers.CharField(help_text="SHA-256 of the body (hex).")
    url = PageUrlField()
    status = status_field("source")


class SourceDetailSerializer(SourceSerializer):
    body = serializers.CharField(help_text="The full text; statements point into it by offsets.")
