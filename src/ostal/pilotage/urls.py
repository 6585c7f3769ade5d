from django.urls import URLPattern, URLResolver

app_name = "pilotage"

urlpatterns: list[URLPattern | URLResolver] = []
