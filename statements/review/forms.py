"""Forms of the review flow: a new source, and the editor's corrections to a draft."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from actors.models import Actor
from statements.models import Claim, StanceKind, Statement
from statements.services import MAX_INGEST_CHARS, IngestError, text_prepare
from tracker.concurrency import VersionCheckedForm

#: UTF-8 takes up to four bytes a character; the character limit is checked after decoding.
MAX_UPLOAD_BYTES = 4 * MAX_INGEST_CHARS


class SourceForm(forms.Form):
    """A news text, pasted or uploaded, with what the editor knows about it."""

    title = forms.CharField(
        max_length=500, required=False, help_text="Leave empty to use the text's first words."
    )
    publisher = forms.CharField(max_length=200, required=False)
    url = forms.URLField(label="URL", max_length=1000, required=False, assume_scheme="https")
    published_on = forms.DateField(
        label="Published on",
        required=False,
        help_text="YYYY-MM-DD. May be left empty if the text begins with 'date YYYY-MM-DD'.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 16, "cols": 100}),
        required=False,
        strip=False,
        help_text=(
            f"Paste the full text, or upload a file below: at most {MAX_INGEST_CHARS:,}"
            " characters (split a longer text into parts)."
        ),
    )
    file = forms.FileField(
        label="or upload a .txt file", required=False, help_text="Plain text, UTF-8."
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return ""
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                f"The file is larger than {MAX_UPLOAD_BYTES // 1_000_000} MB; at most"
                f" {MAX_INGEST_CHARS:,} characters can be ingested at once."
            )
        raw = upload.read()
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ValidationError(
                f"The file is not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})."
            ) from None

    def clean(self):
        cleaned = super().clean()
        pasted, uploaded = cleaned.get("text", ""), cleaned.get("file", "")
        if self.errors:
            return cleaned
        if pasted.strip() and uploaded:
            raise ValidationError("Paste a text or upload a file, not both.")
        field = "file" if uploaded else "text"
        # Browsers send CRLF from a textarea; offsets are taken on the normalised text.
        content = (uploaded or pasted).replace("\r\n", "\n").replace("\r", "\n")
        try:
            prepared = text_prepare(text=content, published_on=cleaned.get("published_on"))
        except IngestError as exc:
            message = str(exc)
            target = "published_on" if message.startswith("no publication date") else field
            self.add_error(target, message[0].upper() + message[1:] + ".")
            return cleaned
        cleaned["content"] = content
        cleaned["prepared"] = prepared
        return cleaned


class DraftForm(VersionCheckedForm):
    """What an editor fixes on a draft before publishing it."""

    speaker = forms.CharField(
        max_length=200,
        help_text="An actor's slug, name or alias.",
        widget=forms.TextInput(attrs={"list": "review-actors", "size": 30}),
    )
    tags = forms.CharField(
        required=False,
        max_length=500,
        help_text="Comma-separated.",
        widget=forms.TextInput(attrs={"size": 40}),
    )
    claim = forms.CharField(
        required=False,
        max_length=200,
        label="Existing claim",
        help_text="A claim's id or slug.",
        widget=forms.TextInput(attrs={"list": "review-claims", "size": 30}),
    )
    new_claim = forms.CharField(
        required=False,
        max_length=500,
        label="or a new claim",
        help_text="The proposition, in one sentence.",
        widget=forms.TextInput(attrs={"size": 60}),
    )
    stance = forms.ChoiceField(
        required=False, choices=[("", "—"), *StanceKind.choices], label="Stance on the claim"
    )

    field_order = [
        "speaker",
        "speaker_title",
        "said_on",
        "date_precision",
        "mode",
        "medium",
        "text",
        "tags",
        "claim",
        "new_claim",
        "stance",
    ]

    class Meta:
        model = Statement
        fields = ["speaker_title", "said_on", "date_precision", "mode", "medium", "text"]
        widgets = {
            "said_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "text": forms.Textarea(attrs={"rows": 3, "cols": 90}),
            "speaker_title": forms.TextInput(attrs={"size": 40}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["speaker"] = self.instance.speaker.slug
            self.initial["tags"] = ", ".join(sorted(t.name for t in self.instance.tags.all()))

    def clean_speaker(self) -> Actor:
        value = " ".join(self.cleaned_data["speaker"].split())
        actor = Actor.objects.filter(slug=value).first()
        if actor is not None:
            return actor
        found = list(Actor.objects.matching(value)[:2])
        if len(found) == 1:
            return found[0]
        if found:
            raise ValidationError(f"Several actors are called {value!r}; give the slug.")
        raise ValidationError(f"No actor has the slug, name or alias {value!r}.")

    def clean_tags(self) -> list[str]:
        names = [" ".join(t.split()) for t in self.cleaned_data["tags"].split(",")]
        seen: dict[str, str] = {}
        for name in names:
            if name and name.casefold() not in seen:
                if len(name) > 100:
                    raise ValidationError(f"The tag {name[:20]!r}… is longer than 100 characters.")
                seen[name.casefold()] = name
        return list(seen.values())

    def clean_claim(self) -> Claim | None:
        value = self.cleaned_data["claim"].strip()
        if not value:
            return None
        query = Q(slug=value) | (Q(pk=int(value)) if value.isdigit() else Q(pk__in=[]))
        claim = Claim.objects.filter(query).first()
        if claim is None:
            raise ValidationError(f"No claim has the id or slug {value!r}.")
        return claim

    def clean(self):
        cleaned = super().clean()
        claim, new_claim = cleaned.get("claim"), (cleaned.get("new_claim") or "").strip()
        stance = cleaned.get("stance")
        if claim and new_claim:
            self.add_error("new_claim", "Choose an existing claim or write a new one, not both.")
        elif (claim or new_claim) and not stance:
            self.add_error("stance", "Say whether the statement asserts, denies or questions it.")
        elif stance and not (claim or new_claim) and "claim" not in self.errors:
            self.add_error("claim", "Which claim does the statement take this stance on?")
        return cleaned
