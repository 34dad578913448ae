"""Statement extraction in plain Python: quotes, speech cues, speakers and dates.

``extract(text, published_on, registry)`` returns the statements a news text reports,
each with the evidence (spans into ``text``) for its speaker, cue, content and date.
No Django import here: the ingest service stores what this package finds.
"""

from .pipeline import extract, find_headline, parse_header, to_jsonl_dict
from .speakers import guess_name_kind, resolve_speaker
from .types import ActorName, Extracted, Span

__all__ = [
    "ActorName",
    "Extracted",
    "Span",
    "extract",
    "find_headline",
    "guess_name_kind",
    "parse_header",
    "resolve_speaker",
    "to_jsonl_dict",
]
