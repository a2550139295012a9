"""Small-group suppression: the one rule every equality and outcome figure passes through.

- A group of 1 to 4 people is shown as "fewer than 5", and every figure about it is hidden.
- Differencing: the groups of a table add up to a total that can be worked out elsewhere
  (another table of the same people, or the programme's own lists), so one hidden group
  could be found by subtraction. While the hidden groups together hold fewer than 5 people,
  the next smallest shown group is hidden too. (So a lone hidden group always takes the
  next smallest with it, as the brief asks, and two hidden groups of 1 and 2 take a third.)
- A group of 0 is shown as 0: it says nothing about any one person.
- A figure about part of a group (the median wait of its matched mentees, say) is shown only
  when that part has at least 5 people; otherwise the cell reads "fewer than 5".
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

MIN_GROUP = 5
FEWER_THAN = f"fewer than {MIN_GROUP}"


def hidden_groups(counts: Mapping[Hashable, int]) -> set[Hashable]:
    """The keys of `counts` whose groups must not be shown."""
    hidden = {key for key, n in counts.items() if 0 < n < MIN_GROUP}
    # Smallest first; ties keep the table's order, so the result never depends on chance.
    shown = [key for key, n in sorted(counts.items(), key=lambda kv: kv[1]) if key not in hidden]
    shown = [key for key in shown if counts[key] > 0]
    while hidden and sum(counts[key] for key in hidden) < MIN_GROUP and shown:
        hidden.add(shown.pop(0))
    return hidden


def big_enough(n: int) -> bool:
    """A figure about n people may be shown."""
    return n >= MIN_GROUP
