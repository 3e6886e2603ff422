"""The export page and one download URL per registered exporter (see `portal.exports`)."""

from django.urls import path

from . import views
from .exports import exporters

app_name = "portal"

urlpatterns = [
    path("", views.index, name="index"),
    path("taak/<uuid:pk>/", views.job, name="job"),
    path("taak/<uuid:pk>/status.json", views.job_status, name="job_status"),
    path("taak/<uuid:pk>/bestand/", views.job_file, name="job_file"),
    *(
        path(
            exporter.route, views.download, {"url_name": exporter.url_name}, name=exporter.url_name
        )
        for exporter in exporters()
    ),
]
