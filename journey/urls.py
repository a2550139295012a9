"""The journey's pages, under /mentorships/<pk>/... One list per part of the journey."""

from .views import agreements, checkins, concerns, course, endings, meetings, planning

app_name = "journey"

urlpatterns = [
    *agreements.urlpatterns,
    *meetings.urlpatterns,
    *planning.urlpatterns,
    *checkins.urlpatterns,
    *concerns.urlpatterns,
    *course.urlpatterns,
    *endings.urlpatterns,
]
