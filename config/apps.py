"""The project package as an app: connects the project-wide signal receivers."""

from django.apps import AppConfig


class ProjectConfig(AppConfig):
    name = "config"
    label = "hakari_config"
    verbose_name = "Hakari"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .sessions import mark_seen_at_login

        user_logged_in.connect(mark_seen_at_login, dispatch_uid="hakari_mark_seen_at_login")
