"""The programme-wide activity log: every event of the programme, newest first, filtered by
person and by kind, paged, downloadable; never another programme's events, never the two
people's private words."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from journey.services.meetings import log_meeting
from mentorship import activity, services
from mentorship.models import Action, Event, MenteeMembership
from tests.factories import MenteeProfileFactory, new_mentee, new_mentor, new_mentorship

pytestmark = pytest.mark.django_db

SECRET_TOPIC = "My divorce and my visa worries"
SECRET_NOTES = "We talked about the private matter at length."


def log(client, programme, **params):
    return client.get(reverse("manage:activity", args=[programme.slug]), params)


def download(client, programme, **params) -> list[list[str]]:
    response = client.get(reverse("manage:activity_download", args=[programme.slug]), params)
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def story(programme, mentee, mentor, manager, other_programme, other_manager):
    """A request, a mentorship with a meeting, and a check-in in `programme`; a mentee
    elsewhere."""
    mentorship = new_mentorship(mentee, mentor, programme, weeks_ago=2)
    log_meeting(
        mentorship,
        by=mentee,
        held_on=timezone.localdate() - datetime.timedelta(days=1),
        minutes=45,
        mode="video",
        kind="one_to_one",
        topics=SECRET_TOPIC,
        notes=SECRET_NOTES,
    )
    mentorship.log_action(
        Action.CHECK_IN_ANSWERED,
        by=mentor,
        note="How it is going: 2 out of 5.",
        programme_team_only=True,
    )
    new_mentee(other_programme, "Dr Elsewhere")
    services.request_mentor(
        new_mentee(other_programme, "Dr Elsewhere Asking"),
        new_mentor(other_programme, "Dr Elsewhere Mentor"),
        other_programme,
    )
    return mentorship


def test_every_event_of_the_programme_newest_first_and_none_from_elsewhere(
    manager_client, programme, story
):
    response = log(manager_client, programme)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Requested" in html and "Mentorship started" in html and "Meeting logged" in html
    assert "Dr Elsewhere" not in html
    shown = [entry["event"].pk for entry in response.context["entries"]]
    assert shown == list(
        Event.objects.filter(programme=programme)
        .order_by("-created_at", "-pk")
        .values_list("pk", flat=True)
    )


def test_the_programme_team_sees_team_only_events_but_never_private_meeting_words(
    manager_client, programme, story
):
    html = log(manager_client, programme).content.decode()
    rows = download(manager_client, programme)

    assert "How it is going: 2 out of 5." in html
    assert "Programme team only" in html
    for text in (html, str(rows)):
        assert SECRET_TOPIC not in text and SECRET_NOTES not in text
    assert "45 minutes" in html  # what the team may see: date, length, kind


@pytest.mark.parametrize(
    ("kind", "wanted", "unwanted"),
    [
        ("requests", "Requested", "Meeting logged"),
        ("memberships", "Applied to the programme", "Requested"),
        ("mentorships", "Mentorship started", "Meeting logged"),
        ("journey", "Meeting logged", "Mentorship started"),
    ],
)
def test_filtering_by_kind(manager_client, programme, story, kind, wanted, unwanted):
    MenteeMembership.objects.create(
        programme=programme, user=MenteeProfileFactory().user
    ).log_action(Action.APPLIED)

    entries = log(manager_client, programme, kind=kind).context["entries"]

    labels = {entry["event"].get_action_display() for entry in entries}
    assert wanted in labels and unwanted not in labels
    assert {entry["kind"] for entry in entries} == {kind}


def test_nothing_is_about_an_unknown_target_yet_and_such_an_event_would_show_as_settings(
    manager_client, programme, story
):
    assert log(manager_client, programme, kind="settings").context["entries"] == []
    loose = Event(programme=programme, action="weights_changed", note="Goals 30 → 40")
    assert activity.kind_of(loose) == activity.Kind.SETTINGS
    assert activity.about_text(loose) == "The programme"
    assert activity.about(loose) == []
    assert activity.link(loose, programme) == ""


def test_filtering_by_person_finds_what_they_did_and_what_is_about_them(
    manager_client, programme, story, mentor, other_mentor, mentee
):
    other = new_mentee(programme, "Dr Zainab Other")
    services.request_mentor(other, other_mentor, programme)

    by_id = log(manager_client, programme, person=other_mentor.pk).context["entries"]
    by_name = log(manager_client, programme, q="zainab").context["entries"]
    by_email = log(manager_client, programme, q=mentee.email).context["entries"]

    assert [e["event"].get_action_display() for e in by_id] == ["Requested"]
    assert [e["event"].get_action_display() for e in by_name] == ["Requested"]
    assert by_email and all(mentee in e["people"] for e in by_email)
    assert len(by_email) < Event.objects.filter(programme=programme).count()


def test_a_bad_filter_shows_everything_rather_than_failing(manager_client, programme, story):
    response = log(manager_client, programme, person="not-a-number", kind="nonsense")
    assert response.status_code == 200
    assert len(response.context["entries"]) == Event.objects.filter(programme=programme).count()


def test_the_log_pages_fifty_at_a_time(manager_client, programme, mentee):
    membership = MenteeMembership.objects.get(user=mentee, programme=programme)
    Event.objects.bulk_create(
        Event(programme=programme, mentee_membership=membership, action=Action.APPLIED)
        for _ in range(55)
    )

    first = log(manager_client, programme)
    second = log(manager_client, programme, page=2)

    assert len(first.context["entries"]) == 50
    assert len(second.context["entries"]) == 5
    assert "Page 2 of 2" in first.content.decode()


def test_the_download_keeps_the_filters_and_is_formula_safe(
    manager_client, programme, story, mentee
):
    membership = MenteeMembership.objects.get(user=mentee, programme=programme)
    membership.log_action(Action.APPLIED, by=mentee, note='=HYPERLINK("http://x")')

    rows = download(manager_client, programme, kind="memberships")

    assert rows[0] == list(activity.HEADERS)
    assert [row[2] for row in rows[1:]] == ["Applied to the programme"]
    assert rows[1][5] == '\'=HYPERLINK("http://x")'
    excel = manager_client.get(
        reverse("manage:activity_download", args=[programme.slug]), {"format": "xlsx"}
    )
    assert excel["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_log_takes_the_same_queries_at_two_sizes(
    manager_client, programme, story, django_assert_max_num_queries
):
    with django_assert_max_num_queries(100) as small:
        log(manager_client, programme)
    for _ in range(3):
        new_mentorship(new_mentee(programme), new_mentor(programme), programme)
    with django_assert_max_num_queries(len(small.captured_queries)):
        log(manager_client, programme)


def test_the_person_filtered_is_named_but_a_guessed_id_names_nobody(
    manager_client, programme, story, other_mentor, outsider
):
    services.request_mentor(new_mentee(programme), other_mentor, programme)

    html = log(manager_client, programme, person=other_mentor.pk).content.decode()
    guessed = log(manager_client, programme, person=outsider.pk).content.decode()

    assert "about or by Dr Helen Achebe" in html
    assert "Olu Outsider" not in guessed
    assert "0 events" in guessed
