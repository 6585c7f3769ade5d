"""Deployment checks of our own, run by ``manage.py check --deploy``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def production_storage(app_configs: Any, **kwargs: Any) -> list[Warning]:
    """In production, uploaded files go to S3: several app hosts share them."""
    backend = str(settings.STORAGES["default"]["BACKEND"])  # type: ignore[index]
    if settings.PRODUCTION and "s3" not in backend.lower():
        return [
            Warning(
                "Production profile without OSTAL_S3_BUCKET: media would stay on one host's disk.",
                hint="Set OSTAL_S3_BUCKET (and OSTAL_S3_ENDPOINT_URL for a non-AWS service).",
                id="ostal.W001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def production_cache(app_configs: Any, **kwargs: Any) -> list[Warning]:
    """In production, cache, sessions and jobs live in Redis, shared by every host."""
    if settings.PRODUCTION and not settings.REDIS_URL:
        return [Warning("Production profile without OSTAL_REDIS_URL.", id="ostal.W002")]
    return []
