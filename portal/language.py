"""Which language a page is in: the one chosen with the switch (Django's `set_language`,
kept in the language cookie), else the site's, Dutch.

Django's LocaleMiddleware would also follow the browser's Accept-Language, so an English
browser would see a different site than the one Regionet speaks by default; the portal is
Dutch unless the reader asks otherwise. Pages vary on the cookie, and the page cache keys
hold the language (portal.pagecache).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language


def language_of(request: HttpRequest) -> str:
    """The language the reader chose with the switch, else the site's."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen:
        try:
            return translation.get_supported_language_variant(chosen)
        except LookupError:
            pass
    return settings.LANGUAGE_CODE


class LanguageMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        translation.activate(language_of(request))
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


# The switch on every page posts here. Without a CSRF token on purpose: a token would make
# every visitor's page their own (the page cache shares one copy among visitors), and the
# worst a forged post can do is show someone the other language, which the same switch undoes.
switch_language = csrf_exempt(require_POST(set_language))
