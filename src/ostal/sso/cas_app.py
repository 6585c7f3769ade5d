"""django-cas-server's app, with the primary-key type its shipped migrations use.

Its models use ``AutoField`` ids while the project default is ``BigAutoField``; its own
migrations also lag behind its models (``dependencies.md`` §3.1). Ostal keeps a fresh,
generated migration history for it in ``ostal/sso/vendor_migrations/cas_server``.
"""

from cas_server.apps import CasAppConfig


class CasServerConfig(CasAppConfig):
    default_auto_field = "django.db.models.AutoField"
