"""A page whose form has errors says so once at the start of its title ("Error: ..."), as
the NHS.UK error summary guidance asks; never "Error: Error: ..."."""

import re

import pytest
from django.urls import reverse

from tests.factories import new_mentorship

pytestmark = pytest.mark.django_db


def title(html):
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def test_a_journey_form_with_errors_says_error_once(
    mentee, mentor, programme, manager, mentor_client
):
    mentorship = new_mentorship(mentee, mentor, programme, weeks_ago=2)
    response = mentor_client.post(reverse("journey:log_meeting", args=[mentorship.pk]), {})

    assert response.status_code == 400
    assert title(response.content.decode()).startswith("Error: ")
    assert "Error: Error" not in title(response.content.decode())


def test_a_manager_form_with_errors_says_error_once(manager_client, programme):
    url = reverse("manage:settings", args=[programme.slug])
    response = manager_client.post(url, {"duration_weeks": "0"})

    assert response.status_code in (200, 400)
    assert title(response.content.decode()).startswith("Error: ")
    assert "Error: Error" not in title(response.content.decode())
