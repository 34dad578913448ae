"""The editor's workplace for sources, statements, claims and events.

One module per concern; importing this package registers every admin:

- ``sources``: sources and their form (the body keeps every statement's span);
- ``statements``: statements, their search, the source in context, publish/discard;
- ``changelist``: the statement changelist's cheap date hierarchy;
- ``claims``: claims (status actions, stance counts) and stances;
- ``events``: events and their participants;
- ``revert``: reverting to an old version, for reviewers only.

Helpers shared with the actors admin (autocomplete preloading, atomic actions, slugs)
live in ``actors.admin``; the checked-id widgets every admin uses in
``tracker.admin_fields``.
"""

from statements.admin.changelist import YearsByProbe
from statements.admin.claims import ClaimAdmin, ClaimForm, StanceAdmin, StanceOnClaimInline
from statements.admin.events import (
    EventAdmin,
    EventForm,
    EventParticipantAdmin,
    EventParticipantInline,
)
from statements.admin.revert import ReviewerRevertMixin
from statements.admin.sources import SourceAdmin, SourceAdminForm
from statements.admin.statements import StanceOnStatementInline, StatementAdmin

__all__ = [
    "ClaimAdmin",
    "ClaimForm",
    "EventAdmin",
    "EventForm",
    "EventParticipantAdmin",
    "EventParticipantInline",
    "ReviewerRevertMixin",
    "SourceAdmin",
    "SourceAdminForm",
    "StanceAdmin",
    "StanceOnClaimInline",
    "StanceOnStatementInline",
    "StatementAdmin",
    "YearsByProbe",
]
