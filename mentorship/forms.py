"""Profile, onboarding and programme forms. Each error says what to do, in plain English."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db import transaction

from .models import (
    Format,
    Goal,
    Grade,
    Language,
    MenteeGoal,
    MenteeMembership,
    MenteeProfile,
    MentorProfile,
    Region,
    Specialty,
)
from .models.profiles import BIO_MAX_LENGTH, MAX_GOALS, STATEMENT_MAX_LENGTH

RANK_LABELS = ["Most important", "Second", "Third", "Fourth", "Fifth"]


class CodeChoiceField(forms.ModelChoiceField):
    """Choices posted as stable codes; an unknown code gets a plain message."""

    def __init__(self, queryset: Any, *, noun: str, **kwargs: Any) -> None:
        kwargs.setdefault("to_field_name", "code")
        kwargs.setdefault("empty_label", "Select")
        super().__init__(queryset, **kwargs)
        self.error_messages = {
            **self.error_messages,
            "invalid_choice": f"Select a {noun} from the list",
            "required": f"Select a {noun}",
        }

    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class CodeMultipleChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, queryset: Any, *, noun: str, **kwargs: Any) -> None:
        kwargs.setdefault("to_field_name", "code")
        super().__init__(queryset, **kwargs)
        self.error_messages = {
            **self.error_messages,
            "invalid_choice": f"Select a {noun} from the list",
            "invalid_pk_value": f"Select a {noun} from the list",
            "required": f"Select at least one {noun}",
        }

    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class RankedGoalsWidget(forms.Widget):
    """Five selects named `goals`; the browser posts them in order, most important first."""

    template_name = "mentorship/widgets/ranked_goals.html"

    def __init__(self, choices: Any = (), attrs: dict | None = None) -> None:
        super().__init__(attrs)
        self.choices = choices

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        return data.getlist(name) if hasattr(data, "getlist") else list(data.get(name, []))

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        values = [str(v) for v in (value or []) if v] + [""] * MAX_GOALS
        base_id = (attrs or {}).get("id", f"id_{name}")
        context["selects"] = [
            {"id": f"{base_id}_{i}", "label": RANK_LABELS[i], "value": values[i]}
            for i in range(MAX_GOALS)
        ]
        context["choices"] = list(self.choices)
        return context


class RankedGoalsField(forms.Field):
    """1 to 5 goal codes in order of importance, each once."""

    widget = RankedGoalsWidget

    def __init__(self, *, queryset: Any, **kwargs: Any) -> None:
        self.queryset = queryset
        super().__init__(**kwargs)

    def __deepcopy__(self, memo: dict) -> RankedGoalsField:
        # Each form gets a fresh queryset, as ModelChoiceField does: a shared one would cache
        # the goals once per process and never see goals added (or ids changed) later.
        result = super().__deepcopy__(memo)
        result.queryset = self.queryset.all()
        return result

    def _choices(self) -> list[tuple[str, str]]:
        return [(g.code, g.name) for g in self.queryset]

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {}

    def prepare_widget(self) -> None:
        self.widget.choices = self._choices()

    def to_python(self, value: Any) -> list[str]:
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        return [str(v).strip() for v in value if str(v).strip()]

    def validate(self, value: list[str]) -> None:
        if not value:
            raise forms.ValidationError("Select your most important goal", code="required")
        if len(value) > MAX_GOALS:
            raise forms.ValidationError(f"Choose no more than {MAX_GOALS} goals", code="too_many")
        if len(set(value)) != len(value):
            raise forms.ValidationError("Choose each goal only once", code="duplicate")
        known = {g.code for g in self.queryset}
        if any(code not in known for code in value):
            raise forms.ValidationError("Select goals from the list", code="invalid_choice")

    def clean(self, value: Any) -> list[Goal]:
        codes = super().clean(value)
        goals = {g.code: g for g in self.queryset}
        return [goals[code] for code in codes]


class FormatsField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=Format.choices, **kwargs)
        self.error_messages = {
            **self.error_messages,
            "required": "Select at least one way to meet",
            "invalid_choice": "Select ways to meet from the list",
        }


def _gmc_field() -> forms.CharField:
    return forms.CharField(
        label="GMC reference number (optional)",
        required=False,
        max_length=20,
        help_text="7 digits. Only you and your programme's managers can see it.",
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}
        ),
    )


class ProfileFormMixin:
    """Shared set-up and cleaning for both profile forms."""

    instance: Any
    initial: dict[str, Any]
    cleaned_data: dict[str, Any]
    code_fields: tuple[str, ...] = ()

    def show_saved_codes(self) -> None:
        """Choices are posted as codes, so a saved profile's foreign keys must be shown as
        codes too (a ModelForm's initial value is the primary key)."""
        for name in self.code_fields:
            related = getattr(self.instance, name, None)
            if related is not None:
                self.initial[name] = related.code

    def clean_gmc_number(self) -> str | None:
        value = "".join(self.cleaned_data.get("gmc_number", "").split())
        if not value:
            return None
        if not value.isdigit() or len(value) != 7:
            raise forms.ValidationError(
                "Enter a GMC reference number with exactly 7 digits, like 7012345"
            )
        model = type(self.instance)
        taken = model.objects.filter(gmc_number=value).exclude(pk=self.instance.pk).exists()
        if taken:
            raise forms.ValidationError(
                "This GMC reference number is already used by another account. "
                "Check the number, or contact your programme team."
            )
        return value


class MenteeProfileForm(ProfileFormMixin, forms.ModelForm):
    code_fields = ("current_specialty", "target_specialty", "region")
    qualification_country = forms.ChoiceField(
        label="Country of your primary medical qualification",
        error_messages={
            "required": "Select the country where you qualified",
            "invalid_choice": "Select a country from the list",
        },
    )
    gmc_number = _gmc_field()
    grade = forms.ChoiceField(
        label="Current grade",
        choices=[("", "Select")] + Grade.choices,
        error_messages={
            "required": "Select your current grade",
            "invalid_choice": "Select a grade from the list",
        },
    )
    current_specialty = CodeChoiceField(
        Specialty.objects.active(),
        noun="specialty",
        required=False,
        label="Current specialty (optional)",
        help_text="The specialty you work in now, if any.",
    )
    target_specialty = CodeChoiceField(
        Specialty.objects.active(),
        noun="target specialty",
        label="Specialty you want to work in",
        help_text="For example General Practice, if you want to become a GP.",
    )
    goals = RankedGoalsField(
        queryset=Goal.objects.active(),
        label="Your goals",
        help_text="Choose 1 to 5, most important first. Mentors are ranked on how many they "
        "support, and your most important goal counts double.",
    )
    region = CodeChoiceField(
        Region.objects.active(),
        noun="region",
        label="Where you work",
    )
    formats = FormatsField(label="How would you like to meet?", help_text="Select all that apply.")
    year_arrived = forms.IntegerField(
        label="Year you started working in the UK (optional)",
        required=False,
        min_value=1950,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": "Enter a year, like 2023",
            "min_value": "Enter a year from 1950 onwards",
        },
    )
    languages = CodeMultipleChoiceField(
        Language.objects.active(),
        noun="language",
        required=False,
        label="Languages you speak (optional)",
    )
    statement = forms.CharField(
        label="What do you hope to gain from mentoring?",
        required=False,
        max_length=STATEMENT_MAX_LENGTH,
        help_text=f"Up to {STATEMENT_MAX_LENGTH} characters. Mentors you ask will read this.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "max_length": "What you hope to gain must be "
            f"{STATEMENT_MAX_LENGTH} characters or fewer"
        },
    )

    class Meta:
        model = MenteeProfile
        fields = [
            "qualification_country",
            "gmc_number",
            "grade",
            "current_specialty",
            "target_specialty",
            "goals",
            "region",
            "formats",
            "year_arrived",
            "languages",
            "statement",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from django_countries import countries

        self.fields["qualification_country"].choices = [("", "Select")] + list(countries)
        self.fields["goals"].prepare_widget()
        self.fields["year_arrived"].max_value = datetime.date.today().year
        self.fields["year_arrived"].validators.append(_not_in_future)
        self.show_saved_codes()
        if self.instance.pk:
            self.initial["goals"] = [g.code for g in self.instance.ranked_goals()]
            self.initial["formats"] = sorted(self.instance.formats)

    @transaction.atomic
    def save(self, commit: bool = True) -> MenteeProfile:
        profile = super().save(commit=False)
        profile.set_formats(self.cleaned_data["formats"])
        profile.save()
        profile.languages.set(self.cleaned_data["languages"])
        profile.mentee_goals.all().delete()
        MenteeGoal.objects.bulk_create(
            MenteeGoal(profile=profile, goal=goal, rank=rank)
            for rank, goal in enumerate(self.cleaned_data["goals"], start=1)
        )
        return profile


def _not_in_future(value: int | None) -> None:
    if value is not None and value > datetime.date.today().year:
        raise forms.ValidationError("The year cannot be in the future")


class MentorProfileForm(ProfileFormMixin, forms.ModelForm):
    code_fields = ("primary_specialty", "region")
    job_title = forms.CharField(
        label="Job title",
        max_length=200,
        help_text="For example Divisional Director for Primary Care.",
        error_messages={"required": "Enter your job title"},
    )
    organisation = forms.CharField(
        label="Organisation",
        max_length=200,
        help_text="For example the trust, practice or board you work for.",
        error_messages={"required": "Enter your organisation"},
    )
    gmc_number = _gmc_field()
    primary_specialty = CodeChoiceField(
        Specialty.objects.active(), noun="main specialty", label="Main specialty"
    )
    other_specialties = CodeMultipleChoiceField(
        Specialty.objects.active(),
        noun="specialty",
        required=False,
        label="Other specialties you know well (optional)",
    )
    goals = CodeMultipleChoiceField(
        Goal.objects.active(),
        noun="goal",
        label="What can you help mentees with?",
        help_text="Select all that apply.",
    )
    region = CodeChoiceField(Region.objects.active(), noun="region", label="Where you work")
    formats = FormatsField(label="How can you meet mentees?", help_text="Select all that apply.")
    capacity = forms.IntegerField(
        label="How many mentees can you mentor at once?",
        min_value=1,
        max_value=10,
        help_text="From 1 to 10.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter how many mentees you can mentor at once",
            "invalid": "Enter a number from 1 to 10",
            "min_value": "Enter a number from 1 to 10",
            "max_value": "Enter a number from 1 to 10",
        },
    )
    is_accepting_requests = forms.BooleanField(
        label="I am accepting new requests",
        required=False,
        help_text="Untick this to pause new requests. Your current mentees are not affected.",
    )
    is_img = forms.TypedChoiceField(
        label="Did you qualify as a doctor outside the UK?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        coerce=lambda v: v == "yes",
        help_text="Many international graduates value a mentor who has made the same move.",
        error_messages={"required": "Select yes if you qualified outside the UK"},
    )
    qualification_country = forms.ChoiceField(
        label="Country of your primary medical qualification",
        required=False,
        help_text="If you qualified outside the UK.",
        error_messages={"invalid_choice": "Select a country from the list"},
    )
    languages = CodeMultipleChoiceField(
        Language.objects.active(),
        noun="language",
        required=False,
        label="Languages you speak (optional)",
    )
    bio = forms.CharField(
        label="About you",
        required=False,
        max_length=BIO_MAX_LENGTH,
        help_text=f"Up to {BIO_MAX_LENGTH} characters. Your career, and what mentees can "
        "expect from you.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": f"About you must be {BIO_MAX_LENGTH} characters or fewer"},
    )

    class Meta:
        model = MentorProfile
        fields = [
            "job_title",
            "organisation",
            "gmc_number",
            "primary_specialty",
            "other_specialties",
            "goals",
            "region",
            "formats",
            "capacity",
            "is_accepting_requests",
            "is_img",
            "qualification_country",
            "languages",
            "bio",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from django_countries import countries

        self.fields["qualification_country"].choices = [("", "Select")] + list(countries)
        self.show_saved_codes()
        if self.instance.pk:
            self.initial["formats"] = sorted(self.instance.formats)
            self.initial["is_img"] = "yes" if self.instance.is_img else "no"
        else:
            self.initial.setdefault("is_accepting_requests", True)
            self.initial.setdefault("capacity", 2)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("is_img") and not data.get("qualification_country"):
            self.add_error("qualification_country", "Select the country where you qualified")
        if data.get("is_img") is False:
            data["qualification_country"] = ""
        return data

    @transaction.atomic
    def save(self, commit: bool = True) -> MentorProfile:
        profile = super().save(commit=False)
        profile.set_formats(self.cleaned_data["formats"])
        profile.save()
        self.save_m2m()
        return profile


class RolesForm(forms.Form):
    ROLE_CHOICES = [
        ("mentee", "I want a mentor"),
        ("mentor", "I want to mentor"),
        ("both", "Both"),
    ]
    role = forms.ChoiceField(
        label="How do you want to take part?",
        choices=ROLE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select how you want to take part",
            "invalid_choice": "Select how you want to take part",
        },
    )


class ApplicationForm(forms.ModelForm):
    class Meta:
        model = MenteeMembership
        fields = ["application_note"]
        labels = {"application_note": "Why do you want to join? (optional)"}
        help_texts = {"application_note": "The programme team reads this before they meet you."}
        widgets = {"application_note": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "application_note": {"max_length": "Keep this to 1000 characters or fewer"}
        }


class DecisionForm(forms.Form):
    """A manager's decision on an application, with private notes."""

    decision = forms.ChoiceField(
        label="Decision",
        widget=forms.RadioSelect,
        choices=[("accept", "Accept"), ("decline", "Decline")],
        error_messages={"required": "Select accept or decline"},
    )
    notes = forms.CharField(
        label="Interview and intake notes (optional)",
        required=False,
        max_length=5000,
        help_text="Only this programme's managers can see these notes.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": "Keep notes to 5000 characters or fewer"},
    )


class MentorInviteForm(forms.Form):
    email = forms.EmailField(
        label="Mentor's email address",
        help_text="They need an account with a mentor profile.",
        error_messages={
            "required": "Enter the mentor's email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )


class DirectoryFilterForm(forms.Form):
    """The directory's filters (GET). An unknown code gets a message, not a crash."""

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        help_text="Name, job title, organisation or words from their profile.",
    )
    specialty = CodeChoiceField(
        Specialty.objects.active(),
        noun="specialty",
        required=False,
        label="Specialty",
        empty_label="Any specialty",
    )
    region = CodeChoiceField(
        Region.objects.active(),
        noun="region",
        required=False,
        label="Region",
        empty_label="Any region",
    )
    goal = CodeChoiceField(
        Goal.objects.active(),
        noun="goal",
        required=False,
        label="Can help with",
        empty_label="Any goal",
    )
    format = forms.ChoiceField(
        label="Meets mentees",
        required=False,
        choices=[("", "Any way")] + Format.choices,
        error_messages={"invalid_choice": "Select a way to meet from the list"},
    )
    free_place = forms.BooleanField(label="Only mentors with a free place", required=False)
