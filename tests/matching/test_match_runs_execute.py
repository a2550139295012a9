"""Executing a cohort match run: who takes part, what the engine proposes, why some are left
without a mentor, and what the run records.

`build_cohort` makes a small, realistic programme that the other match-run tests reuse.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from matching import runs
from matching.engine import assign, score_matrix
from matching.models import MatchProposal, MatchRun
from matching.runs import assign as assign_step
from matching.services import mentee_features, programme_mentor_features, specialty_families
from mentorship.models import MenteeMembership, MenteeProfile, MentorRequest, Programme
from tests.factories import (
    MenteeMembershipFactory,
    MenteeProfileFactory,
    MentorMembershipFactory,
    MentorProfileFactory,
    MentorshipFactory,
    ProgrammeFactory,
    UserFactory,
    region,
    specialty,
)

pytestmark = pytest.mark.django_db


@dataclass
class Cohort:
    programme: Programme
    mentors: dict[str, User] = field(default_factory=dict)
    mentees: dict[str, User] = field(default_factory=dict)
    # Who should take part in a run, and who must not.
    waiting: list[User] = field(default_factory=list)
    left_out: list[User] = field(default_factory=list)


def _mentor(cohort: Cohort, key: str, name: str, **fields) -> User:
    goals = fields.pop("goals", None)
    profile = MentorProfileFactory(user__full_name=name, goals=goals, **fields)
    MentorMembershipFactory(programme=cohort.programme, user=profile.user)
    cohort.mentors[key] = profile.user
    return profile.user


def _mentee(cohort: Cohort, key: str, name: str, *, waiting: bool = True, **fields) -> User:
    goals = fields.pop("goals", None)
    profile = MenteeProfileFactory(user__full_name=name, goals=goals, **fields)
    MenteeMembershipFactory(programme=cohort.programme, user=profile.user)
    cohort.mentees[key] = profile.user
    (cohort.waiting if waiting else cohort.left_out).append(profile.user)
    return profile.user


def build_cohort(programme: Programme) -> Cohort:
    """A clinical fellows' programme: most mentees want General Practice, places are short,
    one mentor is also a mentee, one mentor is full, one paused, one already promised."""
    c = Cohort(programme)
    gp, ger, psy = (specialty(s) for s in ("general-practice", "geriatric-medicine", "psychiatry"))
    _mentor(c, "okafor", "Dr Chidi Okafor", capacity=2, is_img=True, qualification_country="NG")
    _mentor(c, "patel", "Dr Priya Patel", capacity=1, region=region("midlands"))
    _mentor(c, "hughes", "Dr Rhian Hughes", capacity=3, primary_specialty=ger)  # 1 taken below
    _mentor(
        c,
        "khan",
        "Dr Imran Khan",
        capacity=1,
        primary_specialty=psy,
        region=region("north-west"),
        goals=["wellbeing", "communication"],
    )
    full = _mentor(c, "full", "Dr Full Gp", capacity=1)
    MentorshipFactory(programme=programme, mentor=full)
    _mentor(c, "paused", "Dr Paused Gp", capacity=2, is_accepting_requests=False)
    promised = _mentor(c, "promised", "Dr Promised Gp", capacity=1)

    for i, (name, country) in enumerate(
        [
            ("Dr Aisha Bello", "NG"),
            ("Dr Ravi Sharma", "IN"),
            ("Dr Fatima Malik", "PK"),
            ("Dr Omar Hassan", "EG"),
            ("Dr Mohamed Osman", "SD"),
            ("Dr Anjali Nair", "IN"),
        ]
    ):
        _mentee(c, f"gp{i}", name, qualification_country=country, target_specialty=gp)
    _mentee(
        c,
        "psych",
        "Dr Sana Iqbal",
        target_specialty=psy,
        current_specialty=psy,
        region=region("north-west"),
        goals=["wellbeing", "career-move"],
    )
    _mentee(c, "paeds", "Dr Grace Adeyemi", target_specialty=specialty("paediatrics"))
    # A mentor who is also a mentee: never their own mentor.
    both = _mentee(c, "both", "Dr Yusuf Ali", target_specialty=gp)
    profile = MentorProfileFactory(user=both, capacity=1)
    MentorMembershipFactory(programme=programme, user=profile.user)
    c.mentors["both"] = both
    # Declined by Dr Khan before: never proposed to him again.
    declined = _mentee(
        c, "declined", "Dr Leila Haddad", target_specialty=psy, region=region("north-west")
    )
    MentorRequest.objects.create(
        programme=programme, mentee=declined, mentor=c.mentors["khan"], status="declined"
    )
    # A pending request the manager has not approved does not take anyone out of the run.
    pending = _mentee(c, "pending", "Dr Tunde Ade", target_specialty=gp)
    MentorRequest.objects.create(programme=programme, mentee=pending, mentor=c.mentors["patel"])

    # Not in the run: matched already, a proposal approved and waiting, not accepted yet,
    # or in another programme.
    matched = _mentee(c, "matched", "Dr Already Matched", waiting=False)
    MentorshipFactory(programme=programme, mentee=matched, mentor=c.mentors["hughes"])
    waiting_for_mentor = _mentee(c, "approved", "Dr Approved Waiting", waiting=False)
    MentorRequest.objects.create(
        programme=programme,
        mentee=waiting_for_mentor,
        mentor=promised,
        manager_approved_at=timezone.now(),
    )
    applicant = MenteeProfileFactory(user__full_name="Dr Not Accepted Yet").user
    MenteeMembershipFactory(
        programme=programme, user=applicant, status=MenteeMembership.Status.APPLIED
    )
    c.left_out.append(applicant)
    elsewhere = MenteeProfileFactory(user__full_name="Dr Other Programme").user
    MenteeMembershipFactory(programme=ProgrammeFactory(slug="elsewhere"), user=elsewhere)
    c.left_out.append(elsewhere)
    return c


def run_now(programme: Programme, by: User, method: str = "optimal", *, capture) -> MatchRun:
    """Start a run and let its task run (eagerly, after the commit)."""
    with capture(execute=True):
        run = runs.start_match_run(programme, by=by, method=method)
    run.refresh_from_db()
    return run


@pytest.fixture
def cohort(programme) -> Cohort:
    return build_cohort(programme)


@pytest.fixture
def run_matching(programme, manager, django_capture_on_commit_callbacks):
    """Run matching for `programme` as its manager; returns the finished run."""

    def run(method: str = "optimal") -> MatchRun:
        return run_now(programme, manager, method, capture=django_capture_on_commit_callbacks)

    return run


@pytest.fixture
def run_cohort(cohort, run_matching):
    return run_matching


def engine_directly(cohort: Cohort, method: str):
    """The same problem handed to the engine by hand: the waiting mentees in user id order
    and the programme's mentors, with the place already promised taken off."""
    profiles = (
        MenteeProfile.objects.filter(user__in=cohort.waiting)
        .select_related("target_specialty", "current_specialty", "region")
        .prefetch_related("mentee_goals__goal", "languages")
        .order_by("user_id")
    )
    mentees = [mentee_features(p) for p in profiles]
    promised = cohort.mentors["promised"].pk
    mentors = [
        replace(m, capacity=0) if m.id == promised else m
        for m in programme_mentor_features(cohort.programme)
    ]
    declined = [(cohort.mentees["declined"].pk, cohort.mentors["khan"].pk)]
    weights = cohort.programme.matching_weights()
    scores = score_matrix(
        mentees, mentors, weights, families=specialty_families(), excluded=declined
    )
    result = assign(scores, [m.capacity for m in mentors], method)
    pairs = {
        (mentees[i].id, mentors[j].id): float(scores[i, j])
        for i, j in enumerate(result)
        if j is not None
    }
    return pairs, {m.id: m.capacity for m in mentors}


def _pairs(run: MatchRun) -> dict[tuple[int, int], float]:
    return {(p.mentee_id, p.mentor_id): p.score for p in run.proposals.filter(mentor__isnull=False)}


def test_an_optimal_run_matches_as_many_as_the_engine_with_the_same_total(cohort, run_cohort):
    run = run_cohort("optimal")

    expected, capacities = engine_directly(cohort, "optimal")
    got = _pairs(run)
    assert run.status == MatchRun.Status.FINISHED
    assert len(got) == len(expected) == sum(capacities.values()) == 7
    assert sum(got.values()) == pytest.approx(sum(expected.values()))


def test_a_stable_run_gives_exactly_the_engines_stable_matching(cohort, run_cohort):
    run = run_cohort("stable")

    expected, _ = engine_directly(cohort, "stable")
    assert run.method == "stable"
    assert _pairs(run).keys() == expected.keys()
    for pair, score in _pairs(run).items():
        assert score == pytest.approx(expected[pair])


@pytest.mark.parametrize("method", ["optimal", "stable"])
def test_proposals_respect_free_places_and_never_pair_anyone_with_themself(
    cohort, run_cohort, method
):
    run = run_cohort(method)

    _, capacities = engine_directly(cohort, method)
    proposals = list(run.proposals.filter(mentor__isnull=False))
    per_mentor: dict[int, int] = {}
    for p in proposals:
        assert p.mentee_id != p.mentor_id
        per_mentor[p.mentor_id] = per_mentor.get(p.mentor_id, 0) + 1
    for mentor_id, count in per_mentor.items():
        assert count <= capacities[mentor_id]
    for key in ("full", "paused", "promised"):
        assert cohort.mentors[key].pk not in per_mentor
    declined = (cohort.mentees["declined"].pk, cohort.mentors["khan"].pk)
    assert declined not in {(p.mentee_id, p.mentor_id) for p in proposals}


def test_only_waiting_mentees_take_part(cohort, run_cohort):
    run = run_cohort()

    in_run = set(run.proposals.values_list("mentee_id", flat=True))
    assert in_run == {u.pk for u in cohort.waiting}
    assert not in_run & {u.pk for u in cohort.left_out}
    assert run.proposals.count() == run.mentee_count == len(cohort.waiting)


def test_each_proposal_keeps_its_score_and_reasons_sorted_best_first(cohort, run_cohort):
    run = run_cohort()

    proposals = list(run.proposals.filter(mentor__isnull=False))
    scores = [p.score for p in proposals]
    assert scores == sorted(scores, reverse=True)
    best = proposals[0]
    assert best.reasons and best.reasons[0] == {
        "code": "specialty_same",
        "specialty": "General Practice",
    }
    assert best.target_specialty == "General Practice"
    assert best.status == MatchProposal.Status.PROPOSED


def test_unmatched_mentees_are_told_why(cohort, run_cohort):
    run = run_cohort()

    unmatched = {p.mentee_id: p for p in run.proposals.filter(mentor__isnull=True)}
    assert len(unmatched) == run.unmatched_count == len(cohort.waiting) - 7
    assert all(p.unmatched_reason for p in unmatched.values())
    assert all(p.status == MatchProposal.Status.UNMATCHED for p in unmatched.values())
    paeds = cohort.mentees["paeds"].pk
    if paeds in unmatched:
        assert unmatched[paeds].unmatched_reason.startswith(
            "No mentor in the programme covers Paediatrics"
        )
    assert unmatched[cohort.mentees["declined"].pk].unmatched_reason.startswith(
        "The only mentor with a free place who covers Psychiatry declined them, and every "
        "other mentor with a free place was given to"
    )
    gp_reasons = [
        unmatched[u.pk].unmatched_reason
        for key, u in cohort.mentees.items()
        if key.startswith("gp") and u.pk in unmatched
    ]
    for reason in gp_reasons:
        assert reason.startswith("Fewer places than mentees: every mentor who could take them")


def test_a_mentee_with_no_profile_is_unmatched_with_the_reason(cohort, run_cohort):
    nobody = UserFactory(full_name="Dr No Profile")
    MenteeMembershipFactory(programme=cohort.programme, user=nobody)

    run = run_cohort()

    proposal = run.proposals.get(mentee=nobody)
    assert proposal.mentor is None
    assert "not filled in their mentee profile" in proposal.unmatched_reason


def test_when_no_mentor_has_a_free_place_everyone_is_told_so(programme, run_matching):
    cohort = Cohort(programme)
    _mentee(cohort, "a", "Dr A")
    full = _mentor(cohort, "full", "Dr Full", capacity=1)
    MentorshipFactory(programme=programme, mentor=full)

    run = run_matching()

    reasons = set(run.proposals.values_list("unmatched_reason", flat=True))
    assert reasons == {"No mentor in the programme has a free place."}


def test_the_only_free_mentor_being_themself_is_the_reason(programme, run_matching):
    cohort = Cohort(programme)
    me = _mentee(cohort, "me", "Dr Me")
    MentorMembershipFactory(programme=programme, user=MentorProfileFactory(user=me).user)

    run = run_matching()

    assert run.proposals.get().unmatched_reason == "The only mentor with a free place is themself."


def test_specialty_reasons_say_whether_covering_mentors_are_full(programme, run_matching):
    cohort = Cohort(programme)
    psy = specialty("psychiatry")
    _mentee(cohort, "gp", "Dr Gp Hopeful")
    _mentee(cohort, "psych", "Dr Psych Hopeful", target_specialty=psy)
    _mentor(cohort, "gp", "Dr Gp Mentor", capacity=1)
    _mentor(cohort, "psych", "Dr Psych Paused", primary_specialty=psy, is_accepting_requests=False)

    run = run_matching()

    psych = run.proposals.get(mentee=cohort.mentees["psych"])
    assert psych.mentor is None
    assert psych.unmatched_reason.startswith(
        "All mentors who cover Psychiatry are full or paused, and every other mentor with a "
        "free place was given to mentees who scored higher with them"
    )


def test_the_run_records_parameters_timings_and_counts(cohort, run_cohort, manager):
    cohort.programme.weight_region = 25
    cohort.programme.save()

    run = run_cohort()

    assert run.created_by == manager
    assert run.weights["region"] == 25
    assert run.weights["specialty"] == 35
    for seconds in (run.load_seconds, run.assign_seconds, run.save_seconds):
        assert seconds is not None and seconds >= 0
    assert run.total_seconds == pytest.approx(
        run.load_seconds + run.assign_seconds + run.save_seconds
    )
    assert run.mentee_count == len(cohort.waiting)
    assert run.mentor_count == 5  # okafor, patel, hughes, khan, and the mentee-mentor
    assert run.place_count == 7
    assert run.matched_count == 7
    assert run.started_at <= run.finished_at
    assert run.progress.startswith("Finished: 7 of")


def test_a_run_does_not_query_once_per_mentee(
    programme, manager, django_capture_on_commit_callbacks
):
    def queries_for(n_mentees: int) -> int:
        cohort = Cohort(programme)
        for i in range(n_mentees):
            _mentee(cohort, f"m{i}", f"Dr Mentee {n_mentees}-{i}")
        run = MatchRun.objects.create(programme=programme, method="optimal", weights={})
        run.weights = programme.matching_weights().as_dict()
        run.save()
        with CaptureQueriesContext(connection) as queries:
            runs.execute_match_run(run.pk)
        MatchProposal.objects.all().delete()
        MenteeMembership.objects.filter(programme=programme).delete()
        return len(queries)

    for i in range(3):
        _mentor(Cohort(programme), f"m{i}", f"Dr Mentor {i}", capacity=3)

    assert queries_for(3) == queries_for(30)


def test_an_engine_error_fails_the_run_with_a_plain_message(cohort, manager, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("solver exploded")

    monkeypatch.setattr(assign_step, "assign_cohort", broken)
    run = MatchRun.objects.create(
        programme=cohort.programme,
        method="optimal",
        weights=cohort.programme.matching_weights().as_dict(),
    )

    run = runs.execute_match_run(run.pk)

    assert run.status == MatchRun.Status.FAILED
    assert "unexpected error" in run.progress
    assert "solver exploded" in run.error
    assert not run.proposals.exists()


def test_a_task_delivered_twice_runs_once(cohort, run_cohort):
    run = run_cohort()

    again = runs.execute_match_run(run.pk)

    assert again.status == MatchRun.Status.FINISHED
    assert again.proposals.count() == len(cohort.waiting)


def test_engine_and_run_agree_on_scores_to_the_last_decimal(cohort, run_cohort):
    run = run_cohort()

    expected, _ = engine_directly(cohort, "optimal")
    for pair, score in _pairs(run).items():
        if pair in expected:
            assert np.isclose(score, expected[pair])
