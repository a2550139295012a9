"""Demo mentorships at every stage of the journey, for `make run` (called by seed_demo on its
first run only). The mentorships start through the services, like real ones; what happened
in them since is written as the records the journey's services would have left (with their
events), dated in the past, so that every page has something true-looking to show:

- just started: an agreement proposed by the mentor, waiting for the mentee;
- mid-way: the demo mentor's mentee, eight weeks in, agreement confirmed, meetings of every
  kind, one waiting for the mentor to confirm, action points, the next meeting planned and
  the first check-in answered;
- quiet: five weeks without a confirmed meeting and a low check-in, so it needs attention;
- completed: sixteen weeks, feedback from both, and a certificate each.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from accounts.models import User
from mentorship import services
from mentorship.models import Action, Mentorship, Programme

from .models import (
    ActionPoint,
    AgreedGoal,
    Agreement,
    CheckIn,
    Feedback,
    Meeting,
    MeetingKind,
    MeetingMode,
    PlannedMeeting,
)

HOW_WE_MEET = (
    "Weekly, usually Tuesday afternoons. Most weeks Priya joins a clinic, home visits or a "
    "meeting; every other week we talk for half an hour by video afterwards."
)
CONFIDENTIALITY = (
    "What we talk about stays between us. The programme team sees that we have an agreement, "
    "when we meet and our check-ins, not what we discuss. If either of us is worried about "
    "the safety of a patient or of anyone else, we will raise it with the programme team, "
    "the Freedom to Speak Up guardian or the safeguarding lead."
)
ENDING = "Either of us can end the mentorship at any time through the mentorship page, saying why."

MEETINGS = [
    # (weeks after start, minutes, mode, kind, topics, notes)
    (
        0,
        60,
        MeetingMode.IN_PERSON,
        MeetingKind.ONE_TO_ONE,
        "Introductions; what I want from this",
        "Agreed to shadow clinics and the PCN board over the next weeks.",
    ),
    (
        1,
        240,
        MeetingMode.SHADOWING,
        MeetingKind.CLINIC,
        "Morning surgery",
        "Saw how a GP triages a full list; continuity of care with older patients.",
    ),
    (
        2,
        180,
        MeetingMode.SHADOWING,
        MeetingKind.HOME_VISITS,
        "Home visits with the frailty team",
        "Three visits; anticipatory care planning.",
    ),
    (
        3,
        90,
        MeetingMode.SHADOWING,
        MeetingKind.BOARD,
        "PCN formation board",
        "How the practices are negotiating shared staff; who holds the budget.",
    ),
    (
        5,
        45,
        MeetingMode.VIDEO,
        MeetingKind.ONE_TO_ONE,
        "Leadership and change",
        "Talked through leading change without authority.",
    ),
    (
        6,
        60,
        MeetingMode.IN_PERSON,
        MeetingKind.PROJECT,
        "Audit of frailty referrals",
        "Scoped a small audit I can do in my trust.",
    ),
]


def seed(programme: Programme, *, manager: User, mentor: User, pairs: dict[str, tuple]) -> None:
    """`pairs` maps a stage to (mentee, mentor) not yet matched: "mid_way", "quiet",
    "completed"; `just_started` is an active mentorship already made by seed_demo."""
    just_started = (
        Mentorship.objects.filter(programme=programme, status=Mentorship.Status.ACTIVE)
        .order_by("pk")
        .first()
    )
    if just_started is not None:
        _agreement(just_started, by=just_started.mentor, confirmed_by_both=False)

    mid_way = _start(programme, *pairs["mid_way"], manager=manager, weeks_ago=8)
    _agreement(mid_way, by=mid_way.mentor, confirmed_by_both=True)
    _meetings(mid_way, MEETINGS)
    _meeting(
        mid_way,
        7,
        50,
        MeetingMode.VIDEO,
        MeetingKind.ONE_TO_ONE,
        "Preparing my GP training application",
        "",
        confirmed=False,
        logged_by=mid_way.mentee,
    )
    _actions(mid_way)
    PlannedMeeting.objects.create(
        mentorship=mid_way,
        starts_at=_at(timezone.localdate() + datetime.timedelta(days=3), 14),
        minutes=60,
        mode=MeetingMode.IN_PERSON,
        where="Northfield Health Centre, Room 4",
        set_by=mid_way.mentor,
    )
    mid_way.log_action(Action.NEXT_MEETING_SET, by=mid_way.mentor)
    _check_in(mid_way, mid_way.mentee, "+14", score=5, as_agreed="yes")
    _check_in(mid_way, mid_way.mentor, "+14", score=4, as_agreed="yes")

    quiet = _start(programme, *pairs["quiet"], manager=manager, weeks_ago=7)
    _agreement(quiet, by=quiet.mentee, confirmed_by_both=True)
    _meetings(quiet, MEETINGS[:2])
    _check_in(
        quiet,
        quiet.mentee,
        "+14",
        score=2,
        as_agreed="no",
        note="We have not managed to meet since the second week; rota clashes.",
    )

    completed = _start(programme, *pairs["completed"], manager=manager, weeks_ago=17)
    _agreement(completed, by=completed.mentor, confirmed_by_both=True, achieved=True)
    _meetings(
        completed,
        MEETINGS
        + [
            (w, 60, MeetingMode.VIDEO, MeetingKind.ONE_TO_ONE, "Review", "")
            for w in (8, 10, 12, 14, 15)
        ],
    )
    services.end_mentorship(completed, by=manager, completed=True)
    Mentorship.objects.filter(pk=completed.pk).update(
        ended_on=completed.planned_end_on - datetime.timedelta(days=3)
    )
    completed.refresh_from_db()
    _feedback(completed)
    _certificates(completed)


def _start(programme: Programme, mentee: User, mentor: User, *, manager: User, weeks_ago: int):
    accepted = services.accept_request(
        services.request_mentor(mentee, mentor, programme), by=mentor
    )
    if accepted.status != accepted.Status.APPROVED:
        services.approve_request(accepted, by=manager)
    mentorship = Mentorship.objects.get(request=accepted)
    shift = datetime.timedelta(weeks=weeks_ago)
    Mentorship.objects.filter(pk=mentorship.pk).update(
        started_on=mentorship.started_on - shift, planned_end_on=mentorship.planned_end_on - shift
    )
    mentorship.refresh_from_db()
    return mentorship


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _agreement(mentorship: Mentorship, *, by: User, confirmed_by_both: bool, achieved=False):
    profile = mentorship.mentee.mentee_profile
    proposed = _at(mentorship.started_on, 17)
    agreement = Agreement.objects.create(
        mentorship=mentorship,
        cadence=mentorship.programme.meeting_cadence,
        duration_weeks=mentorship.programme.duration_weeks,
        how_we_meet=HOW_WE_MEET,
        confidentiality=CONFIDENTIALITY,
        ending=ENDING,
        proposed_by=by,
        proposed_at=proposed,
        mentee_confirmed_at=proposed if (confirmed_by_both or by == mentorship.mentee) else None,
        mentor_confirmed_at=proposed if (confirmed_by_both or by == mentorship.mentor) else None,
    )
    goals = list(profile.ranked_goals())[:3]
    for position, goal in enumerate(goals):
        status = AgreedGoal.Status.NOT_STARTED
        reflection = ""
        if confirmed_by_both:
            status = (
                AgreedGoal.Status.ACHIEVED
                if achieved or position == 0
                else (AgreedGoal.Status.IN_PROGRESS)
            )
            reflection = "Clearer about what this takes; next step agreed." if position == 0 else ""
        AgreedGoal.objects.create(
            mentorship=mentorship,
            goal=goal,
            text=goal.name,
            position=position,
            status=status,
            reflection=reflection,
        )
    mentorship.log_action(Action.AGREEMENT_PROPOSED, by=by)
    if confirmed_by_both:
        mentorship.log_action(Action.AGREEMENT_CONFIRMED, by=mentorship.other_party(by))
    return agreement


def _meeting(
    mentorship, weeks, minutes, mode, kind, topics, notes, *, confirmed=True, logged_by=None
):
    logged_by = logged_by or mentorship.mentee
    other = mentorship.other_party(logged_by)
    held_on = mentorship.started_on + datetime.timedelta(weeks=weeks, days=1)
    meeting = Meeting.objects.create(
        mentorship=mentorship,
        held_on=held_on,
        minutes=minutes,
        mode=mode,
        kind=kind,
        topics=topics,
        notes=notes,
        logged_by=logged_by,
        confirmed_by=other if confirmed else None,
        confirmed_at=_at(held_on, 20) if confirmed else None,
    )
    mentorship.log_action(Action.MEETING_LOGGED, by=logged_by)
    if confirmed:
        mentorship.log_action(Action.MEETING_CONFIRMED, by=other)
    return meeting


def _meetings(mentorship, meetings):
    for weeks, minutes, mode, kind, topics, notes in meetings:
        _meeting(mentorship, weeks, minutes, mode, kind, topics, notes)


def _actions(mentorship: Mentorship) -> None:
    goals = list(mentorship.agreed_goals.all())
    today = timezone.localdate()
    for text, owner, days, done in [
        ("Book a taster week in general practice", mentorship.mentee, 14, False),
        ("Introduce Priya to the PCN clinical director", mentorship.mentor, -7, True),
        ("Read the RCGP curriculum's leadership section", mentorship.mentee, 5, False),
    ]:
        ActionPoint.objects.create(
            mentorship=mentorship,
            goal=goals[0] if goals else None,
            text=text,
            owner=owner,
            due_on=today + datetime.timedelta(days=days),
            done_at=timezone.now() if done else None,
            created_by=mentorship.mentor,
        )
        mentorship.log_action(Action.ACTION_POINT_ADDED, by=mentorship.mentor, note=text)


def _check_in(mentorship, person, point, *, score, as_agreed, note=""):
    due_on = mentorship.started_on + datetime.timedelta(days=14)
    check_in = CheckIn.objects.create(
        mentorship=mentorship,
        person=person,
        point=point,
        due_on=due_on,
        score=score,
        meeting_as_agreed=as_agreed,
        for_programme_team=note,
        answered_at=_at(due_on, 19),
    )
    mentorship.log_action(Action.CHECK_IN_ANSWERED, by=person, programme_team_only=True)
    return check_in


def _feedback(mentorship: Mentorship) -> None:
    from .models import ATTRIBUTES, MENTORSHIP_FUNCTIONS

    ratings = dict(
        zip(
            [code for code, _ in MENTORSHIP_FUNCTIONS],
            [4, 2, 4, 3, 3, 4, 2, 4, 4, 4, 3, 4, 4, 2],
            strict=True,
        )
    )
    Feedback.objects.create(
        mentorship=mentorship,
        person=mentorship.mentee,
        function_ratings=ratings,
        attribute_reflections={
            code: f"I learnt to be more {label.lower()} by watching how my mentor worked."
            for code, label in ATTRIBUTES
        },
        what_changed=["career_decision", "application"],
        what_changed_detail="I decided to apply for GP training and submitted my application.",
        would_recommend=Feedback.Recommend.YES,
        comment="Seeing primary care from the inside made the decision for me.",
        shared_with_other=True,
    )
    Feedback.objects.create(
        mentorship=mentorship,
        person=mentorship.mentor,
        function_ratings={code: 3 for code, _ in MENTORSHIP_FUNCTIONS[:8]},
        attribute_reflections={},
        what_changed=["career_decision"],
        would_recommend=Feedback.Recommend.YES,
        comment="A thoughtful mentee; it reminded me why I teach.",
    )
    for person in (mentorship.mentee, mentorship.mentor):
        mentorship.log_action(Action.FEEDBACK_GIVEN, by=person, programme_team_only=True)


def _certificates(mentorship: Mentorship) -> None:
    """Issued through the service when it exists (it fixes what the certificate says)."""
    try:
        from .services.endings import issue_certificate
    except ImportError:  # pragma: no cover - the certificates part is not installed
        return
    for person in (mentorship.mentee, mentorship.mentor):
        issue_certificate(mentorship, person)
