"""The request event log becomes the service's one typed event log: requests, memberships and
mentorships. Existing request events keep their rows; two free-text labels become codes."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

LABELS = {"proposed by matching": "proposed", "asked a question": "asked"}


def labels_to_codes(apps, schema_editor):
    Event = apps.get_model("mentorship", "Event")
    for label, code in LABELS.items():
        Event.objects.filter(action=label).update(action=code)
    for event in Event.objects.filter(programme__isnull=True).select_related("request"):
        event.programme_id = event.request.programme_id
        event.save(update_fields=["programme"])


def codes_to_labels(apps, schema_editor):
    Event = apps.get_model("mentorship", "Event")
    for label, code in LABELS.items():
        Event.objects.filter(action=code).update(action=label)


class Migration(migrations.Migration):
    dependencies = [
        ("mentorship", "0005_mentorship_ended_by"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel("RequestEvent", "Event"),
        migrations.AlterField(
            model_name="event",
            name="request",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="events",
                to="mentorship.mentorrequest",
            ),
        ),
        migrations.AddField(
            model_name="event",
            name="programme",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="events",
                to="mentorship.programme",
            ),
        ),
        migrations.AddField(
            model_name="event",
            name="mentorship",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="events",
                to="mentorship.mentorship",
            ),
        ),
        migrations.AddField(
            model_name="event",
            name="mentee_membership",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="events",
                to="mentorship.menteemembership",
            ),
        ),
        migrations.AddField(
            model_name="event",
            name="mentor_membership",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="events",
                to="mentorship.mentormembership",
            ),
        ),
        migrations.RunPython(labels_to_codes, codes_to_labels),
        migrations.AlterField(
            model_name="event",
            name="programme",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="events",
                to="mentorship.programme",
            ),
        ),
        migrations.AlterField(
            model_name="event",
            name="action",
            field=models.CharField(
                choices=[
                    ("requested", "Requested"),
                    ("proposed", "Suggested by the programme team"),
                    ("accepted", "Accepted"),
                    ("declined", "Declined"),
                    ("asked", "Asked a question"),
                    ("answered", "Answered the question"),
                    ("withdrawn", "Withdrawn"),
                    ("approved", "Approved"),
                    ("rejected", "Not approved"),
                    ("expired", "Expired"),
                    ("applied", "Applied to the programme"),
                    ("application_accepted", "Accepted into the programme"),
                    ("application_declined", "Not accepted into the programme"),
                    ("offered_to_mentor", "Offered to mentor"),
                    ("invited", "Invited to mentor"),
                    ("invitation_accepted", "Accepted the invitation to mentor"),
                    ("vetted", "Approved as a mentor"),
                    ("not_vetted", "Not approved as a mentor"),
                    ("left", "Left the programme"),
                    ("started", "Mentorship started"),
                    ("completed", "Mentorship completed"),
                    ("ended_early", "Mentorship ended early"),
                ],
                max_length=40,
            ),
        ),
        migrations.AlterField(
            model_name="event",
            name="to_status",
            field=models.CharField(blank=True, max_length=24),
        ),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(
                fields=["programme", "created_at"], name="mentorship__program_b50278_idx"
            ),
        ),
        migrations.AddConstraint(
            model_name="event",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("mentee_membership__isnull", True),
                        ("mentor_membership__isnull", True),
                        ("mentorship__isnull", True),
                        ("request__isnull", False),
                    ),
                    models.Q(
                        ("mentee_membership__isnull", True),
                        ("mentor_membership__isnull", True),
                        ("mentorship__isnull", False),
                        ("request__isnull", True),
                    ),
                    models.Q(
                        ("mentee_membership__isnull", False),
                        ("mentor_membership__isnull", True),
                        ("mentorship__isnull", True),
                        ("request__isnull", True),
                    ),
                    models.Q(
                        ("mentee_membership__isnull", True),
                        ("mentor_membership__isnull", False),
                        ("mentorship__isnull", True),
                        ("request__isnull", True),
                    ),
                    _connector="OR",
                ),
                name="event_is_about_one_thing",
            ),
        ),
    ]
