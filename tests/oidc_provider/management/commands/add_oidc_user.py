from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from tests.oidc_provider.models import Claims

VERIFIED = {"true": True, "false": False, "absent": None}


class Command(BaseCommand):
    help = "Add (or replace) a provider user with the claims the test wants."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--password", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", default="")
        parser.add_argument("--email-verified", choices=sorted(VERIFIED), default="true")
        parser.add_argument("--amr", default="", help="comma-separated, e.g. pwd,mfa")

    def handle(self, *args, **options):
        User = get_user_model()
        User.objects.filter(username=options["username"]).delete()
        user = User.objects.create_user(
            options["username"], email=options["email"], password=options["password"]
        )
        Claims.objects.create(
            user=user,
            name=options["name"],
            email_verified=VERIFIED[options["email_verified"]],
            amr=options["amr"],
        )
        self.stdout.write(str(user.pk))
