"""Ending a mentorship from its page: there is no one-click ending any more. The page offers
each person the next step (ask to complete, confirm, withdraw, end early), each through its
own confirmation page. The transitions themselves: tests/journey/test_completion.py,
test_ending_early.py and test_not_a_good_fit.py. The admin and demo shortcut is here."""

import pytest
from django.contrib.admin.sites import site
from django.urls import reverse

from mentorship import services
from mentorship.models import Action, MentorProfile, Mentorship, OutboxEmail
from tests.factories import new_mentorship
from tests.mentorship.helpers import refreshed

pytestmark = pytest.mark.django_db
Status = Mentorship.Status


@pytest.fixture
def mentorship(programme, mentee, mentor, manager):
    """Five weeks in, so it may be completed."""
    return new_mentorship(mentee, mentor, programme, weeks_ago=5)


def page_url(mentorship):
    return reverse("mentorship:mentorship_detail", args=[mentorship.pk])


def url(name, mentorship):
    return reverse(f"mentorship:{name}", args=[mentorship.pk])


def links_on_page(client, mentorship):
    """Which ending steps the page offers this person."""
    html = client.get(page_url(mentorship)).content.decode()
    names = ("propose_completion", "confirm_completion", "withdraw_completion", "end_early")
    return {name for name in names if f'{url(name, mentorship)}"' in html}


# --- What the page offers -------------------------------------------------------------------


def test_the_old_one_click_end_is_gone(mentee_client, mentorship):
    response = mentee_client.post(
        f"/mentorships/{mentorship.pk}/end/", {"outcome": "completed", "confirmed": "True"}
    )

    assert response.status_code == 404
    assert refreshed(mentorship).status == Status.ACTIVE


@pytest.mark.parametrize("person", ["mentee", "mentor"])
def test_each_person_is_offered_to_ask_or_end_early(sign_in, person, mentorship):
    assert links_on_page(sign_in(person), mentorship) == {"propose_completion", "end_early"}


def test_the_manager_is_offered_to_complete_directly_or_end_early(manager_client, mentorship):
    assert links_on_page(manager_client, mentorship) == {"confirm_completion", "end_early"}


def test_after_asking_each_person_sees_their_own_next_step(sign_in, mentorship, mentee):
    services.propose_completion(mentorship, by=mentee)

    assert links_on_page(sign_in("mentee"), mentorship) == {"withdraw_completion", "end_early"}
    assert links_on_page(sign_in("mentor"), mentorship) == {"confirm_completion", "end_early"}


def test_an_ended_mentorship_offers_no_ending(sign_in, mentorship, manager):
    services.confirm_completion(mentorship, by=manager)

    for person in ("mentee", "mentor", "manager"):
        assert links_on_page(sign_in(person), mentorship) == set(), person


def test_the_things_due_link_lands_on_the_ending_section(mentor_client, mentorship, mentee):
    services.propose_completion(mentorship, by=mentee)

    home = mentor_client.get(reverse("mentorship:mentor_home")).content.decode()

    assert f"{page_url(mentorship)}#end" in home
    assert 'id="end"' in mentor_client.get(page_url(mentorship)).content.decode()


# --- The shortcut for the admin, the demo data and tests ------------------------------------


def test_the_shortcut_completes_at_once_and_frees_the_place(mentorship, mentor, mentee):
    def free_places():
        return MentorProfile.objects.with_free_places().get(user=mentor).free_places

    before = free_places()

    services.end_mentorship(mentorship, by=mentee, completed=True)

    mentorship = refreshed(mentorship)
    assert (mentorship.status, mentorship.ended_by) == (Status.COMPLETED, mentee)
    assert free_places() == before + 1
    assert mentorship.events.filter(action=Action.COMPLETED).count() == 1
    assert OutboxEmail.objects.filter(kind="mentorship_completed").count() == 2


def test_the_shortcut_ends_early_with_a_reason(mentorship, mentee):
    with pytest.raises(services.InvalidTransition, match="Say why"):
        services.end_mentorship(mentorship, by=mentee, completed=False)

    services.end_mentorship(mentorship, by=mentee, completed=False, reason="Moved to Leeds.")

    mentorship = refreshed(mentorship)
    assert (mentorship.status, mentorship.ended_because, mentorship.end_reason) == (
        Status.ENDED_EARLY,
        Mentorship.EndedBecause.OTHER,
        "Moved to Leeds.",
    )


@pytest.mark.parametrize("person", ["outsider", "other_manager", "other_mentee", "other_mentor"])
def test_nobody_else_can_use_the_shortcut(request, mentorship, person):
    with pytest.raises(services.NotAllowed):
        services.end_mentorship(mentorship, by=request.getfixturevalue(person), completed=True)

    assert refreshed(mentorship).status == Status.ACTIVE


def test_the_admin_action_completes_the_selected_mentorships(rf, mentorship, staff):
    from django.contrib.messages.storage.fallback import FallbackStorage

    admin = site._registry[Mentorship]
    http_request = rf.post("/admin/")
    http_request.user = staff
    http_request.session = {}
    http_request._messages = FallbackStorage(http_request)

    admin.complete(http_request, Mentorship.objects.filter(pk=mentorship.pk))

    assert refreshed(mentorship).status == Status.COMPLETED
