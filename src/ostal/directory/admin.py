from django.contrib import admin

from ostal.directory import models


@admin.register(models.Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["username", "last_name", "first_name", "profile", "state", "source"]
    list_filter = ["profile", "state", "source"]
    search_fields = ["username", "last_name", "first_name", "external_id", "ine"]
    readonly_fields = ["password", "last_login", "created_at", "updated_at", "state_changed_at"]
    exclude = ["user_permissions", "groups"]


admin.site.register(models.Source)
admin.site.register(models.Subject)
admin.site.register(models.Mef)


@admin.register(models.SchoolClass)
class SchoolClassAdmin(admin.ModelAdmin):
    list_display = ["code", "school", "school_year", "archived"]
    list_filter = ["school_year", "archived"]
    search_fields = ["code", "school__uai", "school__name"]
    list_select_related = ["school"]
