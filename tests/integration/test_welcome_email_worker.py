import pytest

from accounts.tasks import send_welcome_email
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.celery_worker]


def test_a_real_worker_sends_the_welcome_email_through_redis_and_smtp(celery_worker, smtp_server):
    user = UserFactory(full_name="Dr Fatima Elhassan", email="fatima.elhassan@example.org")

    send_welcome_email.apply_async(args=[user.pk], queue=celery_worker.queue)

    messages = smtp_server.recorder.wait_for(1)
    assert len(messages) == 1, "".join(celery_worker.output)
    message = messages[0]
    assert message["To"] == "fatima.elhassan@example.org"
    assert message["Subject"] == "Welcome to IMG Mentor Match"
    parts = {part.get_content_type(): part for part in message.walk()}
    assert "Dr Fatima Elhassan" in parts["text/plain"].get_payload(decode=True).decode()
    assert "Dr Fatima Elhassan" in parts["text/html"].get_payload(decode=True).decode()
    assert "succeeded" in "".join(celery_worker.output)
