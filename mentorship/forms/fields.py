"""Form fields for reference data posted as codes, ranked goals and meeting formats."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django import forms

from ..models import Format, Goal, MenteeProfile, MentorProfile
from ..models.profiles import MAX_GOALS

RANK_LABELS = ["Most important", "Second", "Third", "Fourth", "Fifth"]
GMC_NUMBER = re.compile(r"[0-9]{7}")


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


def ascii_digits(value: str) -> str:
    """Write every decimal digit as ASCII 0-9, leaving other characters as they are."""
    # Phones and keyboards can type fullwidth (９), Arabic-Indic (٩), Devanagari (९) and other
    # digits; a GMC number written in them is still the same number, so it must be stored (and
    # checked for reuse) in one form only.
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in value)


def gmc_field() -> forms.CharField:
    return forms.CharField(
        label="GMC reference number (optional)",
        required=False,
        max_length=20,
        help_text="7 digits. Only you and your programme's managers can see it. They use it to "
        "check your registration.",
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
        value = ascii_digits("".join(self.cleaned_data.get("gmc_number", "").split()))
        if not value:
            return None
        if not GMC_NUMBER.fullmatch(value):
            raise forms.ValidationError(
                "Enter a GMC reference number with exactly 7 digits, like 7012345"
            )
        # One GMC number is one doctor: it may sit on both of a person's profiles, but never
        # on anyone else's, mentee or mentor.
        owner = self.instance.user_id
        taken = any(
            model.objects.filter(gmc_number=value).exclude(user_id=owner).exists()
            for model in (MenteeProfile, MentorProfile)
        )
        if taken:
            raise forms.ValidationError(
                "This GMC reference number is already used by another account. "
                "Check the number, or contact your programme team."
            )
        return value
