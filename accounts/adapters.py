from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Sign-up can be closed (SIGNUP_OPEN=0) while a programme is invitation-only."""
        return settings.SIGNUP_OPEN
