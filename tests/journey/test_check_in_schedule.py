"""When check-ins fall: "+N" days after the start, "-N" before the planned end, "half"."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from journey.schedule import (
    check_in_dates,
    latest_due_point,
    next_point,
    validate_check_in_points,
)
from mentorship.models import Mentorship, Programme

START = datetime.date(2026, 1, 5)


def mentorship(points, weeks=16):
    return Mentorship(
        programme=Programme(check_in_points=points),
        started_on=START,
        planned_end_on=START + datetime.timedelta(weeks=weeks),
    )


def test_the_default_points_fall_two_weeks_in_half_way_and_two_weeks_before_the_end():
    assert check_in_dates(mentorship(["+14", "half", "-14"])) == [
        ("+14", datetime.date(2026, 1, 19)),
        ("half", datetime.date(2026, 3, 2)),
        ("-14", datetime.date(2026, 4, 13)),
    ]


def test_points_are_sorted_by_their_day_whatever_order_the_programme_lists_them():
    points = [p for p, _ in check_in_dates(mentorship(["-7", "+7", "half"]))]
    assert points == ["+7", "half", "-7"]


def test_a_point_outside_the_mentorship_is_left_out():
    assert check_in_dates(mentorship(["+28", "-28", "half"], weeks=2)) == [
        ("half", datetime.date(2026, 1, 12))
    ]


def test_extending_the_planned_end_moves_the_points_counted_from_it():
    m = mentorship(["+14", "-14"])
    m.planned_end_on += datetime.timedelta(weeks=4)
    assert dict(check_in_dates(m)) == {
        "+14": datetime.date(2026, 1, 19),
        "-14": datetime.date(2026, 5, 11),
    }


def test_only_the_latest_point_that_has_come_is_due():
    m = mentorship(["+14", "half", "-14"])
    assert latest_due_point(m, datetime.date(2026, 1, 18)) is None
    assert latest_due_point(m, datetime.date(2026, 1, 19)) == ("+14", datetime.date(2026, 1, 19))
    assert latest_due_point(m, datetime.date(2026, 3, 10))[0] == "half"
    assert next_point(m, datetime.date(2026, 3, 10)) == ("-14", datetime.date(2026, 4, 13))
    assert next_point(m, datetime.date(2026, 4, 13)) is None


def test_valid_points_are_cleaned():
    assert validate_check_in_points(["+14", " HALF ", "-014"]) == ["+14", "half", "-14"]
    assert validate_check_in_points([]) == []


@pytest.mark.parametrize(
    "points",
    [["14"], ["+"], ["+0"], ["+400"], ["quarter"], ["+14", "+014"], "+14", None, ["+1.5"]],
)
def test_invalid_points_are_refused_with_a_reason(points):
    with pytest.raises(ValidationError):
        validate_check_in_points(points)


@pytest.mark.django_db
def test_a_programme_with_a_wrong_point_does_not_validate_and_good_points_are_cleaned():
    programme = Programme(name="Northfield", slug="northfield", organisation="Trust")
    programme.check_in_points = ["+14", "quarter"]
    with pytest.raises(ValidationError) as error:
        programme.full_clean()
    assert "check_in_points" in error.value.message_dict
    programme.check_in_points = ["+014", "Half"]
    programme.full_clean()
    assert programme.check_in_points == ["+14", "half"]
