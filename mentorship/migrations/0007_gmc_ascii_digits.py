"""GMC numbers are 7 ASCII digits, in the form, the model and the database.

Rows saved before this migration may hold a number written in other Unicode digits
(fullwidth, Arabic-Indic, Devanagari...). Each is rewritten in ASCII digits, unless that
number is already on another person's profile (the reuse this migration exists to stop) or
it is not 7 digits at all: then it is cleared, and the person can enter it again, where the
form checks it like any other.
"""

import re
import unicodedata

import django.core.validators
from django.db import migrations, models

GMC = re.compile(r"[0-9]{7}")


def _ascii_digits(value: str) -> str:
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in value)


def normalise_gmc_numbers(apps, schema_editor) -> None:
    models_ = [apps.get_model("mentorship", name) for name in ("MenteeProfile", "MentorProfile")]
    for model in models_:
        for profile in model.objects.exclude(gmc_number__isnull=True).exclude(
            gmc_number__regex=r"^[0-9]{7}$"
        ):
            value = _ascii_digits("".join(profile.gmc_number.split()))
            taken = any(
                other.objects.filter(gmc_number=value).exclude(user_id=profile.user_id).exists()
                for other in models_
            )
            profile.gmc_number = value if GMC.fullmatch(value) and not taken else None
            profile.save(update_fields=["gmc_number"])


class Migration(migrations.Migration):
    dependencies = [
        ("mentorship", "0006_event_log"),
    ]

    operations = [
        migrations.RunPython(normalise_gmc_numbers, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="menteeprofile",
            name="gmc_number",
            field=models.CharField(
                blank=True,
                max_length=7,
                null=True,
                unique=True,
                validators=[
                    django.core.validators.RegexValidator(
                        "^[0-9]{7}$",
                        "Enter a GMC reference number with exactly 7 digits, like 7012345",
                    )
                ],
                verbose_name="GMC reference number",
            ),
        ),
        migrations.AlterField(
            model_name="mentorprofile",
            name="gmc_number",
            field=models.CharField(
                blank=True,
                max_length=7,
                null=True,
                unique=True,
                validators=[
                    django.core.validators.RegexValidator(
                        "^[0-9]{7}$",
                        "Enter a GMC reference number with exactly 7 digits, like 7012345",
                    )
                ],
                verbose_name="GMC reference number",
            ),
        ),
        migrations.AddConstraint(
            model_name="menteeprofile",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("gmc_number__isnull", True),
                    ("gmc_number__regex", "^[0-9]{7}$"),
                    _connector="OR",
                ),
                name="mentee_gmc_number_7_ascii_digits",
            ),
        ),
        migrations.AddConstraint(
            model_name="mentorprofile",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("gmc_number__isnull", True),
                    ("gmc_number__regex", "^[0-9]{7}$"),
                    _connector="OR",
                ),
                name="mentor_gmc_number_7_ascii_digits",
            ),
        ),
    ]
