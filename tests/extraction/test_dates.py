"""Date phrases: vetted patterns, resolution relative to publication, false positives."""

import datetime

import pytest

from statements.extraction import dates

FRIDAY = datetime.date(2024, 3, 15)


def _resolve(text: str, published_on: datetime.date = FRIDAY) -> list[tuple[str, str, str]]:
    out = []
    for mention in dates.find_dates(text):
        dating = dates.resolve(mention, published_on)
        if dating:
            out.append((mention.text, dating.said_on.isoformat(), dating.precision))
    return out


def test_weekday_of_publication_is_that_same_day():
    assert _resolve("The mayor spoke on Friday.") == [("on Friday", "2024-03-15", "day")]


def test_other_weekday_is_the_most_recent_past_one():
    assert _resolve("The mayor spoke on Tuesday.") == [("on Tuesday", "2024-03-12", "day")]
    assert _resolve("He spoke Saturday night.") == [("Saturday night", "2024-03-09", "day")]


def test_yesterday_and_today():
    assert _resolve("yesterday") == [("yesterday", "2024-03-14", "day")]
    assert _resolve("today") == [("today", "2024-03-15", "day")]


def test_weeks_start_on_monday():
    assert _resolve("earlier this week") == [("earlier this week", "2024-03-11", "week")]
    assert _resolve("last week") == [("last week", "2024-03-04", "week")]


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("on Sept. 5", "2023-09-05"),  # no year: the most recent past September 5
        ("on March 2", "2024-03-02"),
        ("December 24, 2021", "2021-12-24"),
        ("on 7 February", "2024-02-07"),
    ],
)
def test_explicit_dates(phrase, expected):
    (found,) = _resolve(f"The council met {phrase} to vote.")
    assert found[1:] == (expected, "day")


def test_false_positive_words_are_not_dates():
    text = (
        "And we will decide in two days whether they may march to the square; "
        "the talks may resume, said a man who likes to march."
    )
    assert dates.find_dates(text) == []


def test_later_in_the_day_takes_the_previous_date():
    (mention,) = dates.find_dates("She replied later in the day.")
    previous = dates.Dating(datetime.date(2024, 3, 13), "day")
    assert dates.resolve(mention, FRIDAY, previous) == previous
