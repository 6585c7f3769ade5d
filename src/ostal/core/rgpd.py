"""RGPD declarations: each app says what personal data it processes, and why.

An app that stores personal data has a module ``<app>/rgpd.py`` defining::

    PROCESSINGS = [Processing(key=..., name=..., purpose=..., ...)]
    NOT_PERSONAL = {"app_label.Model": "why the rule is wrong for this model"}  # optional

The processing register (``/rgpd/``, ``ostal.administration``) is generated from these
declarations, and a test (``administration/tests/test_rgpd_declarations.py``) checks them
against the models: every model that :func:`is_personal_model` flags must be named in the
``models`` of some processing, or exempted in ``NOT_PERSONAL`` with a reason; every model
named must exist. The rule is in :func:`personal_reasons` (docs/rgpd.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.functional import Promise

Text = str | Promise


class LegalBasis:
    """Article 6 of the RGPD (the basis each processing relies on)."""

    PUBLIC_TASK = "public_task"  # 6.1.e: mission d'intérêt public
    LEGAL_OBLIGATION = "legal_obligation"  # 6.1.c
    CONSENT = "consent"  # 6.1.a
    CONTRACT = "contract"  # 6.1.b

    LABELS = {
        PUBLIC_TASK: "Mission d'intérêt public (article 6.1.e du RGPD)",
        LEGAL_OBLIGATION: "Obligation légale (article 6.1.c du RGPD)",
        CONSENT: "Consentement (article 6.1.a du RGPD)",
        CONTRACT: "Exécution d'un contrat (article 6.1.b du RGPD)",
    }


@dataclass(frozen=True)
class Processing:
    """One processing of personal data, as the register shows it (« fiche de registre »).

    ``models`` are ``"app_label.ModelName"`` labels: the tables that hold its data.
    ``retention_jobs`` are keys of the retention jobs that erase its data (their last runs
    are shown on its page, ``ostal.administration.retention``).
    """

    key: str
    name: Text
    purpose: Text
    data_categories: tuple[Text, ...]
    people: tuple[Text, ...]
    retention: Text
    recipients: tuple[Text, ...]
    legal_basis: str = LegalBasis.PUBLIC_TASK
    legal_reference: Text = ""
    models: tuple[str, ...] = ()
    retention_jobs: tuple[str, ...] = ()
    app: str = field(default="", compare=False)

    @property
    def legal_basis_label(self) -> str:
        return LegalBasis.LABELS.get(self.legal_basis, self.legal_basis)


@dataclass(frozen=True)
class Declarations:
    processings: tuple[Processing, ...]
    not_personal: dict[str, str]

    def by_key(self, key: str) -> Processing | None:
        return next((p for p in self.processings if p.key == key), None)

    def declared_models(self) -> set[str]:
        return {label for p in self.processings for label in p.models}


def declarations() -> Declarations:
    """Every installed Ostal app's declarations, in ``INSTALLED_APPS`` order."""
    found: list[Processing] = []
    not_personal: dict[str, str] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("ostal."):
            continue
        try:
            module = import_module(f"{config.name}.rgpd")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.rgpd":
                raise
            continue
        for processing in getattr(module, "PROCESSINGS", ()):
            found.append(_with_app(processing, config.label))
        not_personal.update(getattr(module, "NOT_PERSONAL", {}))
    return Declarations(tuple(found), not_personal)


def _with_app(processing: Processing, app: str) -> Processing:
    from dataclasses import replace

    return replace(processing, app=app)


# --- The rule: which models hold personal data ---------------------------------------------

#: Field names that hold personal data by themselves (identity, contact, traces).
PERSONAL_NAME = re.compile(
    r"(^|_)(first_name|last_name|birth_name|birth_date|birth|email|mobile|phone|address"
    r"|ip_address|user_agent|pseudonym|ine|civility)($|_)"
)


def personal_reasons(model: type[models.Model]) -> list[str]:
    """Why ``model`` holds personal data (empty: it does not, by the rule).

    1. it is the account model (``AUTH_USER_MODEL``: the person);
    2. a relation (foreign key, one-to-one, many-to-many) points to a person;
    3. a field is named like identity or contact data or a connection trace
       (:data:`PERSONAL_NAME`: names, birth, e-mail, phone, address, IP, user agent,
       pseudonym, INE);
    4. a free-text field (``TextField``) or a file (``FileField``) holds what people wrote
       or uploaded.
    """
    if model._meta.label == settings.AUTH_USER_MODEL:
        return ["account"]
    reasons: list[str] = []
    user_label = settings.AUTH_USER_MODEL
    for f in model._meta.get_fields():
        if f.auto_created and not f.concrete:
            continue
        related: Any = getattr(f, "related_model", None)
        # a lazy reference ("app.Model") stays a string until its app registry resolves it
        related_label = related if isinstance(related, str) else getattr(related, "_meta", None)
        if related_label is not None and not isinstance(related_label, str):
            related_label = related_label.label
        if f.is_relation and str(related_label).lower() == user_label.lower():
            reasons.append(f"relation {f.name}")
        elif PERSONAL_NAME.search(f.name):
            reasons.append(f"field {f.name}")
        elif isinstance(f, models.TextField | models.FileField):
            reasons.append(f"free text or file {f.name}")
    return reasons


def ostal_models() -> list[type[models.Model]]:
    return [
        m
        for m in apps.get_models()
        if m.__module__.startswith("ostal.") and not m._meta.abstract and m._meta.managed
    ]


def undeclared_personal_models(
    found: Declarations, candidates: list[type[models.Model]] | None = None
) -> dict[str, list[str]]:
    """Models that hold personal data by the rule but are neither named by a processing
    nor exempted in ``NOT_PERSONAL``: label -> the rule's reasons (empty: all declared)."""
    declared = found.declared_models() | set(found.not_personal)
    missing: dict[str, list[str]] = {}
    for model in ostal_models() if candidates is None else candidates:
        reasons = personal_reasons(model)
        if reasons and model._meta.label not in declared:
            missing[model._meta.label] = reasons
    return missing


def unknown_declared_models(found: Declarations) -> set[str]:
    """Labels named in declarations that are no model (a typo, a model renamed)."""
    known = {m._meta.label for m in apps.get_models()}
    return (found.declared_models() | set(found.not_personal)) - known
