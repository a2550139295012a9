"""The mentoring agreement and its goals: proposed (or revised) by either person, confirmed
by the other; each goal's progress kept up while the mentorship is active. Goals are added
or removed by revising the agreement, which asks the other person to confirm it again."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from django.db import transaction
from django.utils import timezone

from mentorship.models import Action, Goal, MeetingCadence, Mentorship, Programme
from mentorship.services.errors import InvalidTransition
from mentorship.services.locking import lock_mentorship

from .. import access
from ..emails import agreements as emails
from ..models import AgreedGoal, Agreement

MAX_GOALS = 8
GOAL_MAX_LENGTH = AgreedGoal._meta.get_field("text").max_length
REFLECTION_MAX_LENGTH = 2000
TEXT_MAX_LENGTH = 2000
MAX_WEEKS = 104


class GoalLine(NamedTuple):
    """One goal as proposed: its wording, and the profile goal it came from, if any."""

    text: str
    goal: Goal | None = None


def default_confidentiality(programme: Programme) -> str:
    """What stays between the two people, and its limits, naming who else to go to."""
    contacts = [
        f"{role} ({' '.join(who.split())})"
        for role, who in (
            ("the Freedom to Speak Up guardian", programme.freedom_to_speak_up),
            ("the safeguarding lead", programme.safeguarding_lead),
        )
        if who.strip()
    ]
    signpost = (
        f"We can also go to {' or '.join(contacts)}."
        if contacts
        else "We can also go to the organisation's Freedom to Speak Up guardian or "
        "safeguarding lead; the programme team can say who they are."
    )
    return (
        "What we talk about stays between the two of us. "
        "The programme team sees that this agreement exists, when we meet, our check-ins and "
        "any concern either of us raises, but not what we write here or in our meeting notes. "
        "If either of us learns of a risk to patients or to anyone's safety, we must raise it "
        f"with the programme team. {signpost}"
    )


DEFAULT_ENDING = (
    "Either of us can end it at any time through the mentorship page, saying why. "
    "If it is not a good fit, that is nobody's fault."
)


def default_goals(mentorship: Mentorship) -> list[GoalLine]:
    """The mentee's profile goals, top goal first."""
    profile = getattr(mentorship.mentee, "mentee_profile", None)
    if profile is None:
        return []
    return [GoalLine(goal.name, goal) for goal in profile.ranked_goals()]


def agreement_defaults(mentorship: Mentorship) -> dict[str, Any]:
    """What the agreement form starts from: the current agreement when there is one, or
    the programme's cadence and duration and the mentee's profile goals."""
    agreement = Agreement.objects.filter(mentorship=mentorship).first()
    if agreement is not None:
        return {
            "goals": [GoalLine(g.text, g.goal) for g in mentorship.agreed_goals.all()],
            "cadence": agreement.cadence,
            "duration_weeks": agreement.duration_weeks,
            "how_we_meet": agreement.how_we_meet,
            "confidentiality": agreement.confidentiality,
            "ending": agreement.ending,
        }
    programme = mentorship.programme
    return {
        "goals": default_goals(mentorship),
        "cadence": programme.meeting_cadence,
        "duration_weeks": programme.duration_weeks,
        "how_we_meet": "",
        "confidentiality": default_confidentiality(programme),
        "ending": DEFAULT_ENDING,
    }


def _clean_goals(mentorship: Mentorship, goals: Sequence[str | GoalLine]) -> list[GoalLine]:
    """Blank lines dropped, repeats dropped; a line worded as one of the mentee's profile
    goals is linked to it."""
    profile_goals = {g.text.casefold(): g.goal for g in default_goals(mentorship)}
    cleaned: list[GoalLine] = []
    seen: set[str] = set()
    for line in goals:
        line = line if isinstance(line, GoalLine) else GoalLine(line)
        text = " ".join(str(line.text).split())
        if not text or text.casefold() in seen:
            continue
        if len(text) > GOAL_MAX_LENGTH:
            raise InvalidTransition(f"Each goal must be {GOAL_MAX_LENGTH} characters or fewer.")
        seen.add(text.casefold())
        cleaned.append(GoalLine(text, line.goal or profile_goals.get(text.casefold())))
    if not cleaned:
        raise InvalidTransition("Agree at least one goal to work on.")
    if len(cleaned) > MAX_GOALS:
        raise InvalidTransition(f"Agree {MAX_GOALS} goals or fewer.")
    return cleaned


def _check_terms(cadence: str, duration_weeks: int, texts: Sequence[str]) -> None:
    if cadence not in MeetingCadence.values:
        raise InvalidTransition("Choose how often you will meet.")
    if not 1 <= duration_weeks <= MAX_WEEKS:
        raise InvalidTransition(f"The agreement must last between 1 and {MAX_WEEKS} weeks.")
    if any(len(text) > TEXT_MAX_LENGTH for text in texts):
        raise InvalidTransition(f"Keep each part to {TEXT_MAX_LENGTH} characters or fewer.")


def _save_goals(mentorship: Mentorship, lines: list[GoalLine]) -> None:
    """Goals worded as before keep their progress; the others are added or removed."""
    existing = {g.text.casefold(): g for g in mentorship.agreed_goals.all()}
    for position, line in enumerate(lines):
        kept = existing.pop(line.text.casefold(), None)
        if kept is None:
            AgreedGoal.objects.create(
                mentorship=mentorship, text=line.text, goal=line.goal, position=position
            )
        elif (kept.position, kept.text, kept.goal_id) != (position, line.text, _pk(line.goal)):
            kept.position, kept.text = position, line.text
            kept.goal = line.goal or kept.goal
            kept.save(update_fields=["position", "text", "goal", "updated_at"])
    AgreedGoal.objects.filter(pk__in=[g.pk for g in existing.values()]).delete()


def _pk(goal: Goal | None) -> int | None:
    return goal.pk if goal is not None else None


def _confirm_field(mentorship: Mentorship, user: Any) -> str:
    return "mentee_confirmed_at" if user.pk == mentorship.mentee_id else "mentor_confirmed_at"


@transaction.atomic
def propose_agreement(
    mentorship: Mentorship,
    *,
    by: Any,
    goals: Sequence[str | GoalLine] | None = None,
    cadence: str | None = None,
    duration_weeks: int | None = None,
    how_we_meet: str | None = None,
    confidentiality: str | None = None,
    ending: str | None = None,
) -> Agreement:
    """Either person proposes the agreement, or revises it; the proposer has confirmed it,
    and the other person is asked to confirm (again). Anything not given is the default."""
    mentorship = lock_mentorship(mentorship)
    access.require_party(by, mentorship)
    access.require_active(mentorship)
    defaults = agreement_defaults(mentorship)
    lines = _clean_goals(mentorship, defaults["goals"] if goals is None else goals)
    terms = {
        "cadence": cadence if cadence is not None else defaults["cadence"],
        "duration_weeks": (
            duration_weeks if duration_weeks is not None else defaults["duration_weeks"]
        ),
        "how_we_meet": how_we_meet if how_we_meet is not None else defaults["how_we_meet"],
        "confidentiality": (
            confidentiality if confidentiality is not None else defaults["confidentiality"]
        ),
        "ending": ending if ending is not None else defaults["ending"],
    }
    for name in ("how_we_meet", "confidentiality", "ending"):
        terms[name] = terms[name].strip()
    _check_terms(
        terms["cadence"],
        terms["duration_weeks"],
        [terms["how_we_meet"], terms["confidentiality"], terms["ending"]],
    )
    now = timezone.now()
    agreement = Agreement.objects.filter(mentorship=mentorship).first()
    revised = agreement is not None
    if agreement is None:
        agreement = Agreement(mentorship=mentorship)
    for name, value in terms.items():
        setattr(agreement, name, value)
    agreement.proposed_by, agreement.proposed_at = by, now
    agreement.mentee_confirmed_at = agreement.mentor_confirmed_at = None
    setattr(agreement, _confirm_field(mentorship, by), now)
    agreement.save()
    _save_goals(mentorship, lines)
    mentorship.log_action(
        Action.AGREEMENT_PROPOSED, by=by, note="Revised the agreement" if revised else ""
    )
    emails.agreement_proposed(agreement, by=by, revised=revised)
    return agreement


@transaction.atomic
def confirm_agreement(mentorship: Mentorship, *, by: Any) -> Agreement:
    """The other person confirms the proposed agreement. Confirming again changes nothing."""
    mentorship = lock_mentorship(mentorship)
    access.require_party(by, mentorship)
    access.require_active(mentorship)
    agreement = Agreement.objects.filter(mentorship=mentorship).first()
    if agreement is None:
        raise InvalidTransition("There is no agreement to confirm yet. Propose one first.")
    field = _confirm_field(mentorship, by)
    if getattr(agreement, field) is not None:
        return agreement
    setattr(agreement, field, timezone.now())
    agreement.save(update_fields=[field, "updated_at"])
    mentorship.log_action(Action.AGREEMENT_CONFIRMED, by=by)
    if agreement.is_confirmed:
        emails.agreement_confirmed(agreement)
    return agreement


def _lock_goal(goal: AgreedGoal) -> tuple[Mentorship, AgreedGoal]:
    mentorship = lock_mentorship(goal.mentorship)
    return mentorship, AgreedGoal.objects.select_for_update().get(pk=goal.pk)


@transaction.atomic
def update_goal(goal: AgreedGoal, *, by: Any, status: str, reflection: str = "") -> AgreedGoal:
    """Either person records a goal's progress and a short reflection, while active."""
    mentorship, goal = _lock_goal(goal)
    access.require_party(by, mentorship)
    access.require_active(mentorship)
    if status not in AgreedGoal.Status.values:
        raise InvalidTransition("Choose how the goal is going.")
    reflection = reflection.strip()
    if len(reflection) > REFLECTION_MAX_LENGTH:
        raise InvalidTransition(
            f"Keep your reflection to {REFLECTION_MAX_LENGTH} characters or fewer."
        )
    goal.status, goal.reflection = status, reflection
    goal.save(update_fields=["status", "reflection", "updated_at"])
    # The note names the status only: the goal's wording and reflection are the two people's.
    note = f"A goal is now {goal.get_status_display().lower()}"
    mentorship.log_action(Action.GOAL_UPDATED, by=by, note=note)
    return goal
