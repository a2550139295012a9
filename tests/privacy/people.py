"""A mentee and a mentor whose mentorship holds every kind of record, each with its own
secret words, plus a second pair in the same programme: the builder the "download my data"
tests share (after tests/journey/test_who_sees_what.py, extended to every kind)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from journey.models import AgreedGoal, CheckIn
from journey.services import agreements, checkins, concerns, course, endings, meetings, planning
from journey.services.meetings import ActionPointLine
from mentorship import services
from mentorship.models import (
    Exclusion,
    MenteeMembership,
    MenteeProfile,
    MentorMembership,
    MentorProfile,
    Mentorship,
)
from monitoring import services as monitoring
from monitoring.models import ETHNICITY_CHOICES, OutcomeSurvey
from tests.factories import enable_totp, new_mentee, new_mentor, new_mentorship

# Words each person wrote, or that were written about them where they can read them.
MENTEE_OWN = {
    "mentee_statement": "Mine-hope-to-lead-a-PCN",
    "application_note": "Mine-why-I-join-Northfield",
    "exclusion": "Mine-Excluded-Supervisor",
    "request_message": "Mine-request-message-GP",
    "agreement": "Mine-Wednesdays-at-the-hub",
    "goal_reflection": "Mine-reflection-first-huddle",
    "meeting_topics": "Mine-topic-forming-a-PCN",
    "meeting_notes": "Mine-notes-the-locum-rota",
    "action_point": "Mine-action-read-the-DES",
    "planned_where": "Mine-room-4B-at-the-hub",
    "extension_reason": "Mine-extension-for-exams",
    "check_in": "Mine-checkin-she-is-great",
    "concern": "Mine-concern-raised-voice",
    "feedback": "Mine-feedback-comment",
}
MENTOR_OWN = {
    "mentor_bio": "Theirs-mentor-bio-words",
    "check_in": "Theirs-mentor-checkin-answer",
    "concern": "Theirs-mentor-concern-details",
    "feedback": "Theirs-mentor-unshared-feedback",
}
# What only the programme team wrote or sees, and another pair's records.
TEAM_ONLY = {
    "intake_notes": "Team-intake-notes-about-her",
    "vetting_notes": "Team-vetting-notes-about-him",
    "handled_note": "Team-handled-the-alert",
    "concern_outcome_internal": "Team-only-event-note",
}
OTHER_PAIR = {
    "meeting_notes": "Else-pair-meeting-notes",
    "statement": "Else-mentee-statement",
}
MENTEE_ETHNICITY, MENTOR_ETHNICITY = ETHNICITY_CHOICES[0], ETHNICITY_CHOICES[-2]


@dataclass
class World:
    mentee: Any
    mentor: Any
    manager: Any
    mentorship: Mentorship
    other_mentee: Any
    other_mentor: Any
    extra: dict[str, Any] = field(default_factory=dict)


def build_world(mentee, mentor, manager, programme) -> World:
    """Everything, through the services where there is one."""
    MenteeProfile.objects.filter(user=mentee).update(
        statement=MENTEE_OWN["mentee_statement"], gmc_number="7012345"
    )
    MentorProfile.objects.filter(user=mentor).update(bio=MENTOR_OWN["mentor_bio"])
    MenteeMembership.objects.filter(user=mentee).update(
        application_note=MENTEE_OWN["application_note"], intake_notes=TEAM_ONLY["intake_notes"]
    )
    MentorMembership.objects.filter(user=mentor).update(vetting_notes=TEAM_ONLY["vetting_notes"])
    Exclusion.objects.create(
        mentee=mentee,
        name=MENTEE_OWN["exclusion"],
        email="supervisor@example.org",
        reason=Exclusion.Reason.SUPERVISOR,
    )
    enable_totp(mentee)
    monitoring.save_equality_answers(
        mentee, sex="female", ethnicity=MENTEE_ETHNICITY[0], disability="no"
    )
    monitoring.save_equality_answers(
        mentor, sex="male", ethnicity=MENTOR_ETHNICITY[0], disability="yes"
    )

    # A request to someone else, withdrawn, before the mentorship.
    someone = new_mentor(programme, "Dr Ifeoma Adeyemi")
    asked = services.request_mentor(
        mentee, someone, programme, message=MENTEE_OWN["request_message"]
    )
    services.withdraw_request(asked, by=mentee)

    mentorship = new_mentorship(mentee, mentor, programme, weeks_ago=8)
    agreements.propose_agreement(
        mentorship,
        by=mentee,
        goals=["Understand primary care leadership"],
        how_we_meet=MENTEE_OWN["agreement"],
    )
    agreements.confirm_agreement(mentorship, by=mentor)
    goal = AgreedGoal.objects.get(mentorship=mentorship)
    agreements.update_goal(
        goal, by=mentee, status="in_progress", reflection=MENTEE_OWN["goal_reflection"]
    )
    meeting = meetings.log_meeting(
        mentorship,
        by=mentee,
        held_on=timezone.localdate() - datetime.timedelta(days=3),
        minutes=60,
        mode="in_person",
        kind="one_to_one",
        topics=MENTEE_OWN["meeting_topics"],
        notes=MENTEE_OWN["meeting_notes"],
        action_points=[ActionPointLine(text=MENTEE_OWN["action_point"], owner=mentee)],
    )
    meetings.confirm_meeting(meeting, by=mentor)
    planning.set_next_meeting(
        mentorship,
        by=mentee,
        starts_at=timezone.now() + datetime.timedelta(days=5),
        minutes=45,
        mode="in_person",
        where=MENTEE_OWN["planned_where"],
    )
    course.propose_extension(
        mentorship,
        by=mentee,
        new_end_on=mentorship.planned_end_on + datetime.timedelta(weeks=4),
        reason=MENTEE_OWN["extension_reason"],
    )
    checkins.open_due_check_ins()
    checkins.answer_check_in(
        CheckIn.objects.get(mentorship=mentorship, person=mentee),
        by=mentee,
        score=5,
        meeting_as_agreed="yes",
        for_programme_team=MENTEE_OWN["check_in"],
    )
    checkins.answer_check_in(
        CheckIn.objects.get(mentorship=mentorship, person=mentor),
        by=mentor,
        score=2,
        meeting_as_agreed="mostly",
        for_programme_team=MENTOR_OWN["check_in"],
    )
    CheckIn.objects.filter(mentorship=mentorship, person=mentor).update(
        handled_note=TEAM_ONLY["handled_note"]
    )
    concerns.raise_concern(mentorship, by=mentee, kind="behaviour", details=MENTEE_OWN["concern"])
    concerns.raise_concern(mentorship, by=mentor, kind="wellbeing", details=MENTOR_OWN["concern"])
    mentorship.log_action(
        "concern_acknowledged",
        by=manager,
        note=TEAM_ONLY["concern_outcome_internal"],
        programme_team_only=True,
    )

    Mentorship.objects.filter(pk=mentorship.pk).update(
        status=Mentorship.Status.COMPLETED, ended_on=timezone.localdate()
    )
    mentorship.refresh_from_db()
    for person, words in ((mentee, MENTEE_OWN["feedback"]), (mentor, MENTOR_OWN["feedback"])):
        endings.give_feedback(
            mentorship,
            by=person,
            function_ratings={"teaching": 4},
            attribute_reflections={},
            what_changed=["career_decision"],
            would_recommend="yes",
            comment=words,
            shared_with_other=False,
        )
    for person in (mentee, mentor):
        endings.issue_certificate(mentorship, person)
    survey = OutcomeSurvey.objects.create(
        mentorship=mentorship,
        mentee=mentee,
        wave=OutcomeSurvey.Wave.SIX_MONTHS,
        due_on=timezone.localdate(),
    )
    monitoring.answer_outcome_survey(
        survey, by=mentee, still_in_nhs="yes", training="applying", helped="partly"
    )

    # Another pair in the same programme, with their own private words.
    other_mentee = new_mentee(programme, "Dr Else Where")
    MenteeProfile.objects.filter(user=other_mentee).update(statement=OTHER_PAIR["statement"])
    other_mentor = new_mentor(programme, "Dr Else Mentor")
    theirs = new_mentorship(other_mentee, other_mentor, programme, weeks_ago=2)
    meetings.log_meeting(
        theirs,
        by=other_mentee,
        held_on=timezone.localdate() - datetime.timedelta(days=1),
        minutes=30,
        mode="video",
        kind="one_to_one",
        topics="",
        notes=OTHER_PAIR["meeting_notes"],
        action_points=[],
    )
    return World(mentee, mentor, manager, mentorship, other_mentee, other_mentor)
