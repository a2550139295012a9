"""Reference data: specialties (in families), goals, regions and languages.

Codes are stable: the matching engine and saved profiles refer to them, so a code is never
renamed or deleted. Names can be edited in the admin. Migration 0002 seeded the rows;
`seed_reference_data` is idempotent. A later migration that adds rows calls
`add_missing_reference_data`, which creates only what is missing and leaves every existing
row (and any name edited in the admin) as it is.
"""

from __future__ import annotations

from typing import Any

FAMILIES = [
    ("primary-care", "Primary care"),
    ("medicine", "Medicine"),
    ("surgery", "Surgery"),
    ("acute-care", "Acute care"),
    ("women-children", "Women's and children's health"),
    ("mental-health", "Mental health"),
    ("diagnostics", "Diagnostics"),
    ("population-health", "Population health"),
]

# Every specialty the GMC recognises for a CCT (General Practice included), each in a family
# so that near specialties score partially. The first 29 came first and keep their codes and
# names; a few of those names are shorter than the GMC's ("Radiology" for Clinical Radiology,
# "Microbiology" for Medical Microbiology, "Psychiatry" for General Psychiatry, "Ear, Nose and
# Throat (ENT)" for Otolaryngology, "Public Health" for Public Health Medicine), and
# "Oncology" stays for the profiles that chose it before Clinical and Medical Oncology were
# offered. Migration 0011 added the rest.
SPECIALTIES = [
    ("general-practice", "General Practice", "primary-care"),
    ("acute-internal-medicine", "Acute Internal Medicine", "medicine"),
    ("cardiology", "Cardiology", "medicine"),
    ("endocrinology-diabetes", "Endocrinology and Diabetes", "medicine"),
    ("gastroenterology", "Gastroenterology", "medicine"),
    ("geriatric-medicine", "Geriatric Medicine", "medicine"),
    ("respiratory-medicine", "Respiratory Medicine", "medicine"),
    ("renal-medicine", "Renal Medicine", "medicine"),
    ("neurology", "Neurology", "medicine"),
    ("dermatology", "Dermatology", "medicine"),
    ("rheumatology", "Rheumatology", "medicine"),
    ("oncology", "Oncology", "medicine"),
    ("general-surgery", "General Surgery", "surgery"),
    ("trauma-orthopaedics", "Trauma and Orthopaedic Surgery", "surgery"),
    ("urology", "Urology", "surgery"),
    ("vascular-surgery", "Vascular Surgery", "surgery"),
    ("plastic-surgery", "Plastic Surgery", "surgery"),
    ("ent", "Ear, Nose and Throat (ENT)", "surgery"),
    ("ophthalmology", "Ophthalmology", "surgery"),
    ("emergency-medicine", "Emergency Medicine", "acute-care"),
    ("anaesthetics", "Anaesthetics", "acute-care"),
    ("intensive-care-medicine", "Intensive Care Medicine", "acute-care"),
    ("paediatrics", "Paediatrics", "women-children"),
    ("obstetrics-gynaecology", "Obstetrics and Gynaecology", "women-children"),
    ("psychiatry", "Psychiatry", "mental-health"),
    ("radiology", "Radiology", "diagnostics"),
    ("histopathology", "Histopathology", "diagnostics"),
    ("microbiology", "Microbiology", "diagnostics"),
    ("public-health", "Public Health", "population-health"),
    # Added by migration 0011.
    ("allergy", "Allergy", "medicine"),
    ("audiovestibular-medicine", "Audiovestibular Medicine", "medicine"),
    ("clinical-genetics", "Clinical Genetics", "medicine"),
    ("clinical-oncology", "Clinical Oncology", "medicine"),
    ("clinical-pharmacology", "Clinical Pharmacology and Therapeutics", "medicine"),
    ("general-internal-medicine", "General Internal Medicine", "medicine"),
    ("genitourinary-medicine", "Genitourinary Medicine", "medicine"),
    ("haematology", "Haematology", "medicine"),
    ("infectious-diseases", "Infectious Diseases", "medicine"),
    ("medical-oncology", "Medical Oncology", "medicine"),
    ("medical-ophthalmology", "Medical Ophthalmology", "medicine"),
    ("palliative-medicine", "Palliative Medicine", "medicine"),
    ("pharmaceutical-medicine", "Pharmaceutical Medicine", "medicine"),
    ("rehabilitation-medicine", "Rehabilitation Medicine", "medicine"),
    ("sport-exercise-medicine", "Sport and Exercise Medicine", "medicine"),
    ("tropical-medicine", "Tropical Medicine", "medicine"),
    ("cardiothoracic-surgery", "Cardiothoracic Surgery", "surgery"),
    ("neurosurgery", "Neurosurgery", "surgery"),
    ("oral-maxillofacial-surgery", "Oral and Maxillofacial Surgery", "surgery"),
    ("paediatric-surgery", "Paediatric Surgery", "surgery"),
    ("paediatric-cardiology", "Paediatric Cardiology", "women-children"),
    (
        "community-sexual-reproductive-health",
        "Community Sexual and Reproductive Health",
        "women-children",
    ),
    ("child-adolescent-psychiatry", "Child and Adolescent Psychiatry", "mental-health"),
    ("forensic-psychiatry", "Forensic Psychiatry", "mental-health"),
    ("old-age-psychiatry", "Old Age Psychiatry", "mental-health"),
    ("learning-disability-psychiatry", "Psychiatry of Learning Disability", "mental-health"),
    ("medical-psychotherapy", "Medical Psychotherapy", "mental-health"),
    ("chemical-pathology", "Chemical Pathology", "diagnostics"),
    ("clinical-neurophysiology", "Clinical Neurophysiology", "diagnostics"),
    ("diagnostic-neuropathology", "Diagnostic Neuropathology", "diagnostics"),
    ("forensic-histopathology", "Forensic Histopathology", "diagnostics"),
    ("immunology", "Immunology", "diagnostics"),
    ("medical-virology", "Medical Virology", "diagnostics"),
    ("nuclear-medicine", "Nuclear Medicine", "diagnostics"),
    ("paediatric-perinatal-pathology", "Paediatric and Perinatal Pathology", "diagnostics"),
    ("occupational-medicine", "Occupational Medicine", "population-health"),
    ("aviation-space-medicine", "Aviation and Space Medicine", "population-health"),
]

GOALS = [
    ("leadership", "Leadership development", "Leading teams, services and meetings"),
    ("quality-improvement", "Quality improvement", "Running a QI project and measuring it"),
    ("leading-change", "Leading change", "Taking a service change from idea to practice"),
    ("career-move", "Career move into a specialty", "For example moving into General Practice"),
    ("training-applications", "Specialty training applications", "Portfolios, interviews, MSRA"),
    ("postgraduate-exams", "Postgraduate exams", "MRCP, MRCS, MRCGP, FRCA and others"),
    ("portfolio-pathway", "Portfolio pathway (CESR)", "Specialist or GP registration by portfolio"),
    ("communication", "Communication skills", "With patients, families and colleagues"),
    ("stakeholder-management", "Stakeholder management", "Working with managers and partners"),
    ("understanding-nhs", "Understanding the NHS and primary care", "How the system fits together"),
    ("adapting-uk-practice", "Adapting to UK practice", "Culture, ethics, guidance and teams"),
    ("research", "Research and publication", "Audits, research projects and papers"),
    ("teaching", "Teaching and supervision", "Teaching students and supervising juniors"),
    ("wellbeing", "Wellbeing and resilience", "Looking after yourself at work"),
]

# Other words people search the directory with. Each group means one thing: searching for any
# phrase in a group finds a mentor whose profile has any phrase of the group, so "GP" finds
# General Practice and "MRCP" finds mentors who support postgraduate exams. The first phrase
# of a group is the name as written above (the search document holds specialty and goal
# names). Phrases with "&" (A&E, O&G) or a small word at either end ("a and e") are understood
# in a search but never looked for (see mentorship/search_words.py, which reads this table).
SEARCH_SYNONYMS = [
    # Specialties
    ("general practice", "gp", "gps", "general practitioner", "family medicine"),
    (
        "emergency medicine",
        "a&e",
        "a and e",
        "ed",
        "accident and emergency",
        "emergency department",
        "casualty",
    ),
    (
        "obstetrics and gynaecology",
        "o&g",
        "obs&gynae",
        "obs and gynae",
        "obgyn",
        "ob gyn",
        "obstetrics and gynecology",
        "obstetrician",
        "gynaecologist",
    ),
    ("intensive care medicine", "intensive care", "icu", "itu", "icm", "critical care"),
    (
        "trauma and orthopaedic surgery",
        "t&o",
        "orthopaedics",
        "orthopedics",
        "orthopaedic surgeon",
        "ortho",
    ),
    ("ear nose and throat", "ent", "otolaryngology", "otorhinolaryngology"),
    ("paediatrics", "paeds", "pediatrics", "child health", "paediatrician", "pediatrician"),
    (
        "anaesthetics",
        "anaesthesia",
        "anesthesia",
        "anesthesiology",
        "anaesthetist",
        "anesthetist",
    ),
    ("psychiatry", "psychiatrist", "mental health"),
    (
        "geriatric medicine",
        "geriatrics",
        "geriatrician",
        "care of the elderly",
        "care of older people",
        "elderly care",
    ),
    ("acute internal medicine", "acute medicine", "amu"),
    ("general internal medicine", "gim", "general medicine", "internal medicine"),
    ("cardiology", "cardiologist"),
    ("oncology", "oncologist", "cancer"),
    ("haematology", "hematology", "haem", "haematologist"),
    ("renal medicine", "nephrology", "nephrologist", "kidney medicine"),
    ("respiratory medicine", "pulmonology", "pulmonologist", "chest medicine"),
    ("gastroenterology", "gastroenterologist", "hepatology"),
    (
        "endocrinology and diabetes",
        "diabetes and endocrinology",
        "endocrinologist",
        "diabetologist",
    ),
    ("neurology", "neurologist"),
    ("dermatology", "dermatologist"),
    ("rheumatology", "rheumatologist"),
    ("urology", "urologist"),
    ("ophthalmology", "ophthalmologist", "ophthalmic"),
    ("radiology", "radiologist", "clinical radiology", "imaging"),
    ("histopathology", "histopathologist", "cellular pathology"),
    ("microbiology", "microbiologist", "medical microbiology"),
    ("public health", "public health medicine", "population health"),
    ("palliative medicine", "palliative care", "end of life care"),
    ("sport and exercise medicine", "sports medicine", "sports and exercise medicine", "sem"),
    ("oral and maxillofacial surgery", "omfs", "maxfax", "max fax", "maxillofacial"),
    (
        "cardiothoracic surgery",
        "cardio-thoracic surgery",
        "cardiac surgery",
        "thoracic surgery",
        "cardiothoracic surgeon",
    ),
    ("general surgery", "general surgeon"),
    ("neurosurgery", "neurosurgeon", "neurological surgery"),
    ("plastic surgery", "plastics", "plastic surgeon"),
    ("child and adolescent psychiatry", "camhs", "child psychiatry"),
    ("old age psychiatry", "psychiatry of old age", "older adult psychiatry"),
    (
        "psychiatry of learning disability",
        "learning disability psychiatry",
        "intellectual disability",
        "learning disabilities",
    ),
    ("genitourinary medicine", "genito-urinary medicine", "gum", "sexual health", "hiv medicine"),
    (
        "community sexual and reproductive health",
        "srh",
        "csrh",
        "sexual health",
        "contraception",
        "family planning",
    ),
    ("occupational medicine", "occupational health", "occ health"),
    ("aviation and space medicine", "aviation medicine", "aerospace medicine"),
    ("clinical pharmacology and therapeutics", "clinical pharmacology", "cpt"),
    ("audiovestibular medicine", "audiology", "avm"),
    ("clinical genetics", "geneticist"),
    ("paediatric cardiology", "pediatric cardiology", "paediatric cardiologist"),
    ("paediatric surgery", "pediatric surgery", "paediatric surgeon"),
    # Goals
    ("quality improvement", "qi", "qip", "service improvement", "improvement project"),
    ("leading change", "change management", "managing change", "service change"),
    (
        "postgraduate exams",
        "exam",
        "exams",
        "membership exams",
        "royal college exams",
        "mrcp",
        "paces",
        "mrcs",
        "mrcgp",
        "akt",
        "mrcpch",
        "mrcog",
        "mrcpsych",
        "mrcem",
        "frca",
        "frcr",
        "frcpath",
        "frcophth",
    ),
    (
        "specialty training applications",
        "training applications",
        "specialty training",
        "specialty recruitment",
        "msra",
        "oriel",
        "ntn",
    ),
    (
        "portfolio pathway",
        "portfolio route",
        "cesr",
        "cegpr",
        "specialist registration",
        "article 14",
    ),
    ("career move", "career change", "change specialty", "changing specialty"),
    ("adapting to uk practice", "uk practice", "adapting to the nhs"),
    ("understanding the nhs", "nhs structure"),
    ("communication skills", "consultation skills", "breaking bad news"),
    ("teaching and supervision", "medical education", "clinical teaching"),
    ("wellbeing", "resilience", "burnout"),
]

REGIONS = [
    ("east-of-england", "East of England"),
    ("london", "London"),
    ("midlands", "Midlands"),
    ("north-east-yorkshire", "North East and Yorkshire"),
    ("north-west", "North West"),
    ("south-east", "South East"),
    ("south-west", "South West"),
    ("scotland", "Scotland"),
    ("wales", "Wales"),
    ("northern-ireland", "Northern Ireland"),
]

LANGUAGES = [
    ("amharic", "Amharic"),
    ("arabic", "Arabic"),
    ("bengali", "Bengali"),
    ("cantonese", "Cantonese"),
    ("english", "English"),
    ("farsi", "Farsi (Persian)"),
    ("french", "French"),
    ("german", "German"),
    ("greek", "Greek"),
    ("gujarati", "Gujarati"),
    ("hausa", "Hausa"),
    ("hindi", "Hindi"),
    ("igbo", "Igbo"),
    ("italian", "Italian"),
    ("kannada", "Kannada"),
    ("malay", "Malay"),
    ("malayalam", "Malayalam"),
    ("mandarin", "Mandarin"),
    ("marathi", "Marathi"),
    ("nepali", "Nepali"),
    ("pashto", "Pashto"),
    ("polish", "Polish"),
    ("portuguese", "Portuguese"),
    ("punjabi", "Punjabi"),
    ("romanian", "Romanian"),
    ("sinhala", "Sinhala"),
    ("somali", "Somali"),
    ("spanish", "Spanish"),
    ("swahili", "Swahili"),
    ("tagalog", "Tagalog (Filipino)"),
    ("tamil", "Tamil"),
    ("telugu", "Telugu"),
    ("turkish", "Turkish"),
    ("urdu", "Urdu"),
    ("yoruba", "Yoruba"),
]


def seed_reference_data(apps: Any) -> None:
    """Create or update every row; `apps` is a migration's app registry or django.apps."""
    family_model = apps.get_model("mentorship", "SpecialtyFamily")
    families = {}
    for order, (code, name) in enumerate(FAMILIES):
        families[code], _ = family_model.objects.update_or_create(
            code=code, defaults={"name": name, "sort_order": order}
        )
    specialty_model = apps.get_model("mentorship", "Specialty")
    for order, (code, name, family) in enumerate(SPECIALTIES):
        specialty_model.objects.update_or_create(
            code=code, defaults={"name": name, "family": families[family], "sort_order": order}
        )
    goal_model = apps.get_model("mentorship", "Goal")
    for order, (code, name, description) in enumerate(GOALS):
        goal_model.objects.update_or_create(
            code=code, defaults={"name": name, "description": description, "sort_order": order}
        )
    for model_name, rows in (("Region", REGIONS), ("Language", LANGUAGES)):
        model = apps.get_model("mentorship", model_name)
        for order, (code, name) in enumerate(rows):
            model.objects.update_or_create(code=code, defaults={"name": name, "sort_order": order})


def add_missing_reference_data(apps: Any) -> None:
    """Create the rows whose code is not in the database yet; change no existing row."""
    family_model = apps.get_model("mentorship", "SpecialtyFamily")
    for order, (code, name) in enumerate(FAMILIES):
        family_model.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})
    families = {f.code: f for f in family_model.objects.all()}
    specialty_model = apps.get_model("mentorship", "Specialty")
    for order, (code, name, family) in enumerate(SPECIALTIES):
        specialty_model.objects.get_or_create(
            code=code, defaults={"name": name, "family": families[family], "sort_order": order}
        )
    goal_model = apps.get_model("mentorship", "Goal")
    for order, (code, name, description) in enumerate(GOALS):
        goal_model.objects.get_or_create(
            code=code, defaults={"name": name, "description": description, "sort_order": order}
        )
    for model_name, rows in (("Region", REGIONS), ("Language", LANGUAGES)):
        model = apps.get_model("mentorship", model_name)
        for order, (code, name) in enumerate(rows):
            model.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})
