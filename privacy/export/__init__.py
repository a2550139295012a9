"""Download my data: what is collected (sections.py and a module per area), how the file is
made (files.py), and asking, building and expiring it (service.py)."""
