from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from . import (
            auth_backends,  # noqa: F401  (forgets a cached user when they change)
            signals,  # noqa: F401  (connects the security log and welcome email)
        )
