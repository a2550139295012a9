"""Emails are rendered from templates/emails/<name>_{subject.txt,body.txt,body.html}."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def render_email(
    name: str, *, to: Sequence[str], context: dict[str, Any]
) -> EmailMultiAlternatives:
    """Build one email with a plain-text body and an HTML alternative."""
    context = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL, **context}
    subject = render_to_string(f"emails/{name}_subject.txt", context)
    subject = " ".join(subject.split())
    text = render_to_string(f"emails/{name}_body.txt", context)
    html = render_to_string(f"emails/{name}_body.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=list(to))
    message.attach_alternative(html, "text/html")
    return message


def send_templated_email(name: str, *, to: Sequence[str], context: dict[str, Any]) -> None:
    render_email(name, to=to, context=context).send()
