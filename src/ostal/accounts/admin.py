"""Operators' console: sessions and devices are read-only here (closing a session goes
through ``services.security`` so that the store and the log follow)."""

from typing import Any

from django.contrib import admin

from ostal.accounts.models import KnownDevice, TrackedSession


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: Any) -> bool:
        return False


@admin.register(TrackedSession)
class TrackedSessionAdmin(ReadOnlyAdmin):
    list_display = ["person", "created_at", "last_seen_at", "ip_address", "device"]
    search_fields = ["person__username"]
    list_select_related = ["person", "device"]
    exclude = ["session_key"]


@admin.register(KnownDevice)
class KnownDeviceAdmin(ReadOnlyAdmin):
    list_display = ["person", "label", "first_seen_at", "last_seen_at", "alerted"]
    search_fields = ["person__username"]
    list_select_related = ["person"]
    exclude = ["device_hash"]
