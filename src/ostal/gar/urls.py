from django.urls import path

app_name = "gar"
urlpatterns: list = []
