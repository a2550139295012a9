"""An index for the dashboard and the mentor list: the mentors' answers to requests (the
events by which a mentor accepted, declined, asked about or approved a request), keyed by
request and actor with their time. `with_first_answer` (each request's first answer, for the
answered counts and the median time to respond) and the set of answered requests behind the
mentor list's response rate read it alone (an index-only scan of the answers, instead of every
event of the programme). Partial, so it holds about half the events; SQL that SQLite and
PostgreSQL both accept. Raw SQL rather than an Index in Event.Meta.indexes only because
mentorship/models/events.py is not this change's file; `makemigrations` does not see it."""

from django.db import migrations

ANSWERS = "('accepted', 'declined', 'asked', 'approved')"  # progress.MENTOR_ANSWERS

CREATE = (
    "CREATE INDEX IF NOT EXISTS mentorship_event_answers_idx "
    "ON mentorship_event (request_id, actor_id, created_at) "
    f"WHERE action IN {ANSWERS} AND request_id IS NOT NULL"
)
DROP = "DROP INDEX IF EXISTS mentorship_event_answers_idx"


class Migration(migrations.Migration):
    dependencies = [("mentorship", "0014_programme_settings_events")]

    operations = [migrations.RunSQL(CREATE, DROP)]
