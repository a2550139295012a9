"""What the person told the programme team alone (check-ins, feedback, concerns, equality and
outcome answers), what they were given (certificates) and the emails sent to them. Only
their own rows: the other person's check-ins and feedback, and anyone else's equality
answers, are never read here."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.db.models import Q

from journey.models import Certificate, CheckIn, Concern, Feedback
from mentorship.models import OutboxEmail
from monitoring.models import EqualityAnswers, OutcomeSurvey

from .values import choice, iso


def check_ins(user: Any) -> list[dict[str, Any]]:
    """Their answers. How the programme team dealt with an alert is the team's own note."""
    return [
        {
            "mentorship_id": check_in.mentorship_id,
            "point": check_in.point,
            "due_on": iso(check_in.due_on),
            "score": check_in.score,
            "meeting_as_agreed": choice(check_in, "meeting_as_agreed"),
            "for_the_programme_team": check_in.for_programme_team,
            "not_a_good_fit": check_in.not_a_good_fit,
            "answered_at": iso(check_in.answered_at),
        }
        for check_in in CheckIn.objects.filter(person=user).order_by("due_on", "pk")
    ]


def feedback(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "mentorship_id": given.mentorship_id,
            "ratings": given.function_ratings,
            "reflections": given.attribute_reflections,
            "what_changed": given.what_changed,
            "what_changed_detail": given.what_changed_detail,
            "would_recommend": choice(given, "would_recommend"),
            "comment": given.comment,
            "shared_with_the_other_person": given.shared_with_other,
            "submitted_at": iso(given.submitted_at),
        }
        for given in Feedback.objects.filter(person=user).order_by("submitted_at", "pk")
    ]


def concerns(user: Any) -> list[dict[str, Any]]:
    """Concerns they raised, with how each stands and its outcome, as their page shows."""
    return [
        {
            "mentorship_id": concern.mentorship_id,
            "kind": choice(concern, "kind"),
            "details": concern.details,
            "raised_at": iso(concern.raised_at),
            "acknowledged_at": iso(concern.acknowledged_at),
            "closed_at": iso(concern.closed_at),
            "outcome": concern.outcome,
        }
        for concern in Concern.objects.filter(raised_by=user).order_by("raised_at", "pk")
    ]


def equality_answers(user: Any) -> dict[str, Any] | None:
    answers = EqualityAnswers.objects.of(user).first()
    if answers is None:
        return None
    return {
        "sex": choice(answers, "sex") or "Not answered",
        "ethnicity": choice(answers, "ethnicity") or "Not answered",
        "disability": choice(answers, "disability") or "Not answered",
        "answered_at": iso(answers.created_at),
        "updated_at": iso(answers.updated_at),
    }


def outcome_surveys(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "mentorship_id": survey.mentorship_id,
            "wave": choice(survey, "wave"),
            "due_on": iso(survey.due_on),
            "status": choice(survey, "status"),
            "still_in_the_nhs": choice(survey, "still_in_nhs"),
            "training": choice(survey, "training"),
            "did_mentoring_help": choice(survey, "helped"),
            "answered_at": iso(survey.answered_at),
        }
        for survey in OutcomeSurvey.objects.filter(mentee=user).order_by("due_on", "pk")
    ]


def certificates(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "mentorship_id": certificate.mentorship_id,
            "verification_code": certificate.code,
            "issued_at": iso(certificate.issued_at),
            "programme": certificate.programme_name,
            "mentee": certificate.mentee_name,
            "mentor": certificate.mentor_name,
            "started_on": iso(certificate.started_on),
            "ended_on": iso(certificate.ended_on),
            "meetings": certificate.meetings,
            "confirmed_minutes": certificate.confirmed_minutes,
            "goals": certificate.goals,
        }
        for certificate in Certificate.objects.filter(person=user).order_by("issued_at", "pk")
    ]


def emails(user: Any) -> list[dict[str, Any]]:
    """Every email the service wrote to them: what they received (or were meant to). Rows
    written before they had an account have no recipient, only their address."""
    on_account = EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    addresses = {user.email.lower()} | {email.lower() for email in on_account}
    return [
        {
            "to": email.to_email,
            "subject": email.subject,
            "written_at": iso(email.created_at),
            "sent_at": iso(email.sent_at),
            "status": choice(email, "status"),
            "body": email.body_text,
            "attachments": [item.get("filename", "") for item in email.attachments],
        }
        for email in OutboxEmail.objects.filter(
            Q(recipient=user) | Q(recipient__isnull=True, to_email__in=addresses)
        ).order_by("created_at", "pk")
    ]
