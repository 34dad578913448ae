"""The statements domain, split by concern and re-exported here."""

from statements.models.choices import (
    ClaimStatus,
    DatePrecision,
    EventKind,
    Medium,
    Mode,
    ParticipantRole,
    StanceKind,
    Status,
)
from statements.models.claims import Claim, Stance
from statements.models.events import Event, EventParticipant
from statements.models.sources import Source, body_sha256
from statements.models.statements import Statement
from statements.models.tags import TaggedClaim, TaggedEvent, TaggedStatement
from statements.models.tallies import CLAIM_KINDS, UNDATED, Tally, TallyAudience, TallyKind

__all__ = [
    "CLAIM_KINDS",
    "UNDATED",
    "Claim",
    "ClaimStatus",
    "DatePrecision",
    "Event",
    "EventKind",
    "EventParticipant",
    "Medium",
    "Mode",
    "ParticipantRole",
    "Source",
    "Stance",
    "StanceKind",
    "Statement",
    "Status",
    "Tally",
    "TallyAudience",
    "TallyKind",
    "TaggedClaim",
    "TaggedEvent",
    "TaggedStatement",
    "body_sha256",
]
