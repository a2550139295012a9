from django.db import migrations

from mentorship.reference_data import seed_reference_data


def seed(apps, schema_editor):
    seed_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("mentorship", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
