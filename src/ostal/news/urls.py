from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext_lazy as _

from ostal.news import views
from ostal.web.navigation import Service, register_service

app_name = "news"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("mes-publications/", views.mine, name="mine"),
    path("nouvelle/", views.new, name="new"),
    path("reglages/<id:pk>/", views.settings_view, name="settings"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/modifier/", views.edit, name="edit"),
    path("<id:pk>/publier/", views.publish, name="publish"),
    path("<id:pk>/renvoyer/", views.return_to_draft, name="return"),
    path("<id:pk>/retirer/", views.withdraw, name="withdraw"),
    path("<id:pk>/supprimer/", views.delete, name="delete"),
]

register_service(
    Service(
        "news",
        _("Actualités"),
        "news:index",
        lambda u: True,
        order=16,
    )
)
