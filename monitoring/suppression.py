"""Small-group suppression: the one rule every equality and outcome figure passes through.

- A group of fewer than 5 people, 0 included, is shown as "fewer than 5", and every figure
  about it is hidden. (A 0 shown as 0 would say "everyone else is in the other groups": with
  every other group 0, it would give away each person's answer.)
- Differencing: the groups of a table add up to a total that can be worked out elsewhere
  (another table of the same people, or the programme's own lists), so one hidden group
  could be found by subtraction. While the hidden groups together hold fewer than 5 people,
  the next smallest shown group is hidden too. (So a lone hidden group always takes the
  next smallest with it, as the brief asks, and two hidden groups of 1 and 2 take a third;
  when everyone is in one group, nothing is shown.)
- A figure about part of a group (the median wait of its matched mentees, say) is shown only
  when that part has at least 5 people; otherwise the cell reads "fewer than 5".
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

MIN_GROUP = 5
FEWER_THAN = f"fewer than {MIN_GROUP}"


def hidden_groups(counts: Mapping[Hashable, int]) -> set[Hashable]:
    """The keys of `counts` whose groups must not be shown."""
    hidden = {key for key, n in counts.items() if n < MIN_GROUP}
    # Smallest first; ties keep the table's order, so the result never depends on chance.
    shown = [key for key, n in sorted(counts.items(), key=lambda kv: kv[1]) if key not in hidden]
    while hidden and sum(counts[key] for key in hidden) < MIN_GROUP and shown:
        hidden.add(shown.pop(0))
    return hidden


def big_enough(n: int) -> bool:
    """A figure about n people may be shown."""
    return n >= MIN_GROUP
