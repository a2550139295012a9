"""django-import-export widgets that read one cell each and say what is wrong in plain words.

A widget's `clean` returns the value to store, or raises ValueError with the message the
manager reads next to the row number and column.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from import_export.widgets import Widget

from ..models.profiles import gmc_number_validator
from .reading import MAX_CELL_CHARS

# A spreadsheet runs a cell starting with one of these as a formula (see spreadsheets.py).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class TextWidget(Widget):
    def __init__(self, *, required: bool = False, max_length: int = 200, noun: str = "") -> None:
        super().__init__()
        self.required, self.max_length, self.noun = required, max_length, noun

    def clean(self, value, row=None, **kwargs):
        text = (value or "").strip()
        if not text:
            if self.required:
                raise ValueError(f"Enter their {self.noun}.")
            return ""
        if len(text) > min(self.max_length, MAX_CELL_CHARS):
            raise ValueError(f"Use {self.max_length} characters or fewer.")
        if text.startswith(FORMULA_STARTS):
            raise ValueError("This looks like a spreadsheet formula. Type the text itself.")
        return text

    def render(self, value, obj=None, **kwargs):
        return value or ""


class EmailWidget(TextWidget):
    def __init__(self) -> None:
        super().__init__(required=True, max_length=254, noun="email address")

    def clean(self, value, row=None, **kwargs):
        email = super().clean(value, row).lower()
        try:
            validate_email(email)
        except ValidationError:
            raise ValueError(
                f"'{email}' is not an email address. Enter one like name@nhs.net."
            ) from None
        return email


class GmcNumberWidget(TextWidget):
    def clean(self, value, row=None, **kwargs):
        number = "".join((value or "").split())
        if number.upper().startswith("GMC"):
            number = number[3:]
        if not number:
            return None
        try:
            gmc_number_validator(number)
        except ValidationError:
            raise ValueError(
                f"'{number[:20]}' is not a GMC number. Enter exactly 7 digits, like 7012345."
            ) from None
        return number

    def clean_quietly(self, value) -> str | None:
        """The number, or None when the cell is empty or not a GMC number."""
        try:
            return self.clean(value)
        except ValueError:
            return None


class ChoiceWidget(TextWidget):
    """A cell that must name one of a list (a specialty, a region, a grade, a country)."""

    def __init__(self, find, *, noun: str, required: bool = False, hint: str = "") -> None:
        super().__init__(required=required, noun=noun)
        self.find, self.hint = find, hint

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row)
        if not text:
            return None
        found = self.find(text)
        if found is None:
            raise ValueError(f"We do not know the {self.noun} '{text[:60]}'. {self.hint}".strip())
        return found


class NumberWidget(Widget):
    def __init__(self, *, low: int, high: int, default: int | None, noun: str) -> None:
        super().__init__()
        self.low, self.high, self.default, self.noun = low, high, default, noun

    def clean(self, value, row=None, **kwargs):
        text = (value or "").strip()
        if not text:
            return self.default
        try:
            number = int(text)
        except ValueError:
            raise ValueError(f"Enter the {self.noun} as a whole number, like {self.low}.") from None
        if not self.low <= number <= self.high:
            raise ValueError(f"Enter a {self.noun} from {self.low} to {self.high}.")
        return number


class YesNoWidget(Widget):
    YES = {"yes", "y", "true", "1"}
    NO = {"no", "n", "false", "0", ""}

    def clean(self, value, row=None, **kwargs):
        text = (value or "").strip().lower()
        if text in self.YES:
            return True
        if text in self.NO:
            return False
        raise ValueError("Enter Yes or No.")
