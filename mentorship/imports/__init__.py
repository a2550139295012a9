"""Importing mentors and mentees from a spreadsheet (CSV or Excel).

- reading.py: the file into a tablib Dataset, with limits and plain messages;
- values.py: a cell into a specialty, region, grade or country;
- widgets.py, resources.py: django-import-export Resources, one per kind, and each row's
  outcome (create, invite, unchanged, error);
- service.py: check a file (dry run), then import exactly the checked file;
- emails.py: the invitation to people the import made an account for;
- templates.py: the templates to download.
"""
