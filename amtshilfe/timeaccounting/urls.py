"""Time pages under /zeit/ (German slugs): one's own entries, the stopwatch, the CSV upload."""

from django.urls import URLPattern, URLResolver, path

from amtshilfe.timeaccounting import views

app_name = "timeaccounting"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("buchen/", views.book, name="book"),
    path("<int:pk>/bearbeiten/", views.edit, name="edit"),
    path("<int:pk>/loeschen/", views.delete, name="delete"),
    path("<int:pk>/stornieren/", views.reverse_entry, name="reverse"),
    path("stoppuhr/starten/", views.timer_start, name="timer_start"),
    path("stoppuhr/anhalten/", views.timer_stop, name="timer_stop"),
    path("stoppuhr/verwerfen/", views.timer_discard, name="timer_discard"),
    path("import/", views.upload, name="upload"),
]
