"""The directory's text search: what it looks in, and how it reads what people type.

A mentor's *search document* is their name, job title, organisation, specialties (main first),
the goals they support and their bio, in one column (`MentorProfile.search_document`), so that
"cardiology" or "leadership" finds the mentors the filters would.

A search is read into *terms*, all of which must be found. A term is one word, or a phrase
from the synonym table (`reference_data.SEARCH_SYNONYMS`) together with the other phrases of
its group: "GP" is found as "gp", "general practice" or "general practitioner". Small words
("the", "and") are dropped, as PostgreSQL drops them.

Each phrase is found when its words are whole words of the document, in order, each in its
singular or plural ("exam" finds "Postgraduate exams", "paediatrics" finds "Paediatric
Surgery"); words of three letters or fewer (GP, ED, QI, ICU) only as they are. PostgreSQL does
this with English stemming over the stored, indexed `search_vector`, which also finds other
forms of a word ("leading" finds "leads"); SQLite, which has no stemmer, with a regular
expression per word. So specialty and goal names and the synonym table give the same results
on both (tests/mentorship/test_directory_search_words.py checks every phrase of the table on
PostgreSQL), and free text may find a little more on PostgreSQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .reference_data import SEARCH_SYNONYMS

# PostgreSQL's English stop words (tsearch_data/english.stop): it never indexes them, so they
# are dropped from every search, on SQLite too, for the same results.
STOP_WORDS = frozenset(
    """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
    she her hers herself it its itself they them their theirs themselves what which who whom
    this that these those am is are was were be been being have has had having do does did
    doing a an the and but if or because as until while of at by for with about against between
    into through during before after above below to from up down in out on off over under again
    further then once here there when where why how all any both each few more most other some
    such no nor not only own same so than too very s t can will just don should now
    """.split()
)
# Words this short (gp, ed, qi, icu) are found only as they are, never as a plural.
SHORT = 3
# Words PostgreSQL's stemmer cuts to another word ("paeds" to "pa", as in PA): understood in a
# search through the synonym table, never looked for.
STEMMED_AWAY = frozenset({"paeds"})

_WORD = re.compile(r"[^\W_]+(?:&[^\W_]+)*")

Phrase = tuple[str, ...]


def words_of(text: str) -> list[str]:
    """Lower-case words; "A & E" and "A&E" are both the one word "a&e"."""
    return _WORD.findall(re.sub(r"\s*&\s*", "&", text.lower()))


@dataclass(frozen=True)
class Term:
    """One thing the person asked for: found when any of its phrases is found."""

    phrases: tuple[Phrase, ...]

    def tsqueries(self) -> list[str]:
        """Each phrase as a PostgreSQL tsquery for `to_tsquery('english', ...)`."""
        return [_tsquery(phrase) for phrase in self.phrases]

    def regexes(self) -> list[str]:
        """Each phrase as a case-insensitive regular expression for SQLite."""
        return [_regex(phrase) for phrase in self.phrases]


def _tsquery(phrase: Phrase) -> str:
    # Words hold only letters and digits, so quoting them is enough; PostgreSQL stems each
    # and counts the small words it drops when it measures the distance between the others.
    return " <-> ".join(f"'{word}'" for word in phrase)


def _regex(phrase: Phrase) -> str:
    return r"\b" + r"\W+".join(_word_pattern(word) for word in phrase) + r"\b"


def _word_pattern(word: str) -> str:
    """A word in its singular or plural: cardiology(ies), paediatric(s), exam(s)."""
    if len(word) <= SHORT:
        return re.escape(word)
    singular = word
    if word.endswith("ies"):
        singular = word[:-3] + "y"
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        singular = word[:-1]
    if singular.endswith("y") and singular[-2] not in "aeiou":
        return re.escape(singular[:-1]) + "(?:y|ies)"
    return re.escape(singular) + "(?:s|es)?"


def _synonym_index() -> dict[Phrase, tuple[Phrase, ...]]:
    """Every phrase of the table, and all the phrases it is found as (a phrase in two groups,
    like "sexual health", is found as the phrases of both)."""
    index: dict[Phrase, dict[Phrase, None]] = {}
    for group in SEARCH_SYNONYMS:
        keys = [tuple(words_of(phrase)) for phrase in group]
        searchable = [key for key in keys if _searchable(key)]
        for key in keys:
            index.setdefault(key, {}).update(dict.fromkeys(searchable))
    return {key: tuple(phrases) for key, phrases in index.items()}


def _searchable(phrase: Phrase) -> bool:
    """Whether a phrase is looked for, or only understood in a search. The search engines read
    "A&E" as the letters a and e, PostgreSQL leaves out a small word at either end ("a and e"
    would be "e" there) and stems a few words away, so such phrases are only understood."""
    if any("&" in word or word in STEMMED_AWAY for word in phrase):
        return False
    return phrase[0] not in STOP_WORDS and phrase[-1] not in STOP_WORDS


SYNONYMS = _synonym_index()
_LONGEST = max(len(key) for key in SYNONYMS)


def read_query(text: str) -> list[Term]:
    """The terms of a search, in order, each once. The longest phrase of the synonym table
    wins: "general practice" is one term, not "general" and "practice"."""
    words = words_of(text)
    terms: list[Term] = []
    i = 0
    while i < len(words):
        for n in range(min(_LONGEST, len(words) - i), 0, -1):
            phrases = SYNONYMS.get(tuple(words[i : i + n]))
            if phrases:
                terms.append(Term(phrases))
                i += n
                break
        else:
            parts = words[i].split("&")  # an "&" word that is not in the table: "R&D"
            terms += [Term(((part,),)) for part in parts if part and part not in STOP_WORDS]
            i += 1
    return list(dict.fromkeys(terms))


# --- The search document -----------------------------------------------------------------


def search_document_of(profile: Any) -> str:
    """What the directory's search looks in for one mentor profile. Reads the profile's other
    specialties and goals (prefetched or not); works on a migration's historical model too."""
    specialties = [profile.primary_specialty.name] if profile.primary_specialty_id else []
    goals: list[str] = []
    if profile.pk is not None:  # lists exist only once the profile is saved
        others = profile.other_specialties.all()
        specialties += sorted(s.name for s in others if s.pk != profile.primary_specialty_id)
        goals = sorted(g.name for g in profile.goals.all())
    parts = [profile.user.full_name, profile.job_title, profile.organisation]
    parts += specialties + goals + [profile.bio]
    return " ".join(part for part in parts if part)


def refresh_search_documents(profiles: Any, chunk_size: int = 1000) -> int:
    """Rebuild the search document of every profile in a queryset, writing only those that
    changed, without saving the profiles (so no signal fires); returns how many changed."""
    rows = (
        profiles.select_related("user", "primary_specialty")
        .prefetch_related("other_specialties", "goals")
        .order_by("pk")
    )
    changed: list[Any] = []
    count = 0
    for profile in rows.iterator(chunk_size=chunk_size):
        document = search_document_of(profile)
        if document != profile.search_document:
            profile.search_document = document
            changed.append(profile)
        if len(changed) >= chunk_size:
            count += profiles.model.objects.bulk_update(changed, ["search_document"])
            changed = []
    if changed:
        count += profiles.model.objects.bulk_update(changed, ["search_document"])
    return count
