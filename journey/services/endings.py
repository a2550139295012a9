"""Ending well: each person's feedback once the mentorship has ended, and each person's
certificate once it is completed.

Feedback is given once, by each of the two people, when the mentorship is completed or ended
early (not while it is active). It is the programme team's unless its author shares it with
the other person. A certificate is issued only for a completed mentorship (an early end is
not a completed mentorship, however many meetings it had); it is fixed when first issued and
issuing it again returns the same one."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from mentorship.models import Action, Mentorship
from mentorship.services.errors import InvalidTransition
from mentorship.services.locking import lock_mentorship

from ..access import require_party
from ..emails import endings as emails
from ..models import ATTRIBUTES, MENTORSHIP_FUNCTIONS, AgreedGoal, Certificate, Feedback, Meeting

FUNCTION_CODES = [code for code, _ in MENTORSHIP_FUNCTIONS]
ATTRIBUTE_CODES = [code for code, _ in ATTRIBUTES]

# How much the mentorship gave (the mentee) or the mentor thinks they gave, on each function.
# Not applicable is stored as None.
RATINGS = [
    (0, "Not at all"),
    (1, "A little"),
    (2, "Somewhat"),
    (3, "Quite a lot"),
    (4, "A great deal"),
]
NOT_APPLICABLE = "Not applicable"

WHAT_CHANGED = [
    ("career_decision", "A decision about a career path"),
    ("application", "An application made"),
    ("new_post", "A new post"),
    ("project", "A project started"),
    ("exam", "An exam passed"),
    ("other", "Something else"),
]
WHAT_CHANGED_CODES = [code for code, _ in WHAT_CHANGED]


def feedback_is_open(mentorship: Mentorship) -> bool:
    """Feedback is asked for once the mentorship has ended, completed or early."""
    return not mentorship.is_active


def certificate_is_available(mentorship: Mentorship) -> bool:
    """Only a completed mentorship has certificates."""
    return mentorship.status == Mentorship.Status.COMPLETED


def may_read_feedback(user: Any, feedback: Feedback) -> bool:
    """Its author, the other person if it was shared with them; the programme team is
    checked by the team's own page (team_mentorship)."""
    if user.pk == feedback.person_id:
        return True
    return feedback.shared_with_other and feedback.mentorship.is_party(user)


@transaction.atomic
def give_feedback(
    mentorship: Mentorship,
    *,
    by: Any,
    function_ratings: dict[str, int | None],
    attribute_reflections: dict[str, str],
    what_changed: list[str],
    would_recommend: str,
    what_changed_detail: str = "",
    comment: str = "",
    shared_with_other: bool = False,
) -> Feedback:
    """Each of the two people gives feedback once, after the mentorship has ended."""
    require_party(by, mentorship)
    # Lock the mentorship so two submissions from the same person cannot both pass the check.
    mentorship = lock_mentorship(mentorship)
    if not feedback_is_open(mentorship):
        raise InvalidTransition("You can give feedback once the mentorship has ended.")
    if Feedback.objects.filter(mentorship=mentorship, person=by).exists():
        raise InvalidTransition("You have already given feedback on this mentorship. Thank you.")
    if would_recommend not in Feedback.Recommend.values:
        raise InvalidTransition("Say whether you would recommend the programme.")
    ratings = {
        code: (int(function_ratings[code]) if function_ratings[code] is not None else None)
        for code in FUNCTION_CODES
        if code in function_ratings
    }
    if any(value is not None and not 0 <= value <= 4 for value in ratings.values()):
        raise InvalidTransition("Each rating must be from 0 (not at all) to 4 (a great deal).")
    feedback = Feedback.objects.create(
        mentorship=mentorship,
        person=by,
        function_ratings=ratings,
        attribute_reflections={
            code: text.strip()
            for code, text in attribute_reflections.items()
            if code in ATTRIBUTE_CODES and text.strip()
        },
        what_changed=[code for code in WHAT_CHANGED_CODES if code in what_changed],
        what_changed_detail=what_changed_detail.strip(),
        would_recommend=would_recommend,
        comment=comment.strip(),
        shared_with_other=shared_with_other,
    )
    note = "Shared with the other person." if shared_with_other else ""
    mentorship.log_action(Action.FEEDBACK_GIVEN, by=by, note=note, programme_team_only=True)
    if shared_with_other:
        emails.feedback_shared(feedback)
    return feedback


@transaction.atomic
def issue_certificate(mentorship: Mentorship, person: Any) -> Certificate:
    """A completed mentorship's certificate for one of its two people, fixed when first
    issued; asking again returns the same certificate."""
    require_party(person, mentorship)
    # The lock makes two downloads at once issue one certificate, not fail on the constraint.
    mentorship = lock_mentorship(mentorship)
    if not certificate_is_available(mentorship):
        raise InvalidTransition(
            "Certificates are for completed mentorships. This one is "
            f"{mentorship.get_status_display().lower()}."
        )
    existing = Certificate.objects.filter(mentorship=mentorship, person=person).first()
    if existing is not None:
        return existing
    totals = (
        Meeting.objects.confirmed()
        .filter(mentorship=mentorship)
        .aggregate(meetings=Count("pk"), minutes=Sum("minutes"))
    )
    goals = [
        {"text": goal.text, "status": goal.status, "status_label": goal.get_status_display()}
        for goal in AgreedGoal.objects.filter(mentorship=mentorship)
    ]
    certificate = Certificate.objects.create(
        mentorship=mentorship,
        person=person,
        programme_name=mentorship.programme.name,
        mentee_name=mentorship.mentee.full_name,
        mentor_name=mentorship.mentor.full_name,
        started_on=mentorship.started_on,
        ended_on=mentorship.ended_on or timezone.localdate(),
        meetings=totals["meetings"] or 0,
        confirmed_minutes=totals["minutes"] or 0,
        goals=goals,
    )
    mentorship.log_action(Action.CERTIFICATE_ISSUED, by=person)
    return certificate
