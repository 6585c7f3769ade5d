"""Account pages. Two route lists, one per part of the account: login and security
(``urls_security``: login, second factor, sessions, devices, security log) and account life
(``urls_life``: activation, e-mail, password, reset, activation letters)."""

from ostal.accounts import urls_life, urls_security

app_name = "accounts"

urlpatterns = [*urls_security.urlpatterns, *urls_life.urlpatterns]
