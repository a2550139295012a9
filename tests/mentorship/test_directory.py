import pytest
from django.db import connection
from django.urls import reverse

from accounts.models import User
from mentorship.models import Goal, MentorMembership, MentorProfile, Region, Specialty
from tests.factories import (
    MentorMembershipFactory,
    MentorProfileFactory,
    MentorshipFactory,
    region,
    specialty,
)

pytestmark = pytest.mark.django_db


def directory(client, programme, **params):
    return client.get(reverse("mentorship:directory", args=[programme.slug]), params)


def names(response) -> list[str]:
    return [p.user.full_name for p in response.context["page"].object_list]


def add_mentor(programme, name, **profile):
    goals = profile.pop("goals", None)
    mentor = MentorProfileFactory(user__full_name=name, goals=goals, **profile)
    MentorMembershipFactory(programme=programme, user=mentor.user)
    return mentor


@pytest.fixture
def mentors(programme):
    gp = add_mentor(
        programme,
        "Dr Alice Gp",
        bio="Leads the Calderdale primary care network.",
        goals=["career-move", "leadership"],
    )
    geri = add_mentor(
        programme,
        "Dr Bola Geri",
        primary_specialty=specialty("geriatric-medicine"),
        region=region("north-west"),
        goals=["quality-improvement"],
        in_person=False,
        shadowing=True,
        job_title="Consultant Geriatrician",
        bio="Runs frailty clinics.",
    )
    psych = add_mentor(
        programme,
        "Dr Cara Psych",
        primary_specialty=specialty("psychiatry"),
        organisation="Pennine Care",
        goals=["postgraduate-exams"],
        capacity=1,
        bio="Trains psychiatry registrars.",
    )
    geri.other_specialties.add(specialty("acute-internal-medicine"))
    MentorshipFactory(programme=programme, mentor=psych.user)  # psych is now full
    return {"gp": gp, "geri": geri, "psych": psych}


def test_accepted_mentees_see_the_programmes_vetted_mentors_by_name(
    client, mentee, programme, mentors
):
    unvetted = MentorProfileFactory(user__full_name="Dr Aaron Unvetted")
    MentorMembershipFactory(programme=programme, user=unvetted.user, status="applied")
    client.force_login(mentee)

    response = directory(client, programme)

    assert response.status_code == 200
    assert names(response) == ["Dr Alice Gp", "Dr Bola Geri", "Dr Cara Psych"]
    html = response.content.decode()
    assert "3 mentors" in html
    assert "Dr Aaron Unvetted" not in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"specialty": "geriatric-medicine"}, ["Dr Bola Geri"]),
        ({"specialty": "acute-internal-medicine"}, ["Dr Bola Geri"]),  # an "other" specialty
        ({"region": "north-west"}, ["Dr Bola Geri"]),
        ({"goal": "leadership"}, ["Dr Alice Gp"]),
        ({"format": "shadowing"}, ["Dr Bola Geri"]),
        ({"format": "in_person"}, ["Dr Alice Gp", "Dr Cara Psych"]),
        ({"free_place": "on"}, ["Dr Alice Gp", "Dr Bola Geri"]),
        ({"q": "pennine"}, ["Dr Cara Psych"]),
        ({"q": "geriatrician"}, ["Dr Bola Geri"]),
        ({"q": "calderdale network"}, ["Dr Alice Gp"]),
        ({"q": "FRAILTY"}, ["Dr Bola Geri"]),
        ({"q": "bola"}, ["Dr Bola Geri"]),
        ({"q": "nobody-matches-this"}, []),
        ({"region": "london", "goal": "postgraduate-exams"}, ["Dr Cara Psych"]),
    ],
)
def test_filters_and_search_narrow_the_list(client, mentee, programme, mentors, params, expected):
    client.force_login(mentee)

    assert names(directory(client, programme, **params)) == expected


@pytest.mark.postgres
def test_postgres_search_matches_word_forms(client, mentee, programme, mentors):
    client.force_login(mentee)

    assert names(directory(client, programme, q="leading networks")) == ["Dr Alice Gp"]


def test_a_paused_mentor_is_not_counted_as_having_a_free_place(client, mentee, programme, mentors):
    mentors["gp"].is_accepting_requests = False
    mentors["gp"].save()
    client.force_login(mentee)

    response = directory(client, programme, free_place="on")

    assert names(response) == ["Dr Bola Geri"]
    assert "Not taking requests" in directory(client, programme).content.decode()


def test_an_unknown_filter_code_gets_a_message_not_an_error(client, mentee, programme, mentors):
    client.force_login(mentee)

    response = directory(client, programme, specialty="astrology")

    assert response.status_code == 200
    assert "Select a specialty from the list" in response.content.decode()
    assert len(names(response)) == 3


def test_the_directory_shows_20_mentors_a_page(client, mentee, programme):
    bulk_mentors(programme, 45)
    client.force_login(mentee)

    first = directory(client, programme)
    third = directory(client, programme, page=3)
    beyond = directory(client, programme, page=99)

    assert len(names(first)) == 20
    assert len(names(third)) == 5
    assert names(beyond) == names(third)
    assert "Page 2 of 3" in first.content.decode()


def test_the_mentor_page_shows_the_profile(client, mentee, programme, mentors):
    client.force_login(mentee)
    geri = mentors["geri"]

    response = client.get(reverse("mentorship:mentor_detail", args=[programme.slug, geri.user_id]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Consultant Geriatrician" in html
    assert "Acute Internal Medicine" in html
    assert "GMC" not in html


def test_a_mentor_of_another_programme_is_404_here(client, mentee, programme, other_programme):
    elsewhere = add_mentor(other_programme, "Dr Elsewhere")
    client.force_login(mentee)

    response = client.get(
        reverse("mentorship:mentor_detail", args=[programme.slug, elsewhere.user_id])
    )

    assert response.status_code == 404


def bulk_mentors(programme, count: int) -> None:
    """Many mentors fast: bulk inserts, with goals and other specialties, like real ones."""
    start = User.objects.count()
    users = User.objects.bulk_create(
        User(
            email=f"bulk{start + i}@example.org", full_name=f"Dr Bulk {start + i:05d}", password="!"
        )
        for i in range(count)
    )
    gp = Specialty.objects.get(code="general-practice")
    london = Region.objects.get(code="london")
    profiles = MentorProfile.objects.bulk_create(
        MentorProfile(
            user=u,
            job_title="GP",
            organisation="Practice",
            primary_specialty=gp,
            region=london,
            virtual=True,
        )
        for u in users
    )
    MentorMembership.objects.bulk_create(
        MentorMembership(programme=programme, user=u, status="approved") for u in users
    )
    leadership = Goal.objects.get(code="leadership")
    goal_through = MentorProfile.goals.through
    goal_through.objects.bulk_create(
        goal_through(mentorprofile=p, goal=leadership) for p in profiles
    )
    other_through = MentorProfile.other_specialties.through
    other_through.objects.bulk_create(
        other_through(mentorprofile=p, specialty=gp) for p in profiles
    )


def count_queries(client, programme, **params) -> int:
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = directory(client, programme, **params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_a_directory_page_runs_the_same_queries_for_10_or_10000_mentors(
    client, mentee, programme, other_programme
):
    """Ranked for a mentee, by name for a manager, filtered or not; with the cached mentor
    pool ("warm") and right after it was forgotten ("cold")."""
    from matching.services import forget_pools

    client.force_login(mentee)
    filters = {"q": "bulk", "goal": "leadership"}

    def measure() -> dict[str, int]:
        forget_pools([programme.pk])  # bulk inserts send no signals: forget by hand
        return {
            "cold": count_queries(client, programme),
            "warm": count_queries(client, programme),
            "filtered": count_queries(client, programme, **filters),
            "by_name": count_queries(client, programme, order="name", page=2, **filters),
        }

    bulk_mentors(programme, 10)
    small = measure()
    bulk_mentors(programme, 9_990)
    large = measure()

    assert large == small
    assert small["warm"] < small["cold"]


def test_mentees_see_mentors_ranked_by_match_with_the_reasons(client, mentee, programme, mentors):
    client.force_login(mentee)

    response = directory(client, programme)

    # The mentee wants General Practice, with career move and leadership as goals.
    assert names(response)[0] == "Dr Alice Gp"
    html = response.content.decode()
    assert "% match" in html
    assert "Same target specialty: General Practice" in html
    first = response.context["page"].object_list[0]
    assert first.match == max(p.match or 0 for p in response.context["page"].object_list)


def test_name_order_is_still_available(client, mentee, programme, mentors):
    client.force_login(mentee)

    response = directory(client, programme, order="name")

    assert names(response) == ["Dr Alice Gp", "Dr Bola Geri", "Dr Cara Psych"]
    assert "% match" not in response.content.decode()


def test_a_full_mentor_comes_last_without_a_score(client, mentee, programme, mentors):
    client.force_login(mentee)

    page = directory(client, programme).context["page"]

    assert page.object_list[-1].user.full_name == "Dr Cara Psych"
    assert page.object_list[-1].match is None


def test_filters_apply_to_the_ranked_list_too(client, mentee, programme, mentors):
    client.force_login(mentee)

    assert names(directory(client, programme, free_place="on")) == ["Dr Alice Gp", "Dr Bola Geri"]
    assert names(directory(client, programme, q="frailty")) == ["Dr Bola Geri"]


def test_managers_see_name_order_without_scores(client, manager, with_mfa, programme, mentors):
    with_mfa(manager)
    client.force_login(manager)

    response = directory(client, programme)

    assert names(response) == ["Dr Alice Gp", "Dr Bola Geri", "Dr Cara Psych"]
    assert "% match" not in response.content.decode()


def test_a_mentee_who_also_mentors_does_not_see_themself(client, mentee, programme, mentors):
    MentorProfileFactory(user=mentee)
    MentorMembershipFactory(programme=programme, user=mentee)
    client.force_login(mentee)

    for order in ("match", "name"):
        assert mentee.full_name not in names(directory(client, programme, order=order))


def test_the_mentor_page_shows_the_full_explanation(client, mentee, programme, mentors):
    client.force_login(mentee)

    response = client.get(
        reverse("mentorship:mentor_detail", args=[programme.slug, mentors["gp"].user_id])
    )

    html = response.content.decode()
    assert "% match for you" in html
    assert "Same target specialty: General Practice" in html
    assert "Supports both of your goals" in html


def test_search_finds_a_mentor_by_their_new_name(client, mentee, programme, mentors):
    user = mentors["bola"].user if "bola" in mentors else mentors["geri"].user
    user.full_name = "Dr Bolanle Adeyemi-Hart"
    user.save()
    client.force_login(mentee)

    assert names(directory(client, programme, q="adeyemi")) == ["Dr Bolanle Adeyemi-Hart"]
