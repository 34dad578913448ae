"""A source's page: its full text with each visible statement's span marked."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.views.generic import DetailView

from statements import visibility
from statements.models import Statement, Status
from statements.selectors.pages import statements_in_source
from statements.selectors.roles import attach_roles
from statements.views.common import crumbs


@dataclass
class Segment:
    text: str
    statements: list[Statement] = field(default_factory=list)
    starts: list[Statement] = field(default_factory=list)

    @property
    def link(self) -> Statement | None:
        """The innermost (latest-starting, shortest) statement covering this segment."""
        return self.statements[-1] if self.statements else None

    @property
    def depth(self) -> int:
        return min(len(self.statements), 3)

    @property
    def ids(self) -> str:
        return " ".join(f"s{s.pk}" for s in self.statements)


def segment_body(body: str, statements: list[Statement]) -> list[list[Segment]]:
    """Split ``body`` into paragraphs of segments; every segment knows all the
    statements whose span covers it (nested and overlapping spans included), and
    the statements that start at it. Newlines end paragraphs."""
    n = len(body)
    spans = []
    for s in statements:
        start = min(max(s.span_start, 0), n)
        end = min(max(s.span_end, start), n)
        spans.append((start, end, s))
    # Outer spans first at a shared start, so the innermost ends up last.
    spans.sort(key=lambda item: (item[0], -item[1], item[2].pk))
    cuts = sorted({0, n, *(a for a, _, _ in spans), *(b for _, b, _ in spans)})

    paragraphs: list[list[Segment]] = [[]]
    started: set[int] = set()
    for a, b in zip(cuts, cuts[1:], strict=False):
        covering = [s for start, end, s in spans if start <= a and end >= b and end > start]
        starts = [s for start, _, s in spans if start == a and s.pk not in started]
        started.update(s.pk for s in starts)
        for i, part in enumerate(body[a:b].split("\n")):
            if i:
                paragraphs.append([])
            if part or starts:
                paragraphs[-1].append(Segment(part, covering, starts))
                starts = []
    # Statements whose span is empty or sits at the very end still get an anchor.
    leftovers = [s for _, _, s in spans if s.pk not in started]
    if leftovers:
        paragraphs[-1].append(Segment("", [], leftovers))
    return [p for p in paragraphs if any(seg.text.strip() or seg.starts for seg in p)]


class SourceDetailView(DetailView):
    template_name = "statements/source_detail.html"
    context_object_name = "source"

    def get_queryset(self):
        return visibility.sources(self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        source = self.object
        statements = statements_in_source(source, self.request.user)
        attach_roles(statements)
        for number, s in enumerate(statements, start=1):
            s.number = number
            s.is_draft = s.status != Status.PUBLISHED
        ctx.update(
            paragraphs=segment_body(source.body, statements),
            statements=statements,
            is_draft=source.status != Status.PUBLISHED,
            breadcrumbs=crumbs(
                ("Statements", reverse("statements:statement_list")), (source.title, None)
            ),
        )
        return ctx
