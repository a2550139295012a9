from django.conf import settings
from django.db import models


class Claims(models.Model):
    """What the provider says about one of its users, beyond `sub` and `email`."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    name = models.CharField(max_length=150, blank=True)
    # None: the claim is left out of the tokens altogether.
    email_verified = models.BooleanField(null=True)
    amr = models.CharField(max_length=100, blank=True, help_text="Comma-separated values")

    def __str__(self) -> str:
        return f"claims of {self.user}"
