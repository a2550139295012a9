"""A mentee whose data is everywhere, each record with its own secret words (as in
tests/journey/test_who_sees_what.py), and the generic check that none of it is left."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.db.models import Count, Sum
from django.utils import timezone

from journey.models import AgreedGoal, Certificate, CheckIn, Concern, Meeting
from journey.services import agreements, checkins, concerns, endings, meetings
from journey.services.meetings import ActionPointLine
from mentorship import services
from mentorship.models import MenteeMembership, MenteeProfile, MentorRequest, Mentorship
from mentorship.services import exclusions
from mentorship.services.memberships import save_intake_notes
from monitoring.models import OutcomeSurvey
from monitoring.services import answer_outcome_survey, save_equality_answers
from tests.factories import new_mentorship

SECRETS = {
    "request message": "Message-I-failed-PLAB-twice",
    "application note": "Application-my-visa-ends-in-May",
    "intake notes": "Intake-anxious-about-the-rota",
    "statement": "Statement-my-daughter-is-unwell",
    "agreement wording": "Wednesdays-at-the-PCN-hub",
    "meeting topics": "Topic-forming-a-Primary-Care-Network",
    "meeting notes": "Notes-the-locum-rota-worry",
    "goal text": "Goal-pass-the-MRCGP-AKT",
    "goal reflection": "Reflection-chaired-my-first-huddle",
    "action point": "Action-read-the-PCN-DES-spec",
    "check-in answer": "Checkin-I-feel-unsupported",
    "check-in handled": "Handled-called-her-on-Tuesday",
    "concern details": "Concern-raised-voice-in-clinic",
    "concern outcome": "Outcome-spoke-to-the-consultant",
    "feedback comment": "Feedback-he-changed-my-career",
    "feedback reflection": "Reflection-humble-about-my-gaps",
    "exclusion name": "Dr Excluded Supervisorname",
}


@dataclass
class World:
    mentee: object
    mentor: object
    other_mentor: object
    manager: object
    done: Mentorship
    active: Mentorship
    gmc_number: str

    @property
    def traces(self) -> list[str]:
        """Everything that must not survive erasure of the mentee."""
        return [self.mentee.full_name, self.mentee.email, self.gmc_number, *SECRETS.values()]


def build_world(mentee, mentor, other_mentor, manager, programme) -> World:
    """The mentee applied (with a note), was interviewed, excluded their supervisor, asked
    and was mentored to completion by `mentor` (agreement, goal, meeting and action point,
    check-ins both ways, a concern raised and closed, feedback and certificates, an answered
    outcome survey), then started a second mentorship with `other_mentor`, still active."""
    MenteeProfile.objects.filter(user=mentee).update(
        gmc_number="7012345", statement=SECRETS["statement"]
    )
    membership = MenteeMembership.objects.get(user=mentee, programme=programme)
    MenteeMembership.objects.filter(pk=membership.pk).update(
        application_note=SECRETS["application note"]
    )
    save_intake_notes(membership, by=manager, notes=SECRETS["intake notes"])
    exclusions.add_exclusion(
        mentee, name=SECRETS["exclusion name"], email="supervisor@example.org", reason="supervisor"
    )
    save_equality_answers(mentee, sex="female", ethnicity="black_african", disability="no")

    done = new_mentorship(mentee, mentor, programme, weeks_ago=20)
    MentorRequest.objects.filter(pk=done.request_id).update(message=SECRETS["request message"])
    agreements.propose_agreement(
        done,
        by=mentee,
        goals=[SECRETS["goal text"]],
        how_we_meet=f"In person, {SECRETS['agreement wording']}",
    )
    agreements.confirm_agreement(done, by=mentor)
    goal = AgreedGoal.objects.get(mentorship=done)
    agreements.update_goal(
        goal, by=mentee, status="in_progress", reflection=SECRETS["goal reflection"]
    )
    meeting = meetings.log_meeting(
        done,
        by=mentee,
        held_on=timezone.localdate() - datetime.timedelta(days=100),
        minutes=60,
        mode="in_person",
        kind="one_to_one",
        topics=SECRETS["meeting topics"],
        notes=SECRETS["meeting notes"],
        action_points=[ActionPointLine(text=SECRETS["action point"], owner=mentee)],
    )
    meetings.confirm_meeting(meeting, by=mentor)
    checkins.open_due_check_ins()
    checkins.answer_check_in(
        CheckIn.objects.filter(mentorship=done, person=mentee).first(),
        by=mentee,
        score=2,
        meeting_as_agreed="no",
        for_programme_team=SECRETS["check-in answer"],
    )
    mine = CheckIn.objects.filter(mentorship=done, person=mentee).first()
    checkins.mark_check_in_handled(mine, by=manager, note=SECRETS["check-in handled"])
    # The mentor writes about the mentee by name: their own words stay, her name goes.
    checkins.answer_check_in(
        CheckIn.objects.filter(mentorship=done, person=mentor).first(),
        by=mentor,
        score=4,
        meeting_as_agreed="mostly",
        for_programme_team=f"{mentee.full_name} is making good progress.",
    )
    concern = concerns.raise_concern(
        done, by=mentee, kind="behaviour", details=SECRETS["concern details"]
    )
    concerns.close_concern(concern, by=manager, outcome=SECRETS["concern outcome"])
    services.confirm_completion(done, by=manager)
    done.refresh_from_db()
    endings.give_feedback(
        done,
        by=mentee,
        function_ratings={"teaching": 4},
        attribute_reflections={"humble": SECRETS["feedback reflection"]},
        what_changed=["career_decision"],
        would_recommend="yes",
        comment=SECRETS["feedback comment"],
        shared_with_other=True,
    )
    for person in (mentee, mentor):
        endings.issue_certificate(done, person)
    survey = OutcomeSurvey.objects.create(
        mentorship=done, mentee=mentee, wave=6, due_on=timezone.localdate()
    )
    answer_outcome_survey(survey, by=mentee, still_in_nhs="yes", training="applying", helped="yes")

    active = new_mentorship(mentee, other_mentor, programme, weeks_ago=2)
    meeting = meetings.log_meeting(
        active,
        by=other_mentor,
        held_on=timezone.localdate() - datetime.timedelta(days=3),
        minutes=45,
        mode="video",
        kind="one_to_one",
        topics="Training applications",
        notes=f"{mentee.full_name} is applying to GP training.",
    )
    meetings.confirm_meeting(meeting, by=mentee)
    return World(mentee, mentor, other_mentor, manager, done, active, "7012345")


def programme_numbers() -> dict:
    """What the programme's reports count: these must add up the same after an erasure."""
    confirmed = Meeting.objects.confirmed()
    return {
        "mentorships": Mentorship.objects.count(),
        "mentorships_per_programme": sorted(
            Mentorship.objects.values_list("programme_id").annotate(n=Count("pk"))
        ),
        "meetings": Meeting.objects.count(),
        "confirmed_meetings": confirmed.count(),
        "confirmed_minutes": confirmed.aggregate(m=Sum("minutes"))["m"],
        "check_ins_answered": CheckIn.objects.answered().count(),
        "check_in_scores": CheckIn.objects.aggregate(s=Sum("score"))["s"],
        "requests": MentorRequest.objects.count(),
        "concerns": Concern.objects.count(),
        "certificate_minutes": sorted(
            Certificate.objects.values_list("confirmed_minutes", flat=True)
        ),
    }


TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def traces_left(traces: list[str]) -> list[str]:
    """Every (model.field, pk, trace) where any model's text holds one of `traces`:
    all models of all apps, every char, text, email and JSON field, outbox and events
    included."""
    wanted = [t.casefold() for t in traces if t]
    found = []
    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, TEXT_FIELDS)]
        if not fields:
            continue
        for row in model.objects.values("pk", *[f.attname for f in fields]):
            for f in fields:
                value = row[f.attname]
                if value is None:
                    continue
                text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                text = text.casefold()
                for trace in wanted:
                    if trace in text:
                        found.append(f"{model._meta.label}.{f.name} #{row['pk']}: {trace}")
    return found
