"""One function per email of the mentorship journey, one module per part of it (as in
mentorship/emails.py): each knows its recipients, context and exactly-once key (`about`)."""
