"""The pure SVG chart builder: bars, proportions, gaps, caps, empty state, escaping."""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET

from statements.charts import MAX_WEEKS, fill_weeks, weekly_bar_chart

SVG = "{http://www.w3.org/2000/svg}"
MON = datetime.date(2023, 9, 4)


def week(n: int) -> datetime.date:
    return MON + datetime.timedelta(weeks=n)


def test_one_bar_per_week_and_heights_proportional():
    chart = weekly_bar_chart([(week(0), 2), (week(1), 4), (week(2), 1)])
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
    chart = weekly_bar_chart([(week(0), 1), (week(1), 3)], title="By <Someone>")
    root = ET.fromstring(chart.svg)  # well-formed XML: the title was escaped
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-title chart-desc"
    assert root.find(f"{SVG}title").text == "By <Someone>"
    desc = root.find(f"{SVG}desc").text
    assert "4 statements over 2 weeks" in desc and "11 Sep 2023" in desc
    bar_titles = [t.text for t in root.findall(f".//{SVG}rect/{SVG}title")]
    assert bar_titles == ["week of 4 Sep 2023: 1 statement", "week of 11 Sep 2023: 3 statements"]


def test_axis_labels():
    chart = weekly_bar_chart([(week(0), 10), (week(3), 5)])
    ticks = re.findall(r'<text class="tick"[^>]*>([^<]*)</text>', chart.svg)
    assert {"0", "5", "10"} <= set(ticks)  # y axis: zero, half, peak
    assert "4 Sep" in ticks  # x axis: the first week


def test_gaps_are_filled_with_zero_weeks_and_days_grouped_by_week():
    points = [(datetime.date(2023, 9, 5), 1), (datetime.date(2023, 9, 7), 2), (week(3), 1)]
    assert fill_weeks(points) == [(week(0), 3), (week(1), 0), (week(2), 0), (week(3), 1)]
    chart = weekly_bar_chart(points)
    assert len(chart.bars) == 4 and chart.bars[1].height == 0


def test_datetimes_from_the_database_are_accepted():
    moment = datetime.datetime(2023, 9, 4, tzinfo=datetime.UTC)
    assert fill_weeks([(moment, 2)]) == [(week(0), 2)]


def test_capped_to_the_last_weeks():
    points = [(week(i), 1) for i in range(MAX_WEEKS + 20)]
    chart = weekly_bar_chart(points)
    assert len(chart.bars) == MAX_WEEKS
    assert chart.bars[0].week == week(20) and chart.bars[-1].week == week(MAX_WEEKS + 19)


def test_empty_data_gives_an_empty_state():
    for points in ([], [(week(0), 0)]):
        chart = weekly_bar_chart(points)
        assert chart.empty and chart.bars == ()
        root = ET.fromstring(chart.svg)
        assert root.findall(f".//{SVG}rect") == []
        assert "No statements to chart yet." in chart.svg


def test_no_script_or_event_handlers():
    svg = weekly_bar_chart([(week(0), 1)]).svg
    assert "<script" not in svg and not re.search(r"\son\w+=", svg)
