"""The weight preview tells the truth: a real match run with the new weights matches as many
mentees with the same total score, and the directory ranks mentors as the preview said."""

import pytest

from matching.models import MatchProposal
from matching.services import rank_mentors
from mentorship.models import MenteeProfile, Programme
from mentorship.services import programme_settings
from mentorship.weights_preview import preview_weights
from tests.matching.test_match_runs_execute import build_cohort, run_now

pytestmark = pytest.mark.django_db

NEW_WEIGHTS = {
    "weight_specialty": 5.0,
    "weight_goals": 10.0,
    "weight_region": 60.0,
    "weight_format": 0.0,
    "weight_img_experience": 25.0,
    "weight_capacity": 0.0,
}


def totals(run) -> tuple[int, float]:
    scores = MatchProposal.objects.filter(run=run, mentor__isnull=False).values_list(
        "score", flat=True
    )
    return run.matched_count, sum(scores)


@pytest.mark.parametrize("method", ["optimal"])
def test_the_preview_agrees_with_real_runs_before_and_after(
    programme, manager, django_capture_on_commit_callbacks, method
):
    build_cohort(programme)
    preview = preview_weights(programme, NEW_WEIGHTS)
    assert preview.cohort.method == method
    assert not preview.cohort.sampled

    before = run_now(programme, manager, method, capture=django_capture_on_commit_callbacks)
    programme_settings.change_programme_settings(
        programme,
        NEW_WEIGHTS,
        by=manager,
        version=programme_settings.settings_version(Programme.objects.get(pk=programme.pk)),
    )
    after = run_now(programme, manager, method, capture=django_capture_on_commit_callbacks)

    assert after.weights == {k.removeprefix("weight_"): v for k, v in NEW_WEIGHTS.items()}
    matched, total = totals(before)
    assert preview.cohort.matched_before == matched
    assert preview.cohort.total_before == pytest.approx(total)
    matched, total = totals(after)
    assert preview.cohort.matched_after == matched
    assert preview.cohort.total_after == pytest.approx(total)
    assert preview.cohort.total_after != pytest.approx(preview.cohort.total_before)


def test_the_preview_top_five_is_what_the_directory_shows_after_saving(programme, manager):
    build_cohort(programme)
    preview = preview_weights(programme, NEW_WEIGHTS)
    programme_settings.change_programme_settings(
        programme,
        NEW_WEIGHTS,
        by=manager,
        version=programme_settings.settings_version(Programme.objects.get(pk=programme.pk)),
    )
    saved = Programme.objects.get(pk=programme.pk)

    assert preview.mentees
    for mentee in preview.mentees:
        profile = MenteeProfile.objects.get(user__full_name=mentee.name)
        ranking = rank_mentors(profile, saved)
        shown = [
            (int(i), pytest.approx(float(s)))
            for i, s in zip(ranking.ids[:5], ranking.scores[:5], strict=True)
            if s > float("-inf")
        ]
        assert [(p.mentor_id, p.score) for p in mentee.after] == shown
