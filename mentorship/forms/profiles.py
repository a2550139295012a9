"""The mentee and mentor profile forms."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db import transaction

from ..models import (
    Goal,
    Grade,
    Language,
    MenteeGoal,
    MenteeProfile,
    MentorProfile,
    Region,
    Specialty,
)
from ..models.profiles import BIO_MAX_LENGTH, STATEMENT_MAX_LENGTH
from .fields import (
    CodeChoiceField,
    CodeMultipleChoiceField,
    FormatsField,
    ProfileFormMixin,
    RankedGoalsField,
    gmc_field,
)


class MenteeProfileForm(ProfileFormMixin, forms.ModelForm):
    code_fields = ("current_specialty", "target_specialty", "region")
    qualification_country = forms.ChoiceField(
        label="Country of your primary medical qualification",
        help_text="Why we ask: you can choose a mentor who qualified where you did, and we "
        "check that mentees from every country are matched fairly.",
        error_messages={
            "required": "Select the country where you qualified",
            "invalid_choice": "Select a country from the list",
        },
    )
    gmc_number = gmc_field()
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
        help_text="Why we ask: mentors can see how new you are to the NHS.",
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
    gmc_number = gmc_field()
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

    def clean_capacity(self) -> int:
        """Capacity cannot go below the places already taken: active mentees and places held
        for matches waiting to be confirmed (so an approval never fails for want of one)."""
        capacity = self.cleaned_data["capacity"]
        if self.instance.pk:
            taken = self.instance.active_mentee_count + self.instance.held_place_count
            if capacity < taken:
                raise forms.ValidationError(
                    f"Enter {taken} or more: you have {self.instance.active_mentee_count} "
                    f"active mentees and {self.instance.held_place_count} places held for "
                    "matches waiting to be confirmed"
                )
        return capacity

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
