"""Ending a mentorship: either person or a programme manager marks it completed, or ends it
early with a reason; the mentor's place is free again and the others are told."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from mentorship import services
from mentorship.models import Action, MentorProfile, Mentorship
from tests.factories import MentorshipFactory
from tests.mentorship.helpers import refreshed

pytestmark = pytest.mark.django_db
Status = Mentorship.Status
CONFIRMED = {"confirmed": "True"}  # the second submit, after the confirmation page


@pytest.fixture
def mentorship(programme, mentee, mentor):
    return MentorshipFactory(programme=programme, mentee=mentee, mentor=mentor)


def end_url(mentorship):
    return reverse("mentorship:end_mentorship", args=[mentorship.pk])


def page_url(mentorship):
    return reverse("mentorship:mentorship_detail", args=[mentorship.pk])


# --- The service ------------------------------------------------------------------------


def test_a_mentorship_ends_early_with_a_reason(mentorship, mentee):
    with pytest.raises(services.InvalidTransition, match="Say why"):
        services.end_mentorship(mentorship, by=mentee, completed=False)
    services.end_mentorship(mentorship, by=mentee, completed=False, reason="Moved to Leeds.")

    mentorship = refreshed(mentorship)
    assert mentorship.status == Status.ENDED_EARLY and mentorship.end_reason == "Moved to Leeds."
    assert mentorship.ended_by == mentee
    [event] = mentorship.events.all()
    assert (event.action, event.actor, event.note) == (
        Action.ENDED_EARLY,
        mentee,
        "Moved to Leeds.",
    )
    with pytest.raises(services.InvalidTransition):
        services.end_mentorship(mentorship, by=mentee, completed=True)


def test_ending_frees_the_mentors_place(mentorship, mentor):
    def free_places():
        return MentorProfile.objects.with_free_places().get(user=mentor).free_places

    before = free_places()
    services.end_mentorship(mentorship, by=mentor, completed=True)

    assert free_places() == before + 1


def test_ending_a_mentorship_tells_the_other_person_and_the_managers(
    mentorship, manager, mentee, mentor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.end_mentorship(mentorship, by=mentor, completed=True)

    assert sorted(m.to[0] for m in mail.outbox) == sorted([mentee.email, manager.email])
    assert mail.outbox[0].subject.startswith("Mentorship completed")


@pytest.mark.parametrize("person", ["outsider", "other_manager", "other_mentee", "other_mentor"])
def test_nobody_else_can_end_it_even_calling_the_service(request, mentorship, person):
    someone = request.getfixturevalue(person)

    with pytest.raises(services.NotAllowed):
        services.end_mentorship(mentorship, by=someone, completed=True)

    mentorship = refreshed(mentorship)
    assert (mentorship.status, mentorship.ended_on) == (Status.ACTIVE, None)
    assert not mentorship.events.exists()


# --- The page ---------------------------------------------------------------------------


def test_the_first_submit_only_shows_what_will_happen(mentee_client, mentorship):
    reason = "Not a good fit & that's fine."

    response = mentee_client.post(end_url(mentorship), {"outcome": "ended_early", "reason": reason})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Are you sure you want to end the mentorship early?" in html
    assert "less than a week ago" in html
    assert "The mentor's place becomes free" in html
    assert 'name="confirmed" value="True"' in html
    assert f'value="{escape(reason)}"' in html  # kept, escaped, for the second submit
    mentorship = refreshed(mentorship)
    assert (mentorship.status, mentorship.ended_on) == (Status.ACTIVE, None)
    assert not mentorship.events.exists()


@pytest.mark.parametrize("person", ["mentee", "mentor", "manager"])
def test_each_of_the_three_can_mark_it_complete(request, sign_in, person, mentorship):
    response = sign_in(person).post(end_url(mentorship), {"outcome": "completed", **CONFIRMED})

    assert response.status_code == 302
    assert response["Location"] == page_url(mentorship)
    mentorship = refreshed(mentorship)
    assert mentorship.status == Status.COMPLETED
    assert mentorship.ended_on is not None
    assert mentorship.ended_by == request.getfixturevalue(person)
    assert mentorship.end_reason == ""
    assert [e.action for e in mentorship.events.all()] == [Action.COMPLETED]


def test_ending_early_records_the_reason(sign_in, mentor, mentorship):
    client = sign_in("mentor")

    response = client.post(
        end_url(mentorship),
        {"outcome": "ended_early", "reason": "I am moving to Scotland.", **CONFIRMED},
    )

    assert response.status_code == 302
    mentorship = refreshed(mentorship)
    assert mentorship.status == Status.ENDED_EARLY
    assert mentorship.end_reason == "I am moving to Scotland."
    assert mentorship.events.filter(action=Action.ENDED_EARLY, actor=mentor).count() == 1
    html = client.get(page_url(mentorship)).content.decode()
    assert "I am moving to Scotland." in html
    assert "Ended early" in html
    assert end_url(mentorship) not in html


def test_a_completed_mentorship_keeps_no_early_ending_reason(sign_in, mentorship):
    sign_in("mentee").post(
        end_url(mentorship), {"outcome": "completed", "reason": "Typed.", **CONFIRMED}
    )

    mentorship = refreshed(mentorship)
    assert (mentorship.status, mentorship.end_reason) == (Status.COMPLETED, "")


def test_ending_early_without_a_reason_is_refused(sign_in, mentorship):
    response = sign_in("mentee").post(end_url(mentorship), {"outcome": "ended_early"})

    html = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_reason"' in html
    assert 'id="id_reason-error"' in html
    assert html.count("Enter why the mentorship is ending early") >= 2
    assert refreshed(mentorship).status == Status.ACTIVE
    assert not mentorship.events.exists()


def test_no_outcome_chosen_is_refused(sign_in, mentorship):
    response = sign_in("mentee").post(end_url(mentorship), {})

    html = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_outcome_0"' in html
    assert "Select whether the mentorship is complete or ending early" in html
    assert refreshed(mentorship).status == Status.ACTIVE


def test_ending_twice_is_409_and_changes_nothing(sign_in, mentorship):
    client = sign_in("mentee")
    client.post(end_url(mentorship), {"outcome": "completed", **CONFIRMED})
    ended_on = refreshed(mentorship).ended_on

    response = client.post(
        end_url(mentorship), {"outcome": "ended_early", "reason": "Again.", **CONFIRMED}
    )

    assert response.status_code == 409
    assert "This mentorship is already completed." in response.content.decode()
    mentorship = refreshed(mentorship)
    assert (mentorship.status, mentorship.ended_on, mentorship.end_reason) == (
        Status.COMPLETED,
        ended_on,
        "",
    )
    assert mentorship.events.count() == 1


def test_another_mentor_of_the_programme_gets_404(sign_in, mentorship):
    response = sign_in("other_mentor").post(
        end_url(mentorship), {"outcome": "completed", **CONFIRMED}
    )

    assert response.status_code == 404
    assert refreshed(mentorship).status == Status.ACTIVE
