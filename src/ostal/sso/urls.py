"""CAS routes (mounted at ``/cas/``): the protocol endpoints and the registry pages."""

from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext_lazy as _

from ostal.sso import views, views_registry
from ostal.web.navigation import Service, register_service
from ostal.web.shell import shell_roles

app_name = "sso"

urlpatterns: list[URLPattern | URLResolver] = [
    path("login", views.cas_login, name="login"),
    path("logout", views.cas_logout, name="logout"),
    path("validate", views.validate, name="validate"),
    path("serviceValidate", views.service_validate, name="service_validate"),
    path("proxyValidate", views.proxy_validate, name="proxy_validate"),
    path("p3/serviceValidate", views.p3_service_validate, name="p3_service_validate"),
    path("p3/proxyValidate", views.p3_proxy_validate, name="p3_proxy_validate"),
    path("proxy", views.proxy, name="proxy"),
    path("samlValidate", views.saml_validate, name="saml_validate"),
    path("services/", views_registry.service_list, name="services"),
    path("services/nouveau/", views_registry.service_create, name="service_create"),
    path("services/<id:service_id>/", views_registry.service_edit, name="service_edit"),
    path(
        "services/<id:service_id>/desactiver/",
        views_registry.service_disable,
        name="service_disable",
    ),
]

register_service(
    # the menu reads the request's roles; the pages ask is_registry_manager
    Service(
        "cas_services",
        _("Services connectés"),
        "sso:services",
        lambda u: shell_roles(u).admin_of_a_scope,
        order=85,
    )
)
