"""One function per email the service sends. Each knows its recipients, its context and its
exactly-once key (`about`), and writes outbox rows in the caller's transaction; outbox.py
renders, stores and delivers them. Services call these; nothing else builds email contexts.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from .models import (
    Action,
    MenteeMembership,
    MenteeProfile,
    MentorMembership,
    MentorProfile,
    MentorRequest,
    Mentorship,
)
from .outbox import queue_email


def links(mentor_request: MentorRequest | None, mentorship: Mentorship | None = None) -> dict:
    """Absolute links for emails, to the pages each person acts on."""
    base = settings.SITE_URL.rstrip("/")
    found = {"mentor_home": base + reverse("mentorship:mentor_home")}
    if mentor_request is not None:
        slug, pk = mentor_request.programme.slug, mentor_request.pk
        found.update(
            mentee_request=base + reverse("mentorship:request_detail", args=[pk]),
            mentor_request=base + reverse("mentorship:inbox_detail", args=[pk]),
            approvals=base + reverse("manage:approvals", args=[slug]),
            directory=base + reverse("mentorship:directory", args=[slug]),
        )
    if mentorship is not None:
        found["mentorship"] = base + mentorship.get_absolute_url()
    return found


def _about(mentor_request: MentorRequest, suffix: str = "") -> str:
    return f"request:{mentor_request.pk}{suffix}"


def _context(mentor_request: MentorRequest, **extra: Any) -> dict[str, Any]:
    return {
        "mentor_request": mentor_request,
        "programme": mentor_request.programme,
        "mentee": mentor_request.mentee,
        "mentor": mentor_request.mentor,
        "links": links(mentor_request, extra.get("mentorship")),
        **extra,
    }


def _about_request(kind: str, mentor_request: MentorRequest, recipients, suffix: str = ""):
    return queue_email(
        kind,
        about=_about(mentor_request, suffix),
        recipients=recipients,
        context=_context(mentor_request),
    )


# --- Requests ---------------------------------------------------------------------------


def new_request(mentor_request: MentorRequest):
    """The mentor is asked. A match-run proposal is the programme team's suggestion, said as
    such, and the mentee is told who was suggested."""
    if mentor_request.is_proposal:
        _about_request("proposal_made", mentor_request, [mentor_request.mentee])
        return _about_request("proposal_to_mentor", mentor_request, [mentor_request.mentor])
    return _about_request("new_request", mentor_request, [mentor_request.mentor])


def awaiting_approval(mentor_request: MentorRequest):
    """The programme's managers are asked to approve an accepted request."""
    managers = mentor_request.programme.managers.filter(is_active=True)
    return _about_request("awaiting_approval", mentor_request, managers)


def request_accepted(mentor_request: MentorRequest):
    """The mentee is told the mentor said yes and the programme team now confirms it."""
    return _about_request("request_accepted", mentor_request, [mentor_request.mentee])


def _with_next_best(kind: str, mentor_request: MentorRequest):
    """A request ended without a match: the mentee is offered their next best mentors who
    can still take them, with a link to ask in one step."""
    from .directory import next_best_mentors

    next_best = next_best_mentors(mentor_request.mentee, mentor_request.programme)
    return queue_email(
        kind,
        about=_about(mentor_request),
        recipients=[mentor_request.mentee],
        context=_context(mentor_request, next_best=next_best),
    )


def request_declined(mentor_request: MentorRequest):
    return _with_next_best("request_declined", mentor_request)


def more_info_requested(mentor_request: MentorRequest):
    """One email per question asked, so a second question is sent too."""
    asked = mentor_request.events.filter(action=Action.ASKED).count()
    return _about_request(
        "more_info_requested", mentor_request, [mentor_request.mentee], f":question:{asked}"
    )


def question_answered(mentor_request: MentorRequest):
    answered = mentor_request.events.filter(action=Action.ANSWERED).count()
    return _about_request(
        "question_answered", mentor_request, [mentor_request.mentor], f":answer:{answered}"
    )


def request_withdrawn(mentor_request: MentorRequest, *, because_matched: bool):
    """The mentor is told; `because_matched` when the mentee was matched with another."""
    return queue_email(
        "request_withdrawn",
        about=_about(mentor_request),
        recipients=[mentor_request.mentor],
        context=_context(mentor_request, because_matched=because_matched),
    )


def request_closed(mentor_request: MentorRequest):
    """The mentee is told their request closed because the mentor left the programme."""
    return _with_next_best("request_closed", mentor_request)


def request_rejected(mentor_request: MentorRequest):
    recipients = [mentor_request.mentee, mentor_request.mentor]
    return _about_request("request_rejected", mentor_request, recipients)


def request_expired(mentor_request: MentorRequest):
    return _with_next_best("request_expired", mentor_request)


def request_reminder(mentor_request: MentorRequest):
    return _about_request("request_reminder", mentor_request, [mentor_request.mentor])


# --- Mentorships ------------------------------------------------------------------------


def introduction(mentorship: Mentorship):
    """Both people are introduced to each other, once per mentorship."""
    mentor_request = mentorship.request
    context = {
        "mentor_request": mentor_request,
        "programme": mentorship.programme,
        "mentee": mentorship.mentee,
        "mentor": mentorship.mentor,
        "mentorship": mentorship,
        "mentee_profile": MenteeProfile.objects.get(user_id=mentorship.mentee_id),
        "mentor_profile": MentorProfile.objects.get(user_id=mentorship.mentor_id),
        "links": links(mentor_request, mentorship),
    }
    return queue_email(
        "introduction",
        about=f"mentorship:{mentorship.pk}",
        recipients=[mentorship.mentee, mentorship.mentor],
        context=context,
    )


def _ending_context(mentorship: Mentorship, by, **extra: Any) -> dict[str, Any]:
    base = settings.SITE_URL.rstrip("/")
    page = base + mentorship.get_absolute_url()
    found = links(None, mentorship)
    found.update(
        feedback=page + "#feedback",
        certificate=base + reverse("journey:download_certificate", args=[mentorship.pk]),
        confirm_completion=base + reverse("mentorship:confirm_completion", args=[mentorship.pk]),
        directory=base + reverse("mentorship:directory", args=[mentorship.programme.slug]),
    )
    return {
        "mentorship": mentorship,
        "programme": mentorship.programme,
        "mentee": mentorship.mentee,
        "mentor": mentorship.mentor,
        "ended_by": by,
        "links": found,
        **extra,
    }


def _managers_except(mentorship: Mentorship, by):
    return mentorship.programme.managers.filter(is_active=True).exclude(pk=by.pk)


def mentorship_ended(mentorship: Mentorship, *, by, people: bool = True):
    """The programme's managers (but the one who acted), and unless `people` is False the
    other person too: who ended it, how, and why."""
    others = [u for u in (mentorship.mentee, mentorship.mentor) if u.pk != by.pk] if people else []
    return queue_email(
        "mentorship_ended",
        about=f"mentorship:{mentorship.pk}",
        recipients=[*others, *_managers_except(mentorship, by)],
        context=_ending_context(mentorship, by),
    )


def completion_proposed(mentorship: Mentorship):
    """The other person is asked to confirm that the mentorship is complete. Once per
    proposal: a proposal withdrawn and made again is sent again."""
    by = mentorship.completion_proposed_by
    asked = mentorship.events.filter(action=Action.COMPLETION_PROPOSED).count()
    return queue_email(
        "completion_proposed",
        about=f"mentorship:{mentorship.pk}:completion:{asked}",
        recipients=[mentorship.other_party(by)],
        context=_ending_context(mentorship, by, proposed_by=by),
    )


def mentorship_completed(mentorship: Mentorship, *, by):
    """Both people are thanked and asked for feedback; the managers are told."""
    mentorship_ended(mentorship, by=by, people=False)
    return queue_email(
        "mentorship_completed",
        about=f"mentorship:{mentorship.pk}",
        recipients=[mentorship.mentee, mentorship.mentor],
        context=_ending_context(mentorship, by),
    )


def not_a_good_fit(mentorship: Mentorship, *, by):
    """Re-pairing, without blame: the mentee is offered the mentors who can take them now
    (never this one again), the mentor hears their place is free, the managers are told."""
    from .directory import next_best_mentors

    mentorship_ended(mentorship, by=by, people=False)
    next_best = next_best_mentors(mentorship.mentee, mentorship.programme)
    about = f"mentorship:{mentorship.pk}"
    queue_email(
        "not_a_good_fit_mentor",
        about=about,
        recipients=[mentorship.mentor],
        context=_ending_context(mentorship, by),
    )
    return queue_email(
        "not_a_good_fit_mentee",
        about=about,
        recipients=[mentorship.mentee],
        context=_ending_context(mentorship, by, next_best=next_best),
    )


# --- Programme memberships -----------------------------------------------------------


def _membership_links(membership) -> dict[str, str]:
    base = settings.SITE_URL.rstrip("/")
    slug = membership.programme.slug
    return {
        "programme": base + reverse("mentorship:programme_detail", args=[slug]),
        "directory": base + reverse("mentorship:directory", args=[slug]),
        "programmes": base + reverse("mentorship:programme_list"),
        "mentor_home": base + reverse("mentorship:mentor_home"),
    }


def _about_membership(kind: str, membership) -> list:
    return queue_email(
        kind,
        about=f"{membership._meta.model_name}:{membership.pk}:{membership.status}",
        recipients=[membership.user],
        context={
            "membership": membership,
            "programme": membership.programme,
            "links": _membership_links(membership),
        },
    )


def application_decided(membership) -> list:
    """The applicant is told they are accepted (and what next), or why not."""
    accepted = membership.status == MenteeMembership.Status.ACCEPTED
    kind = "application_accepted" if accepted else "application_declined"
    return _about_membership(kind, membership)


def vetting_decided(membership) -> list:
    """The mentor is told mentees can now see them, or why not."""
    approved = membership.status == MentorMembership.Status.APPROVED
    kind = "mentor_vetted" if approved else "mentor_not_vetted"
    return _about_membership(kind, membership)


def mentor_invited(membership) -> list:
    """The invited mentor is asked to accept the invitation."""
    return _about_membership("mentor_invited", membership)


def manager_digest(manager, programmes: list, *, day) -> list:
    """One email a day: per programme, applications waiting and mentors to vet."""
    base = settings.SITE_URL.rstrip("/")
    rows = [
        {
            "programme": programme,
            "applicants": applicants,
            "to_vet": to_vet,
            "applicants_url": base + reverse("manage:applicants", args=[programme.slug]),
            "mentors_url": base + reverse("manage:mentors", args=[programme.slug]),
        }
        for programme, applicants, to_vet in programmes
    ]
    return queue_email(
        "manager_digest",
        about=f"digest:{manager.pk}:{timezone.localdate(day).isoformat()}",
        recipients=[manager],
        context={"rows": rows},
    )


# --- Mentors ----------------------------------------------------------------------------


def mentor_paused(profile: MentorProfile, *, when) -> None:
    """A mentor paused for letting requests expire, and their programmes' managers, are told."""
    from accounts.models import User

    about = f"mentor-paused:{profile.user_id}:{when.isoformat()}"
    context = {"mentor": profile.user, "profile": profile, "links": links(None)}
    queue_email("mentor_paused", about=about, recipients=[profile.user], context=context)
    managers = User.objects.filter(
        managed_programmes__mentor_memberships__user_id=profile.user_id, is_active=True
    ).distinct()
    queue_email("mentor_paused_managers", about=about, recipients=managers, context=context)


# --- Accounts ---------------------------------------------------------------------------


def welcome(user) -> None:
    """Once an address is verified."""
    queue_email("welcome", about=f"user:{user.pk}", recipients=[user], context={"user": user})


# --- The programme team's weekly summary ----------------------------------------------


def weekly_summary(programme, rows: list, *, week: str, recipients=None) -> list:
    """Once a week per programme, to each of its active managers: how many things need
    attention, of each kind, and the longest waiting, each with a link. `rows` are
    mentorship.attention.Row; `week` is the ISO week ("2026-W49"), the exactly-once key."""
    from .attention import counts

    base = settings.SITE_URL.rstrip("/")
    attention_url = base + reverse("manage:attention", args=[programme.slug])
    shown = 10
    context = {
        "programme": programme,
        "week": week,
        "total": len(rows),
        "counts": [
            {"label": kind.label, "count": n, "url": f"{attention_url}?kind={kind.value}"}
            for kind, n in counts(rows)
        ],
        "rows": [
            {"kind": row.kind_label, "who": row.who, "reason": row.reason, "url": base + row.link}
            for row in sorted(rows, key=lambda row: row.since)[:shown]
        ],
        "more": max(len(rows) - shown, 0),
        "attention_url": attention_url,
    }
    if recipients is None:
        recipients = programme.managers.filter(is_active=True)
    return queue_email(
        "weekly_summary",
        about=f"weekly-summary:{programme.pk}:{week}",
        recipients=recipients,
        context=context,
    )
