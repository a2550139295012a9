from tests.integration.fixtures import (  # noqa: F401 (pytest fixtures)
    celery_worker,
    private_redis,
    smtp_server,
    workers,
)
