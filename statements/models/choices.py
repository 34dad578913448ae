"""Choice vocabularies of the statements app (docs/data-model.md)."""

from django.db import models


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    DISCARDED = "discarded", "Discarded"


class Mode(models.TextChoices):
    DIRECT = "direct", "Direct quote"
    MIXED = "mixed", "Partial quote"
    INDIRECT = "indirect", "Paraphrase"


class Medium(models.TextChoices):
    WRITTEN_STATEMENT = "written_statement", "Written statement"
    PRESS_CONFERENCE = "press_conference", "Press conference"
    PHONE_CALL = "phone_call", "Phone call"
    INTERVIEW = "interview", "Interview"
    SPEECH = "speech", "Speech"
    SOCIAL_MEDIA = "social_media", "Social media"
    MEETING = "meeting", "Meeting"
    OTHER = "other", "Other"


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    WEEK = "week", "Week"
    MONTH = "month", "Month"
    YEAR = "year", "Year"
    ON_OR_BEFORE = "on_or_before", "On or before"


class ClaimStatus(models.TextChoices):
    UNVERIFIED = "unverified", "Unverified"
    DISPUTED = "disputed", "Disputed"
    CONFIRMED = "confirmed", "Confirmed"
    REFUTED = "refuted", "Refuted"


class StanceKind(models.TextChoices):
    ASSERTS = "asserts", "Asserts"
    DENIES = "denies", "Denies"
    QUESTIONS = "questions", "Questions"


class EventKind(models.TextChoices):
    """PLOVER event categories."""

    AGREE = "agree", "Agree"
    CONSULT = "consult", "Consult"
    SUPPORT = "support", "Support"
    CONCEDE = "concede", "Concede"
    COOPERATE = "cooperate", "Cooperate"
    AID = "aid", "Aid"
    RETREAT = "retreat", "Retreat"
    REQUEST = "request", "Request"
    ACCUSE = "accuse", "Accuse"
    REJECT = "reject", "Reject"
    THREATEN = "threaten", "Threaten"
    PROTEST = "protest", "Protest"
    SANCTION = "sanction", "Sanction"
    MOBILIZE = "mobilize", "Mobilize"
    COERCE = "coerce", "Coerce"
    ASSAULT = "assault", "Assault"
    OTHER = "other", "Other"


class ParticipantRole(models.TextChoices):
    ACTOR = "actor", "Actor"
    RECIPIENT = "recipient", "Recipient"
    PARTICIPANT = "participant", "Participant"
