from django.urls import path

from . import views

app_name = "themas"

# Under /netwerken/<slug>/themas/ (config.urls).
urlpatterns = [
    path("", views.rounds, name="rondes"),
    path("<int:jaar>/<int:helft>/", views.round_page, name="ronde"),
    path("<int:jaar>/<int:helft>/data/", views.date_planning, name="datumplanning"),
]
