import pytest
from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed

from mentorship.models import OutboxEmail
from tests.factories import UserFactory
from tests.integration.fixtures import wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.celery_worker]


def test_a_real_worker_sends_the_welcome_email_through_redis_and_smtp(celery_worker, smtp_server):
    user = UserFactory(full_name="Dr Fatima Elhassan", email="fatima.elhassan@example.org")
    address = EmailAddress.objects.get(user=user)

    # What allauth does when the person follows the link in their confirmation email.
    email_confirmed.send(sender=EmailAddress, request=None, email_address=address)

    assert wait_until(lambda: len(smtp_server.recorder.messages) == 1), "".join(
        celery_worker.output
    )
    message = smtp_server.recorder.messages[0]
    assert message["To"] == "fatima.elhassan@example.org"
    assert message["Subject"] == "Welcome to IMG Mentor Match"
    parts = {part.get_content_type(): part for part in message.walk()}
    assert "Dr Fatima Elhassan" in parts["text/plain"].get_payload(decode=True).decode()
    assert "Dr Fatima Elhassan" in parts["text/html"].get_payload(decode=True).decode()
    # The worker logs "succeeded" and marks the row sent just after SMTP has the message.
    assert wait_until(lambda: "succeeded" in "".join(celery_worker.output)), "".join(
        celery_worker.output
    )
    assert wait_until(
        lambda: OutboxEmail.objects.get(kind="welcome").status == OutboxEmail.Status.SENT
    )
