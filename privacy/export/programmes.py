"""What a person told us to be matched, and what happened when they joined programmes and
asked (or were asked) for mentoring. The programme team's own notes about them (intake and
vetting notes) are not here: the person never sees them on their pages."""

from __future__ import annotations

from typing import Any

from matching.reasons import render_all
from mentorship.models import (
    Event,
    Exclusion,
    MenteeMembership,
    MenteeProfile,
    MentorMembership,
    MentorProfile,
    MentorRequest,
)

from .values import choice, iso, name_of, names


def timeline(events: Any) -> list[dict[str, Any]]:
    """A thing's events as both people see them on its page: the programme team's own
    entries (check-ins, concerns, feedback given) are left out."""
    return [
        {
            "at": iso(event.created_at),
            "what": event.get_action_display(),
            "by": name_of(event.actor),
            "from_status": event.from_status,
            "to_status": event.to_status,
            "note": event.note,
        }
        for event in events.shared().select_related("actor").order_by("created_at", "pk")
    ]


def mentee_profile(user: Any) -> dict[str, Any] | None:
    profile = (
        MenteeProfile.objects.filter(user=user)
        .select_related("current_specialty", "target_specialty", "region")
        .first()
    )
    if profile is None:
        return None
    return {
        "gmc_number": profile.gmc_number,
        "country_of_primary_medical_qualification": str(profile.qualification_country.name),
        "grade": choice(profile, "grade"),
        "current_specialty": str(profile.current_specialty or ""),
        "target_specialty": str(profile.target_specialty),
        "goals_most_important_first": [str(goal) for goal in profile.ranked_goals()],
        "region": str(profile.region or ""),
        "year_started_working_in_the_uk": profile.year_arrived,
        "languages": names(profile.languages.all()),
        "ways_to_meet": profile.format_labels,
        "what_you_hope_to_gain": profile.statement,
        "created_at": iso(profile.created_at),
        "updated_at": iso(profile.updated_at),
    }


def mentor_profile(user: Any) -> dict[str, Any] | None:
    found = MentorProfile.objects.filter(user=user)
    profile = found.select_related("primary_specialty", "region").first()
    if profile is None:
        return None
    return {
        "job_title": profile.job_title,
        "organisation": profile.organisation,
        "gmc_number": profile.gmc_number,
        "primary_specialty": str(profile.primary_specialty),
        "other_specialties": names(profile.other_specialties.all()),
        "goals_you_help_with": names(profile.goals.all()),
        "region": str(profile.region or ""),
        "mentees_at_once": profile.capacity,
        "accepting_requests": profile.is_accepting_requests,
        "paused_automatically_at": iso(profile.paused_automatically_at),
        "qualified_outside_the_uk": profile.is_img,
        "country_of_primary_medical_qualification": str(profile.qualification_country.name),
        "languages": names(profile.languages.all()),
        "ways_to_meet": profile.format_labels,
        "about_you": profile.bio,
        "created_at": iso(profile.created_at),
        "updated_at": iso(profile.updated_at),
    }


def exclusions(user: Any) -> list[dict[str, Any]]:
    """People the person asked never to be matched with: their own words."""
    return [
        {
            "name": row.name,
            "email": row.email,
            "reason": choice(row, "reason"),
            "added_at": iso(row.created_at),
        }
        for row in Exclusion.objects.filter(mentee=user)
    ]


def memberships(user: Any) -> list[dict[str, Any]]:
    rows = []
    mentee_side = MenteeMembership.objects.filter(user=user).select_related("programme")
    for membership in mentee_side.order_by("created_at"):
        rows.append(_membership(membership, as_="mentee", note=membership.application_note))
    for membership in MentorMembership.objects.filter(user=user).select_related("programme"):
        rows.append(_membership(membership, as_="mentor", note=None))
    return sorted(rows, key=lambda row: row["joined_at"] or "")


def _membership(membership: Any, *, as_: str, note: str | None) -> dict[str, Any]:
    return {
        "programme": membership.programme.name,
        "as": as_,
        "status": choice(membership, "status"),
        "why_you_want_to_join": note,
        "joined_at": iso(membership.created_at),
        "decided_at": iso(membership.decided_at),
        "what_we_told_you": membership.decision_reason,
        "timeline": timeline(membership.events),
    }


def requests(user: Any) -> list[dict[str, Any]]:
    """Requests the person made as a mentee or received as a mentor, with their timelines.
    A mentor's own note when declining is theirs; the mentee reads the reason as shown."""
    rows = []
    found = (
        MentorRequest.objects.filter(mentee=user) | MentorRequest.objects.filter(mentor=user)
    ).select_related("programme", "mentee", "mentor")
    for mentor_request in found.order_by("created_at", "pk"):
        you_are_mentor = mentor_request.mentor_id == user.pk
        row = {
            "id": mentor_request.pk,
            "programme": mentor_request.programme.name,
            "you_are": "mentor" if you_are_mentor else "mentee",
            "mentee": name_of(mentor_request.mentee),
            "mentor": name_of(mentor_request.mentor),
            "status": choice(mentor_request, "status"),
            "message": mentor_request.message,
            "match_score": mentor_request.score,
            "match_reasons": render_all(
                mentor_request.reasons,
                "mentor" if you_are_mentor else "mentee",
                mentee_name=mentor_request.mentee.get_short_name() if you_are_mentor else None,
            ),
            "mentors_question": mentor_request.question,
            "mentees_answer": mentor_request.answer,
            "decline_reason": mentor_request.decline_reason_text,
            "programme_team_reason_for_not_approving": mentor_request.rejection_reason,
            "asked_at": iso(mentor_request.created_at),
            "expires_at": iso(mentor_request.expires_at),
            "decided_at": iso(mentor_request.decided_at),
            "timeline": timeline(Event.objects.filter(request=mentor_request)),
        }
        if you_are_mentor:
            row["your_note_when_declining"] = mentor_request.decline_note
        rows.append(row)
    return rows
