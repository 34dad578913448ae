"""Detail pages. (Being built: issue 3.)"""

from statements.views.lists import _NotBuilt

StatementDetailView = ClaimDetailView = EventDetailView = TagDetailView = _NotBuilt
SourceDetailView = ActorDetailView = _NotBuilt
