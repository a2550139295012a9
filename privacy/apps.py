from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """A person's rights over their data: download it, delete the account, retention."""

    name = "privacy"
    verbose_name = "Privacy"
