"""The Django layer: features from profiles, the cached pool, ranking and explanations."""

import pytest

from matching.reasons import render_all
from matching.services import (
    explain_match,
    forget_pools,
    mentee_features,
    mentor_features,
    mentor_pool,
    rank_mentors,
)
from mentorship.models import MenteeProfile, MentorProfile
from tests.factories import (
    MentorMembershipFactory,
    MentorProfileFactory,
    MentorshipFactory,
    language,
    region,
    specialty,
)

pytestmark = pytest.mark.django_db


def _mentor(programme, name, **fields):
    goals = fields.pop("goals", None)
    profile = MentorProfileFactory(user__full_name=name, goals=goals, **fields)
    MentorMembershipFactory(programme=programme, user=profile.user)
    return profile


@pytest.fixture
def profile(mentee):
    profile = MenteeProfile.objects.get(user=mentee)
    profile.languages.add(language("yoruba"))
    return profile


def test_mentee_features_come_from_the_profile(profile):
    features = mentee_features(profile)

    assert features.id == profile.user_id
    assert features.target_specialty == "general-practice"
    assert features.current_specialty == "geriatric-medicine"
    assert features.goals == ("career-move", "leadership")
    assert features.region == "london"
    assert features.formats == {"virtual"}
    assert features.country == "NG"
    assert features.languages == {"yoruba"}


def test_a_paused_or_full_mentor_has_no_free_places_for_the_engine(programme):
    open_ = _mentor(programme, "Dr Open", capacity=3)
    MentorshipFactory(programme=programme, mentor=open_.user)
    paused = _mentor(programme, "Dr Paused", is_accepting_requests=False)

    assert mentor_features(MentorProfile.objects.with_free_places().get(pk=open_.pk)).capacity == 2
    assert mentor_features(paused).capacity == 0


def test_mentors_are_ranked_best_first_and_unavailable_ones_last(profile, programme):
    gp = _mentor(programme, "Dr Gp", goals=["career-move", "leadership"])
    cardio = _mentor(
        programme,
        "Dr Cardio",
        primary_specialty=specialty("cardiology"),
        goals=["research"],
        region=region("wales"),
    )
    paused = _mentor(programme, "Dr Paused Gp", is_accepting_requests=False)

    ranking = rank_mentors(profile, programme)

    assert ranking.ids.tolist() == [gp.user_id, cardio.user_id, paused.user_id]
    assert ranking.score_of(gp.user_id) > ranking.score_of(cardio.user_id)
    assert ranking.score_of(paused.user_id) is None


def test_the_mentor_page_explains_the_same_score_the_directory_ranks_by(profile, programme):
    gp = _mentor(programme, "Dr Gp", goals=["career-move"], is_img=True, qualification_country="NG")
    gp = MentorProfile.objects.with_free_places().get(pk=gp.pk)

    ranked = rank_mentors(profile, programme).score_of(gp.user_id)
    explanation = explain_match(profile, gp, programme)

    assert explanation.total == pytest.approx(ranked, abs=1e-9)
    said = render_all(explanation.reasons, "mentee")
    assert "Same target specialty: General Practice" in said
    assert "Also qualified abroad, in Nigeria like you" in said
    assert any(
        r.startswith("Supports 1 of your 2 goals, including your top goal: Career move")
        for r in said
    )


def test_a_paused_mentor_is_explained_as_not_taking_requests(profile, programme):
    paused = _mentor(programme, "Dr Paused", is_accepting_requests=False)

    explanation = explain_match(profile, paused, programme)

    assert not explanation.allowed
    assert explanation.blocked_reason == "This mentor is not taking new requests at the moment."


def test_the_programmes_weights_change_the_scores(profile, programme):
    cardio = _mentor(
        programme,
        "Dr Cardio",
        primary_specialty=specialty("cardiology"),
        goals=["career-move", "leadership"],
    )
    before = rank_mentors(profile, programme).score_of(cardio.user_id)

    programme.weight_specialty = 0
    programme.save()

    assert rank_mentors(profile, programme).score_of(cardio.user_id) > before


def test_the_pool_is_cached_and_forgotten_when_a_mentor_changes(
    profile, programme, django_assert_num_queries, django_capture_on_commit_callbacks
):
    gp = _mentor(programme, "Dr Gp")
    mentor_pool(programme)

    with django_assert_num_queries(0):
        assert len(mentor_pool(programme)) == 1

    with django_capture_on_commit_callbacks(execute=True):
        gp.is_accepting_requests = False
        gp.save()

    assert mentor_pool(programme).capacities.tolist() == [0]


@pytest.mark.parametrize("change", ["goals", "membership", "mentorship", "specialty"])
def test_each_kind_of_change_forgets_the_pool(
    profile, programme, change, django_capture_on_commit_callbacks
):
    from mentorship.models import Goal, MentorMembership

    gp = _mentor(programme, "Dr Gp", goals=["career-move"])
    before = rank_mentors(profile, programme).score_of(gp.user_id)

    with django_capture_on_commit_callbacks(execute=True):
        if change == "goals":
            gp.goals.add(Goal.objects.get(code="leadership"))
        elif change == "membership":
            MentorMembership.objects.filter(user=gp.user).update(status="removed")
            MentorMembership.objects.get(user=gp.user).save()
        elif change == "mentorship":
            MentorshipFactory(programme=programme, mentor=gp.user)
        else:
            gp_specialty = specialty("general-practice")
            gp_specialty.name = "General Practice (GP)"
            gp_specialty.save()

    after = rank_mentors(profile, programme).score_of(gp.user_id)
    if change == "membership":
        assert gp.user_id not in rank_mentors(profile, programme).ids.tolist()
    elif change == "specialty":
        assert after == before  # forgotten and rebuilt: same data, same score
        assert explain_match(profile, gp, programme).reasons[0]["specialty"] == (
            "General Practice (GP)"
        )
    else:
        assert after != before


def test_forgetting_one_programme_keeps_the_others_cached(
    profile, programme, other_programme, django_assert_num_queries
):
    _mentor(programme, "Dr Here")
    _mentor(other_programme, "Dr There")
    mentor_pool(programme)
    mentor_pool(other_programme)

    forget_pools([programme.pk])

    with django_assert_num_queries(0):
        mentor_pool(other_programme)


def test_the_pool_builder_gives_the_same_features_as_one_profile_at_a_time(programme):
    from matching.services import programme_mentor_features

    a = _mentor(
        programme,
        "Dr A",
        goals=["leadership", "research"],
        is_img=True,
        qualification_country="PK",
        shadowing=True,
    )
    a.other_specialties.add(specialty("cardiology"), specialty("general-practice"))
    a.languages.add(language("urdu"), language("punjabi"))
    b = _mentor(programme, "Dr B", goals=[], is_accepting_requests=False, region=None)
    c = _mentor(programme, "Dr C", capacity=2)
    MentorshipFactory(programme=programme, mentor=c.user)

    one_by_one = [
        mentor_features(MentorProfile.objects.with_free_places().get(pk=p.pk))
        for p in sorted([a, b, c], key=lambda p: p.user_id)
    ]

    assert programme_mentor_features(programme) == one_by_one


def test_with_the_cache_down_the_pool_is_built_per_request_and_changes_still_save(
    profile, programme, settings, django_capture_on_commit_callbacks
):
    import redis
    from django.core.cache import cache

    gp = _mentor(programme, "Dr Gp")
    settings.CACHES = {  # Django's test signals swap the cache handler for this test
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens here
        }
    }
    with pytest.raises(redis.ConnectionError):
        cache.get("anything")

    assert rank_mentors(profile, programme).ids.tolist() == [gp.user_id]
    with django_capture_on_commit_callbacks(execute=True):
        gp.capacity = 3
        gp.save()
    assert MentorProfile.objects.get(pk=gp.pk).capacity == 3


def test_equal_scores_rank_the_lower_user_id_first_and_blocked_mentors_last_in_id_order(
    programme, mentee
):
    """rank_mentors' tie-breaks (issue 9, item 25)."""
    from matching.services import rank_mentors
    from mentorship import services as mentorship_services
    from tests.factories import MentorMembershipFactory, MentorProfileFactory

    twins = [MentorProfileFactory().user for _ in range(3)]  # identical profiles: equal scores
    paused = MentorProfileFactory(is_accepting_requests=False).user
    for user in [*twins, paused]:
        MentorMembershipFactory(programme=programme, user=user)
    declined = twins[0]
    mentor_request = mentorship_services.request_mentor(mentee, declined, programme)
    mentorship_services.decline_request(mentor_request, by=declined, reason="no_time")

    ranking = rank_mentors(mentee.mentee_profile, programme)

    allowed = sorted(u.pk for u in twins[1:])
    blocked = sorted([declined.pk, paused.pk])
    assert ranking.ids.tolist() == allowed + blocked
    assert ranking.score_of(allowed[0]) == ranking.score_of(allowed[1])
    assert ranking.score_of(declined.pk) is None
