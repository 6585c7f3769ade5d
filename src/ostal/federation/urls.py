"""SAML service provider routes, mounted at ``/saml2/``."""

from django.urls import URLPattern, URLResolver, path

from ostal.federation import views

app_name = "federation"

urlpatterns: list[URLPattern | URLResolver] = [
    path("choix/", views.wayf, name="wayf"),
    path("login/<slug:idp>/", views.login_start, name="login"),
    path("acs/", views.assertion_consumer, name="acs"),
    path("comptes/", views.account_choice, name="account_choice"),
    path("metadata/", views.metadata, name="metadata"),
]
