"""The SVG charts' coordinates (mentorship/charts.py): pure arithmetic, no database."""

from mentorship import charts


def test_bars_scale_to_the_largest_value():
    chart = charts.bar_chart(
        [("Applied", 10), ("Matched", 5), ("Completed", 0)], title="t", description="d"
    )

    room = chart.width - charts.LABEL_WIDTH - charts.VALUE_ROOM
    assert [bar.width for bar in chart.bars] == [room, room / 2, 0.0]
    assert [bar.y for bar in chart.bars] == [0, 32, 64]
    assert [bar.text for bar in chart.bars] == ["10", "5", "0"]
    assert chart.height == 3 * 32 - 10
    assert chart.bars[1].text_x == charts.LABEL_WIDTH + room / 2 + 6


def test_bars_on_a_fixed_scale_and_missing_values():
    chart = charts.bar_chart(
        [("Teaching", 2.0), ("Guiding", None)], title="t", description="d", max_value=4
    )

    room = chart.width - charts.LABEL_WIDTH - charts.VALUE_ROOM
    assert chart.bars[0].width == room / 2
    assert (chart.bars[1].width, chart.bars[1].text) == (0.0, "none")


def test_an_empty_bar_chart_has_a_height():
    assert charts.bar_chart([], title="t", description="d").height == charts.BAR_HEIGHT


def test_the_line_runs_from_the_left_to_the_right_on_the_scale():
    chart = charts.line_chart(
        [("Oct", 1.0), ("Nov", None), ("Dec", 5.0)], title="t", description="d", low=1, high=5
    )

    first, last = chart.points
    assert (first.x, first.y) == (chart.left, chart.bottom)  # the lowest score at the bottom
    assert (last.x, last.y) == (chart.right, 10)  # the highest at the top
    assert chart.path == f"{first.x},{first.y} {last.x},{last.y}"  # a gap, not a zero
    assert [t.label for t in chart.ticks] == ["1", "2", "3", "4", "5"]


def test_a_single_point_sits_in_the_middle():
    chart = charts.line_chart([("Oct", 3.0)], title="t", description="d", low=1, high=5)

    assert chart.points[0].x == (chart.left + chart.right) / 2
    assert chart.points[0].y == (chart.bottom + 10) / 2
