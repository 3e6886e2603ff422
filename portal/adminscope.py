"""One scoping mechanism for every model admin: coordinators see and change only their networks.

Each admin (and inline) declares `network_path`, the lookup from its model to the network(s)
that own a row: "pk" for Netwerk itself, "netwerk", "netwerken", "bijeenkomst__netwerken",
"lidmaatschappen__netwerk"… From that one declaration the mixin limits:

- the changelist, change, delete and history views (`get_queryset`; an object outside the scope
  is not found, so its URL answers 404 rather than the admin's usual redirect);
- every foreign-key and many-to-many choice list (`formfield_for_foreignkey/manytomany` ask the
  related model's admin for its scoped queryset, so a posted id of another network is refused
  as "not one of the available choices");
- autocomplete: Django's autocomplete view asks the *target* admin's `get_queryset`, which is
  scoped by the same declaration, and checks that the requesting admin declared the field;
- admin actions, which only ever receive rows from the scoped queryset;
- Django's own "view on site" shortcut (`admin/r/<content type>/<id>/`), which would otherwise
  load any object of any model and redirect to its public URL (a draft's slug): `scope_admin_site`
  routes it through the model's admin, so it answers only for objects its change page shows.

Who is who is the domain's answer, not portal's: the app that knows it (netwerken, whose
`coordinators` say who coordinates what) hands its function to `register_scope(fn)` when its
`permissions` module is imported, and `portal.apps` imports every app's `permissions` module
at start-up, as the admin finds every `admin.py`. The same scheme gives `portal.pagecache` its
audience and `portal.exports` its exporters. Umbrella staff (the function answers None) keep
Django's normal permissions and see everything;
coordinators get the permissions an admin lists in `coordinator_permissions`, granted here in
code rather than through a group, so making someone a coordinator is one step: add them to
`Netwerk.coordinators` and tick `is_staff`. Nothing to keep in sync, nothing to forget.

`network_path = None` marks an inline whose rows belong to an already scoped parent (a meeting's
parts, a programme's meetings): nothing to filter, only the permissions to grant.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.contrib.admin import AdminSite
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver

if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin
    from django.contrib.admin.options import BaseModelAdmin

    # What the mixins below are mixed into, for the type checker only: at run time a mixin
    # stays a plain class that precedes the Django admin class in its subclass's bases.
    _ScopedAdminBase = BaseModelAdmin[Any]
else:
    _ScopedAdminBase = object

ALL_PERMISSIONS = frozenset({"view", "add", "change", "delete"})
_CACHE_ATTR = "_regionet_admin_scope"

# user -> the ids of the networks they may manage (any iterable), or None for all of them.
ScopeFunction = Callable[[Any], Iterable[int] | None]
_scope_function: ScopeFunction | None = None


def register_scope(function: ScopeFunction) -> None:
    """Give the admin its answer to "which networks may this user manage". Called once, by
    the domain module that decides it, when it is imported."""
    global _scope_function  # noqa: PLW0603 (one registration at start-up)
    if _scope_function is not None and _scope_function is not function:
        raise ImproperlyConfigured("The admin scope is registered twice.")
    _scope_function = function


def request_scope(request: HttpRequest) -> list[int] | None:
    """The ids of the networks this request may manage; None means all. Cached per request."""
    if not hasattr(request, _CACHE_ATTR):
        if _scope_function is None:
            # Fail closed: without the domain's answer nobody would be limited.
            raise ImproperlyConfigured("No admin scope registered (see portal.adminscope).")
        scope = _scope_function(request.user)
        setattr(request, _CACHE_ATTR, None if scope is None else list(scope))
    return getattr(request, _CACHE_ATTR)


def _is_multi_valued(model: type[Model], path: str) -> bool:
    """Whether following `path` can reach several rows (then filtering would duplicate rows)."""
    for part in path.split("__"):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False  # "pk" and friends
        if field.many_to_many or field.one_to_many:
            return True
        if field.related_model is None:
            return False
        model = field.related_model
    return False


_QuerySetT = TypeVar("_QuerySetT", bound="QuerySet[Any]")


def scope_queryset(
    queryset: _QuerySetT, path: str | None, network_ids: list[int] | None
) -> _QuerySetT:
    """Limit `queryset` to rows whose `path` leads to one of `network_ids` (None: no limit)."""
    if network_ids is None or path is None:
        return queryset
    lookup = {f"{path}__in": network_ids}
    if _is_multi_valued(queryset.model, path):
        # A subquery keeps one row per object without DISTINCT (which breaks annotations).
        inner = queryset.model._default_manager.filter(**lookup).values("pk")
        return queryset.filter(pk__in=inner)
    return queryset.filter(**lookup)


class NetworkScopedMixin(_ScopedAdminBase):
    """Mix into a ModelAdmin or an InlineModelAdmin, before the Django class."""

    network_path: str | None = None
    coordinator_permissions: frozenset[str] = frozenset({"view"})

    # --- who may do what ------------------------------------------------------------------
    def is_coordinator_request(self, request: HttpRequest) -> bool:
        """A coordinator working in their own networks (umbrella staff are not "scoped")."""
        scope = request_scope(request)
        return scope is not None and bool(scope) and request.user.is_staff

    def sees_all_networks(self, request: HttpRequest) -> bool:
        return request_scope(request) is None

    def _coordinator_may(self, request: HttpRequest, action: str) -> bool:
        return action in self.coordinator_permissions and self.is_coordinator_request(request)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return super().has_module_permission(request) or (
            bool(self.coordinator_permissions) and self.is_coordinator_request(request)
        )

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return (
            super().has_view_permission(request, obj)
            or self._coordinator_may(request, "view")
            or self._coordinator_may(request, "change")
        )

    def has_add_permission(self, request: HttpRequest, *args) -> bool:
        # Inlines take (request, obj), model admins (request): pass through what came.
        return super().has_add_permission(request, *args) or self._coordinator_may(request, "add")

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_change_permission(request, obj) or self._coordinator_may(
            request, "change"
        )

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_delete_permission(request, obj) or self._coordinator_may(
            request, "delete"
        )

    # --- what they see ----------------------------------------------------------------------
    def scope(self, request: HttpRequest, queryset: _QuerySetT) -> _QuerySetT:
        return scope_queryset(queryset, self.network_path, request_scope(request))

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return self.scope(request, super().get_queryset(request))

    def get_object(self, request: HttpRequest, object_id: str, from_field=None):
        # Only a ModelAdmin has change pages (an inline is never asked for its object).
        obj = cast("ModelAdmin[Any]", super()).get_object(request, object_id, from_field)
        if obj is None:
            # Another network's object is simply not there: the same answer as a wrong id.
            raise Http404
        return obj

    def _scoped_choices(self, db_field, request: HttpRequest) -> QuerySet | None:
        related_admin = self.admin_site._registry.get(db_field.related_model)
        if not isinstance(related_admin, NetworkScopedMixin):
            return None
        base = self.get_field_queryset(None, db_field, request)
        if base is None:
            base = db_field.related_model._default_manager.all()
        return related_admin.scope(request, base)

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if "queryset" not in kwargs:
            queryset = self._scoped_choices(db_field, request)
            if queryset is not None:
                kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request: HttpRequest, **kwargs):
        if "queryset" not in kwargs:
            queryset = self._scoped_choices(db_field, request)
            if queryset is not None:
                kwargs["queryset"] = queryset
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        """Keep links to networks the user cannot see (a meeting co-organised with another
        network): the form never offered them, so saving must not drop them."""
        hidden: dict[str, list] = {}
        scope = request_scope(request)
        if change and scope is not None:
            for name, field in form.fields.items():
                model_field = _model_field(form.instance, name)
                if model_field is not None and model_field.many_to_many:
                    hidden[name] = list(
                        getattr(form.instance, name).exclude(pk__in=field.queryset.values("pk"))
                    )
        cast("ModelAdmin[Any]", super()).save_related(request, form, formsets, change)  # as above
        for name, objects in hidden.items():
            if objects:
                getattr(form.instance, name).add(*objects)


def _model_field(instance: Model, name: str):
    try:
        return instance._meta.get_field(name)
    except FieldDoesNotExist:
        return None


# --- Django's own admin URLs ------------------------------------------------------------------


def view_on_site(
    request: HttpRequest, content_type_id: str, object_id: str, *, site: AdminSite
) -> HttpResponse:
    """The admin's "view on site" redirect, for objects the user may open in this admin only:
    a model without an admin here, or an object outside the user's scope, is not found."""
    try:
        model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
    except (ValueError, ContentType.DoesNotExist):
        raise Http404 from None
    model_admin = site._registry.get(model) if model is not None else None
    if model_admin is None or not model_admin.has_view_or_change_permission(request):
        raise Http404
    obj = model_admin.get_object(request, object_id)  # the scoped queryset; 404 outside it
    if obj is None or not model_admin.has_view_or_change_permission(request, obj):
        raise Http404
    return shortcut(request, content_type_id, object_id)


def scope_admin_site(site: AdminSite) -> None:
    """Put `site`'s own shortcut behind the scope. Call before `site.urls` is read."""
    django_urls = site.get_urls

    def get_urls() -> list[URLResolver | URLPattern]:
        urls = django_urls()
        for index, pattern in enumerate(urls):
            if isinstance(pattern, URLPattern) and pattern.name == "view_on_site":
                view = site.admin_view(partial(view_on_site, site=site))
                urls[index] = URLPattern(pattern.pattern, view, pattern.default_args, pattern.name)
        return urls

    site.get_urls = get_urls  # type: ignore[method-assign]  # this one site's, on purpose
