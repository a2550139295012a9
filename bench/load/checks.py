"""What must still hold after the load: no mentor over capacity, every email exactly once.

The SMTP sink counts each message by the X-Outbox-Id header the outbox puts on every email
(mentorship/outbox.py), so a lost or doubled email shows up by its outbox row.
"""

from __future__ import annotations

import email
from collections import Counter


class CountingSink:
    """An aiosmtpd handler: how many times each outbox row's email arrived."""

    def __init__(self) -> None:
        self.by_outbox_id: Counter[int] = Counter()
        self.without_id = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = email.message_from_bytes(envelope.original_content or envelope.content)
        outbox_id = message.get("X-Outbox-Id")
        if outbox_id and outbox_id.strip().isdigit():
            # One SMTP transaction per outbox row; several recipients would be one row too.
            self.by_outbox_id[int(outbox_id)] += 1
        else:
            self.without_id += 1
        return "250 Message accepted for delivery"


def start_sink(port: int):
    """A local SMTP server on 127.0.0.1:port; returns (controller, handler)."""
    from aiosmtpd.controller import Controller

    handler = CountingSink()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, handler


def over_capacity() -> dict[int, int]:
    """Mentors whose active mentorships and held places exceed their capacity: {user id:
    places left (negative)}, by the one rule (MentorProfileQuerySet.with_free_places)."""
    from mentorship.models import MentorProfile

    return dict(
        MentorProfile.objects.with_free_places()
        .filter(places_left__lt=0)
        .values_list("user_id", "places_left")
    )


def capacity_check(before: dict[int, int], after: dict[int, int]) -> dict:
    """Mentors newly over capacity, or further over than before the run. (The loaded data
    may start with some over: the loader does not check places for accepted requests.)"""
    worse = {pk: left for pk, left in after.items() if left < before.get(pk, 0)}
    return {"before": len(before), "after": len(after), "new_or_worse": len(worse)}


def email_check(rows: dict[int, str], received: Counter, last_id_before: int) -> dict:
    """Compare outbox rows written during the run ({id: status}) with what the sink got.

    Lost: a row not received (whatever its status: pending or failed ones never arrived).
    Doubled: a row received more than once. Unknown: received, but no row of this run (a
    row from before the run may be flushed now; those are counted apart, not as errors)."""
    statuses = Counter(rows.values())
    received_rows = {pk for pk in rows if received.get(pk)}
    lost = len(rows) - len(received_rows)
    doubled = sum(1 for pk in rows if received.get(pk, 0) > 1)
    unknown = sum(1 for pk in received if pk > last_id_before and pk not in rows)
    older = sum(1 for pk in received if pk <= last_id_before)
    return {
        "rows": len(rows),
        "sent": statuses.get("sent", 0),
        "pending": statuses.get("pending", 0),
        "failed": statuses.get("failed", 0),
        "received": len(received_rows),
        "lost": lost,
        "doubled": doubled,
        "unknown": unknown,
        "older_rows_received": older,
        "ok": lost == 0 and doubled == 0 and unknown == 0,
    }


def outbox_rows_since(last_id_before: int) -> dict[int, str]:
    from mentorship.models import OutboxEmail

    return dict(OutboxEmail.objects.filter(pk__gt=last_id_before).values_list("pk", "status"))


def last_outbox_id() -> int:
    from mentorship.models import OutboxEmail

    return OutboxEmail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
