"""What each column of a mentor or mentee spreadsheet means, and what each row would do.

Built on django-import-export: a Resource declares the columns (`Field`s with the widgets in
widgets.py), and `import_data(dry_run=True)` reads every row into a `Person`, checks it and
reports its outcome, saving nothing. `import_data(dry_run=False)` runs the same checks and
then calls the service for each row that changes something (`save_instance`).

A row's outcome:
- *create*: nobody has this email address; an account, a profile and a membership are made
  and the person is invited;
- *invite*: an account has this email address but is not in the programme; it is added (a
  profile is made from the row only if they have none; a profile they wrote is never changed);
- *unchanged*: the person is already in the programme, in any state; nothing changes (a
  manager decides on applicants on their pages, not by a spreadsheet);
- *error*: something in the row must be fixed first; the row is left out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models.functions import Lower
from import_export import resources
from import_export.fields import Field
from import_export.instance_loaders import BaseInstanceLoader
from import_export.results import RowResult

from accounts.models import User

from ..models import (
    MenteeMembership,
    MenteeProfile,
    MentorMembership,
    MentorProfile,
    Programme,
)
from . import values
from .widgets import (
    ChoiceWidget,
    EmailWidget,
    GmcNumberWidget,
    NumberWidget,
    TextWidget,
    YesNoWidget,
)

CREATE, INVITE, UNCHANGED, ERROR = "create", "invite", "unchanged", "error"
OUTCOME_LABELS = {
    CREATE: "New account: will be invited",
    INVITE: "Has an account: will be added and told",
    UNCHANGED: "Already in the programme: no change",
    ERROR: "Error: will be left out",
}
SPECIALTY_HINT = "Use a specialty from the list on the import page, like General Practice."
REGION_HINT = "Use a region from the list on the import page, like London."
GRADE_HINT = "Use a grade from the list on the import page, like Clinical fellow."


@dataclass
class Person:
    """One row of the file, read and checked: what import-export calls the instance."""

    row_number: int = 0
    title: str = ""
    full_name: str = ""
    email: str = ""
    gmc_number: str | None = None
    region: object = None
    qualification_country: str | None = None
    # Mentors
    job_title: str = ""
    organisation: str = ""
    specialty: object = None
    capacity: int = 2
    is_img: bool = False
    # Mentees
    grade: str | None = None
    current_specialty: object = None
    target_specialty: object = None
    year_arrived: int | None = None
    # Worked out by the checks
    user: User | None = None
    has_profile: bool = False
    outcome: str = CREATE
    note: str = ""
    errors: dict[str, list[str]] = field(default_factory=dict)

    pk = None

    def __str__(self) -> str:
        return self.email

    @property
    def display_name(self) -> str:
        """The name with the title in front, unless the name already starts with it."""
        title, name = self.title.strip(), self.full_name.strip()
        if title and not name.lower().startswith(title.lower().rstrip(".") + " "):
            return f"{title} {name}"
        return name


class PeopleResource(resources.Resource):
    """The columns both spreadsheets share, and the checks against the programme."""

    kind = ""  # "mentor" or "mentee"
    title = Field(attribute="title", column_name="Title", widget=TextWidget(max_length=20))
    full_name = Field(
        attribute="full_name",
        column_name="Full name",
        widget=TextWidget(required=True, max_length=150, noun="full name"),
    )
    email = Field(attribute="email", column_name="Email", widget=EmailWidget())
    gmc_number = Field(attribute="gmc_number", column_name="GMC number", widget=GmcNumberWidget())

    class Meta:
        import_id_fields = ["email"]
        instance_loader_class = BaseInstanceLoader  # get_or_init_instance uses the preload
        skip_diff = True
        report_skipped = True
        store_instance = True
        use_transactions = True

    def __init__(self, programme: Programme, *, by: User, vocabulary=None, importer=None):
        super().__init__()
        self.programme, self.by = programme, by
        self.vocabulary = vocabulary or values.Vocabulary.load()
        self.importer = importer  # called for each row to save (service.py)
        self._attach_vocabulary()

    # --- What the file holds -------------------------------------------------------------

    @classmethod
    def column_names(cls) -> list[str]:
        return [f.column_name for f in cls.fields.values()]

    @classmethod
    def required_columns(cls) -> list[str]:
        return [f.column_name for f in cls.fields.values() if getattr(f.widget, "required", False)]

    def column_of(self, attribute: str) -> str:
        for f in self.fields.values():
            if f.attribute == attribute:
                return f.column_name
        return ""

    def _attach_vocabulary(self) -> None:
        """Choice widgets look values up in this import's vocabulary (loaded once)."""
        lookups = {
            "specialty": self.vocabulary.specialty,
            "region": self.vocabulary.region,
        }
        for f in self.fields.values():
            if isinstance(f.widget, ChoiceWidget) and f.widget.find in lookups:
                f.widget = ChoiceWidget(
                    lookups[f.widget.find],
                    noun=f.widget.noun,
                    required=f.widget.required,
                    hint=f.widget.hint,
                )

    # --- import-export's steps -------------------------------------------------------------

    def before_import(self, dataset, **kwargs) -> None:
        """Load everyone the file names in a few queries, and find repeats within the file."""
        emails = {(e or "").strip().lower() for e in dataset["Email"]} - {""}
        people = User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=emails)
        self.users = {u.email.lower(): u for u in people.order_by()}
        user_ids = [u.pk for u in self.users.values()]
        self.profile_gmc = dict(
            self.profile_model.objects.filter(user_id__in=user_ids).values_list(
                "user_id", "gmc_number"
            )
        )
        self.memberships = dict(
            self.membership_model.objects.filter(
                programme=self.programme, user_id__in=user_ids
            ).values_list("user_id", "status")
        )
        numbers = {GmcNumberWidget().clean_quietly(n) for n in dataset["GMC number"]} - {None}
        self.gmc_owner = dict(
            self.profile_model.objects.filter(gmc_number__in=numbers).values_list(
                "gmc_number", "user__email"
            )
        )
        self.rows_with_email = _rows_by(dataset["Email"], lambda v: (v or "").strip().lower())
        self.rows_with_gmc = _rows_by(dataset["GMC number"], GmcNumberWidget().clean_quietly)

    def import_row(self, row, instance_loader, **kwargs):
        self._person = None
        row_result = super().import_row(row, instance_loader, **kwargs)
        row_result.person = self._person
        return row_result

    def get_or_init_instance(self, instance_loader, row):
        email = (row.get("Email") or "").strip().lower()
        user = self.users.get(email)
        self._person = Person(user=user, email=email)
        return self._person, user is None

    def import_instance(self, instance: Person, row, **kwargs) -> None:
        """Read every cell, then check the row against the file and the programme."""
        instance.row_number = kwargs.get("row_number", 0) + 1  # the header is row 1
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            for attribute, messages in error.message_dict.items():
                instance.errors.setdefault(attribute, []).extend(messages)
        self.check(instance)
        if instance.errors:
            instance.outcome = ERROR
            raise ValidationError(instance.errors)

    def skip_row(self, instance: Person, original, row, import_validation_errors=None) -> bool:
        return not import_validation_errors and instance.outcome == UNCHANGED

    def save_instance(self, instance: Person, is_create, row, **kwargs) -> None:
        if kwargs.get("dry_run") or self.importer is None:
            return
        self.importer(self, instance)

    def save_m2m(self, instance, row, **kwargs) -> None:
        return None

    # --- The checks -----------------------------------------------------------------------

    def check(self, person: Person) -> None:
        def error(attribute: str, message: str) -> None:
            person.errors.setdefault(attribute, []).append(message)

        number = person.row_number
        if person.email:
            others = [n for n in self.rows_with_email.get(person.email, []) if n != number]
            if others:
                error("email", f"The same email address is on {_rows(others)}. Keep one row.")
        if person.gmc_number:
            others = [n for n in self.rows_with_gmc.get(person.gmc_number, []) if n != number]
            if others:
                error("gmc_number", f"The same GMC number is on {_rows(others)}. Keep one row.")
        user = person.user
        owner = self.gmc_owner.get(person.gmc_number) if person.gmc_number else None
        if user is None:
            if owner is not None:
                error("gmc_number", self._gmc_taken_message())
            person.outcome = CREATE
            return
        person.has_profile = user.pk in self.profile_gmc
        if not user.is_active:
            error("email", "The account with this email address is closed. Ask site staff.")
            return
        status = self.memberships.get(user.pk)
        if status is not None:
            person.outcome = UNCHANGED
            label = self.membership_model.Status(status).label.lower()
            person.note = f"Already in the programme ({label})."
            return
        if person.gmc_number:
            on_profile = self.profile_gmc.get(user.pk)
            if person.has_profile and on_profile and on_profile != person.gmc_number:
                error(
                    "gmc_number",
                    "This GMC number is not the one on their profile. Check it, or leave the "
                    "cell empty to keep theirs.",
                )
            elif owner is not None and owner.lower() != user.email.lower():
                error("gmc_number", self._gmc_taken_message())
        if self.kind == "mentee" and user.pk == self.by.pk:
            error(
                "email",
                "This is your own email address. Another manager of the programme must add you.",
            )
        person.outcome = INVITE

    def _gmc_taken_message(self) -> str:
        return (
            f"Another {self.kind}'s profile already has this GMC number, with a different email "
            "address. Check the number and the email address."
        )

    # --- Reading the results --------------------------------------------------------------

    def outcomes(self, result) -> list[RowOutcome]:
        """One line per row of the file, in order, with every error in plain words."""
        lines = []
        for number, row_result in enumerate(result.rows, start=2):
            person: Person | None = getattr(row_result, "person", None)
            if person is None or row_result.import_type == RowResult.IMPORT_TYPE_ERROR:
                # Not a rule the row broke but a fault: say so rather than guess.
                person = person or Person()
                person.row_number = person.row_number or number
                person.errors = {"": ["This row could not be read. Check it and try again."]}
            messages = [
                (self.column_of(attribute) if attribute else "", message)
                for attribute, found in person.errors.items()
                for message in found
            ]
            lines.append(
                RowOutcome(
                    number=person.row_number,
                    outcome=ERROR if person.errors else person.outcome,
                    name=person.display_name,
                    email=person.email,
                    note=person.note,
                    errors=messages,
                )
            )
        return lines


@dataclass
class RowOutcome:
    number: int
    outcome: str
    name: str
    email: str
    note: str = ""
    errors: list[tuple[str, str]] = field(default_factory=list)

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self.outcome]


def _rows_by(cells, normalise) -> dict[str, list[int]]:
    found: dict[str, list[int]] = defaultdict(list)
    for index, cell in enumerate(cells, start=2):
        value = normalise(cell)
        if value:
            found[value].append(index)
    return found


def _rows(numbers: list[int]) -> str:
    if len(numbers) == 1:
        return f"row {numbers[0]}"
    return "rows " + ", ".join(str(n) for n in numbers[:-1]) + f" and {numbers[-1]}"


class MentorResource(PeopleResource):
    kind = "mentor"
    profile_model = MentorProfile
    membership_model = MentorMembership

    job_title = Field(
        attribute="job_title",
        column_name="Job title",
        widget=TextWidget(required=True, noun="job title"),
    )
    organisation = Field(
        attribute="organisation",
        column_name="Organisation",
        widget=TextWidget(required=True, noun="organisation"),
    )
    specialty = Field(
        attribute="specialty",
        column_name="Specialty",
        widget=ChoiceWidget("specialty", noun="specialty", required=True, hint=SPECIALTY_HINT),
    )
    region = Field(
        attribute="region",
        column_name="Region",
        widget=ChoiceWidget("region", noun="region", hint=REGION_HINT),
    )
    capacity = Field(
        attribute="capacity",
        column_name="Mentees at once",
        widget=NumberWidget(low=1, high=10, default=2, noun="number of mentees"),
    )
    is_img = Field(attribute="is_img", column_name="Qualified outside the UK", widget=YesNoWidget())
    qualification_country = Field(
        attribute="qualification_country",
        column_name="Country of primary medical qualification",
        widget=ChoiceWidget(
            values.country, noun="country", hint="Write it in English, like India."
        ),
    )


class MenteeResource(PeopleResource):
    kind = "mentee"
    profile_model = MenteeProfile
    membership_model = MenteeMembership

    grade = Field(
        attribute="grade",
        column_name="Grade",
        widget=ChoiceWidget(values.grade, noun="grade", hint=GRADE_HINT),
    )
    current_specialty = Field(
        attribute="current_specialty",
        column_name="Current specialty",
        widget=ChoiceWidget("specialty", noun="specialty", hint=SPECIALTY_HINT),
    )
    target_specialty = Field(
        attribute="target_specialty",
        column_name="Specialty they want to work in",
        widget=ChoiceWidget("specialty", noun="specialty", required=True, hint=SPECIALTY_HINT),
    )
    region = Field(
        attribute="region",
        column_name="Region",
        widget=ChoiceWidget("region", noun="region", hint=REGION_HINT),
    )
    qualification_country = Field(
        attribute="qualification_country",
        column_name="Country of primary medical qualification",
        widget=ChoiceWidget(
            values.country, noun="country", hint="Write it in English, like India."
        ),
    )
    year_arrived = Field(
        attribute="year_arrived",
        column_name="Year they started working in the UK",
        widget=NumberWidget(low=1950, high=2100, default=None, noun="year"),
    )


RESOURCES: dict[str, type[PeopleResource]] = {"mentors": MentorResource, "mentees": MenteeResource}
