from django.urls import path

from . import views

app_name = "mentorship"

urlpatterns = [
    path("mentee/", views.mentee_home, name="mentee_home"),
    path("mentor/", views.mentor_home, name="mentor_home"),
    path("manage/", views.manager_home, name="manager_home"),
]
