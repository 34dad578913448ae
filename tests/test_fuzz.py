"""Input that cannot break it (issue 5): random and hostile query strings at every public
URL and CSV export, random field values at the admin add forms — never a 500."""

from __future__ import annotations

from urllib.parse import quote, urlencode

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.tracker.world import build_world

PUBLIC_EXAMPLES = 200
ADMIN_EXAMPLES = 60
FUZZ = settings(
    max_examples=PUBLIC_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,  # the same examples on every run: CI cannot flake
)

PARAMETERS = [
    "q",
    "speaker",
    "kind",
    "tag",
    "mode",
    "medium",
    "date_precision",
    "claim",
    "stance",
    "event",
    "source",
    "date_from",
    "date_to",
    "sort",
    "page",
    "cursor",
    "bom",
    "status",
    "participant",
    "parent",
    "format",
    "o",
    "per_page",
]
HOSTILE = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "%00",
    "' OR 1=1 --",
    "1; DROP TABLE statements_statement;",
    '") OR ("1"="1',
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "-1",
    "0",
    "99999999999999999999999999",
    "1e309",
    "NaN",
    "-said_on",
    "said_on",
    "2023-02-30",
    "9999-12-31",
    "0000-00-00",
    "2023-09-10",
    "10000-01-01",
    "asserts",
    "\u202e\u2066evil",
    "ðŸ’¥" * 3,
    "\ud7ff",
    "&&&",
    "[]",
    "{}",
    "null",
    "true",
    "a" * 5000,
    '"',
    "'",
    "\\",
    "*",
    "%",
    "_",
    "or",
    "-",
    '"unterminated',
    "a:b:c",
]
keys = st.one_of(st.sampled_from(PARAMETERS), st.text(max_size=20))
values = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=60),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.dates().map(str),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1000, max_size=20000),
)
query_strings = st.one_of(
    st.lists(st.tuples(keys, values), max_size=8).map(lambda pairs: urlencode(pairs)),
    # Raw bytes, percent-encoded any which way (invalid UTF-8 included).
    st.binary(max_size=200).map(lambda raw: quote(raw, safe="=&")),
)


@pytest.fixture
def world(db):
    return build_world(users=False)


def public_url(world, name: str) -> str:
    args = {
        "statements:statement_detail": [world.statement.pk],
        "statements:claim_detail": [world.claim.pk],
        "statements:event_detail": [world.event.pk],
        "statements:tag_detail": [world.tag.slug],
        "statements:source_detail": [world.source.pk],
        "statements:feed_speaker": [world.actor.slug],
        "statements:feed_tag": [world.tag.slug],
        "statements:feed_claim": [world.claim.pk],
        "actors:actor_detail": [world.actor.slug],
    }.get(name, [])
    return reverse(name, args=args)


PUBLIC_NAMES = [
    "statements:overview",
    "statements:statement_list",
    "statements:statement_detail",
    "statements:statement_csv",
    "statements:claim_list",
    "statements:claim_detail",
    "statements:claim_csv",
    "statements:event_list",
    "statements:event_detail",
    "statements:event_csv",
    "statements:tag_list",
    "statements:tag_detail",
    "statements:source_detail",
    "statements:feed_speaker",
    "statements:feed_tag",
    "statements:feed_claim",
    "actors:actor_list",
    "actors:actor_detail",
    "actors:actor_csv",
    "healthz",
]


def fetch(client: Client, path: str, query: str):
    response = client.get(path, QUERY_STRING=query)
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)  # read it all: errors may come mid-stream
    return response


@pytest.mark.parametrize("name", PUBLIC_NAMES)
def test_no_query_string_makes_a_public_url_fail(world, name):
    client = Client(raise_request_exception=False)
    path = public_url(world, name)
    assert fetch(client, path, "").status_code == 200  # the page really works
    statuses = set()

    @FUZZ
    @given(query=query_strings)
    def check(query):
        response = fetch(client, path, query)
        assert response.status_code < 500, (path, query[:300])
        statuses.add(response.status_code)

    check()
    assert statuses <= {200, 400, 404}


@pytest.mark.parametrize(
    "prefix", ["/statements/", "/claims/", "/events/", "/sources/", "/actors/", "/tags/"]
)
def test_no_path_segment_makes_a_detail_page_fail(world, prefix):
    client = Client(raise_request_exception=False)

    @settings(FUZZ, max_examples=50)
    @given(
        segment=st.one_of(
            st.integers(min_value=-(2**80), max_value=2**80).map(str),
            st.text(max_size=40).map(lambda t: quote(t, safe="")),
        )
    )
    def check(segment):
        response = fetch(client, f"{prefix}{segment}/", "")
        assert response.status_code < 500, (prefix, segment)

    check()


ADMIN_FORMS = {
    "actors_actor": ["name", "slug", "kind", "parent", "wikidata_id", "description"],
    "actors_alias": ["actor", "name", "kind"],
    "actors_role": ["actor", "title", "organization", "start_date", "end_date"],
    "statements_source": [
        "title",
        "publisher",
        "url",
        "published_on",
        "language",
        "status",
        "body",
    ],
    "statements_statement": [
        "speaker",
        "speaker_as_printed",
        "speaker_title",
        "recipients",
        "text",
        "mode",
        "medium",
        "tags",
        "events",
        "said_on",
        "date_precision",
        "source",
        "span_start",
        "span_end",
        "status",
    ],
    "statements_claim": ["text", "slug", "status", "description", "tags"],
    "statements_stance": ["statement", "claim", "stance"],
    "statements_event": [
        "title",
        "slug",
        "kind",
        "mode",
        "description",
        "tags",
        "start_date",
        "start_precision",
        "end_date",
        "end_precision",
        "location",
        "sources",
    ],
    "statements_eventparticipant": ["event", "actor", "role"],
    "taggit_tag": ["name", "slug"],
}
INLINE_PREFIXES = ["aliases", "roles", "stances", "participations"]
form_values = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=80),
    st.integers(min_value=-(2**64), max_value=2**64).map(str),
    st.dates().map(str),
    st.sampled_from(["1", "2", "3", "person", "direct", "published", "draft", "asserts"]),
)


def test_no_search_term_makes_an_admin_changelist_fail(world):
    """Every changelist with a search box, searched with every hostile value: quotes,
    FTS5 syntax and NULs for the statement search's trigram path (SQLite), and the
    rest for every other search."""
    from django.contrib import admin as django_admin

    admin = User.objects.create_superuser("fuzz-admin", "fuzz@example.org", "pw")
    client = Client(raise_request_exception=False)
    client.force_login(admin)
    searchable = [
        model
        for model, model_admin in django_admin.site._registry.items()
        if model_admin.search_fields
    ]
    assert len(searchable) >= 8
    for model in searchable:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for term in HOSTILE + ["word \x00 word", '"quoted \x00"', "ab\x00"]:
            response = client.get(url, {"q": term})
            assert response.status_code == 200, (url, term)


@pytest.mark.parametrize("model", list(ADMIN_FORMS))
def test_no_field_values_make_an_admin_add_form_fail(world, model):
    admin = User.objects.create_superuser("fuzz-admin", "fuzz@example.org", "pw")
    client = Client(raise_request_exception=False)
    client.force_login(admin)
    url = reverse(f"admin:{model}_add")
    assert client.get(url).status_code == 200
    management = {}
    for prefix in INLINE_PREFIXES:
        management |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}

    @settings(FUZZ, max_examples=ADMIN_EXAMPLES)
    @given(data=st.fixed_dictionaries({}, optional=dict.fromkeys(ADMIN_FORMS[model], form_values)))
    def check(data):
        response = client.post(url, {**management, **data})
        assert response.status_code in (200, 302), (model, data)

    check()


# --- NUL and other control characters in every admin form's text fields, and uploads

CONTROL_EXAMPLES = 200
CONTROL = settings(FUZZ, max_examples=CONTROL_EXAMPLES)
controls = st.characters(min_codepoint=0, max_codepoint=0x1F) | st.just("\x7f")
controlled_text = st.one_of(
    st.lists(st.one_of(controls, st.characters(codec="utf-8")), max_size=40).map("".join),
    st.sampled_from(["\x00", "a\x00b", "\x00" * 50, "x\x1b[31my", "\r\n\x0b\x0c", "\ufeff\x00"]),
)


def _text_fields(form) -> list[str]:
    """The form's text fields; for a form without any (a stance), every visible field."""
    from django import forms as django_forms

    visible = [field for field in form if not field.is_hidden]
    text = [field for field in visible if isinstance(field.field, django_forms.CharField)]
    return [field.html_name for field in text or visible]


@pytest.mark.parametrize("model", list(ADMIN_FORMS))
def test_no_control_character_makes_an_admin_change_form_fail(world, model):
    """Every text field of every admin change form, with NULs and other control
    characters: a form error or a save, never a 5xx."""
    from tests.test_permissions import form_data, sample_objects

    admin = User.objects.create_superuser("fuzz-admin", "fuzz@example.org", "pw")
    client = Client(raise_request_exception=False)
    client.force_login(admin)
    label = model.replace("_", ".", 1)
    obj = sample_objects(world)[label]
    url = reverse(f"admin:{model}_change", args=[obj.pk])
    page = client.get(url)
    base, names = form_data(page), _text_fields(page.context["adminform"].form)
    assert names, model
    versioned = hasattr(obj, "version")

    @CONTROL
    @given(values=st.fixed_dictionaries({}, optional=dict.fromkeys(names, controlled_text)))
    def check(values):
        data = {**base, **values}
        if versioned:  # the stored version: a successful save moved it on
            data["version"] = type(obj)._default_manager.get(pk=obj.pk).version or 0
        response = client.post(url, data)
        assert response.status_code in (200, 302), (model, values)

    check()


def test_no_control_character_makes_the_review_upload_fail(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    admin = User.objects.create_superuser("fuzz-admin", "fuzz@example.org", "pw")
    client = Client(raise_request_exception=False)
    client.force_login(admin)
    url = reverse("review:source_new")

    @CONTROL
    @given(
        text=controlled_text,
        title=controlled_text,
        as_file=st.booleans(),
        raw=st.binary(max_size=60),
    )
    def check(text, title, as_file, raw):
        data = {"title": title, "published_on": "2023-09-10"}
        if as_file:
            data["file"] = SimpleUploadedFile("t.txt", text.encode("utf-8", "surrogatepass") + raw)
        else:
            data["text"] = text
        response = client.post(url, data)
        assert response.status_code in (200, 302, 400), (text, title, raw)

    check()
