"""The directory ranks with the exclusions its AskCheck reads anyway (mentorship/directory.py,
ranking_exclusions); they must be the ranking's own (matching.services.excluded_pairs)."""

import pytest

from matching.services import excluded_pairs
from mentorship.directory import ranking_exclusions
from mentorship.models import AskCheck, Exclusion, MentorRequest
from tests.factories import MentorshipFactory, new_mentor, new_request
from tests.mentorship.helpers import directory, names

pytestmark = pytest.mark.django_db


def test_the_page_excludes_the_same_mentors_as_the_ranking(mentee, programme):
    declined = new_mentor(programme, "Dr Declined")
    new_request(mentee, declined, programme)
    MentorRequest.objects.filter(mentor=declined).update(status=MentorRequest.Status.DECLINED)
    ended = new_mentor(programme, "Dr Ended")
    MentorshipFactory(
        programme=programme,
        mentee=mentee,
        mentor=ended,
        status="ended_early",
        ended_because="not_a_good_fit",
    )
    named = new_mentor(programme, "Dr Named")
    Exclusion.objects.create(mentee=mentee, email=named.email)
    new_mentor(programme, "Dr Fine")

    pairs = ranking_exclusions(AskCheck.load(mentee, programme))

    assert sorted(pairs) == sorted(excluded_pairs(mentee.pk, programme))
    assert {m for _, m in pairs} == {declined.pk, ended.pk, named.pk}


def test_excluded_mentors_are_not_listed_and_a_declined_one_is_not_scored(
    mentee_client, mentee, programme
):
    declined = new_mentor(programme, "Dr Declined")
    new_request(mentee, declined, programme)
    MentorRequest.objects.filter(mentor=declined).update(status=MentorRequest.Status.DECLINED)
    named = new_mentor(programme, "Dr Named")
    Exclusion.objects.create(mentee=mentee, email=named.email)
    new_mentor(programme, "Dr Fine")

    response = directory(mentee_client, programme)

    assert names(response) == ["Dr Fine", "Dr Declined"]
    assert response.context["page"].object_list[1].match is None
