"""Mentorships and what the two people keep in them together: the agreement, its goals,
meetings (with the notes private to the two of them), the next meeting, action points and
extensions. Both people see all of this on their mentorship's page; the programme team's own
entries (check-ins, concerns, feedback) are not part of it."""

from __future__ import annotations

from typing import Any

from journey.models import ActionPoint, AgreedGoal, Agreement, Extension, Meeting, PlannedMeeting
from mentorship.models import Mentorship

from .programmes import timeline
from .values import choice, iso, name_of


def _mentorships_of(user: Any):
    return Mentorship.objects.filter(mentee=user) | Mentorship.objects.filter(mentor=user)


def mentorships(user: Any) -> list[dict[str, Any]]:
    found = _mentorships_of(user).select_related("programme", "mentee", "mentor", "ended_by")
    return [
        {
            "id": mentorship.pk,
            "programme": mentorship.programme.name,
            "you_are": "mentor" if mentorship.mentor_id == user.pk else "mentee",
            "mentee": name_of(mentorship.mentee),
            "mentor": name_of(mentorship.mentor),
            "status": choice(mentorship, "status"),
            "started_on": iso(mentorship.started_on),
            "planned_end_on": iso(mentorship.planned_end_on),
            "ended_on": iso(mentorship.ended_on),
            "ended_by": name_of(mentorship.ended_by),
            "ended_because": choice(mentorship, "ended_because"),
            "end_reason": mentorship.end_reason,
            "paused_until": iso(mentorship.paused_until),
            "pause_reason": mentorship.pause_reason,
            "timeline": timeline(mentorship.events),
        }
        for mentorship in found.order_by("started_on", "pk")
    ]


def agreements(user: Any) -> list[dict[str, Any]]:
    found = Agreement.objects.filter(mentorship__in=_mentorships_of(user)).select_related(
        "proposed_by"
    )
    return [
        {
            "mentorship_id": agreement.mentorship_id,
            "how_often_you_meet": choice(agreement, "cadence"),
            "weeks": agreement.duration_weeks,
            "how_we_meet": agreement.how_we_meet,
            "confidentiality": agreement.confidentiality,
            "ending": agreement.ending,
            "proposed_by": name_of(agreement.proposed_by),
            "proposed_at": iso(agreement.proposed_at),
            "mentee_confirmed_at": iso(agreement.mentee_confirmed_at),
            "mentor_confirmed_at": iso(agreement.mentor_confirmed_at),
        }
        for agreement in found.order_by("proposed_at", "pk")
    ]


def goals(user: Any) -> list[dict[str, Any]]:
    found = AgreedGoal.objects.filter(mentorship__in=_mentorships_of(user))
    return [
        {
            "mentorship_id": goal.mentorship_id,
            "goal": goal.text,
            "status": choice(goal, "status"),
            "reflection": goal.reflection,
            "updated_at": iso(goal.updated_at),
        }
        for goal in found.order_by("mentorship_id", "position", "pk")
    ]


def meetings(user: Any) -> list[dict[str, Any]]:
    """Meetings of the person's mentorships; their notes are private to the two people, so
    both of them have them here."""
    found = Meeting.objects.filter(mentorship__in=_mentorships_of(user)).select_related(
        "logged_by", "confirmed_by"
    )
    return [
        {
            "mentorship_id": meeting.mentorship_id,
            "held_on": iso(meeting.held_on),
            "minutes": meeting.minutes,
            "how": choice(meeting, "mode"),
            "kind": choice(meeting, "kind"),
            "topics": meeting.topics,
            "notes": meeting.notes,
            "logged_by": name_of(meeting.logged_by),
            "logged_at": iso(meeting.logged_at),
            "confirmed_by": name_of(meeting.confirmed_by),
            "confirmed_at": iso(meeting.confirmed_at),
        }
        for meeting in found.order_by("held_on", "pk")
    ]


def planned_meetings(user: Any) -> list[dict[str, Any]]:
    found = PlannedMeeting.objects.filter(mentorship__in=_mentorships_of(user)).select_related(
        "set_by"
    )
    return [
        {
            "mentorship_id": planned.mentorship_id,
            "starts_at": iso(planned.starts_at),
            "minutes": planned.minutes,
            "how": choice(planned, "mode"),
            "where": planned.where,
            "set_by": name_of(planned.set_by),
            "cancelled_at": iso(planned.cancelled_at),
        }
        for planned in found.order_by("starts_at", "pk")
    ]


def action_points(user: Any) -> list[dict[str, Any]]:
    found = ActionPoint.objects.filter(mentorship__in=_mentorships_of(user)).select_related(
        "owner", "created_by", "goal"
    )
    return [
        {
            "mentorship_id": point.mentorship_id,
            "action": point.text,
            "owner": name_of(point.owner),
            "goal": point.goal.text if point.goal else "",
            "due_on": iso(point.due_on),
            "done_at": iso(point.done_at),
            "added_by": name_of(point.created_by),
            "added_at": iso(point.created_at),
        }
        for point in found.order_by("created_at", "pk")
    ]


def extensions(user: Any) -> list[dict[str, Any]]:
    found = Extension.objects.filter(mentorship__in=_mentorships_of(user)).select_related(
        "proposed_by", "decided_by"
    )
    return [
        {
            "mentorship_id": extension.mentorship_id,
            "new_end_on": iso(extension.new_end_on),
            "reason": extension.reason,
            "proposed_by": name_of(extension.proposed_by),
            "proposed_at": iso(extension.proposed_at),
            "decided_by": name_of(extension.decided_by),
            "decided_at": iso(extension.decided_at),
            "agreed": extension.agreed,
        }
        for extension in found.order_by("proposed_at", "pk")
    ]
