"""The overview page: counts, latest statements, top speakers and tags, weekly chart."""

from __future__ import annotations

import datetime
import re

import pytest

from statements.models import Status

pytestmark = pytest.mark.django_db

# Anonymous visitor (no session, no user lookup).
OVERVIEW_QUERIES = 13  # latest 10 (+ their tags, stances), roles, data version, speakers,
# tags, 5 counts, chart


def populate(make, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        speaker = make.actor(f"Speaker {i % 7}", slug=f"speaker-{i % 7}-{i}")
        s = make.statement(
            speaker=speaker,
            tags=[f"tag{i % 3}", "common"],
            said_on=datetime.date(2023, 1, 2) + datetime.timedelta(weeks=i % 9),
        )
        s.recipients.add(make.actor())
        s.events.add(make.event())
        c = make.claim()
        make.stance(s, c)


def test_empty_site_has_sensible_empty_states(client):
    html = client.get("/").content.decode()
    assert "<title>Overview · Statement Tracker</title>" in html
    assert "No statements yet." in html
    assert "No statements to chart yet." in html
    assert "No published statements yet." in html and "No tags in use yet." in html


def test_overview_counts_latest_speakers_tags_and_chart(client, make):
    busy = make.actor("Busy Speaker", slug="busy")
    for i in range(4):
        make.statement(speaker=busy, tags=["ceasefire"], said_on=datetime.date(2023, 9, 1 + i * 7))
    quiet = make.actor("Quiet Speaker", slug="quiet")
    make.statement(speaker=quiet, said_on=datetime.date(2023, 9, 30), text="Newest words here")
    make.statement(speaker=quiet, status=Status.DRAFT, text="Draft words here")
    make.statement(speaker=make.actor("Hidden Speaker"), status=Status.DRAFT)

    html = client.get("/").content.decode()
    counts = re.search(r'<ul class="counts">.*?</ul>', html, re.S).group(0)
    assert "<strong>5</strong> statements" in counts
    assert "<strong>3</strong> actors" in counts
    assert "Draft words here" not in html
    latest = html.split('id="latest-h"')[1]
    assert latest.index("Newest words here") < latest.index("Busy Speaker")
    speakers = re.search(r'id="speakers-h".*?</section>', html, re.S).group(0)
    assert speakers.index("Busy Speaker") < speakers.index("Quiet Speaker")
    assert "4 statements" in speakers and "1 statement<" in speakers
    assert "Hidden Speaker" not in speakers
    tags = re.search(r'id="tags-h".*?</section>', html, re.S).group(0)
    assert "ceasefire" in tags and '<span class="count">4</span>' in tags
    # Weeks of 28 Aug, 4, 11, 18 and 25 Sep 2023: one bar each.
    assert html.count('class="bar"') == 5
    assert "week of 25 Sep 2023: 1 statement<" in html


def test_overview_query_count_does_not_grow(client, make, django_assert_num_queries):
    populate(make, 4)
    with django_assert_num_queries(OVERVIEW_QUERIES):
        client.get("/")
    populate(make, 40, start=4)
    with django_assert_num_queries(OVERVIEW_QUERIES):
        html = client.get("/").content.decode()
    assert html.count('<article class="statement') == 10
    assert html.count('class="bar"') == 9


def test_overview_with_seed(client, seed):
    html = client.get("/").content.decode()
    assert "<strong>12</strong> statements" in html
    speakers = re.search(r'id="speakers-h".*?</section>', html, re.S).group(0)
    assert speakers.index("Antony Blinken") < speakers.index("Jeyhun Bayramov")
    assert "3 statements" in speakers
