"""CSV exports. (Being built: issue 3.)"""

from django.http import HttpResponse


def _not_built(request):
    return HttpResponse("not built yet", status=501, content_type="text/plain")


statement_csv = claim_csv = event_csv = actor_csv = _not_built
