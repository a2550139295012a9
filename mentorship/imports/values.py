"""How a spreadsheet cell is read into a specialty, region, grade or country.

People type what they know: "GP", "Obs and Gynae", "ICU", "London", "SHO". A cell matches a
specialty by its name or code in any case and punctuation, by its name without the bracketed
part ("Ear, Nose and Throat"), or by a phrase of SEARCH_SYNONYMS whose group names one
specialty. A phrase that would name two specialties ("sexual health") matches none, so the
manager is asked to choose.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from django_countries import countries

from ..models import Grade, Region, Specialty
from ..reference_data import SEARCH_SYNONYMS

# The grades as people write them, beyond the grade's own name and code.
GRADE_WORDS = {
    "fy1": Grade.FOUNDATION,
    "fy2": Grade.FOUNDATION,
    "foundation": Grade.FOUNDATION,
    "sho": Grade.CORE,
    "ct1": Grade.CORE,
    "ct2": Grade.CORE,
    "core trainee": Grade.CORE,
    "registrar": Grade.REGISTRAR,
    "spr": Grade.REGISTRAR,
    "str": Grade.REGISTRAR,
    "st3": Grade.REGISTRAR,
    "gpst": Grade.GP_TRAINEE,
    "gp trainee": Grade.GP_TRAINEE,
    "gp registrar": Grade.GP_TRAINEE,
    "trust grade": Grade.TRUST_GRADE,
    "led": Grade.TRUST_GRADE,
    "locally employed doctor": Grade.TRUST_GRADE,
    "clinical fellow": Grade.CLINICAL_FELLOW,
    "specialty doctor": Grade.SPECIALTY_DOCTOR,
    "sas": Grade.SAS,
    "associate specialist": Grade.SAS,
    "specialist": Grade.SAS,
    "consultant": Grade.CONSULTANT,
    "gp": Grade.GP,
    "general practitioner": Grade.GP,
}


def key(text: str) -> str:
    """Lower case, "&" as "and", punctuation as spaces, single spaces."""
    text = text.lower().replace("&", " and ")
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


@dataclass
class Vocabulary:
    """Everything a file's cells are matched against, loaded once per import."""

    specialties: dict[str, Specialty]
    regions: dict[str, Region]

    @classmethod
    def load(cls) -> Vocabulary:
        return cls(specialties=_specialty_words(), regions=_region_words())

    def specialty(self, text: str) -> Specialty | None:
        return self.specialties.get(key(text))

    def region(self, text: str) -> Region | None:
        return self.regions.get(key(text))


def _specialty_words() -> dict[str, Specialty]:
    words: dict[str, Specialty] = {}
    for specialty in Specialty.objects.active():
        words[key(specialty.name)] = specialty
        words[key(specialty.code)] = specialty
        words.setdefault(key(re.sub(r"\(.*?\)", "", specialty.name)), specialty)
    found: dict[str, set[Specialty]] = {}
    for group in SEARCH_SYNONYMS:
        specialty = words.get(key(group[0]))
        if specialty is None:  # a goal's group, or a specialty not offered
            continue
        for phrase in group[1:]:
            found.setdefault(key(phrase), set()).add(specialty)
    for phrase, matches in found.items():
        if len(matches) == 1 and phrase not in words:
            words[phrase] = matches.pop()
    return words


def _region_words() -> dict[str, Region]:
    words: dict[str, Region] = {}
    for region in Region.objects.active():
        words[key(region.name)] = region
        words[key(region.code)] = region
    return words


def grade(text: str) -> str | None:
    """The Grade code a cell names, or None."""
    wanted = key(text)
    for code, label in Grade.choices:
        if wanted in (key(code), key(label)):
            return code
    return GRADE_WORDS.get(wanted)


def country(text: str) -> str | None:
    """The ISO code of the country a cell names ("India", "IN", "india"), or None."""
    text = text.strip()
    if len(text) == 2 and text.upper() in countries:
        return text.upper()
    return _country_words().get(key(text))


@functools.cache
def _country_words() -> dict[str, str]:
    # django-countries' by_name translates every name on each call: slow for a big file.
    words = {key(str(name)): code for code, name in countries}
    words.update({"uk": "GB", "united kingdom": "GB", "great britain": "GB", "usa": "US"})
    return words


def grade_names() -> list[str]:
    return [label for _, label in Grade.choices]
