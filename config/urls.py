from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, include, path
from django.utils.translation import gettext_lazy as _

from bevragingen import urls as bevragingen_urls
from bijeenkomsten import urls as bijeenkomsten_urls
from bijeenkomsten import views as bijeenkomsten_views
from config import celery_app
from leden.two_factor import require_totp, totp_required
from portal import health
from portal import urls as export_urls
from portal.adminscope import scope_admin_site
from portal.language import switch_language


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers and feed readers ask for /favicon.ico whatever the page says."""
    return redirect(staticfiles_storage.url("favicon.ico"), permanent=True)


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


# The coordinators' and staff's admin, named as they call it.
admin.site.site_header = admin.site.site_title = _("Regionet admin")
admin.site.index_title = _("Manage the networks")
# The admin logs in through allauth, so admin logins get its rate limits too.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]  # on purpose
# Staff and coordinators see other people's data: no admin page without TOTP.
admin.site.admin_view = require_totp(admin.site.admin_view)  # type: ignore[method-assign]  # as above
# Django's own admin URLs (the "view on site" shortcut) respect a coordinator's scope too.
scope_admin_site(admin.site)
# Readiness checks the broker that this project's tasks go to.
health.register_broker(celery_app)


def _behind_totp(urlconf) -> tuple[list[URLPattern], str]:
    """`urlconf`'s pages, each first sending staff and coordinators without TOTP to its
    activation (portal, which serves them, knows nothing of the second factor)."""
    patterns = [
        URLPattern(p.pattern, totp_required(p.callback), p.default_args, p.name)
        for p in urlconf.urlpatterns
    ]
    return patterns, urlconf.app_name


urlpatterns = [
    path("", bijeenkomsten_views.agenda, name="home"),
    path("healthz", healthz, name="healthz"),
    path("healthz/ready", health.ready, name="healthz_ready"),
    path("favicon.ico", favicon),
    path("taal", switch_language, name="set_language"),
    path("agenda/<str:token>.ics", bijeenkomsten_views.personal_feed, name="persoonlijke_agenda"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("leden/", include("leden.urls")),
    path("netwerken/<slug:slug>/themas/", include("themas.urls")),
    path(
        "netwerken/<slug:slug>/bevragingen/",
        include((bevragingen_urls.network_urlpatterns, "bevragingen_netwerk")),
    ),
    path("bevragingen/", include("bevragingen.urls")),
    path("actieplannen/", include("actieplannen.urls")),
    path("netwerken/", include((bijeenkomsten_urls.network_urlpatterns, "netwerken"))),
    path("bijeenkomsten/", include("bijeenkomsten.urls")),
    path("berichten/", include("leden.mail_urls")),
    path("nieuwsbrief/", include("nieuwsbrief.urls")),
    path("contact/", include("contact.urls")),
    path("export/", include(_behind_totp(export_urls))),
    path("meldpunt/", include("meldpunt.urls")),
    path("privacy/", include("netwerken.urls")),
    path("", include("deelname.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
