"""``/data/``: the data dictionary page; ``/data/everything.zip``: the bulk download."""

from __future__ import annotations

from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from statements.csv import bundle, dictionary
from statements.csv.cells import export_filename
from statements.csv.views import base_url, streamed


@require_GET
def data_dictionary(request):
    return render(
        request,
        "statements/data_dictionary.html",
        {"tables": dictionary.TABLES.values()},
    )


@streamed
def everything_zip(request):
    response = StreamingHttpResponse(
        bundle.everything(request, base_url(request)), content_type="application/zip"
    )
    filename = export_filename("everything", suffix="zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
