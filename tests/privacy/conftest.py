# The real worker, Redis and SMTP fixtures, for test_download_my_data_worker.py.
from tests.integration.fixtures import (  # noqa: F401 (pytest fixtures)
    celery_worker,
    smtp_server,
    workers,
)
