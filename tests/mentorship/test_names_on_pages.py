"""Names with an apostrophe or an accent show as written on every page that names a person:
escaped once (O&#x27;Brien in the HTML, O'Brien on screen), never raw, never twice."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from mentorship.models import MenteeMembership
from tests.factories import MentorshipFactory, new_accepted_request, new_mentee, new_mentor

pytestmark = pytest.mark.django_db

MENTEE = "Dr Siobhán O'Brien"
MENTOR = "Dr Seán D'Arcy"
PARTNER = "Dr Zoë O'Neill"  # already in a mentorship with the mentor


@pytest.fixture
def scene(programme, manager, with_mfa):
    """O'Brien asked D'Arcy, who accepted; D'Arcy already mentors O'Neill."""
    mentee = new_mentee(programme, MENTEE)
    mentor = new_mentor(programme, MENTOR)
    partner = new_mentee(programme, PARTNER)
    mentor_request = new_accepted_request(mentee, mentor, programme)
    mentorship = MentorshipFactory(programme=programme, mentor=mentor, mentee=partner)
    with_mfa(manager)
    slug = programme.slug
    membership = MenteeMembership.objects.get(user=mentee, programme=programme)
    return {
        "people": {"mentee": mentee, "mentor": mentor, "partner": partner, "manager": manager},
        "urls": {
            "my_requests": reverse("mentorship:my_requests"),
            "request_detail": reverse("mentorship:request_detail", args=[mentor_request.pk]),
            "inbox": reverse("mentorship:inbox"),
            "inbox_detail": reverse("mentorship:inbox_detail", args=[mentor_request.pk]),
            "mentee_detail": reverse("mentorship:mentee_detail", args=[mentee.pk]),
            "my_mentees": reverse("mentorship:my_mentees"),
            "mentorship_detail": reverse("mentorship:mentorship_detail", args=[mentorship.pk]),
            "mentee_home": reverse("mentorship:mentee_home"),
            "directory": reverse("mentorship:directory", args=[slug]),
            "approvals": reverse("manage:approvals", args=[slug]),
            "mentees": reverse("manage:mentees", args=[slug]),
            "mentee": reverse("manage:mentee", args=[slug, membership.pk]),
            "mentors": reverse("manage:mentors", args=[slug]),
        },
    }


@pytest.mark.parametrize(
    ("viewer", "page", "shown"),
    [
        ("mentee", "my_requests", [MENTOR]),
        ("mentee", "request_detail", [MENTEE, MENTOR]),
        ("mentee", "directory", [MENTOR]),
        ("mentor", "inbox", [MENTEE]),
        ("mentor", "inbox_detail", [MENTEE]),
        ("mentor", "mentee_detail", [MENTEE]),
        ("mentor", "my_mentees", [PARTNER]),
        ("partner", "mentorship_detail", [PARTNER, MENTOR]),
        ("partner", "mentee_home", [MENTOR]),
        ("manager", "approvals", [MENTEE, MENTOR]),
        ("manager", "mentees", [MENTEE, PARTNER]),
        ("manager", "mentee", [MENTEE]),
        ("manager", "mentors", [MENTOR]),
    ],
)
def test_names_are_escaped_once_on_every_page(client, scene, viewer, page, shown):
    client.force_login(scene["people"][viewer])

    response = client.get(scene["urls"][page])

    html = response.content.decode()
    assert response.status_code == 200
    for name in shown:
        assert escape(name) in html, name
        assert name not in html, f"{name} is not escaped"
        assert escape(escape(name)) not in html, f"{name} is escaped twice"
