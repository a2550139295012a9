"""Every GMC specialty and every UK grade, and specialty and goal names in the directory's
search (issue 10, items 10 and 11).

Adds the specialties that are missing, leaving the rows that exist (and any name edited in the
admin) as they are, and offers the new grades. No code is renamed or removed, so every saved
profile keeps its values. Then rebuilds every mentor's search document, which now holds their
specialties and goals (PostgreSQL recomputes the indexed search_vector from it). Going back
removes nothing: a profile may use a new specialty by then, and a longer search document is
harmless.
"""

from django.db import migrations, models

from mentorship.reference_data import add_missing_reference_data
from mentorship.search_words import refresh_search_documents


def add_specialties(apps, schema_editor):
    add_missing_reference_data(apps)


def rebuild_search_documents(apps, schema_editor):
    refresh_search_documents(apps.get_model("mentorship", "MentorProfile").objects.all())


class Migration(migrations.Migration):
    dependencies = [("mentorship", "0010_exclusions_and_matched_label")]

    operations = [
        migrations.AlterField(
            model_name="menteeprofile",
            name="grade",
            field=models.CharField(
                blank=True,
                choices=[
                    ("foundation", "Foundation doctor"),
                    ("core", "Core trainee or SHO"),
                    ("registrar", "Specialty trainee or registrar"),
                    ("gp_trainee", "GP specialty trainee"),
                    ("trust_grade", "Trust-grade or locally employed doctor"),
                    ("clinical_fellow", "Clinical fellow"),
                    ("specialty_doctor", "Specialty doctor"),
                    ("sas", "SAS doctor (specialist or associate specialist)"),
                    ("consultant", "Consultant"),
                    ("gp", "GP"),
                ],
                max_length=30,
                verbose_name="current grade",
            ),
        ),
        migrations.RunPython(add_specialties, migrations.RunPython.noop),
        migrations.RunPython(rebuild_search_documents, migrations.RunPython.noop),
    ]
