"""Reference data is complete: every GMC specialty in a family, and every UK grade (issue 10,
item 11). What the migration does to existing profiles: test_reference_data_migration.py."""

import pytest
from django.apps import apps
from django.urls import reverse

from mentorship.models import Grade, MenteeProfile, MentorProfile, Specialty, SpecialtyFamily
from mentorship.reference_data import FAMILIES, SPECIALTIES, add_missing_reference_data
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# The GMC's CCT specialties (General Practice included), and the code each is offered under.
# Six keep the shorter name they had before the list was completed.
GMC_SPECIALTIES = {
    "Acute internal medicine": "acute-internal-medicine",
    "Allergy": "allergy",
    "Anaesthetics": "anaesthetics",
    "Audiovestibular medicine": "audiovestibular-medicine",
    "Aviation and space medicine": "aviation-space-medicine",
    "Cardiology": "cardiology",
    "Cardio-thoracic surgery": "cardiothoracic-surgery",
    "Chemical pathology": "chemical-pathology",
    "Child and adolescent psychiatry": "child-adolescent-psychiatry",
    "Clinical genetics": "clinical-genetics",
    "Clinical neurophysiology": "clinical-neurophysiology",
    "Clinical oncology": "clinical-oncology",
    "Clinical pharmacology and therapeutics": "clinical-pharmacology",
    "Clinical radiology": "radiology",
    "Community sexual and reproductive health": "community-sexual-reproductive-health",
    "Dermatology": "dermatology",
    "Diagnostic neuropathology": "diagnostic-neuropathology",
    "Emergency medicine": "emergency-medicine",
    "Endocrinology and diabetes mellitus": "endocrinology-diabetes",
    "Forensic histopathology": "forensic-histopathology",
    "Forensic psychiatry": "forensic-psychiatry",
    "Gastroenterology": "gastroenterology",
    "General (internal) medicine": "general-internal-medicine",
    "General practice": "general-practice",
    "General psychiatry": "psychiatry",
    "General surgery": "general-surgery",
    "Genito-urinary medicine": "genitourinary-medicine",
    "Geriatric medicine": "geriatric-medicine",
    "Haematology": "haematology",
    "Histopathology": "histopathology",
    "Immunology": "immunology",
    "Infectious diseases": "infectious-diseases",
    "Intensive care medicine": "intensive-care-medicine",
    "Medical microbiology": "microbiology",
    "Medical oncology": "medical-oncology",
    "Medical ophthalmology": "medical-ophthalmology",
    "Medical psychotherapy": "medical-psychotherapy",
    "Medical virology": "medical-virology",
    "Neurology": "neurology",
    "Neurosurgery": "neurosurgery",
    "Nuclear medicine": "nuclear-medicine",
    "Obstetrics and gynaecology": "obstetrics-gynaecology",
    "Occupational medicine": "occupational-medicine",
    "Old age psychiatry": "old-age-psychiatry",
    "Ophthalmology": "ophthalmology",
    "Oral and maxillo-facial surgery": "oral-maxillofacial-surgery",
    "Otolaryngology": "ent",
    "Paediatric and perinatal pathology": "paediatric-perinatal-pathology",
    "Paediatric cardiology": "paediatric-cardiology",
    "Paediatric surgery": "paediatric-surgery",
    "Paediatrics": "paediatrics",
    "Palliative medicine": "palliative-medicine",
    "Pharmaceutical medicine": "pharmaceutical-medicine",
    "Plastic surgery": "plastic-surgery",
    "Psychiatry of learning disability": "learning-disability-psychiatry",
    "Public health medicine": "public-health",
    "Rehabilitation medicine": "rehabilitation-medicine",
    "Renal medicine": "renal-medicine",
    "Respiratory medicine": "respiratory-medicine",
    "Rheumatology": "rheumatology",
    "Sport and exercise medicine": "sport-exercise-medicine",
    "Trauma and orthopaedic surgery": "trauma-orthopaedics",
    "Tropical medicine": "tropical-medicine",
    "Urology": "urology",
    "Vascular surgery": "vascular-surgery",
}

# The codes and names offered before the list was completed: profiles refer to them.
FIRST_SPECIALTIES = {
    "general-practice": "General Practice",
    "acute-internal-medicine": "Acute Internal Medicine",
    "cardiology": "Cardiology",
    "endocrinology-diabetes": "Endocrinology and Diabetes",
    "gastroenterology": "Gastroenterology",
    "geriatric-medicine": "Geriatric Medicine",
    "respiratory-medicine": "Respiratory Medicine",
    "renal-medicine": "Renal Medicine",
    "neurology": "Neurology",
    "dermatology": "Dermatology",
    "rheumatology": "Rheumatology",
    "oncology": "Oncology",
    "general-surgery": "General Surgery",
    "trauma-orthopaedics": "Trauma and Orthopaedic Surgery",
    "urology": "Urology",
    "vascular-surgery": "Vascular Surgery",
    "plastic-surgery": "Plastic Surgery",
    "ent": "Ear, Nose and Throat (ENT)",
    "ophthalmology": "Ophthalmology",
    "emergency-medicine": "Emergency Medicine",
    "anaesthetics": "Anaesthetics",
    "intensive-care-medicine": "Intensive Care Medicine",
    "paediatrics": "Paediatrics",
    "obstetrics-gynaecology": "Obstetrics and Gynaecology",
    "psychiatry": "Psychiatry",
    "radiology": "Radiology",
    "histopathology": "Histopathology",
    "microbiology": "Microbiology",
    "public-health": "Public Health",
}
FIRST_GRADES = [
    "foundation",
    "core",
    "trust_grade",
    "specialty_doctor",
    "registrar",
    "sas",
    "consultant",
    "gp",
]


def test_every_gmc_specialty_is_offered():
    offered = set(Specialty.objects.active().values_list("code", flat=True))

    assert len(GMC_SPECIALTIES) == 65
    assert {code for code in GMC_SPECIALTIES.values()} <= offered


def test_there_are_66_specialties_the_65_of_the_gmc_and_oncology():
    codes = set(Specialty.objects.values_list("code", flat=True))

    assert Specialty.objects.count() == len(SPECIALTIES) == 66
    assert codes - set(GMC_SPECIALTIES.values()) == {"oncology"}


def test_every_specialty_has_a_family_and_every_family_a_specialty():
    families = {code for code, _ in FAMILIES}

    assert SpecialtyFamily.objects.count() == 8
    for specialty in Specialty.objects.select_related("family"):
        assert specialty.family.code in families, specialty.name
    for family in SpecialtyFamily.objects.all():
        assert family.specialties.exists(), family.name


def test_the_first_specialties_keep_their_codes_and_names():
    saved = dict(Specialty.objects.filter(code__in=FIRST_SPECIALTIES).values_list("code", "name"))

    assert saved == FIRST_SPECIALTIES


def test_adding_what_is_missing_changes_no_existing_row():
    gp = Specialty.objects.get(code="general-practice")
    gp.name = "General Practice (GP)"  # edited in the admin
    gp.save()
    Specialty.objects.filter(code="allergy").delete()

    add_missing_reference_data(apps)

    assert Specialty.objects.get(code="general-practice").name == "General Practice (GP)"
    assert Specialty.objects.get(code="allergy").family.code == "medicine"
    assert Specialty.objects.count() == 66


def test_every_uk_grade_is_offered_and_the_first_ones_are_still_valid():
    assert Grade.values == [
        "foundation",
        "core",
        "registrar",
        "gp_trainee",
        "trust_grade",
        "clinical_fellow",
        "specialty_doctor",
        "sas",
        "consultant",
        "gp",
    ]
    assert set(FIRST_GRADES) <= set(Grade.values)
    field = MenteeProfile._meta.get_field("grade")
    for value in Grade.values:
        field.clean(value, None)


@pytest.fixture
def newcomer(client):
    user = UserFactory(full_name="Dr Hiba Elamin")
    client.force_login(user)
    return user


def test_the_mentee_form_offers_the_new_grades_and_specialties(client, newcomer):
    html = client.get(reverse("mentorship:mentee_profile")).content.decode()

    assert '<option value="clinical_fellow">Clinical fellow</option>' in html
    assert '<option value="gp_trainee">GP specialty trainee</option>' in html
    assert '<option value="trust_grade">Trust-grade or locally employed doctor</option>' in html
    assert '<option value="aviation-space-medicine">Aviation and Space Medicine</option>' in html
    assert '<option value="child-adolescent-psychiatry">' in html


def test_a_mentee_saves_a_new_grade_and_a_new_specialty(client, newcomer):
    response = client.post(
        reverse("mentorship:mentee_profile"),
        {
            "qualification_country": "EG",
            "grade": "clinical_fellow",
            "current_specialty": "haematology",
            "target_specialty": "clinical-oncology",
            "goals": ["training-applications"],
            "region": "midlands",
            "formats": ["virtual"],
        },
    )

    assert response.status_code == 302
    profile = MenteeProfile.objects.get(user=newcomer)
    assert profile.grade == "clinical_fellow"
    assert profile.get_grade_display() == "Clinical fellow"
    assert profile.current_specialty.code == "haematology"
    assert profile.target_specialty.code == "clinical-oncology"


def test_the_mentor_form_offers_the_new_specialties(client, newcomer):
    html = client.get(reverse("mentorship:mentor_profile")).content.decode()

    assert '<option value="neurosurgery">Neurosurgery</option>' in html
    assert 'value="palliative-medicine"' in html


def test_a_mentor_saves_new_specialties(client, newcomer):
    response = client.post(
        reverse("mentorship:mentor_profile"),
        {
            "job_title": "Consultant in Palliative Medicine",
            "organisation": "Hilltop Hospice",
            "primary_specialty": "palliative-medicine",
            "other_specialties": ["medical-oncology", "clinical-oncology"],
            "goals": ["leadership"],
            "region": "wales",
            "formats": ["virtual"],
            "capacity": "2",
            "is_accepting_requests": "on",
            "is_img": "no",
        },
    )

    assert response.status_code == 302
    profile = MentorProfile.objects.get(user=newcomer)
    assert profile.primary_specialty.code == "palliative-medicine"
    assert {s.code for s in profile.other_specialties.all()} == {
        "medical-oncology",
        "clinical-oncology",
    }


def test_the_directory_filter_offers_the_new_specialties(mentee_client, programme):
    response = mentee_client.get(reverse("mentorship:directory", args=[programme.slug]))

    assert '<option value="tropical-medicine">Tropical Medicine</option>' in (
        response.content.decode()
    )
