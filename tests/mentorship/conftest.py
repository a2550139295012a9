"""Fixtures for the mentorship pages only; people and requests are in tests/conftest.py."""

import pytest

from tests.factories import MentorshipFactory, new_mentor, region, specialty


@pytest.fixture
def directory_mentors(programme):
    """Three mentors to filter and rank: a GP leader, a geriatrician in the North West who
    offers shadowing, and a psychiatrist with one place, already taken."""
    gp = new_mentor(
        programme,
        "Dr Alice Gp",
        bio="Leads the Calderdale primary care network.",
        goals=["career-move", "leadership"],
    )
    geri = new_mentor(
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
    psych = new_mentor(
        programme,
        "Dr Cara Psych",
        capacity=1,
        primary_specialty=specialty("psychiatry"),
        organisation="Pennine Care",
        goals=["postgraduate-exams"],
        bio="Trains psychiatry registrars.",
    )
    geri.mentor_profile.other_specialties.add(specialty("acute-internal-medicine"))
    MentorshipFactory(programme=programme, mentor=psych)  # psych is now full
    return {"gp": gp.mentor_profile, "geri": geri.mentor_profile, "psych": psych.mentor_profile}
