"""Login and logout pages for local accounts."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.utils.http import url_has_allowed_host_and_scheme

from ostal.accounts.forms import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_redirect_url(self) -> str:
        # Django already refuses foreign hosts; also refuse scheme-relative tricks and
        # anything that is not a local path (no open redirect through ``next=``).
        url = super().get_redirect_url()
        if (
            url
            and url.startswith("/")
            and not url.startswith("//")
            and url_has_allowed_host_and_scheme(
                url, allowed_hosts=set(), require_https=self.request.is_secure()
            )
        ):
            return url
        return ""


class LogoutView(auth_views.LogoutView):
    template_name = "accounts/logged_out.html"
