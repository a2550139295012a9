"""Ending a mentorship early: either person or a programme manager, with a category and a
reason that are kept and shown, through a page that says what will happen."""

import pytest
from django.urls import reverse
from django.utils import timezone

from mentorship import services
from mentorship.models import Action, MentorProfile, Mentorship, OutboxEmail
from tests.mentorship.helpers import assert_field_error, refreshed

pytestmark = pytest.mark.django_db
Status = Mentorship.Status
Because = Mentorship.EndedBecause


def end_url(mentorship):
    return reverse("mentorship:end_early", args=[mentorship.pk])


def page_url(mentorship):
    return reverse("mentorship:mentorship_detail", args=[mentorship.pk])


def actions(mentorship):
    return [e.action for e in mentorship.events.exclude(action=Action.STARTED)]


def emails_to(kind):
    return sorted(OutboxEmail.objects.filter(kind=kind).values_list("to_email", flat=True))


# --- The service ----------------------------------------------------------------------------


@pytest.mark.parametrize("person", ["mentee", "mentor", "manager"])
def test_each_of_the_three_can_end_it_early_with_a_category_and_a_reason(
    request, active_mentorship, person
):
    someone = request.getfixturevalue(person)

    services.end_early(
        active_mentorship, by=someone, because=Because.CIRCUMSTANCES, reason=" Moved to Leeds. "
    )

    mentorship = refreshed(active_mentorship)
    assert mentorship.status == Status.ENDED_EARLY
    assert (mentorship.ended_on, mentorship.ended_by) == (timezone.localdate(), someone)
    assert (mentorship.ended_because, mentorship.end_reason) == (
        Because.CIRCUMSTANCES,
        "Moved to Leeds.",
    )
    [event] = mentorship.events.exclude(action=Action.STARTED)
    assert (event.action, event.actor, event.note) == (
        Action.ENDED_EARLY,
        someone,
        "Moved to Leeds.",
    )


def test_ending_early_needs_a_reason(active_mentorship, mentee):
    for reason in ("", "   "):
        with pytest.raises(services.InvalidTransition, match="Say why"):
            services.end_early(
                active_mentorship, by=mentee, because=Because.CIRCUMSTANCES, reason=reason
            )

    assert refreshed(active_mentorship).status == Status.ACTIVE
    assert actions(active_mentorship) == []


def test_ending_early_needs_a_known_category(active_mentorship, mentee):
    with pytest.raises(services.InvalidTransition, match="Choose why"):
        services.end_early(active_mentorship, by=mentee, because="bored", reason="Bored.")

    assert refreshed(active_mentorship).status == Status.ACTIVE


def test_ending_early_is_allowed_on_day_one(mentee, mentor, programme, manager):
    from tests.factories import new_mentorship

    mentorship = new_mentorship(mentee, mentor, programme)

    services.end_early(mentorship, by=mentor, because=Because.OTHER, reason="Posted abroad.")

    assert refreshed(mentorship).status == Status.ENDED_EARLY


def test_ending_early_frees_the_place_and_tells_the_other_person_and_the_managers(
    active_mentorship, mentee, mentor, manager
):
    def free_places():
        return MentorProfile.objects.with_free_places().get(user=mentor).free_places

    before = free_places()

    services.end_early(
        active_mentorship, by=mentee, because=Because.GOALS_MET_EARLY, reason="Got a GP post."
    )

    assert free_places() == before + 1
    assert emails_to("mentorship_ended") == sorted([mentor.email, manager.email])
    message = OutboxEmail.objects.get(kind="mentorship_ended", to_email=mentor.email)
    assert "Why: Goals met early" in message.body_text
    assert '"Got a GP post."' in message.body_text
    assert "Got a GP post." in message.body_html


def test_ending_twice_changes_nothing(active_mentorship, mentee, mentor):
    services.end_early(active_mentorship, by=mentee, because=Because.OTHER, reason="First.")

    with pytest.raises(services.InvalidTransition, match="already ended early"):
        services.end_early(active_mentorship, by=mentor, because=Because.OTHER, reason="Again.")

    mentorship = refreshed(active_mentorship)
    assert (mentorship.ended_by, mentorship.end_reason) == (mentee, "First.")
    assert actions(mentorship) == [Action.ENDED_EARLY]


@pytest.mark.parametrize("person", ["outsider", "other_manager", "other_mentee", "other_mentor"])
def test_nobody_else_can_end_it_even_calling_the_service(request, active_mentorship, person):
    someone = request.getfixturevalue(person)

    with pytest.raises(services.NotAllowed):
        services.end_early(active_mentorship, by=someone, because=Because.OTHER, reason="No.")

    assert refreshed(active_mentorship).status == Status.ACTIVE
    assert actions(active_mentorship) == []


# --- The page -------------------------------------------------------------------------------


def test_the_page_says_what_will_happen_and_changes_nothing(mentee_client, active_mentorship):
    response = mentee_client.get(end_url(active_mentorship))

    html = response.content.decode()
    assert response.status_code == 200
    assert "End the mentorship early" in html
    assert "The mentorship ends today. You cannot undo this." in html
    assert "The mentor's place becomes free" in html
    assert "Not a good fit" in html and "A change of circumstances" in html
    assert refreshed(active_mentorship).status == Status.ACTIVE
    assert actions(active_mentorship) == []


def test_the_page_can_start_with_not_a_good_fit_chosen(manager_client, active_mentorship):
    response = manager_client.get(end_url(active_mentorship), {"because": "not_a_good_fit"})

    assert response.context["form"]["because"].initial == Because.NOT_A_GOOD_FIT


def test_ending_early_through_the_page_keeps_and_shows_the_reason(
    mentor_client, active_mentorship, mentor
):
    response = mentor_client.post(
        end_url(active_mentorship),
        {"because": "circumstances", "reason": "I am moving to Scotland."},
    )

    assert response.status_code == 302
    assert response["Location"] == page_url(active_mentorship) + "#end"
    mentorship = refreshed(active_mentorship)
    assert (mentorship.status, mentorship.ended_because, mentorship.end_reason) == (
        Status.ENDED_EARLY,
        Because.CIRCUMSTANCES,
        "I am moving to Scotland.",
    )
    html = mentor_client.get(page_url(mentorship)).content.decode()
    assert "I am moving to Scotland." in html
    assert "A change of circumstances" in html
    assert "Ended early" in html
    assert end_url(mentorship) not in html


def test_no_reason_is_a_form_error_and_nothing_changes(mentee_client, active_mentorship):
    response = mentee_client.post(
        end_url(active_mentorship), {"because": "circumstances", "reason": "  "}
    )

    assert_field_error(response, "id_reason", "Enter why the mentorship is ending early")
    assert refreshed(active_mentorship).status == Status.ACTIVE
    assert actions(active_mentorship) == []


def test_no_category_is_a_form_error_and_nothing_changes(mentee_client, active_mentorship):
    response = mentee_client.post(end_url(active_mentorship), {"reason": "Moving."})

    assert_field_error(
        response,
        "id_because_0",
        "Select why the mentorship is ending early",
        error_id="id_because",
    )
    assert refreshed(active_mentorship).status == Status.ACTIVE


def test_an_ended_mentorship_has_no_end_page(mentee_client, active_mentorship, mentee):
    services.end_early(active_mentorship, by=mentee, because=Because.OTHER, reason="Done.")

    for response in (
        mentee_client.get(end_url(active_mentorship)),
        mentee_client.post(end_url(active_mentorship), {"because": "other", "reason": "Again."}),
    ):
        assert response.status_code == 409
        assert "This mentorship is already ended early." in response.content.decode()
    assert refreshed(active_mentorship).end_reason == "Done."


def test_a_manager_without_mfa_is_sent_to_set_it_up(sign_in, active_mentorship):
    response = sign_in("manager_without_mfa").post(
        end_url(active_mentorship), {"because": "other", "reason": "Tidy up."}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    assert refreshed(active_mentorship).status == Status.ACTIVE


@pytest.mark.parametrize("person", ["outsider", "other_mentee", "other_mentor", "other_manager"])
def test_strangers_and_other_programmes_managers_get_404(sign_in, person, active_mentorship):
    client = sign_in(person)

    assert client.get(end_url(active_mentorship)).status_code == 404
    response = client.post(end_url(active_mentorship), {"because": "other", "reason": "Mine."})
    assert response.status_code == 404
    assert refreshed(active_mentorship).status == Status.ACTIVE
