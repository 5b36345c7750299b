from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "tracking"
    verbose_name = "Tracking site"

    def ready(self):
        from tracking.forms import refuse_invisible_text

        refuse_invisible_text()
