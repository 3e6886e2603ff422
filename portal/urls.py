"""The export page and one download URL per registered exporter (see `portal.exports`)."""

from django.urls import path

from . import views
from .exports import exporters

app_name = "portal"

urlpatterns = [
    path("", views.index, name="index"),
    *(
        path(
            exporter.route, views.download, {"url_name": exporter.url_name}, name=exporter.url_name
        )
        for exporter in exporters()
    ),
]
