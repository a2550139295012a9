"""Re-pairing when it is not a good fit: the mentorship ends early without blame, the
mentor's place returns, and the mentee is offered mentors again, never that one in this
programme (directory, mentor page, requests, proposals and the matching engine)."""

import pytest
from django.test import Client
from django.urls import reverse

from matching import runs
from matching.runs.load import load_cohort
from matching.services import excluded_pairs, rank_mentors
from mentorship import services
from mentorship.models import (
    Action,
    AskCheck,
    MenteeProfile,
    MentorProfile,
    Mentorship,
    OutboxEmail,
)
from tests.factories import (
    MenteeMembershipFactory,
    MentorMembershipFactory,
    UserFactory,
    new_mentee,
    new_mentor,
    new_mentorship,
)
from tests.mentorship.helpers import directory, names, refreshed

pytestmark = pytest.mark.django_db
Status = Mentorship.Status
Because = Mentorship.EndedBecause


@pytest.fixture
def ended(active_mentorship, manager, other_mentor):
    """The manager ended it as not a good fit after a check-in alert; Dr Helen Achebe
    (`other_mentor`) is another mentor of the programme with free places."""
    return services.end_as_not_a_good_fit(
        active_mentorship, by=manager, reason="We talked: their goals do not overlap enough."
    )


def free_places(mentor):
    return MentorProfile.objects.with_free_places().get(user=mentor).free_places


def mentor_page(mentorship, mentor):
    return reverse("mentorship:mentor_detail", args=[mentorship.programme.slug, mentor.pk])


def test_it_ends_early_as_not_a_good_fit_with_its_own_event(ended, manager):
    mentorship = refreshed(ended)

    assert mentorship.status == Status.ENDED_EARLY
    assert mentorship.ended_because == Because.NOT_A_GOOD_FIT
    assert mentorship.end_reason == "We talked: their goals do not overlap enough."
    event = mentorship.events.get(action=Action.NOT_A_GOOD_FIT)
    assert (event.actor, event.programme_team_only) == (manager, False)
    assert not mentorship.events.filter(action=Action.ENDED_EARLY).exists()


def test_the_mentors_place_returns(active_mentorship, manager, mentor):
    before = free_places(mentor)

    services.end_as_not_a_good_fit(active_mentorship, by=manager, reason="Different goals.")

    assert free_places(mentor) == before + 1


def test_the_mentor_is_not_in_the_mentees_directory_any_more(
    ended, mentee_client, programme, other_mentor
):
    response = directory(mentee_client, programme)

    assert names(response) == ["Dr Helen Achebe"]
    assert "Dr Gareth Pryce" not in response.content.decode()
    assert directory(mentee_client, programme, order="name").context["page"].paginator.count == 1


def test_the_mentors_page_is_a_404_for_that_mentee_only(ended, mentee_client, mentor, programme):
    another_mentee = Client()
    another_mentee.force_login(new_mentee(programme, "Dr Chidi Okeke"))

    assert mentee_client.get(mentor_page(ended, mentor)).status_code == 404
    assert another_mentee.get(mentor_page(ended, mentor)).status_code == 200


def test_a_request_to_that_mentor_is_refused_and_another_mentor_can_be_asked(
    ended, mentee, mentor, other_mentor, programme
):
    with pytest.raises(services.InvalidTransition, match="not a good fit"):
        services.request_mentor(mentee, mentor, programme, message="Could we try again?")

    asked = services.request_mentor(mentee, other_mentor, programme, message="Hello")
    assert asked.mentor == other_mentor


def test_the_open_request_limit_still_applies(ended, mentee, other_mentor, programme):
    programme.max_open_requests = 1
    programme.save()
    services.request_mentor(mentee, other_mentor, programme)
    third = new_mentor(programme, "Dr Ines Ferreira")

    with pytest.raises(services.InvalidTransition, match="open requests at a time"):
        services.request_mentor(mentee, third, programme)


def test_the_programme_team_cannot_propose_that_mentor_again(ended, manager, mentee, mentor):
    with pytest.raises(services.InvalidTransition, match="not a good fit"):
        services.propose_match(
            ended.programme, mentee, mentor, by=manager, score=80.0, reasons=["Same goals"]
        )


def test_the_matching_engine_never_pairs_them_again_in_this_programme(
    ended, mentee, mentor, programme
):
    pair = (mentee.pk, mentor.pk)

    assert pair in excluded_pairs(mentee.pk, programme)
    assert pair in load_cohort(programme).excluded
    ranking = rank_mentors(MenteeProfile.objects.get(user=mentee), programme)
    assert ranking.score_of(mentor.pk) is None
    check = AskCheck.load(mentee, programme)
    assert mentor.pk in check.hidden


def test_a_match_run_proposes_another_mentor(
    ended, manager, mentee, mentor, other_mentor, programme, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run = runs.start_match_run(programme, by=manager, method="optimal")
    run.refresh_from_db()

    proposed = {(p.mentee_id, p.mentor_id) for p in run.proposals.filter(mentor__isnull=False)}
    assert (mentee.pk, mentor.pk) not in proposed
    assert (mentee.pk, other_mentor.pk) in proposed


def test_in_another_programme_the_pair_may_still_meet(ended, mentee, mentor, other_programme):
    MenteeMembershipFactory(programme=other_programme, user=mentee)
    MentorMembershipFactory(programme=other_programme, user=mentor)

    assert (mentee.pk, mentor.pk) not in excluded_pairs(mentee.pk, other_programme)
    services.request_mentor(mentee, mentor, other_programme)


def test_other_early_endings_do_not_keep_the_mentor_away(
    active_mentorship, mentee, mentee_client, programme, mentor
):
    services.end_early(active_mentorship, by=mentee, because=Because.CIRCUMSTANCES, reason="Leave.")

    assert "Dr Gareth Pryce" in names(directory(mentee_client, programme))
    assert (mentee.pk, mentor.pk) not in excluded_pairs(mentee.pk, programme)


def test_the_mentee_is_emailed_kindly_with_mentors_to_ask(ended, mentee, mentor):
    message = OutboxEmail.objects.get(kind="not_a_good_fit_mentee")

    assert message.to_email == mentee.email
    assert "This is not about anyone's fault." in message.body_text
    assert "Dr Helen Achebe" in message.body_text  # a mentor who can take them now
    assert message.body_text.count("Dr Gareth Pryce") == 2  # named, and said to be left out
    assert reverse("mentorship:directory", args=[ended.programme.slug]) in message.body_text
    assert "not about anyone" in message.body_html
    assert "Dr Helen Achebe" in message.body_html


def test_the_mentor_is_emailed_that_their_place_is_free(ended, mentor):
    message = OutboxEmail.objects.get(kind="not_a_good_fit_mentor")

    assert message.to_email == mentor.email
    assert "Your place is free again" in message.body_text
    assert "not about anyone's fault" in message.body_text
    assert "Your place is free again" in message.body_html


def test_the_other_managers_are_told_but_not_the_one_who_acted(
    active_mentorship, mentee, manager, programme
):
    colleague = UserFactory(full_name="Priya Raman")
    programme.managers.add(colleague)

    services.end_as_not_a_good_fit(active_mentorship, by=manager, reason="Different goals.")

    told = OutboxEmail.objects.filter(kind="mentorship_ended").values_list("to_email", flat=True)
    assert list(told) == [colleague.email]


def test_either_person_may_choose_it_through_the_page(
    mentor_client, active_mentorship, mentee, manager
):
    response = mentor_client.post(
        reverse("mentorship:end_early", args=[active_mentorship.pk]),
        {"because": "not_a_good_fit", "reason": "We want different things from it."},
    )

    assert response.status_code == 302
    mentorship = refreshed(active_mentorship)
    assert mentorship.ended_because == Because.NOT_A_GOOD_FIT
    assert OutboxEmail.objects.filter(kind="not_a_good_fit_mentee", to_email=mentee.email)
    assert OutboxEmail.objects.filter(kind="mentorship_ended", to_email=manager.email)


def test_the_mentees_pages_offer_mentors_again(ended, mentee_client, programme):
    home = mentee_client.get(reverse("mentorship:mentee_home")).content.decode()
    directory_url = reverse("mentorship:directory", args=[programme.slug])
    assert directory_url in home
    assert "Browse mentors" in home

    page = mentee_client.get(reverse("mentorship:mentorship_detail", args=[ended.pk]))
    html = page.content.decode()
    assert "Find another mentor" in html
    assert "nobody's fault" in html
    assert directory_url in html
    assert "Not a good fit" in html


def test_the_mentee_can_be_matched_again_in_the_programme(
    ended, mentee, other_mentor, programme, manager
):
    mentorship = new_mentorship(mentee, other_mentor, programme)

    assert mentorship.status == Status.ACTIVE
    assert Mentorship.objects.filter(mentee=mentee, programme=programme).count() == 2
