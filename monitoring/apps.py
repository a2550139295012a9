from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    """Equality monitoring and outcomes over time: optional answers kept apart from the
    profile, read only as aggregates with small groups suppressed. Nothing in matching/ or
    the directory may import this app."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "monitoring"
