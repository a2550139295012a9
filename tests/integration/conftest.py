"""Real services for integration tests: a local SMTP server and a Celery worker process.

The worker is a separate `celery worker` process consuming from the real Redis broker, on a
queue of its own, with the test database (PostgreSQL) and this SMTP server in its settings.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from urllib.parse import quote

import pytest
from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class SMTPRecorder:
    """An aiosmtpd handler that keeps every message it is given."""

    messages: list[Message] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd API)
        with self.lock:
            self.messages.append(message_from_bytes(envelope.original_content))
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float = 30.0) -> list[Message]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.1)
        with self.lock:
            return list(self.messages)


@dataclass
class SMTPServer:
    host: str
    port: int
    recorder: SMTPRecorder


@pytest.fixture
def smtp_server() -> Iterator[SMTPServer]:
    recorder = SMTPRecorder()
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield SMTPServer("127.0.0.1", port, recorder)
    finally:
        controller.stop()


@dataclass
class WorkerProcess:
    queue: str
    process: subprocess.Popen
    output: list[str]


def _database_url() -> str:
    from django.db import connection

    s = connection.settings_dict
    user, password = quote(s["USER"] or ""), quote(s["PASSWORD"] or "")
    return f"postgres://{user}:{password}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


@pytest.fixture
def celery_worker(transactional_db, smtp_server, settings) -> Iterator[WorkerProcess]:
    """A real worker process on a private queue; tasks sent to that queue run there."""
    from config.celery import app

    queue = f"test-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "HTTPS": "0",
        "STATIC_MANIFEST": "0",
        "SECRET_KEY": "worker-secret-for-tests-only-0123456789abcdefghijklmnop",
        "ALLOWED_HOSTS": "localhost",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": smtp_server.host,
        "EMAIL_PORT": str(smtp_server.port),
        "CONN_MAX_AGE": "0",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-Q",
            queue,
            "--pool=solo",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            f"{queue}@%h",
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output: list[str] = []
    ready = threading.Event()

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line)
            if " ready." in line:
                ready.set()

    threading.Thread(target=pump, daemon=True).start()
    if not ready.wait(60):
        process.kill()
        pytest.fail("The Celery worker did not start:\n" + "".join(output))

    app.conf.task_always_eager = False
    try:
        yield WorkerProcess(queue, process, output)
    finally:
        app.conf.task_always_eager = True
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
        # The worker's database connections must be gone before the test database is dropped.
        process.wait(10)
