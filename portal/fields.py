"""Model fields shared by the apps."""

from django.db import models


class LinkField(models.URLField):
    """A web link; one typed without a scheme ("bpsw.nl") is taken as https, not http.

    Django 6 makes https the default; this is that behaviour today, in forms and the admin.
    """

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})
