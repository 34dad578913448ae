"""The pure SVG chart builder: bars, proportions, gaps, periods, empty state, escaping."""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET

from statements.charts import MAX_BAR_WIDTH, MAX_BARS, fill_weeks, timeline_chart

SVG = "{http://www.w3.org/2000/svg}"
MON = datetime.date(2023, 9, 4)


def week(n: int) -> datetime.date:
    return MON + datetime.timedelta(weeks=n)


def test_one_bar_per_week_and_heights_proportional():
    chart = timeline_chart([(week(0), 2), (week(1), 4), (week(2), 1)])
    assert [b.count for b in chart.bars] == [2, 4, 1]
    tallest = max(b.height for b in chart.bars)
    assert [round(b.height / tallest, 6) for b in chart.bars] == [0.5, 1.0, 0.25]
    # Bars stand on the same baseline and do not overlap.
    assert len({round(b.y + b.height, 6) for b in chart.bars}) == 1
    assert all(a.x + a.width <= b.x for a, b in zip(chart.bars, chart.bars[1:], strict=False))
    root = ET.fromstring(chart.svg)
    rects = root.findall(f".//{SVG}rect")
    assert len(rects) == 3
    assert [float(r.get("height")) for r in rects] == [round(b.height, 2) for b in chart.bars]
    assert chart.total == 7 and not chart.empty


def test_accessible_title_desc_and_bar_titles():
    chart = timeline_chart([(week(0), 1), (week(1), 3)], title="By <Someone>")
    root = ET.fromstring(chart.svg)  # well-formed XML: the title was escaped
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-title chart-desc"
    assert root.find(f"{SVG}title").text == "By <Someone> per week"
    desc = root.find(f"{SVG}desc").text
    assert "4 statements over 2 weeks" in desc and "11 Sep 2023" in desc
    bar_titles = [t.text for t in root.findall(f".//{SVG}rect/{SVG}title")]
    assert bar_titles == ["week of 4 Sep 2023: 1 statement", "week of 11 Sep 2023: 3 statements"]


def test_axis_labels():
    chart = timeline_chart([(week(0), 10), (week(3), 5)])
    ticks = re.findall(r'<text class="tick"[^>]*>([^<]*)</text>', chart.svg)
    assert {"0", "5", "10"} <= set(ticks)  # y axis: zero, half, peak
    assert "4 Sep" in ticks  # x axis: the first week


def test_gaps_are_filled_with_zero_weeks_and_days_grouped_by_week():
    points = [(datetime.date(2023, 9, 5), 1), (datetime.date(2023, 9, 7), 2), (week(3), 1)]
    assert fill_weeks(points) == [(week(0), 3), (week(1), 0), (week(2), 0), (week(3), 1)]
    chart = timeline_chart(points)
    assert len(chart.bars) == 4 and chart.bars[1].height == 0


def test_datetimes_from_the_database_are_accepted():
    moment = datetime.datetime(2023, 9, 4, tzinfo=datetime.UTC)
    assert fill_weeks([(moment, 2)]) == [(week(0), 2)]


def test_a_long_span_is_charted_by_month_then_by_year_and_nothing_is_dropped():
    points = [(week(i), 1) for i in range(MAX_BARS + 20)]
    chart = timeline_chart(points)
    assert chart.unit == "month" and chart.total == MAX_BARS + 20
    assert chart.bars[0].start == datetime.date(2023, 9, 1)
    assert sum(b.count for b in chart.bars) == MAX_BARS + 20
    root = ET.fromstring(chart.svg)
    assert root.find(f"{SVG}title").text == "Statements per month"
    decades = timeline_chart([(datetime.date(1990, 5, 1), 2), (datetime.date(2023, 9, 4), 1)])
    assert decades.unit == "year" and len(decades.bars) == 34 and decades.total == 3


def test_months_add_up_weeks_that_straddle_them():
    # The database gives one row per week-within-a-month (selectors/timeline.py).
    points = [(datetime.date(2023, 8, 28), 1), (datetime.date(2023, 9, 1), 2)]
    assert fill_weeks(points) == [(datetime.date(2023, 8, 28), 3)]
    chart = timeline_chart(points, max_bars=0)
    assert chart.unit == "year"
    by_month = timeline_chart(points + [(datetime.date(2027, 1, 4), 1)])
    assert by_month.unit == "month"
    assert [(b.start, b.count) for b in by_month.bars[:2]] == [
        (datetime.date(2023, 8, 1), 1),
        (datetime.date(2023, 9, 1), 2),
    ]


def test_a_single_week_is_one_slim_bar_in_the_middle():
    chart = timeline_chart([(week(0), 4)])
    (bar,) = chart.bars
    assert bar.width <= MAX_BAR_WIDTH
    middle = bar.x + bar.width / 2
    assert abs(middle - (36 + (640 - 36 - 8) / 2)) < 1
    ticks = re.findall(r'<text class="tick"[^>]*>([^<]*)</text>', chart.svg)
    assert "4 Sep 2023" in ticks  # one bar: its label says the year too
    assert "in the week of 4 Sep 2023" in chart.svg


def test_x_labels_never_crowd():
    for n in (3, 20, 150, 400, 3000):
        chart = timeline_chart([(week(i), 1 + i % 3) for i in range(n)])
        labels = re.findall(r'<text class="tick" x="([0-9.]+)" y="190', chart.svg)
        assert 1 <= len(labels) <= 6, (n, labels)
        xs = [float(x) for x in labels]
        assert all(b - a >= 60 for a, b in zip(xs, xs[1:], strict=False)), (n, xs)


def test_empty_data_gives_an_empty_state():
    for points in ([], [(week(0), 0)]):
        chart = timeline_chart(points)
        assert chart.empty and chart.bars == ()
        root = ET.fromstring(chart.svg)
        assert root.findall(f".//{SVG}rect") == []
        assert "No statements to chart yet." in chart.svg


def test_no_script_or_event_handlers():
    svg = timeline_chart([(week(0), 1)]).svg
    assert "<script" not in svg and not re.search(r"\son\w+=", svg)
