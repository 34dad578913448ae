"""The overview page. (Being built: issue 3.)"""

from statements.views.lists import _NotBuilt

overview = _NotBuilt.as_view()
