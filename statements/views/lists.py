"""List pages with filters. (Being built: issue 3.)"""

from django.http import HttpResponse
from django.views import View


class _NotBuilt(View):
    def get(self, request, *args, **kwargs):
        return HttpResponse("not built yet", status=501, content_type="text/plain")


StatementListView = ClaimListView = EventListView = TagListView = ActorListView = _NotBuilt
