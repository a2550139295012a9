"""Whether a mentee may ask a mentor, and why not: the rules the request service enforces
under its locks, and the directory and mentor pages show before anyone writes a message."""

from __future__ import annotations

from dataclasses import dataclass, field

from .exclusions import Exclusion
from .mentorships import Mentorship
from .programmes import MenteeMembership
from .requests import MentorRequest


@dataclass
class AskCheck:
    """Whether a mentee may ask a mentor in a programme, and why not: the one set of rules
    the request service enforces (under its locks) and the directory and mentor pages show
    before anyone writes a message. Load once per page, then ask about each mentor."""

    mentee_id: int
    accepted: bool
    has_mentor: bool
    open_count: int
    limit: int
    asked: set[int] = field(default_factory=set)
    declined_by: set[int] = field(default_factory=set)
    excluded: set[int] = field(default_factory=set)
    not_a_good_fit: set[int] = field(default_factory=set)

    @classmethod
    def load(cls, mentee, programme) -> AskCheck:
        open_requests = MentorRequest.objects.open().filter(programme=programme, mentee=mentee)
        return cls(
            mentee_id=mentee.pk,
            accepted=MenteeMembership.objects.accepted()
            .filter(programme=programme, user=mentee)
            .exists(),
            has_mentor=Mentorship.objects.active()
            .filter(programme=programme, mentee=mentee)
            .exists(),
            open_count=open_requests.count(),
            limit=programme.max_open_requests,
            asked=set(open_requests.values_list("mentor_id", flat=True)),
            declined_by=set(
                MentorRequest.objects.declined_in(programme)
                .filter(mentee=mentee)
                .values_list("mentor_id", flat=True)
            ),
            excluded={mentor for _, mentor in Exclusion.objects.pairs([mentee.pk])},
            not_a_good_fit=set(
                Mentorship.objects.not_a_good_fit_in(programme)
                .filter(mentee=mentee)
                .values_list("mentor_id", flat=True)
            ),
        )

    @property
    def hidden(self) -> set[int]:
        """Mentors the directory never shows this mentee: people they named, and mentors
        whose mentorship with them here ended as "not a good fit"."""
        return self.excluded | self.not_a_good_fit

    @property
    def at_limit(self) -> bool:
        return self.open_count >= self.limit

    def page_refusal(self) -> tuple[str, str] | None:
        """What stops this mentee asking anyone in the programme now, if anything."""
        if not self.accepted:
            return "not_accepted", (
                "You can ask for a mentor once the programme team has accepted you."
            )
        if self.has_mentor:
            return "has_mentor", "You already have a mentor in this programme."
        if self.at_limit:
            return "at_limit", (
                f"You can have {self.limit} open requests at a time and you have "
                f"{self.open_count}. Wait for an answer, or withdraw one, before you ask "
                "another mentor."
            )
        return None

    def refusal(self, mentor) -> tuple[str, str] | None:
        """(code, plain message) if asking this mentor (a MentorProfile with its places) cannot
        succeed now; None if it can."""
        name = mentor.user.full_name
        if mentor.user_id == self.mentee_id:
            return "self", "You cannot ask yourself to be your mentor."
        if mentor.user_id in self.excluded:
            return "excluded", "You have asked not to be matched with this person."
        if mentor.user_id in self.not_a_good_fit:
            return "not_a_good_fit", (
                f"Your mentorship with {name} in this programme ended as not a good fit, so "
                "you cannot ask them again here. Try another mentor."
            )
        if mentor.user_id in self.asked:
            return "asked", f"You have already asked {name}."
        if mentor.user_id in self.declined_by:
            return "declined", (
                f"{name} has already answered a request from you in this programme. "
                "Try another mentor."
            )
        if refused := self.page_refusal():
            return refused
        if not mentor.is_accepting_requests:
            return "paused", f"{name} is not taking new requests at the moment."
        if mentor.free_place_count <= 0:
            return "full", f"{name} has no free place at the moment."
        return None
