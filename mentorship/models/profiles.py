"""Mentee and mentor profiles: what the matching engine scores, and what people read."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Case, Count, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django_countries.fields import CountryField

from ..search_words import refresh_search_documents, search_document_of
from .programmes import MentorMembership
from .taxonomy import Goal, Language, Region, Specialty

STATEMENT_MAX_LENGTH = 1000
BIO_MAX_LENGTH = 1000
MAX_GOALS = 5
# A save that changes none of these leaves the search document as it is.
SEARCHED_FIELDS = frozenset(
    [
        "job_title",
        "organisation",
        "bio",
        "primary_specialty",
        "primary_specialty_id",
        "search_document",
    ]
)

# ASCII digits only: `\d` would also match fullwidth, Arabic-Indic and other Unicode digits,
# which would let one GMC number be stored twice in different scripts. The database has the
# same rule as a check constraint (see `gmc_number_is_ascii`).
GMC_NUMBER_REGEX = r"^[0-9]{7}$"
gmc_number_validator = RegexValidator(
    GMC_NUMBER_REGEX, "Enter a GMC reference number with exactly 7 digits, like 7012345"
)


def gmc_number_is_ascii(name: str) -> models.CheckConstraint:
    """The database refuses a GMC number that is not exactly 7 ASCII digits (NULL is none)."""
    # `__regex` is `~` on PostgreSQL and Django's REGEXP function on SQLite; both read
    # [0-9] as the ASCII digits only.
    return models.CheckConstraint(
        name=name,
        condition=Q(gmc_number__isnull=True) | Q(gmc_number__regex=GMC_NUMBER_REGEX),
    )


class Grade(models.TextChoices):
    """The grades a doctor can hold in the UK, in career order. The values are stored on
    profiles: never rename or remove one (migration 0011 added the GP trainee and clinical
    fellow, and gave "trust_grade" its locally employed name)."""

    FOUNDATION = "foundation", "Foundation doctor"
    CORE = "core", "Core trainee or SHO"
    REGISTRAR = "registrar", "Specialty trainee or registrar"
    GP_TRAINEE = "gp_trainee", "GP specialty trainee"
    TRUST_GRADE = "trust_grade", "Trust-grade or locally employed doctor"
    CLINICAL_FELLOW = "clinical_fellow", "Clinical fellow"
    SPECIALTY_DOCTOR = "specialty_doctor", "Specialty doctor"
    SAS = "sas", "SAS doctor (specialist or associate specialist)"
    CONSULTANT = "consultant", "Consultant"
    GP = "gp", "GP"


class Format(models.TextChoices):
    """How mentor and mentee meet. The codes are the matching engine's."""

    IN_PERSON = "in_person", "In person"
    VIRTUAL = "virtual", "Video or phone call"
    SHADOWING = "shadowing", "Shadowing (clinics, ward rounds, meetings)"


class FormatsMixin(models.Model):
    """Three yes/no columns, so the directory can filter on a format with a plain index."""

    in_person = models.BooleanField(default=False)
    virtual = models.BooleanField(default=False)
    shadowing = models.BooleanField(default=False)

    class Meta:
        abstract = True

    @property
    def formats(self) -> frozenset[str]:
        return frozenset(code for code in Format.values if getattr(self, code))

    @property
    def format_labels(self) -> list[str]:
        return [label for code, label in Format.choices if getattr(self, code)]

    def set_formats(self, codes: set[str] | frozenset[str] | list[str]) -> None:
        for code in Format.values:
            setattr(self, code, code in codes)


class MenteeProfileQuerySet(models.QuerySet["MenteeProfile"]):
    def visible_to(self, user) -> MenteeProfileQuerySet:
        """A mentee's profile is seen by the mentee, by managers of a programme they applied
        to, by a mentor while the mentee's request to them is open, and by their mentors
        (current or past); nobody else. A mentor who declined no longer sees it."""
        from .requests import MentorRequest

        if not user.is_authenticated:
            return self.none()
        open_to_them = MentorRequest.objects.open().filter(mentor=user).values("mentee_id")
        return self.filter(
            Q(user=user)
            | Q(user__mentee_memberships__programme__managers=user)
            | Q(user_id__in=open_to_them)
            | Q(user__mentorships_as_mentee__mentor=user)
        ).distinct()


class MenteeProfile(FormatsMixin):
    """Having one makes a person a mentee."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentee_profile"
    )
    qualification_country = CountryField("country of primary medical qualification", blank=True)
    gmc_number = models.CharField(
        "GMC reference number",
        max_length=7,
        unique=True,
        null=True,
        blank=True,
        validators=[gmc_number_validator],
    )
    grade = models.CharField("current grade", max_length=30, choices=Grade.choices, blank=True)
    current_specialty = models.ForeignKey(
        Specialty, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    target_specialty = models.ForeignKey(Specialty, on_delete=models.PROTECT, related_name="+")
    goals = models.ManyToManyField(Goal, through="MenteeGoal", related_name="+")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True)
    year_arrived = models.PositiveSmallIntegerField(
        "year you started working in the UK",
        null=True,
        blank=True,
        validators=[MinValueValidator(1950), MaxValueValidator(2100)],
    )
    languages = models.ManyToManyField(Language, blank=True, related_name="+")
    statement = models.TextField(
        "what you hope to gain", max_length=STATEMENT_MAX_LENGTH, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MenteeProfileQuerySet.as_manager()

    class Meta:
        constraints = [gmc_number_is_ascii("mentee_gmc_number_7_ascii_digits")]

    def __str__(self) -> str:
        return f"Mentee: {self.user}"

    def ranked_goals(self) -> list[Goal]:
        """Goals, most important first (uses prefetched `mentee_goals` when present)."""
        return [mg.goal for mg in sorted(self.mentee_goals.all(), key=lambda mg: mg.rank)]


class MenteeGoal(models.Model):
    """One of a mentee's 1-5 goals; rank 1 is the top goal."""

    profile = models.ForeignKey(
        MenteeProfile, on_delete=models.CASCADE, related_name="mentee_goals"
    )
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_GOALS)]
    )

    class Meta:
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "rank"], name="one_goal_per_rank"),
            models.UniqueConstraint(fields=["profile", "goal"], name="each_goal_once"),
            models.CheckConstraint(
                name="goal_rank_1_to_5", condition=Q(rank__gte=1) & Q(rank__lte=MAX_GOALS)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.goal}"


class MentorProfileQuerySet(models.QuerySet["MentorProfile"]):
    def in_programme(self, programme) -> MentorProfileQuerySet:
        """Mentors a programme's mentees may see: vetted (approved) and still active."""
        return self.filter(
            user__is_active=True,
            user__mentor_memberships__programme=programme,
            user__mentor_memberships__status=MentorMembership.Status.APPROVED,
        )

    def with_free_places(self) -> MentorProfileQuerySet:
        """The one definition of a mentor's places, across all their programmes. Annotates:

        - `active_mentees`: active mentorships;
        - `held_places`: requests holding a place (MentorRequest.HOLDS_A_PLACE);
        - `places_left`: capacity - active_mentees - held_places;
        - `free_places`: what the mentor can offer a new mentee: places_left, but 0 when
          paused, and never below 0.
        """
        from .mentorships import Mentorship
        from .requests import MentorRequest

        def count(queryset: models.QuerySet) -> Coalesce:
            rows = queryset.filter(mentor_id=OuterRef("user_id")).order_by().values("mentor_id")
            return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")[:1]), 0)

        return self.annotate(
            active_mentees=count(Mentorship.objects.active()),
            held_places=count(MentorRequest.objects.holding_places()),
        ).annotate(
            places_left=F("capacity") - F("active_mentees") - F("held_places"),
            free_places=Case(
                When(is_accepting_requests=False, then=Value(0)),
                When(places_left__lt=0, then=Value(0)),
                default=F("places_left"),
                output_field=models.IntegerField(),
            ),
        )

    def with_responses(self, programmes) -> MentorProfileQuerySet:
        """How each mentor answers requests in these programmes (a programme, or several):
        requests received, answered, expired unanswered, and the response rate (see
        models/progress.py)."""
        from .progress import annotate_mentor_responses

        ids = (
            [programmes.pk]
            if hasattr(programmes, "pk")
            else [getattr(p, "pk", p) for p in programmes]
        )
        return annotate_mentor_responses(self, ids)

    def refresh_search_documents(self) -> int:
        """Rebuild these mentors' search documents after a change their save cannot see;
        returns how many changed."""
        return refresh_search_documents(self)

    def lock_with_places(self, user_id: int) -> MentorProfile:
        """The mentor's profile, locked (only its own row) and annotated with its places:
        two transactions that change the same mentor's places run one after the other."""
        # Two statements on purpose: in PostgreSQL's READ COMMITTED, a statement that waited
        # for the lock still evaluates its subqueries with the snapshot taken before it
        # waited, so counting in the locking statement would miss the change just committed.
        pk = self.select_for_update(of=("self",)).values_list("pk", flat=True).get(user_id=user_id)
        return self.with_free_places().get(pk=pk)


class MentorProfile(FormatsMixin):
    """Having one makes a person a mentor."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_profile"
    )
    job_title = models.CharField(max_length=200)
    organisation = models.CharField(max_length=200)
    gmc_number = models.CharField(
        "GMC reference number",
        max_length=7,
        unique=True,
        null=True,
        blank=True,
        validators=[gmc_number_validator],
    )
    primary_specialty = models.ForeignKey(Specialty, on_delete=models.PROTECT, related_name="+")
    other_specialties = models.ManyToManyField(Specialty, blank=True, related_name="+")
    goals = models.ManyToManyField(Goal, blank=True, related_name="+")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True)
    capacity = models.PositiveSmallIntegerField(
        "how many mentees at once",
        default=2,
        validators=[
            MinValueValidator(1, "Enter a number from 1 to 10"),
            MaxValueValidator(10, "Enter a number from 1 to 10"),
        ],
    )
    is_accepting_requests = models.BooleanField("accepting new requests", default=True)
    paused_automatically_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Set when requests were paused because two requests expired unanswered.",
    )
    is_img = models.BooleanField("qualified outside the UK", default=False)
    qualification_country = CountryField("country of primary medical qualification", blank=True)
    languages = models.ManyToManyField(Language, blank=True, related_name="+")
    bio = models.TextField("about you", max_length=BIO_MAX_LENGTH, blank=True)
    # What the directory's text search looks in (mentorship/search_words.py), kept in one
    # column so that PostgreSQL can index it (see migration 0003). Rebuilt when the profile is
    # saved, and by mentorship/signals.py when its goals or other specialties, the person's
    # name, or a specialty's or goal's name change.
    search_document = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MentorProfileQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="mentor_capacity_1_to_10", condition=Q(capacity__gte=1) & Q(capacity__lte=10)
            ),
            gmc_number_is_ascii("mentor_gmc_number_7_ascii_digits"),
        ]

    def __str__(self) -> str:
        return f"Mentor: {self.user}"

    def save(self, *args, **kwargs) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is None or SEARCHED_FIELDS.intersection(update_fields):
            self.search_document = self.build_search_document()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "search_document"}
        super().save(*args, **kwargs)

    def build_search_document(self) -> str:
        return search_document_of(self)

    def _places(self, name: str) -> int:
        if not hasattr(self, name):  # not annotated: ask the database, same definition
            row = (
                type(self)
                .objects.with_free_places()
                .filter(pk=self.pk)
                .values("active_mentees", "held_places", "places_left", "free_places")
            )
            for key, value in row.get().items():
                setattr(self, key, value)
        return getattr(self, name)

    @property
    def free_place_count(self) -> int:
        """Places a new mentee can ask for (0 when paused); see with_free_places."""
        return self._places("free_places")

    @property
    def places_left_count(self) -> int:
        """Capacity less active mentorships and held places, paused or not."""
        return self._places("places_left")

    @property
    def held_place_count(self) -> int:
        return self._places("held_places")

    @property
    def active_mentee_count(self) -> int:
        return self._places("active_mentees")

    def has_place_for(self, mentor_request) -> bool:
        """Whether this mentor can take on the request. One that holds a place already (an
        accepted request, an approved proposal) needs only a place not taken by an active
        mentorship, which is always so unless capacity was lowered behind the services' back;
        any other needs a place left. Pausing stops new requests, not answers to requests
        already received."""
        if mentor_request.holds_place:
            return self.active_mentee_count < self.capacity
        return self.places_left_count > 0

    def no_place_message(self, *, you: bool) -> str:
        held = self.held_place_count
        held_text = f" and {held} held for matches waiting to be confirmed" if held else ""
        who = "You have" if you else f"{self.user.full_name} has"
        return (
            f"{who} no free place: {self.active_mentee_count} of {self.capacity} places are "
            f"taken by active mentorships{held_text}."
        )

    def specialties(self) -> list[Specialty]:
        """Primary first, then the others (uses prefetched `other_specialties`)."""
        others = sorted(self.other_specialties.all(), key=lambda s: s.name)
        return [self.primary_specialty] + [s for s in others if s.pk != self.primary_specialty_id]
