"""Who is still waiting for a mentor in a programme: the one rule behind match runs, the
weights preview and "needs attention"."""

import pytest

from mentorship.models import MenteeMembership, Mentorship
from mentorship.services import end_mentorship
from tests.factories import new_mentee, new_mentor, new_mentorship

pytestmark = pytest.mark.django_db


def waiting(programme):
    return set(
        MenteeMembership.objects.waiting_for_a_mentor(programme).values_list("user_id", flat=True)
    )


def test_an_accepted_mentee_without_a_mentor_is_waiting(programme, mentee):
    assert waiting(programme) == {mentee.pk}


def test_a_matched_mentee_is_not_waiting(programme, mentee, mentor, manager):
    new_mentorship(mentee, mentor, programme)
    assert waiting(programme) == set()


def test_a_mentee_whose_mentorship_was_completed_is_not_waiting_again(
    programme, mentee, mentor, manager
):
    mentorship = new_mentorship(mentee, mentor, programme, weeks_ago=16)
    Mentorship.objects.filter(pk=mentorship.pk).update(status=Mentorship.Status.COMPLETED)
    assert waiting(programme) == set()


def test_a_mentee_whose_mentorship_ended_early_is_waiting_again(programme, mentee, manager):
    mentor = new_mentor(programme, "Dr Helen Achterberg")
    mentorship = new_mentorship(mentee, mentor, programme, weeks_ago=2)
    end_mentorship(mentorship, by=manager, completed=False, reason="Moved trust.")
    mentorship.refresh_from_db()
    assert mentorship.status == Mentorship.Status.ENDED_EARLY
    other = new_mentee(programme, "Dr Sana Adeyemi")
    assert waiting(programme) == {mentee.pk, other.pk}
