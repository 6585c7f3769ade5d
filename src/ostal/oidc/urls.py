"""``/o/``: the OAuth2/OIDC provider.

Two namespaces on purpose: django-oauth-toolkit reverses its own views as
``oauth2_provider:<name>`` (discovery, issuer, metadata), so its endpoints keep that
namespace; the registry pages are Ostal's (``oidc:<name>``). Only what Ostal offers is
mounted: no device flow, no dynamic registration, no DOT management pages, no RP-initiated
logout.
"""

from typing import Any

from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from oauth2_provider import views as dot

from ostal.directory.models import Profile
from ostal.oidc import views, views_registry
from ostal.web.navigation import Service, register_service
from ostal.web.shell import shell_roles

provider_patterns = [
    path("authorize/", views.AuthorizationView.as_view(), name="authorize"),
    path("token/", dot.TokenView.as_view(), name="token"),
    path("revoke_token/", dot.RevokeTokenView.as_view(), name="revoke-token"),
    path("introspect/", views.IntrospectView.as_view(), name="introspect"),
    re_path(
        r"^\.well-known/openid-configuration/?$",
        views.DiscoveryView.as_view(),
        name="oidc-connect-discovery-info",
    ),
    path(
        ".well-known/oauth-authorization-server",
        dot.OAuthServerMetadataView.as_view(),
        name="oauth-server-metadata",
    ),
    path(".well-known/jwks.json", dot.JwksInfoView.as_view(), name="jwks-info"),
    path("userinfo/", views.UserInfoView.as_view(), name="user-info"),
]

registry_patterns = [
    path("", views_registry.client_list, name="client_list"),
    path("nouvelle/", views_registry.client_new, name="client_new"),
    path("<id:pk>/", views_registry.client_detail, name="client_detail"),
    path("<id:pk>/desactiver/", views_registry.client_disable_view, name="client_disable"),
    path("<id:pk>/secret/", views_registry.client_rotate_view, name="client_rotate"),
]

urlpatterns = [
    path("", include((provider_patterns, "oauth2_provider"))),
    path("applications/", include((registry_patterns, "oidc"))),
]


def _sees_client_registry(user: Any) -> bool:
    """Menu entry for operators and region admins: the request's roles, read once for the
    whole menu (the pages ask ``may_manage_clients``)."""
    if getattr(user, "profile", None) in (Profile.PUPIL, Profile.RELATIVE):
        return False
    return shell_roles(user).manages_oidc_clients


register_service(
    Service("oidc_clients", _("Applications OIDC"), "oidc:client_list", _sees_client_registry, 86)
)
