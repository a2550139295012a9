from __future__ import annotations

from celery import shared_task

from .models import User


@shared_task
def send_welcome_email(user_id: int) -> None:
    """Welcome a person whose email address has just been verified."""
    from mentorship.emails import send_templated_email

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    send_templated_email("welcome", to=[user.email], context={"user": user})
