"""Real services for integration tests: a local SMTP server and a Celery worker process.

The worker is a separate `celery worker` process consuming from the real Redis broker, on a
queue of its own, with the test database (PostgreSQL) and this SMTP server in its settings.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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
    """An aiosmtpd handler that keeps every message it is given. It can also refuse the next
    `refuse` messages with `refusal` (by default a temporary error, as a busy relay gives) at
    MAIL, RCPT or DATA (`refuse_at`), keep a message and then hang for `hang_after_data`
    seconds before answering (as a relay that stalls after DATA does), hang at RCPT for
    `hang_before_data` seconds (before it has any of the message), and call `on_message` with
    each message it keeps (to kill a worker at the worst moment)."""

    messages: list[Message] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    refuse: int = 0
    refused: int = 0
    refusal: str = "451 4.3.0 Mail server busy, try again later"
    refuse_at: str = "DATA"
    hang_after_data: float = 0.0
    hang_before_data: float = 0.0
    on_message: Callable[[Message], None] | None = None

    def _refuses(self, stage: str) -> bool:
        with self.lock:
            if self.refuse_at == stage and self.refused < self.refuse:
                self.refused += 1
                return True
        return False

    async def handle_MAIL(self, server, session, envelope, address, mail_options) -> str:  # noqa: N802
        if self._refuses("MAIL"):
            return self.refusal
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:  # noqa: N802
        if self._refuses("RCPT"):
            return self.refusal
        if self.hang_before_data:
            await asyncio.sleep(self.hang_before_data)  # nothing of the message has arrived
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd API)
        if self._refuses("DATA"):
            return self.refusal
        message = message_from_bytes(envelope.original_content)
        with self.lock:
            self.messages.append(message)
        if self.on_message is not None:
            self.on_message(message)
        if self.hang_after_data:
            await asyncio.sleep(self.hang_after_data)  # the relay has it; the sender never hears
        return "250 Message accepted for delivery"

    def subjects(self) -> list[str]:
        with self.lock:
            return [str(m["Subject"]) for m in self.messages]

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


@contextmanager
def running_smtp(recorder: SMTPRecorder) -> Iterator[SMTPServer]:
    """A local aiosmtpd server on a free port, answering as `recorder` says."""
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield SMTPServer("127.0.0.1", port, recorder)
    finally:
        controller.stop()


@pytest.fixture
def smtp_server() -> Iterator[SMTPServer]:
    with running_smtp(SMTPRecorder()) as server:
        yield server


@pytest.fixture
def smtp_hanging_after_data() -> Iterator[SMTPServer]:
    """Keeps every message, then never answers the end of DATA (within a test's lifetime)."""
    with running_smtp(SMTPRecorder(hang_after_data=60)) as server:
        yield server


@pytest.fixture
def smtp_refusing_for_good() -> Iterator[SMTPServer]:
    """Answers every recipient with a permanent refusal (550)."""
    recorder = SMTPRecorder(
        refuse=10**6, refuse_at="RCPT", refusal="550 5.1.1 No such mailbox here"
    )
    with running_smtp(recorder) as server:
        yield server


@pytest.fixture
def smtp_refusing_for_now() -> Iterator[SMTPServer]:
    """Answers every message with a temporary refusal (451)."""
    with running_smtp(SMTPRecorder(refuse=10**6)) as server:
        yield server


@pytest.fixture
def smtp_settings(settings) -> Callable[[SMTPServer], None]:
    """Point this process's email at a local SMTP server, through Django's SMTP backend,
    with a short EMAIL_TIMEOUT so a hung server costs a second."""

    def use(server: SMTPServer) -> None:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = server.host, server.port
        settings.EMAIL_TIMEOUT = 1

    return use


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


class Workers:
    """Starts real `celery worker` processes on one private queue and stops them after the
    test. Tasks this test process queues go to that queue (task_default_queue)."""

    def __init__(self, smtp: SMTPServer, redis_url: str) -> None:
        self.smtp, self.redis_url = smtp, redis_url
        self.queue = f"test-{uuid.uuid4().hex[:12]}"
        self.started: list[WorkerProcess] = []

    def start(
        self, *, beat: bool = False, include: tuple[str, ...] = (), **env_overrides: str
    ) -> WorkerProcess:
        """Start a worker; `include` names extra modules it imports (test-only hooks, such
        as tests.integration.slow_tasks), `env_overrides` extra environment."""
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "0",
            "HTTPS": "0",
            "STATIC_MANIFEST": "0",
            "SECRET_KEY": "worker-secret-for-tests-only-0123456789abcdefghijklmnop",
            "ALLOWED_HOSTS": "localhost",
            "DATABASE_URL": _database_url(),
            "REDIS_URL": self.redis_url,
            "CELERY_QUEUE": self.queue,
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": self.smtp.host,
            "EMAIL_PORT": str(self.smtp.port),
            "CONN_MAX_AGE": "0",
            # Unacknowledged tasks of a killed worker come back after this many seconds.
            "CELERY_VISIBILITY_TIMEOUT": "3",
            "CELERY_UNACKED_RESTORE_INTERVAL": "1",
            "CELERY_UNACKED_RESTORE_THROTTLE": "1",
            **env_overrides,
        }
        name = f"{self.queue}-{len(self.started)}"
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-Q",
            self.queue,
            "--pool=solo",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            f"{name}@%h",
            "--loglevel=INFO",
        ]
        if beat:
            command += ["--beat", "--schedule", f"/tmp/celerybeat-{name}"]
        if include:
            command += ["--include", ",".join(include)]
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
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
        worker = WorkerProcess(self.queue, process, output)
        self.started.append(worker)
        if not ready.wait(60):
            pytest.fail("The Celery worker did not start:\n" + "".join(output))
        return worker

    def log(self) -> str:
        return "".join(line for w in self.started for line in w.output)

    def stop_all(self) -> None:
        for worker in self.started:
            if worker.process.poll() is None:
                worker.process.terminate()
                try:
                    worker.process.wait(20)
                except subprocess.TimeoutExpired:
                    worker.process.kill()
            # Its database connections must be gone before the test database is dropped.
            worker.process.wait(10)


@pytest.fixture
def workers(transactional_db, smtp_server, settings) -> Iterator[Workers]:
    from config.celery import app
    from mentorship.outbox import broker_pause

    pool = Workers(smtp_server, settings.REDIS_URL)
    broker_pause.clear()  # an earlier test's broker failure must not hold this one's emails
    app.conf.task_always_eager = False
    default_queue = app.conf.task_default_queue
    app.conf.task_default_queue = pool.queue
    try:
        yield pool
    finally:
        app.conf.task_default_queue = default_queue
        app.conf.task_always_eager = True
        pool.stop_all()


@pytest.fixture
def celery_worker(workers) -> WorkerProcess:
    """One real worker process on a private queue; tasks sent to that queue run there."""
    return workers.start()


def wait_until(condition: Callable[[], bool], timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


@dataclass
class RedisServer:
    port: int
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5)
        if not wait_until(lambda: _pings(client), timeout=10):
            pytest.fail("The private Redis server did not start")

    def freeze(self) -> None:
        """SIGSTOP: connections are still accepted (by the kernel), nothing is answered."""
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.thaw()  # a stopped process would not act on SIGTERM
            self.process.terminate()
            self.process.wait(10)


def _pings(client) -> bool:
    import redis

    try:
        return bool(client.ping())
    except redis.RedisError:
        return False


@pytest.fixture
def private_redis() -> Iterator[RedisServer]:
    """A Redis server of this test's own, so that it can be stopped and started."""
    if shutil.which("redis-server") is None:
        pytest.skip("needs the redis-server program")
    server = RedisServer(free_port())
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def broker(url: str) -> Iterator[None]:
    """Point this process's Celery producer at another broker for a while."""
    from config.celery import app

    def reset() -> None:
        from kombu import pools

        from mentorship.outbox import broker_pause

        broker_pause.clear()  # the other broker's failures say nothing about this one
        pools.reset()  # kombu keeps producer pools per broker in a global registry
        app._pool = None
        app.amqp._producer_pool = None

    previous = app.conf.broker_url
    reset()
    app.conf.broker_url = url
    try:
        yield
    finally:
        reset()
        app.conf.broker_url = previous
