"""The processing register is generated from the apps' declarations (``<app>/rgpd.py``);
these tests hold the declarations to the models: a model with personal fields and no
declaration fails (rule: ``ostal.core.rgpd.personal_reasons``, docs/rgpd.md)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import models
from django.test.utils import isolate_apps

from ostal.core.rgpd import (
    Declarations,
    LegalBasis,
    Processing,
    declarations,
    personal_reasons,
    undeclared_personal_models,
    unknown_declared_models,
)


def test_every_model_with_personal_data_is_declared() -> None:
    missing = undeclared_personal_models(declarations())
    assert missing == {}, (
        "Models with personal data and no RGPD declaration (add them to a processing's "
        f"`models` in <app>/rgpd.py, or to NOT_PERSONAL with a reason): {missing}"
    )


def test_declared_models_exist_and_keys_are_unique() -> None:
    found = declarations()
    assert unknown_declared_models(found) == set()
    keys = [p.key for p in found.processings]
    assert len(keys) == len(set(keys))
    assert len(keys) >= 9


def test_every_processing_is_complete() -> None:
    for p in declarations().processings:
        assert p.app, p.key
        assert str(p.name) and str(p.purpose) and str(p.retention), p.key
        assert p.data_categories and p.people and p.recipients, p.key
        assert p.legal_basis in LegalBasis.LABELS, p.key
        assert p.models, p.key


def test_a_model_is_declared_at_most_once() -> None:
    labels = [label for p in declarations().processings for label in p.models]
    assert len(labels) == len(set(labels))


def test_services_storing_personal_data_are_in_the_register() -> None:
    apps_declared = {p.app for p in declarations().processings}
    assert {
        "directory",
        "accounts",
        "feed",
        "sso",
        "pilotage",
        "timetable",
        "homework",
        "messaging",
        "notifications",
    } <= apps_declared


@pytest.mark.parametrize(
    ("field", "reason"),
    [
        ("author", "relation author"),
        ("first_name", "field first_name"),
        ("birth_date", "field birth_date"),
        ("email", "field email"),
        ("ip_address", "field ip_address"),
        ("comment", "free text or file comment"),
        ("upload", "free text or file upload"),
    ],
)
@isolate_apps("ostal.administration")
def test_an_undeclared_model_with_personal_fields_fails(field: str, reason: str) -> None:
    fields: dict[str, models.Field] = {
        "author": models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE),
        "first_name": models.CharField(max_length=10),
        "birth_date": models.DateField(),
        "email": models.EmailField(),
        "ip_address": models.GenericIPAddressField(),
        "comment": models.TextField(),
        "upload": models.FileField(),
    }
    attrs = {
        "__module__": "ostal.administration.models",
        field: fields[field],
        "Meta": type("Meta", (), {"app_label": "administration"}),
    }
    model = type(f"Fake{field.title().replace('_', '')}", (models.Model,), attrs)
    assert reason in personal_reasons(model)
    label = model._meta.label
    assert undeclared_personal_models(declarations(), [model]) == {label: [reason]}
    # declared, or exempted with a reason: it passes
    declared = Declarations(
        (
            Processing(
                key="x",
                name="x",
                purpose="x",
                data_categories=("x",),
                people=("x",),
                retention="x",
                recipients=("x",),
                models=(label,),
            ),
        ),
        {},
    )
    assert undeclared_personal_models(declared, [model]) == {}
    assert undeclared_personal_models(Declarations((), {label: "why"}), [model]) == {}


@isolate_apps("ostal.administration")
def test_a_model_without_personal_fields_needs_no_declaration() -> None:
    attrs = {
        "__module__": "ostal.administration.models",
        "code": models.CharField(max_length=10),
        "count": models.PositiveIntegerField(),
        "Meta": type("Meta", (), {"app_label": "administration"}),
    }
    model = type("FakeCounter", (models.Model,), attrs)
    assert personal_reasons(model) == []
    assert undeclared_personal_models(Declarations((), {}), [model]) == {}


def test_the_check_command_says_all_is_declared(db) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("rgpd_check", stdout=out)
    assert "processings declare every personal model" in out.getvalue()


def test_the_check_command_names_what_is_missing(db, monkeypatch) -> None:
    from io import StringIO

    from django.core.management import CommandError, call_command

    from ostal.administration.management.commands import rgpd_check

    monkeypatch.setattr(rgpd_check, "declarations", lambda: Declarations((), {}))
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("rgpd_check", stdout=out)
    assert "directory.Person: account" in out.getvalue()
    assert "messaging.Message: relation author" in out.getvalue()
