"""Migration 0011 applied to a database with profiles in it: every profile keeps its values,
the missing specialties are added, nothing that existed is changed, and mentors' search
documents gain their specialties and goals."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from mentorship.reference_data import SPECIALTIES

BEFORE = ("mentorship", "0010_exclusions_and_matched_label")
AFTER = ("mentorship", "0011_reference_data_and_search_documents")
FIRST_29 = {code for code, _, _ in SPECIALTIES[:29]}


def migrate(target):
    """Move the database to `target` and return the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


@pytest.fixture
def old_database(transactional_db):
    """The database as it was before 0011: 29 specialties, and the migrations put back to the
    newest afterwards."""
    old_apps = migrate(BEFORE)
    old_apps.get_model("mentorship", "Specialty").objects.exclude(code__in=FIRST_29).delete()
    yield old_apps
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def make_profiles(old_apps):
    """A mentee at each of the first grades, and a mentor with other specialties and goals."""
    user_model = old_apps.get_model("accounts", "User")
    specialty = old_apps.get_model("mentorship", "Specialty").objects.get
    goal = old_apps.get_model("mentorship", "Goal").objects.get
    mentee_model = old_apps.get_model("mentorship", "MenteeProfile")
    for n, grade in enumerate(
        ["foundation", "core", "trust_grade", "specialty_doctor", "registrar", "sas", "consultant"]
        + ["gp", ""]
    ):
        user = user_model.objects.create(email=f"mentee{n}@example.org", full_name=f"Dr M {n}")
        mentee_model.objects.create(
            user=user,
            grade=grade,
            current_specialty=specialty(code="oncology"),
            target_specialty=specialty(code="general-practice"),
        )
    user = user_model.objects.create(email="mentor@example.org", full_name="Dr Ada Okafor")
    mentor = old_apps.get_model("mentorship", "MentorProfile").objects.create(
        user=user,
        job_title="Consultant",
        organisation="Riverside Trust",
        primary_specialty=specialty(code="ent"),
        search_document="Dr Ada Okafor Consultant Riverside Trust",
    )
    mentor.other_specialties.set([specialty(code="radiology")])
    mentor.goals.set([goal(code="leadership")])


def values_of(some_apps):
    mentees = some_apps.get_model("mentorship", "MenteeProfile").objects.order_by("user__email")
    mentor = some_apps.get_model("mentorship", "MentorProfile").objects.get()
    return {
        "mentees": [
            (m.user.email, m.grade, m.current_specialty.code, m.target_specialty.code)
            for m in mentees
        ],
        "mentor": (
            mentor.primary_specialty.code,
            sorted(s.code for s in mentor.other_specialties.all()),
            sorted(g.code for g in mentor.goals.all()),
        ),
    }


@pytest.mark.django_db(transaction=True)
def test_every_profile_keeps_its_values_and_the_missing_specialties_are_added(old_database):
    make_profiles(old_database)
    specialty_model = old_database.get_model("mentorship", "Specialty")
    specialty_model.objects.filter(code="radiology").update(name="Clinical Radiology")  # admin
    before = values_of(old_database)
    assert specialty_model.objects.count() == 29

    new_apps = migrate(AFTER)

    assert values_of(new_apps) == before
    specialties = new_apps.get_model("mentorship", "Specialty").objects
    assert specialties.count() == 66
    assert specialties.get(code="radiology").name == "Clinical Radiology"
    assert specialties.get(code="forensic-psychiatry").family.code == "mental-health"


@pytest.mark.django_db(transaction=True)
def test_every_mentor_can_be_found_by_their_specialties_and_goals_afterwards(old_database):
    make_profiles(old_database)
    old_database.get_model("mentorship", "Specialty").objects.filter(code="radiology").update(
        name="Clinical Radiology"
    )

    new_apps = migrate(AFTER)

    mentor = new_apps.get_model("mentorship", "MentorProfile").objects.get()
    assert mentor.search_document == (
        "Dr Ada Okafor Consultant Riverside Trust Ear, Nose and Throat (ENT) Clinical Radiology "
        "Leadership development"
    )
