from django.apps import AppConfig


class JourneyConfig(AppConfig):
    """The mentorship after the match: agreement, meetings, goals, check-ins, concerns,
    changing course, ending well, feedback and certificates."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "journey"
