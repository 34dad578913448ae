"""The editor's review flow: new source → extracted drafts → fix → publish or discard.

Staff only; each action checks its own permission (403 without it):
creating a source and extracting need ``add_source`` and ``add_statement``, saving a
draft needs ``change_statement``, publishing and discarding need ``publish_statement``.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views import View
from django.views.generic import FormView

from actors.models import Actor
from statements.models import Claim, Source, Stance, Statement, Status
from statements.models.sources import excerpt
from statements.review.forms import DraftForm, SourceForm
from statements.services import (
    IngestError,
    source_ingest,
    statement_discard,
    statement_extract,
    statement_publish,
    statement_update,
)

CREATE_PERMS = ("statements.add_source", "statements.add_statement")
PUBLISH_PERM = "statements.publish_statement"
CHANGE_PERM = "statements.change_statement"
CLAIMS_OFFERED = 300
#: Drafts per review page: a long text's review stays a light page.
REVIEW_PAGE_SIZE = 25
ACTORS_OFFERED = 500
EVIDENCE = (("mention", "speaker"), ("cue", "cue"), ("date_evidence", "date"))


def highlight(body: str, marks: list[tuple[int, int, str]]) -> SafeString:
    """An escaped excerpt of ``body`` around ``marks`` (the window of ``excerpt``), each
    (start, end, kind) in a <mark>.

    Overlapping marks nest by splitting the text at every boundary; a piece covered by
    several marks carries all their classes.
    """
    marks = [(s, e, k) for s, e, k in marks if 0 <= s < e <= len(body)]
    if not marks:
        return mark_safe("")
    first, last = min(s for s, _, _ in marks), max(e for _, e, _ in marks)
    window = excerpt(body, first, last)
    lo, hi = first - len(window.before), last + len(window.after)
    cuts = sorted({lo, hi, *(p for s, e, _ in marks for p in (s, e) if lo <= p <= hi)})
    out = ["…"] if lo > 0 else []
    for a, b in zip(cuts, cuts[1:], strict=False):
        piece = escape(body[a:b])
        kinds = [k for s, e, k in marks if s <= a and b <= e]
        if kinds:
            classes = " ".join(f"ev-{k}" for k in dict.fromkeys(kinds))
            piece = f'<mark class="{classes}" title="{" + ".join(kinds)}">{piece}</mark>'
        out.append(piece)
    if hi < len(body):
        out.append("…")
    return mark_safe("".join(out))  # noqa: S308 - every piece of text is escaped above


def evidence_marks(statement: Statement) -> list[tuple[int, int, str]]:
    """Where the statement and the extractor's evidence for it stand in the body."""
    marks = [(statement.span_start, statement.span_end, "content")]
    found = statement.extraction if isinstance(statement.extraction, dict) else {}
    for key, kind in EVIDENCE:
        span = found.get(key)
        if (
            isinstance(span, dict)
            and isinstance(span.get("start"), int)
            and isinstance(span.get("end"), int)
        ):
            marks.append((span["start"], span["end"], kind))
    return marks


@method_decorator(staff_member_required, name="dispatch")
class ReviewView(View):
    """Staff only; subclasses say which permissions each method needs."""

    def require(self, *perms: str) -> None:
        if not self.request.user.has_perms(perms):
            raise PermissionDenied

    def admin_context(self, **extra) -> dict:
        return {**admin.site.each_context(self.request), **extra}


class SourceNewView(ReviewView, FormView):
    form_class = SourceForm
    template_name = "review/source_new.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.is_staff:
            self.require(*CREATE_PERMS)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return self.admin_context(title="New source", **super().get_context_data(**kwargs))

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            result = source_ingest(
                text=data["content"],
                published_on=data.get("published_on"),
                title=data.get("title", ""),
                url=data.get("url", ""),
                publisher=data.get("publisher", ""),
                user=self.request.user,
                origin="review: new source",
            )
        except IngestError as exc:
            field = "url" if "URL" in str(exc) else None
            form.add_error(field, str(exc)[0].upper() + str(exc)[1:] + ".")
            return self.form_invalid(form)
        if result.created:
            messages.success(
                self.request,
                f"Source stored with {len(result.statements)} draft statements"
                f" ({len(result.new_actors)} new actors to review).",
            )
        else:
            messages.info(self.request, "This text is already stored; nothing was changed.")
        return redirect("review:source_review", pk=result.source.pk)


class SourceReviewView(ReviewView):
    """The drafts of one source, each with its evidence and a form to fix it."""

    template_name = "review/source_review.html"

    def get(self, request, pk: int):
        if not (
            request.user.has_perm(CHANGE_PERM) or request.user.has_perm("statements.view_statement")
        ):
            raise PermissionDenied
        return self.render(get_object_or_404(Source, pk=pk))

    def post(self, request, pk: int):
        # One transaction: the draft's version is checked with its row locked, so two
        # editors saving the same draft at once cannot both pass the check.
        with transaction.atomic():
            return self.review(request, pk)

    def review(self, request, pk: int):
        source = get_object_or_404(Source, pk=pk)
        raw_id, action = request.POST.get("statement", ""), request.POST.get("action", "")
        if not raw_id.isdigit() or action not in {"save", "publish", "discard"}:
            return HttpResponseBadRequest(
                "Say which statement and which action (save, publish, discard)."
            )
        statement = get_object_or_404(Statement, pk=int(raw_id), source=source)
        if action == "discard":
            self.require(PUBLISH_PERM)
            statement_discard(statements=[statement], user=request.user)
            messages.success(request, f"Statement {statement.pk} discarded.")
            return redirect("review:source_review", pk=source.pk)
        self.require(CHANGE_PERM, *((PUBLISH_PERM,) if action == "publish" else ()))
        if statement.status != Status.DRAFT:
            return HttpResponseBadRequest(
                "Only drafts are reviewed here; edit others in the admin."
            )
        form = DraftForm(request.POST, instance=statement, prefix=f"s{statement.pk}")
        if not form.is_valid():
            return self.render(source, bound=form, status=400)
        data = form.cleaned_data
        try:
            statement_update(
                statement=form.instance,
                user=request.user,
                speaker=data["speaker"],
                tags=data["tags"],
                claim=data.get("claim"),
                new_claim=data.get("new_claim", ""),
                stance=data.get("stance", ""),
            )
            if action == "publish":
                statement_publish(statements=[form.instance], user=request.user)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return self.render(source, bound=form, status=400)
        verb = "published" if action == "publish" else "saved"
        messages.success(request, f"Statement {statement.pk} {verb}.")
        url = reverse("review:source_review", args=[source.pk])
        return redirect(f"{url}?page={page_of(statement)}#s{statement.pk}")

    def render(self, source: Source, bound: DraftForm | None = None, status: int = 200):
        reviewed = source.statements.exclude(status=Status.DISCARDED).order_by("span_start", "id")
        number = self.request.GET.get("page", "")
        if bound is not None:
            number = page_of(bound.instance)
        page = Paginator(reviewed, REVIEW_PAGE_SIZE).get_page(number)
        statements = list(
            page.object_list.select_related("speaker").prefetch_related(
                "tags", Prefetch("stances", queryset=Stance.objects.select_related("claim"))
            )
        )
        rows = []
        for statement in statements:
            statement.source = source  # the body is already here; no query per row
            form = None
            if statement.status == Status.DRAFT:
                if bound is not None and bound.instance.pk == statement.pk:
                    form = bound
                else:
                    form = DraftForm(instance=statement, prefix=f"s{statement.pk}")
            rows.append(
                {
                    "statement": statement,
                    "form": form,
                    "excerpt": highlight(source.body, evidence_marks(statement)),
                }
            )
        speakers = {s.speaker_id for s in statements}
        context = self.admin_context(
            title=f"Review: {source.title}",
            source=source,
            rows=rows,
            page=page,
            drafts=source.statements.filter(status=Status.DRAFT).count(),
            discarded=source.statements.filter(status=Status.DISCARDED).count(),
            actors=Actor.objects.filter(Q(pk__in=speakers) | Q(needs_review=True)).order_by(
                "name", "id"
            )[:ACTORS_OFFERED],
            claims=Claim.objects.order_by("-created_at", "-id")[:CLAIMS_OFFERED],
            can_publish=self.request.user.has_perm(PUBLISH_PERM),
            can_change=self.request.user.has_perm(CHANGE_PERM),
            can_extract=self.request.user.has_perms(CREATE_PERMS),
        )
        return render(self.request, self.template_name, context, status=status)


def page_of(statement: Statement) -> int:
    """The review page a statement stands on (statements in body order, discarded left out)."""
    before = (
        Statement.objects.filter(source_id=statement.source_id)
        .exclude(status=Status.DISCARDED)
        .filter(
            Q(span_start__lt=statement.span_start)
            | Q(span_start=statement.span_start, id__lt=statement.pk)
        )
        .count()
    )
    return before // REVIEW_PAGE_SIZE + 1


class SourceExtractView(ReviewView):
    """Run extraction again on a stored source; spans already present are skipped."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        self.require(*CREATE_PERMS)
        source = get_object_or_404(Source, pk=pk)
        result = statement_extract(source=source, user=request.user, origin="review: extract")
        if result.statements:
            messages.success(request, f"{len(result.statements)} new draft statements.")
        else:
            messages.info(request, "No new statements: every one found is already here.")
        return redirect("review:source_review", pk=source.pk)
