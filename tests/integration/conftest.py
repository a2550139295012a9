from tests.integration.fixtures import (  # noqa: F401 (pytest fixtures)
    celery_worker,
    private_redis,
    smtp_hanging_after_data,
    smtp_refusing_for_good,
    smtp_refusing_for_now,
    smtp_server,
    smtp_settings,
    workers,
)
