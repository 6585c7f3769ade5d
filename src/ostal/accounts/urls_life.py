"""Account life routes (helper "life"): activation, charter, password, e-mail, reset,
activation letters and an admin's reset. Names are agreed in ``notes/urlnames.md``."""

from django.urls import path

from ostal.accounts import views_life

urlpatterns = [
    path("activation/", views_life.activate, name="activate"),
    path("activation/finir/", views_life.activate_finish, name="activate_finish"),
    path("charte/", views_life.charter, name="charter"),
    path("mot-de-passe/", views_life.password_change, name="password_change"),
    path("courriel/", views_life.email_change, name="email_change"),
    path("courriel/confirmer/<str:token>/", views_life.email_confirm, name="email_confirm"),
    path("mot-de-passe-oublie/", views_life.password_forgot, name="password_forgot"),
    path(
        "mot-de-passe-oublie/<uidb64>/<token>/",
        views_life.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("lettres/classe/<id:class_id>/", views_life.letters_class, name="letters_class"),
    path("lettres/compte/<id:person_id>/", views_life.letter_person, name="letter_person"),
    path(
        "reinitialiser/<id:person_id>/",
        views_life.admin_reset,
        name="admin_reset",
    ),
]
