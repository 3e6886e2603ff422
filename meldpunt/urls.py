from django.urls import path

from . import views

app_name = "meldpunt"

# Under /meldpunt/ (config.urls).
urlpatterns = [
    path("", views.report, name="melden"),
    path("terugkeren/", views.follow_up, name="terugkeren"),
    path("aanvullen/", views.add_information, name="aanvullen"),
    path("commissie/", views.committee, name="commissie"),
    path("commissie/<int:pk>/", views.committee_report, name="commissie_melding"),
]
