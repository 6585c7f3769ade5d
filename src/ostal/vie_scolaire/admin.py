from django.contrib import admin

from ostal.vie_scolaire.models import Motive


@admin.register(Motive)
class MotiveAdmin(admin.ModelAdmin[Motive]):
    list_display = ["label", "school", "kind", "proving", "parents_may_choose", "shown_to_parents"]
    list_filter = ["kind", "proving", "parents_may_choose", "shown_to_parents"]
    search_fields = ["label", "school__uai"]
