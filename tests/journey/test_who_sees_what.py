"""Who sees what in a mentorship, per role and per kind of record (docs/mentorship.md's
table): one mentorship holds every kind of record, each with its own secret words, and each
person opens every page of the mentorship. What each of them can read is exactly their row
of the table; everyone else gets 404s and reads nothing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from journey.models import AgreedGoal, CheckIn, Concern
from journey.services import agreements, checkins, concerns, endings, meetings
from journey.services.meetings import ActionPointLine
from mentorship.models import Mentorship
from tests.factories import new_mentorship

pytestmark = pytest.mark.django_db

SECRETS = {
    "agreement wording": "Wednesdays-at-the-PCN-hub",
    "meeting topics": "Topic-forming-a-Primary-Care-Network",
    "meeting notes": "Notes-the-locum-rota-worry",
    "goal reflection": "Reflection-chaired-my-first-huddle",
    "action point": "Action-read-the-PCN-DES-spec",
    "check-in answer": "Checkin-she-cancels-often",
    "concern details": "Concern-raised-voice-in-clinic",
    "unshared feedback": "Feedback-private-to-the-team",
}
PARTIES_PRIVATE = {
    "agreement wording",
    "meeting topics",
    "meeting notes",
    "goal reflection",
    "action point",
}
# Each row of docs/mentorship.md's "Who sees what", for this mentorship: the mentor answered
# the check-in, the mentee raised the concern and gave the unshared feedback. Their author
# sees that a check-in was answered and how a concern stands, not their words repeated back.
CAN_READ = {
    "mentee": PARTIES_PRIVATE | {"unshared feedback"},
    "mentor": PARTIES_PRIVATE,
    "manager": {"check-in answer", "concern details", "unshared feedback"},
    "manager_without_mfa": set(),
    "other_manager": set(),
    "other_mentor": set(),
    "outsider": set(),
    "staff": set(),
    "anonymous": set(),
}
SEES_THE_MENTORSHIP = {"mentee", "mentor", "manager"}


@pytest.fixture
def mentorship(mentee, mentor, programme, manager):
    """Eight weeks in, with an agreement, a meeting and its action point, a goal's reflection,
    the mentor's check-in answer and the mentee's concern; then completed, with the mentee's
    feedback (not shared) and both certificates."""
    mentorship = new_mentorship(mentee, mentor, programme, weeks_ago=8)
    agreements.propose_agreement(
        mentorship,
        by=mentee,
        goals=["Understand primary care leadership"],
        how_we_meet=f"In person, {SECRETS['agreement wording']}",
    )
    agreements.confirm_agreement(mentorship, by=mentor)
    goal = AgreedGoal.objects.get(mentorship=mentorship)
    agreements.update_goal(
        goal, by=mentee, status="in_progress", reflection=SECRETS["goal reflection"]
    )
    meeting = meetings.log_meeting(
        mentorship,
        by=mentee,
        held_on=timezone.localdate() - datetime.timedelta(days=3),
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
        CheckIn.objects.get(mentorship=mentorship, person=mentor),
        by=mentor,
        score=4,
        meeting_as_agreed="mostly",
        for_programme_team=SECRETS["check-in answer"],
    )
    concerns.raise_concern(
        mentorship, by=mentee, kind="behaviour", details=SECRETS["concern details"]
    )
    Mentorship.objects.filter(pk=mentorship.pk).update(
        status=Mentorship.Status.COMPLETED, ended_on=timezone.localdate()
    )
    mentorship.refresh_from_db()
    endings.give_feedback(
        mentorship,
        by=mentee,
        function_ratings={"teaching": 4},
        attribute_reflections={},
        what_changed=["career_decision"],
        would_recommend="yes",
        comment=SECRETS["unshared feedback"],
        shared_with_other=False,
    )
    for person in (mentee, mentor):
        endings.issue_certificate(mentorship, person)
    return mentorship


def pages(mentorship):
    """Every page of this mentorship that shows a record (forms included)."""
    pk = mentorship.pk
    goal = AgreedGoal.objects.get(mentorship=mentorship)
    concern = Concern.objects.get(mentorship=mentorship)
    return [
        reverse("mentorship:mentorship_detail", args=[pk]),
        reverse("journey:agreement", args=[pk]),
        reverse("journey:goal_progress", args=[pk, goal.pk]),
        reverse("journey:check_in_answers", args=[pk]),
        reverse("journey:concern_list", args=[pk]),
        reverse("journey:concern_detail", args=[pk, concern.pk]),
        reverse("journey:shared_feedback", args=[pk]),
        reverse("journey:team_feedback", args=[pk]),
        reverse("journey:give_feedback", args=[pk]),
    ]


def read_everything(client, mentorship):
    """Status of each page, and the text of those that answered 200."""
    statuses, text = {}, []
    for url in pages(mentorship):
        response = client.get(url)
        statuses[url] = response.status_code
        if response.status_code == 200:
            text.append(response.content.decode())
    return statuses, "\n".join(text)


@pytest.mark.parametrize("role", sorted(CAN_READ))
def test_each_person_reads_exactly_their_row_of_the_table(role, sign_in, mentorship):
    client = sign_in(role)
    statuses, text = read_everything(client, mentorship)

    read = {kind for kind, words in SECRETS.items() if words in text}
    assert read == CAN_READ[role]

    home = reverse("mentorship:mentorship_detail", args=[mentorship.pk])
    if role in SEES_THE_MENTORSHIP:
        assert statuses[home] == 200
    elif role == "anonymous":
        assert all(code == 302 for code in statuses.values())  # to sign in, nothing shown
    elif role == "manager_without_mfa":
        # The manager is sent to set up an authenticator first; the team's pages are 404s.
        assert statuses.pop(home) == 302
        assert set(statuses.values()) == {404}, statuses
    else:
        assert set(statuses.values()) == {404}, statuses


@pytest.mark.parametrize("role", sorted(CAN_READ))
def test_a_certificate_is_downloaded_only_by_its_own_person(role, sign_in, mentorship):
    client = sign_in(role)
    response = client.get(reverse("journey:download_certificate", args=[mentorship.pk]))
    if role in {"mentee", "mentor"}:
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        person = getattr(mentorship, role)
        code = mentorship.certificates.get(person=person).code
        assert code in response["Content-Disposition"] or response.content.startswith(b"%PDF")
    elif role == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == 404
    # Downloading never issues a certificate to anyone else.
    assert mentorship.certificates.count() == 2
