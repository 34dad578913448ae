"""The editor's workplace for sources, statements, claims and events.

One module per concern; importing this package registers every admin:

- ``sources``: sources and their form (the body keeps every statement's span);
- ``statements``: statements, their search, the source in context, publish/discard;
- ``changelist``: the statement changelist's cheap date hierarchy;
- ``claims``: claims (status actions, stance counts) and stances;
- ``events``: events and their participants;
- ``tags``: django-taggit's tag admin without its unguarded merge.

Helpers shared with the actors admin (autocomplete preloading, atomic actions, slugs)
live in ``actors.admin``; the checked-id widgets every admin uses in
``tracker.admin_fields``; the rules every admin keeps on every path (guarded fields
such as ``status``, reverts for reviewers only, the version check against lost updates)
in ``tracker.admin_guards``.
"""

from statements.admin.changelist import YearsByProbe
from statements.admin.claims import (
    ClaimAdmin,
    ClaimForm,
    StanceAdmin,
    StanceForm,
    StanceOnClaimInline,
)
from statements.admin.events import (
    EventAdmin,
    EventForm,
    EventParticipantAdmin,
    EventParticipantForm,
    EventParticipantInline,
)
from statements.admin.sources import SourceAdmin, SourceAdminForm
from statements.admin.statements import StanceOnStatementInline, StatementAdmin, StatementForm
from statements.admin.tags import TagAdmin

__all__ = [
    "ClaimAdmin",
    "ClaimForm",
    "EventAdmin",
    "EventForm",
    "EventParticipantAdmin",
    "EventParticipantForm",
    "EventParticipantInline",
    "SourceAdmin",
    "SourceAdminForm",
    "StanceAdmin",
    "StanceForm",
    "StanceOnClaimInline",
    "StanceOnStatementInline",
    "StatementAdmin",
    "StatementForm",
    "TagAdmin",
    "YearsByProbe",
]
