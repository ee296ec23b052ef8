from django.apps import AppConfig


class CalendarConfig(AppConfig):
    name = "praja.core.calendar"
    label = "workcalendar"
    verbose_name = "Calendar"
