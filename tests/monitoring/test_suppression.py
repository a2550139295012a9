from monitoring.suppression import FEWER_THAN, hidden_groups


def test_a_group_of_four_is_hidden_and_a_group_of_five_is_shown():
    hidden = hidden_groups({"a": 4, "b": 5, "c": 5, "d": 6})
    assert "a" in hidden
    assert "d" not in hidden
    assert FEWER_THAN == "fewer than 5"


def test_a_lone_hidden_group_takes_the_next_smallest_with_it():
    # b alone could be found as total - a - c; hiding the next smallest (c) stops that.
    assert hidden_groups({"a": 20, "b": 3, "c": 7}) == {"b", "c"}


def test_hidden_groups_that_together_hold_five_stop_there():
    assert hidden_groups({"a": 20, "b": 3, "c": 2, "d": 9}) == {"b", "c"}


def test_hidden_groups_that_together_hold_fewer_than_five_take_another():
    assert hidden_groups({"a": 20, "b": 1, "c": 2, "d": 9}) == {"b", "c", "d"}


def test_an_empty_group_is_hidden_too_and_takes_the_next_smallest_with_it():
    # "b: 0" shown would tell that everyone is in a or c.
    assert hidden_groups({"a": 12, "b": 0, "c": 5}) == {"b", "c"}


def test_when_everyone_is_in_one_group_nothing_is_shown():
    # "a: 30, b: 0, c: 0" would give away every person's answer.
    assert hidden_groups({"a": 30, "b": 0, "c": 0}) == {"a", "b", "c"}


def test_five_in_every_group_shows_every_group():
    assert hidden_groups({"a": 5, "b": 5, "c": 9}) == set()


def test_everything_is_hidden_when_there_is_nothing_else_to_hide():
    assert hidden_groups({"a": 2, "b": 1}) == {"a", "b"}


def test_ties_are_broken_the_same_way_every_time():
    assert hidden_groups({"x": 4, "y": 8, "z": 8}) == {"x", "y"}
