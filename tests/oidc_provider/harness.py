"""Start the test OpenID Connect provider as a subprocess and set up its users and client.

Used by the `oidc_provider` fixture (tests/browser/test_sso.py); imports nothing from Django
so that it works under the app's settings.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 60


class ProviderUnavailable(Exception):
    """The provider could not be set up or did not answer (its log is in the message)."""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _private_key_pem() -> str:
    """A fresh RS256 signing key for each run, as a provider rotating keys would have."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


class OIDCProvider:
    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.port = _free_port()
        # The app under test runs on "localhost": a different host keeps cookies apart.
        self.url = f"http://127.0.0.1:{self.port}"
        self.issuer = f"{self.url}/o"
        self.log_path = workdir / "provider.log"
        env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
        self.env = {
            **env,
            "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
            "OIDC_PROVIDER_DB": str(workdir / "provider.sqlite3"),
            "OIDC_RSA_PRIVATE_KEY": _private_key_pem(),
            "PYTHONPATH": str(ROOT),
        }
        self.process: subprocess.Popen | None = None

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "django", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if result.returncode != 0:
            raise ProviderUnavailable(f"manage.py {args[0]} failed:\n{result.stderr[-3000:]}")
        return result.stdout.strip()

    def start(self) -> OIDCProvider:
        self.manage("migrate", "--noinput")
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "django",
                "runserver",
                f"127.0.0.1:{self.port}",
                "--noreload",
                "--skip-checks",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(self.discovery_url, timeout=2) as response:
                    if response.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        self.stop()
        raise ProviderUnavailable(
            f"the OIDC provider did not start:\n{self.log_path.read_text()[-3000:]}"
        )

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def register_client(self, client_id: str, secret: str, redirect_uri: str) -> None:
        self.manage(
            "register_oidc_client", client_id, "--secret", secret, "--redirect-uri", redirect_uri
        )

    def add_user(
        self,
        username: str,
        *,
        email: str,
        password: str,
        name: str = "",
        email_verified: str = "true",
        amr: str = "",
    ) -> str:
        """Add a provider user; returns their `sub` (the provider's id for them)."""
        return self.manage(
            "add_oidc_user",
            username,
            "--password",
            password,
            "--email",
            email,
            "--name",
            name,
            "--email-verified",
            email_verified,
            "--amr",
            amr,
        )
