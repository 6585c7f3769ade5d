"""API routes of the news, mounted under ``/api/v1/news/`` by ``ostal.api.urls``."""

from django.urls import path

from ostal.news import api

urlpatterns = [
    path("", api.NewsListView.as_view(), name="news-list"),
    path("<id:pk>/", api.NewsItemView.as_view(), name="news-detail"),
]
