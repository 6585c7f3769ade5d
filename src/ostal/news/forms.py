"""The news editor (labels in French); the choices offered are those the author may use."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ostal.directory.models import Person, SchoolClass, TeachingGroup
from ostal.news.abilities import news_editor_school_ids, publishing_authorities, taught_in_school
from ostal.news.models import NewsItem
from ostal.news.services import NewsInput
from ostal.territory.models import School

MARKUP_HELP = _(
    "Une ligne vide sépare les paragraphes ; un retour à la ligne est conservé ; "
    "« - » en début de ligne fait une liste à puces, « 1. » une liste numérotée. "
    "Les liens (http, https, mailto) sont permis ; tout script ou style est retiré."
)
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def owner_choices(author: Person) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The owners the author may publish for, and the classes and groups they may aim at."""
    owners: list[tuple[str, str]] = []
    targets: list[tuple[str, str]] = []
    editor_ids = news_editor_school_ids(author)
    teaching = School.objects.filter(
        pk__in=SchoolClass.objects.filter(assignments__teacher=author, archived=False).values(
            "school_id"
        )
    ) | School.objects.filter(
        pk__in=TeachingGroup.objects.filter(assignments__teacher=author, archived=False).values(
            "school_id"
        )
    )
    schools = School.objects.filter(pk__in=editor_ids) | teaching
    for school in schools.distinct().order_by("name"):
        owners.append((f"school:{school.pk}", school.display_name))
        if school.pk in editor_ids:
            class_ids = set(
                SchoolClass.objects.filter(school=school, archived=False).values_list(
                    "pk", flat=True
                )
            )
            group_ids = set(
                TeachingGroup.objects.filter(school=school, archived=False).values_list(
                    "pk", flat=True
                )
            )
        else:
            class_ids, group_ids = taught_in_school(author, school)
        for c in SchoolClass.objects.filter(pk__in=class_ids).order_by("code"):
            targets.append((f"class:{c.pk}", f"Classe {c} ({school.display_name})"))
        for g in TeachingGroup.objects.filter(pk__in=group_ids).order_by("code"):
            targets.append((f"group:{g.pk}", f"Groupe {g} ({school.display_name})"))
    for authority in publishing_authorities(author):
        owners.append((f"authority:{authority.pk}", f"{authority.name} (tous ses établissements)"))
    return owners, targets


class NewsForm(forms.Form):
    owner = forms.ChoiceField(label=_("Publier au nom de"))
    targets = forms.MultipleChoiceField(
        label=_("Classes et groupes visés"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Aucune case cochée : tout l'établissement."),
    )
    for_pupils = forms.BooleanField(label=_("Élèves"), required=False)
    for_parents = forms.BooleanField(label=_("Parents"), required=False)
    for_staff = forms.BooleanField(label=_("Personnels"), required=False)
    title = forms.CharField(label=_("Titre"), max_length=200)
    body = forms.CharField(
        label=_("Texte"), widget=forms.Textarea(attrs={"rows": 10}), help_text=MARKUP_HELP
    )
    pinned = forms.BooleanField(label=_("Épingler en tête de liste"), required=False)
    publish_at = forms.DateTimeField(
        label=_("Publier à partir du (facultatif)"),
        required=False,
        input_formats=[DATETIME_FORMAT],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        help_text=_("Vide : dès la publication."),
    )
    expire_at = forms.DateTimeField(
        label=_("Retirer le (facultatif)"),
        required=False,
        input_formats=[DATETIME_FORMAT],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        help_text=_("Vide : l'actualité reste jusqu'à ce qu'on la retire."),
    )

    def __init__(self, *args: Any, author: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owners, targets = owner_choices(author)
        for name, choices in (("owner", owners), ("targets", targets)):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices

    def to_input(self) -> NewsInput:
        d = self.cleaned_data
        return NewsInput(
            owner=d["owner"],
            title=d["title"],
            body=d["body"],
            targets=list(d.get("targets") or []),
            for_pupils=d["for_pupils"],
            for_parents=d["for_parents"],
            for_staff=d["for_staff"],
            pinned=d["pinned"],
            publish_at=d.get("publish_at"),
            expire_at=d.get("expire_at"),
        )


def initial_of(item: NewsItem) -> dict[str, Any]:
    from ostal.core.richtext import html_to_light_markup

    owner = f"school:{item.school_id}" if item.school_id else f"authority:{item.authority_id}"
    return {
        "owner": owner,
        "targets": [f"class:{c.pk}" for c in item.classes.all()]
        + [f"group:{g.pk}" for g in item.groups.all()],
        "for_pupils": item.for_pupils,
        "for_parents": item.for_parents,
        "for_staff": item.for_staff,
        "title": item.title,
        "body": html_to_light_markup(item.body),
        "pinned": item.pinned,
        "publish_at": item.publish_at,
        "expire_at": item.expire_at,
    }


class SettingsForm(forms.Form):
    teachers_publish_directly = forms.BooleanField(
        label=_("Les enseignants publient les actualités de leurs classes sans validation"),
        required=False,
    )
