from django.apps import AppConfig


class MentorshipConfig(AppConfig):
    name = "mentorship"
    verbose_name = "Mentorship"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (keeps mentors' search documents current)
