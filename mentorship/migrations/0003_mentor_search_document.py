from django.db import migrations, models

# The directory's full-text search on PostgreSQL: a stored tsvector that PostgreSQL keeps
# up to date itself, with a GIN index. It is not a model field (SQLite has no tsvector);
# mentorship/directory.py queries it by name on PostgreSQL only.
CREATE_SEARCH_VECTOR = [
    """
    ALTER TABLE mentorship_mentorprofile ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (to_tsvector('english'::regconfig, COALESCE(search_document, '')))
    STORED
    """,
    """
    CREATE INDEX mentorship_mentorprofile_search_gin
    ON mentorship_mentorprofile USING gin (search_vector)
    """,
]


def fill_search_documents(apps, schema_editor):
    profile_model = apps.get_model("mentorship", "MentorProfile")
    for profile in profile_model.objects.select_related("user").iterator():
        parts = (profile.user.full_name, profile.job_title, profile.organisation, profile.bio)
        profile.search_document = " ".join(p for p in parts if p)
        profile.save(update_fields=["search_document"])


def create_search_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE_SEARCH_VECTOR:
            schema_editor.execute(statement)


def drop_search_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE mentorship_mentorprofile DROP COLUMN search_vector")


class Migration(migrations.Migration):
    dependencies = [("mentorship", "0002_reference_data")]

    operations = [
        migrations.AddField(
            model_name="mentorprofile",
            name="search_document",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(fill_search_documents, migrations.RunPython.noop),
        migrations.RunPython(create_search_vector, drop_search_vector),
    ]
