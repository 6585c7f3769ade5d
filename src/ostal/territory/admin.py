from django.contrib import admin

from ostal.territory.models import Authority, School


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "code", "is_groupement_member", "is_coordinator"]
    list_filter = ["kind", "is_groupement_member"]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["uai", "name", "kind", "sector", "department", "responsible_authority"]
    list_filter = ["kind", "sector", "academy", "department"]
    search_fields = ["uai", "name", "commune"]
    list_select_related = ["department", "responsible_authority"]
    readonly_fields = ["created_at", "updated_at"]
