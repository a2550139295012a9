"""Concerns: either person raises one privately with the programme team, who acknowledge it
in time and close it. The other person never sees it; the managers are emailed; beat
flags one not acknowledged in time, once."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from journey.models import Concern
from journey.services import concerns
from mentorship.models import Action, Event, OutboxEmail
from mentorship.services import InvalidTransition, NotAllowed
from tests.factories import UserFactory, new_mentee, new_mentor, new_mentorship

pytestmark = pytest.mark.django_db
SECRET = "He shouted at a patient's relative in clinic on Tuesday."


@pytest.fixture
def mentorship(mentee, mentor, programme, manager):
    return new_mentorship(mentee, mentor, programme, weeks_ago=4)


def raise_one(mentorship, by, kind="behaviour", details=SECRET):
    return concerns.raise_concern(mentorship, by=by, kind=kind, details=details)


def sent(kind):
    return set(OutboxEmail.objects.filter(kind=kind).values_list("to_email", flat=True))


def page(mentorship):
    return reverse("mentorship:mentorship_detail", args=[mentorship.pk])


def detail(concern):
    return reverse("journey:concern_detail", args=[concern.mentorship_id, concern.pk])


# --- Raising ----------------------------------------------------------------------------


def test_the_mentee_raises_a_concern_and_the_managers_are_emailed_not_the_mentor(
    mentorship, mentee, mentor, manager, programme
):
    second_manager = UserFactory(full_name="Priya Raman")
    programme.managers.add(second_manager)
    concern = raise_one(mentorship, mentee)

    concern.refresh_from_db()
    assert (concern.raised_by, concern.kind, concern.details) == (mentee, "behaviour", SECRET)
    assert concern.acknowledged_at is None and concern.closed_at is None
    assert sent("concern_raised") == {manager.email, second_manager.email}
    assert sent("concern_received") == {mentee.email}
    assert mentor.email not in {
        e.to_email for e in OutboxEmail.objects.filter(kind__startswith="concern")
    }
    # The managers' email says a concern is waiting, not what it says.
    email = OutboxEmail.objects.get(kind="concern_raised", to_email=manager.email)
    assert SECRET not in email.body_text and SECRET not in email.body_html
    assert detail(concern) in email.body_text


def test_raising_a_concern_is_logged_for_the_programme_team_only(mentorship, mentor):
    raise_one(mentorship, mentor, kind="wellbeing")
    [event] = Event.objects.filter(action=Action.CONCERN_RAISED)
    assert event.programme_team_only and event.actor == mentor and event.mentorship == mentorship
    assert SECRET not in event.note
    assert not mentorship.events.shared().filter(action=Action.CONCERN_RAISED).exists()


def test_the_deadline_counts_the_programmes_working_days(mentorship, mentee, programme):
    programme.concern_acknowledge_days = 2
    programme.save()
    concern = raise_one(mentorship, mentee)
    deadline = timezone.localtime(concern.acknowledge_by)
    assert deadline - concern.raised_at >= datetime.timedelta(days=2, seconds=-1)
    assert deadline - concern.raised_at <= datetime.timedelta(days=4, minutes=1)
    assert deadline.weekday() < 5


@pytest.mark.parametrize(
    ("raised_on", "days", "due_on"),
    [
        (datetime.date(2026, 11, 23), 2, datetime.date(2026, 11, 25)),  # Monday -> Wednesday
        (datetime.date(2026, 11, 26), 2, datetime.date(2026, 11, 30)),  # Thursday -> Monday
        (datetime.date(2026, 11, 28), 1, datetime.date(2026, 11, 30)),  # Saturday -> Monday
    ],
)
def test_working_days_skip_the_weekend(raised_on, days, due_on):
    start = timezone.make_aware(datetime.datetime.combine(raised_on, datetime.time(16, 5)))
    due = timezone.localtime(concerns.add_working_days(start, days))
    assert due.date() == due_on and due.time() == datetime.time(16, 5)


@pytest.mark.parametrize(
    ("kind", "details", "message"),
    [
        ("gossip", SECRET, "from the list"),
        ("behaviour", "   ", "Say what the concern is"),
        ("behaviour", "x" * 5001, "5000 characters"),
    ],
)
def test_bad_input_raises_nothing(mentorship, mentee, kind, details, message):
    with pytest.raises(InvalidTransition, match=message):
        raise_one(mentorship, mentee, kind=kind, details=details)
    assert not Concern.objects.exists() and not sent("concern_raised")


@pytest.mark.parametrize("role", ["manager", "outsider", "other_mentee"])
def test_only_the_two_people_raise_concerns(mentorship, request, role):
    with pytest.raises(NotAllowed):
        raise_one(mentorship, request.getfixturevalue(role))
    assert not Concern.objects.exists()


# --- Acknowledging and closing ------------------------------------------------------------


def test_a_manager_acknowledges_and_the_raiser_is_told(mentorship, mentee, manager):
    concern = raise_one(mentorship, mentee)
    concerns.acknowledge_concern(concern, by=manager)

    concern.refresh_from_db()
    assert concern.acknowledged_by == manager and concern.acknowledged_at is not None
    assert sent("concern_acknowledged") == {mentee.email}
    event = Event.objects.get(action=Action.CONCERN_ACKNOWLEDGED)
    assert event.programme_team_only and event.actor == manager
    with pytest.raises(InvalidTransition, match="already acknowledged"):
        concerns.acknowledge_concern(concern, by=manager)


def test_a_manager_closes_with_an_outcome_the_raiser_is_sent(mentorship, mentor, manager):
    concern = raise_one(mentorship, mentor)
    with pytest.raises(InvalidTransition, match="outcome"):
        concerns.close_concern(concern, by=manager, outcome="  ")
    concerns.close_concern(concern, by=manager, outcome="We spoke to both of you.")

    concern.refresh_from_db()
    assert concern.closed_at is not None and concern.outcome == "We spoke to both of you."
    assert concern.acknowledged_by == manager  # closing acknowledges too
    email = OutboxEmail.objects.get(kind="concern_closed")
    assert email.to_email == mentor.email and "We spoke to both of you." in email.body_text
    assert Event.objects.get(action=Action.CONCERN_CLOSED).programme_team_only
    with pytest.raises(InvalidTransition, match="already closed"):
        concerns.close_concern(concern, by=manager, outcome="Again")
    with pytest.raises(InvalidTransition, match="already closed"):
        concerns.acknowledge_concern(concern, by=manager)


@pytest.mark.parametrize("role", ["mentee", "mentor", "other_manager", "outsider"])
def test_only_the_programme_team_acknowledges_or_closes(mentorship, mentee, request, role):
    concern = raise_one(mentorship, mentee)
    person = request.getfixturevalue(role)
    with pytest.raises(NotAllowed):
        concerns.acknowledge_concern(concern, by=person)
    with pytest.raises(NotAllowed):
        concerns.close_concern(concern, by=person, outcome="Done")
    concern.refresh_from_db()
    assert concern.acknowledged_at is None and concern.closed_at is None


def test_a_mentor_who_also_manages_the_programme_never_sees_a_concern_about_them(
    mentorship, mentee, mentor, programme, manager, with_mfa
):
    programme.managers.add(mentor)
    concern = raise_one(mentorship, mentee)
    assert mentor.email not in sent("concern_raised")
    with pytest.raises(NotAllowed):
        concerns.acknowledge_concern(concern, by=mentor)
    with_mfa(mentor)
    from django.test import Client

    browser = Client()
    browser.force_login(mentor)
    assert browser.get(detail(concern)).status_code == 404
    assert SECRET not in browser.get(page(mentorship)).content.decode()


# --- The overdue alert --------------------------------------------------------------------


def test_an_unacknowledged_concern_past_its_deadline_alerts_the_managers_once(
    mentorship, mentee, manager
):
    concern = raise_one(mentorship, mentee)
    assert concerns.alert_overdue_concerns() == 0
    later = concern.acknowledge_by + datetime.timedelta(minutes=1)
    assert concerns.alert_overdue_concerns(now=later) == 1
    assert concerns.alert_overdue_concerns(now=later + datetime.timedelta(hours=1)) == 0

    concern.refresh_from_db()
    assert concern.overdue_alerted_at == later
    assert sent("concern_overdue") == {manager.email}
    assert OutboxEmail.objects.filter(kind="concern_overdue").count() == 1


def test_acknowledged_or_closed_concerns_do_not_alert(mentorship, mentee, mentor, manager):
    acknowledged = raise_one(mentorship, mentee)
    concerns.acknowledge_concern(acknowledged, by=manager)
    closed = raise_one(mentorship, mentor)
    concerns.close_concern(closed, by=manager, outcome="Resolved by phone.")
    later = timezone.now() + datetime.timedelta(days=30)
    assert concerns.alert_overdue_concerns(now=later) == 0
    assert not sent("concern_overdue")


def test_the_beat_job_runs_the_overdue_alert(mentorship, mentee):
    from journey.jobs import alert_overdue_concerns

    concern = raise_one(mentorship, mentee)
    Concern.objects.filter(pk=concern.pk).update(
        acknowledge_by=timezone.now() - datetime.timedelta(hours=1)
    )
    assert alert_overdue_concerns.delay().get() == 1


# --- Who sees what on the pages -------------------------------------------------------------


def test_the_raiser_sees_their_concerns_state_and_the_other_person_sees_nothing(
    mentorship, mentee, mentee_client, mentor_client
):
    raise_one(mentorship, mentee, kind="wellbeing")

    mine = mentee_client.get(page(mentorship)).content.decode()
    assert 'id="concern"' in mine and "Wellbeing, raised on" in mine
    assert "Waiting to be acknowledged" in mine and SECRET not in mine

    theirs = mentor_client.get(page(mentorship)).content.decode()
    assert "Raise a concern" in theirs
    for hidden in ("Wellbeing, raised on", "Waiting to be acknowledged", "Concern raised", SECRET):
        assert hidden not in theirs


def test_the_team_sees_every_concern_with_its_state(mentorship, mentee, mentor, manager_client):
    first = raise_one(mentorship, mentee)
    raise_one(mentorship, mentor, kind="safety")
    html = manager_client.get(page(mentorship)).content.decode()
    assert detail(first) in html and "Patient or personal safety" in html
    assert "Raise a concern" not in html

    html = manager_client.get(detail(first)).content.decode()
    assert SECRET.replace("'", "&#x27;") in html and "Acknowledge the concern" in html
    listing = manager_client.get(reverse("journey:concern_list", args=[mentorship.pk]))
    assert listing.status_code == 200 and "Patient or personal safety" in listing.content.decode()


@pytest.mark.parametrize(
    "role", ["mentee", "mentor", "other_manager", "outsider", "manager_without_mfa"]
)
def test_the_team_pages_are_a_404_for_everyone_else(mentorship, mentee, sign_in, role):
    concern = raise_one(mentorship, mentee)
    client = sign_in(role)
    args = [mentorship.pk, concern.pk]
    assert client.get(detail(concern)).status_code == 404
    assert client.get(reverse("journey:concern_list", args=[mentorship.pk])).status_code == 404
    assert client.post(reverse("journey:acknowledge_concern", args=args)).status_code == 404
    close = reverse("journey:close_concern", args=args)
    assert client.post(close, {"outcome": "Done"}).status_code == 404
    concern.refresh_from_db()
    assert concern.acknowledged_at is None and concern.closed_at is None


def test_a_concern_of_another_mentorship_is_a_404_under_this_one(
    mentorship, programme, manager_client
):
    other = new_mentorship(new_mentee(programme), new_mentor(programme), programme)
    concern = raise_one(other, other.mentee)
    wrong = reverse("journey:concern_detail", args=[mentorship.pk, concern.pk])
    assert manager_client.get(wrong).status_code == 404
    assert manager_client.get(detail(concern)).status_code == 200


def test_the_raise_page_states_the_limits_and_signposts(mentorship, programme, mentee_client):
    url = reverse("journey:raise_concern", args=[mentorship.pk])
    html = mentee_client.get(url).content.decode()
    assert "Joanna Whitfield" in html and "will not see it" in html
    assert "patient safety" in html and "safeguarding" in html
    assert "nationalguardian.org.uk" in html and "999" in html

    programme.freedom_to_speak_up = "Ade Okafor, FTSU guardian, ext 4455"
    programme.safeguarding_lead = "Dr Rhian Evans, safeguarding@example.org"
    programme.save()
    html = mentee_client.get(url).content.decode()
    assert "Ade Okafor, FTSU guardian, ext 4455" in html
    assert "Dr Rhian Evans, safeguarding@example.org" in html
    assert "nationalguardian.org.uk" not in html


def test_raising_through_the_form(mentorship, mentee, mentee_client, manager):
    url = reverse("journey:raise_concern", args=[mentorship.pk])
    response = mentee_client.post(url, {"kind": "safety", "details": SECRET})
    assert response.status_code == 302 and response.url.endswith("#concern")
    assert Concern.objects.get().raised_by == mentee
    assert sent("concern_raised") == {manager.email}


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"details": SECRET}, "Select what your concern is about"),
        ({"kind": "gossip", "details": SECRET}, "from the list"),
        ({"kind": "behaviour", "details": ""}, "Tell us about your concern"),
        ({"kind": "behaviour", "details": "x" * 5001}, "5000 characters or fewer"),
    ],
)
def test_a_bad_concern_form_is_an_error_and_nothing_is_saved(
    mentorship, mentee_client, data, error
):
    response = mentee_client.post(reverse("journey:raise_concern", args=[mentorship.pk]), data)
    assert response.status_code == 400 and error in response.content.decode()
    assert not Concern.objects.exists()


def test_the_team_acknowledges_and_closes_through_the_pages(mentorship, mentee, manager_client):
    concern = raise_one(mentorship, mentee)
    args = [mentorship.pk, concern.pk]
    assert manager_client.post(reverse("journey:acknowledge_concern", args=args)).status_code == 302
    again = manager_client.post(reverse("journey:acknowledge_concern", args=args))
    assert again.status_code == 409 and "already acknowledged" in again.content.decode()

    close = reverse("journey:close_concern", args=args)
    empty = manager_client.post(close, {"outcome": ""})
    assert empty.status_code == 400 and "Enter the outcome" in empty.content.decode()
    assert manager_client.post(close, {"outcome": "Resolved."}).status_code == 302
    concern.refresh_from_db()
    assert concern.acknowledged_at and concern.closed_at and concern.outcome == "Resolved."
