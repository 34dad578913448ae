"""Security (issue 5): no draft leaks, stored XSS escaped everywhere, bidi text isolated,
and the security headers on every response of every URL pattern."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.tracker.world import (
    DISCARDED_WORD,
    DRAFT_WORD,
    EDITOR_NAME,
    HIDDEN_SOURCE_WORD,
    HOSTILE_FIELDS,
    RLO,
    build_world,
    escaped_marker,
    label,
    raw_payloads,
)

SECRET_WORDS = [DRAFT_WORD, DISCARDED_WORD, HIDDEN_SOURCE_WORD, EDITOR_NAME]


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", "root@example.org", "pw")


def anonymous() -> Client:
    return Client(raise_request_exception=False)


def logged_in(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def public_urls(w) -> list[str]:
    s = "statements:"
    return [
        reverse(f"{s}overview"),
        reverse(f"{s}statement_list"),
        reverse(f"{s}statement_detail", args=[w.statement.pk]),
        reverse(f"{s}statement_csv"),
        reverse(f"{s}claim_list"),
        reverse(f"{s}claim_detail", args=[w.claim.pk]),
        reverse(f"{s}claim_csv"),
        reverse(f"{s}event_list"),
        reverse(f"{s}event_detail", args=[w.event.pk]),
        reverse(f"{s}event_csv"),
        reverse(f"{s}tag_list"),
        reverse(f"{s}tag_detail", args=[w.tag.slug]),
        reverse(f"{s}source_detail", args=[w.source.pk]),
        reverse(f"{s}feed_speaker", args=[w.actor.slug]),
        reverse(f"{s}feed_speaker", args=[w.other.slug]),
        reverse(f"{s}feed_tag", args=[w.tag.slug]),
        reverse(f"{s}feed_claim", args=[w.claim.pk]),
        reverse("actors:actor_list"),
        reverse("actors:actor_detail", args=[w.actor.slug]),
        reverse("actors:actor_detail", args=[w.other.slug]),
        reverse("actors:actor_csv"),
    ]


def search_urls(w, word: str) -> list[str]:
    lists = [
        "statements:statement_list",
        "statements:statement_csv",
        "statements:claim_list",
        "statements:claim_csv",
        "statements:event_list",
        "statements:event_csv",
        "statements:tag_list",
        "actors:actor_list",
        "actors:actor_csv",
    ]
    return [f"{reverse(name)}?q={word}" for name in lists]


def filtered_urls(w) -> list[str]:
    base, csv = reverse("statements:statement_list"), reverse("statements:statement_csv")
    queries = [
        f"speaker={w.actor.slug}",
        f"speaker={w.other.slug}",
        f"tag={w.tag.slug}",
        f"claim={w.claim.pk}",
        f"claim={w.claim.pk}&stance=denies",
        f"event={w.event.pk}",
        f"source={w.source.pk}",
        f"source={w.hidden_source.pk}",
        "sort=said_on",
    ]
    return [f"{url}?{q}" for url in (base, csv) for q in queries]


def text(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


# --- drafts stay private


def test_no_public_page_csv_or_search_shows_a_draft(world):
    client = anonymous()
    urls = public_urls(world) + filtered_urls(world)
    ok = 0
    for url in urls:
        response = client.get(url)
        body = text(response)
        assert response.status_code in (200, 400), (url, response.status_code, body[:300])
        for word in SECRET_WORDS:
            assert word not in body, (word, url)
        ok += response.status_code == 200
    assert ok >= len(urls) - 2  # (the unpublished source's filter may answer 400)


@pytest.mark.parametrize("word", SECRET_WORDS)
def test_searching_for_a_hidden_word_finds_nothing(world, word):
    """A search page echoes its query; it must show the word no more often than it shows
    a word that is in no record at all."""
    client = anonymous()
    control = "zqx" + "n" * (len(word) - 3)
    for url, control_url in zip(search_urls(world, word), search_urls(world, control), strict=True):
        response = client.get(url)
        found = text(response).count(word)
        assert response.status_code == 200, url
        echoed = text(client.get(control_url)).count(control)
        assert found == echoed, url


@pytest.mark.parametrize(
    "target",
    ["draft", "discarded", "hidden_source"],
)
def test_hidden_objects_have_no_public_page(world, target):
    obj = getattr(world, target)
    name = "source_detail" if target == "hidden_source" else "statement_detail"
    response = anonymous().get(reverse(f"statements:{name}", args=[obj.pk]))
    assert response.status_code == 404
    assert all(word not in text(response) for word in SECRET_WORDS)


def test_the_secret_words_are_really_there_for_staff(world, superuser):
    """The leak test above could pass by accident if the words were never stored."""
    client = logged_in(superuser)
    page = text(client.get(reverse("statements:statement_detail", args=[world.draft.pk])))
    assert DRAFT_WORD in page
    assert world.users["editor"].username == EDITOR_NAME


def test_anonymous_visitors_never_reach_history_or_the_admin(world):
    client = anonymous()
    for url in [
        reverse("admin:statements_statement_history", args=[world.statement.pk]),
        reverse("admin:statements_statement_changelist"),
        reverse("admin:auth_user_changelist"),
        reverse("review:source_review", args=[world.source.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login"))


# --- stored XSS


def admin_urls(w) -> list[str]:
    urls = []
    objects = {
        "actors_actor": w.actor,
        "actors_alias": w.actor.aliases.get(),
        "actors_role": w.actor.roles.get(),
        "statements_source": w.source,
        "statements_statement": w.statement,
        "statements_claim": w.claim,
        "statements_stance": w.statement.stances.get(),
        "statements_event": w.event,
        "statements_eventparticipant": w.event.participations.first(),
        "taggit_tag": w.tag,
    }
    for name, obj in objects.items():
        urls += [
            reverse(f"admin:{name}_changelist"),
            reverse(f"admin:{name}_changelist") + f"?q={label('actor.name')}",
            reverse(f"admin:{name}_change", args=[obj.pk]),
            reverse(f"admin:{name}_delete", args=[obj.pk]),
        ]
        if name != "taggit_tag":
            urls.append(reverse(f"admin:{name}_history", args=[obj.pk]))
            first = obj.history.order_by("history_id").first()
            urls.append(reverse(f"admin:{name}_simple_history", args=[obj.pk, first.pk]))
    urls += [
        reverse("admin:index"),
        reverse("review:source_review", args=[w.source.pk]),
        reverse("admin:autocomplete") + "?app_label=statements&model_name=statement"
        "&field_name=speaker&term=X",
    ]
    return urls


def assert_escaped(url: str, body: str) -> None:
    for name in HOSTILE_FIELDS:
        for payload in raw_payloads(label(name)):
            assert payload not in body, f"{name} unescaped on {url}"


def test_hostile_text_is_escaped_on_every_public_page(world):
    client = anonymous()
    seen = set()
    for url in public_urls(world) + filtered_urls(world):
        response = client.get(url)
        body = text(response)
        if response["Content-Type"].startswith("text/csv"):
            continue  # CSV is data, not markup (and served with nosniff)
        assert_escaped(url, body)
        seen |= {name for name in HOSTILE_FIELDS if escaped_marker(label(name)) in body}
    # The test is only worth something if the hostile text was actually shown.
    for name in [
        "actor.name",
        "statement.text",
        "claim.text",
        "event.title",
        "source.title",
        "source.body",
        "tag.name",
    ]:
        assert name in seen, name


def test_hostile_text_is_escaped_on_every_admin_screen(world, superuser):
    client = logged_in(superuser)
    seen = set()
    for url in admin_urls(world):
        response = client.get(url)
        assert response.status_code == 200, url
        body = text(response)
        if response["Content-Type"] == "application/json":
            # Data for the autocomplete widget, which inserts it as text; nosniff keeps
            # a browser from reading it as HTML.
            assert response["X-Content-Type-Options"] == "nosniff"
            continue
        assert_escaped(url, body)
        seen |= {name for name in HOSTILE_FIELDS if escaped_marker(label(name)) in body}
    assert seen == set(HOSTILE_FIELDS), set(HOSTILE_FIELDS) - seen


def test_csv_cells_are_plain_data_with_nosniff(world):
    response = anonymous().get(reverse("statements:statement_csv"))
    assert label("statement.text") in text(response)
    assert response["Content-Type"].startswith("text/csv")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]


# --- bidi isolation


class BidiChecker(HTMLParser):
    """Collects text containing a bidi override that no <bdi>/dir=auto element isolates."""

    VOID = {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, bool]] = []
        self.unisolated: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        isolating = tag == "bdi" or dict(attrs).get("dir") == "auto"
        self.stack.append((tag, isolating))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        if RLO not in data:
            return
        tags = [t for t, _ in self.stack]
        if {"title", "option", "textarea"} & set(tags):
            return  # cannot hold markup; browsers show them as separate, isolated text
        if not any(isolating for _, isolating in self.stack):
            self.unisolated.append(f"<{'><'.join(tags[-3:])}> {data.strip()[:60]!r}")


def test_names_and_quotes_with_bidi_controls_are_isolated(world):
    client = anonymous()
    problems = []
    for url in public_urls(world):
        response = client.get(url)
        body = text(response)
        if not response["Content-Type"].startswith("text/html"):
            continue
        checker = BidiChecker()
        checker.feed(body)
        problems += [f"{url}: {p}" for p in checker.unisolated]
    assert not problems, "\n".join(problems)


# --- headers on every URL pattern

SAMPLE = {"int": "1", "slug": "sample", "str": "1", "path": "1", "uuid": "0" * 32}


def _sample_regex(regex: str) -> str:
    out = regex.lstrip("^").rstrip("$").replace("\\Z", "")
    # Alternations like (?P<app_label>actors|statements): take the first.
    out = re.sub(r"\(\?P<\w+>([\w-]+)(\|[^)]*)?\)", r"\1", out)
    out = re.sub(r"\(\?P<\w+>[^)]*\)", "1", out)
    out = re.sub(r"\([^)]*\)", "1", out)
    return out.replace("\\.", ".").replace("\\", "")


def _sample_route(route: str, values: dict[str, str]) -> str:
    def fill(match):
        converter, name = match.group(1) or "str", match.group(2)
        return values.get(name, SAMPLE.get(converter, "1"))

    return re.sub(r"<(?:(\w+):)?(\w+)>", fill, route)


def every_url(values: dict[str, str]) -> list[str]:
    """One concrete URL per pattern of the URLconf, admin included."""
    found = []

    def walk(patterns, prefix):
        for p in patterns:
            raw = str(p.pattern)
            part = (
                _sample_regex(p.pattern.regex.pattern)
                if p.pattern.__class__.__name__ == "RegexPattern"
                else _sample_route(raw, values)
            )
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + part)
            elif isinstance(p, URLPattern):
                found.append("/" + prefix + part)

    walk(get_resolver().url_patterns, "")
    return sorted(set(found))


CSP_PUBLIC = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'; object-src 'none'"
)


def assert_security_headers(url: str, response) -> None:
    csp = response.get("Content-Security-Policy", "")
    if url.startswith("/admin/"):
        assert csp == CSP_PUBLIC.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"), (
            url
        )
    else:
        assert csp == CSP_PUBLIC, url
    assert response.get("X-Content-Type-Options") == "nosniff", url
    assert response.get("Referrer-Policy") == "same-origin", url
    assert response.get("X-Frame-Options") == "DENY", url


def test_every_url_pattern_answers_with_the_security_headers(world, superuser, settings):
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    values = {"pk": str(world.statement.pk), "slug": world.actor.slug, "object_id": "1"}
    urls = every_url(values) + ["/static/css/tracker.css", "/no/such/page/", "/statements.csv"]
    assert len(urls) > 100  # the admin's patterns are in
    statuses = {}
    for client in (anonymous(), logged_in(superuser)):
        for url in urls:
            response = client.get(url)
            body = text(response)  # always read a streamed answer to its end
            assert response.status_code != 500, url
            assert_security_headers(url, response)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            if (
                response.status_code == 200
                and response["Content-Type"].startswith("text/html")
                and not url.startswith("/admin/")
            ):
                assert not re.search(r"<script(?![^>]*\ssrc=)", body), f"inline script on {url}"
                assert not re.search(r"<style|\sstyle=\"", body), f"inline style on {url}"
    # Every kind of answer was checked: pages, redirects, 404s and the static file.
    assert {200, 302, 404} <= set(statuses)
    static = anonymous().get("/static/css/tracker.css")
    assert static.status_code == 200


def test_bad_host_and_bad_request_answers_carry_the_headers(db):
    response = Client(raise_request_exception=False).get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert_security_headers("/", response)
    response = anonymous().get(reverse("statements:statement_list") + "?date_from=not-a-date")
    assert response.status_code == 400
    assert_security_headers("/statements/", response)
