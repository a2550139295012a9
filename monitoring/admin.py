"""Deliberately empty. Equality answers and outcome survey answers are read only as
aggregates (the managers' pages); the admin would list one person's answers, so neither
model is registered. A person sees, changes and deletes their own answers on their
account page. tests/monitoring/test_admin_shows_no_one.py keeps it so."""
