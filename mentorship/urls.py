from django.urls import path

from .views import directory, exclusions, home, mentorships, onboarding, programmes, requests

app_name = "mentorship"

urlpatterns = [
    path("start/", onboarding.start, name="start"),
    path("profile/mentee/", onboarding.mentee_profile, name="mentee_profile"),
    path("profile/mentor/", onboarding.mentor_profile, name="mentor_profile"),
    path("mentee/", home.mentee_home, name="mentee_home"),
    path("mentee/not-my-mentor/", exclusions.exclusions, name="exclusions"),
    path(
        "mentee/not-my-mentor/<int:pk>/remove/",
        exclusions.remove_exclusion,
        name="remove_exclusion",
    ),
    path("requests/", requests.my_requests, name="my_requests"),
    path("requests/<int:pk>/", requests.request_detail, name="request_detail"),
    path("requests/<int:pk>/answer/", requests.answer_question, name="answer_question"),
    path("requests/<int:pk>/withdraw/", requests.withdraw_request, name="withdraw_request"),
    path("mentor/requests/", requests.inbox, name="inbox"),
    path("mentor/requests/<int:pk>/", requests.inbox_detail, name="inbox_detail"),
    path("mentor/requests/<int:pk>/accept/", requests.accept_request, name="accept_request"),
    path("mentor/requests/<int:pk>/decline/", requests.decline_request, name="decline_request"),
    path("mentor/requests/<int:pk>/question/", requests.ask_question, name="ask_question"),
    path("mentor/mentees/", mentorships.my_mentees, name="my_mentees"),
    path("mentorships/<int:pk>/", mentorships.mentorship_detail, name="mentorship_detail"),
    path(
        "mentorships/<int:pk>/complete/",
        mentorships.propose_completion,
        name="propose_completion",
    ),
    path(
        "mentorships/<int:pk>/complete/confirm/",
        mentorships.confirm_completion,
        name="confirm_completion",
    ),
    path(
        "mentorships/<int:pk>/complete/withdraw/",
        mentorships.withdraw_completion,
        name="withdraw_completion",
    ),
    path("mentorships/<int:pk>/end-early/", mentorships.end_early, name="end_early"),
    path("mentor/", home.mentor_home, name="mentor_home"),
    path("mentor/availability/", onboarding.set_availability, name="set_availability"),
    path("mentees/<int:user_id>/", onboarding.mentee_detail, name="mentee_detail"),
    path("programmes/", programmes.programme_list, name="programme_list"),
    path("programmes/<slug:slug>/", programmes.programme_detail, name="programme_detail"),
    path("programmes/<slug:slug>/apply/", programmes.apply, name="apply"),
    path("programmes/<slug:slug>/mentor/", programmes.mentor_apply, name="mentor_apply"),
    path("programmes/<slug:slug>/mentors/", directory.mentor_list, name="directory"),
    path(
        "programmes/<slug:slug>/mentors/<int:user_id>/",
        directory.mentor_detail,
        name="mentor_detail",
    ),
    path(
        "programmes/<slug:slug>/mentors/<int:user_id>/ask/",
        requests.request_mentor,
        name="request_mentor",
    ),
]
