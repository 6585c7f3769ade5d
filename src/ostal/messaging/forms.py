from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ComposeForm(forms.Form):
    subject = forms.CharField(label=_("Objet"), max_length=200, required=False)
    body = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 10}), required=False
    )
    about_pupil = forms.TypedChoiceField(
        label=_("Élève concerné"), required=False, coerce=int, empty_value=None
    )
    no_reply = forms.BooleanField(label=_("Sans réponse possible"), required=False)
    query = forms.CharField(label=_("Rechercher un destinataire"), max_length=100, required=False)


# Where each field's error is shown: the form's own fields, or the compose page's ids.
OTHER_FIELDS = {"targets": "id_query", "attachments": "id_attachments"}


def compose_errors(
    form: ComposeForm, field_errors: dict[str, list[str]], by_field: dict[str | None, list[str]]
) -> list[str]:
    """Ties a refused send's errors to their fields (``aria-invalid``, ``aria-describedby``
    as the account forms do); returns the errors of the message as a whole."""
    general: list[str] = []
    for name, errors in by_field.items():
        if name in form.fields:
            for error in errors:
                form.add_error(name, error)
        elif name in OTHER_FIELDS:
            field_errors[name] = errors
        else:
            general += errors
    return general


def error_summary(
    form: ComposeForm, field_errors: dict[str, list[str]], general: list[str]
) -> list[tuple[str, str, str]]:
    """The error summary at the top of the page: (field id to link to, label, error), every
    error at once."""
    items: list[tuple[str, str, str]] = [("", "", e) for e in general]
    for name, errors in form.errors.items():
        if name in form.fields:
            field = form[name]
            items += [(str(field.auto_id), str(field.label), str(e)) for e in errors]
    labels = {"targets": _("Destinataires"), "attachments": _("Pièces jointes")}
    for other, messages in field_errors.items():
        items += [(OTHER_FIELDS[other], str(labels[other]), m) for m in messages]
    return items


class FreezeForm(forms.Form):
    scope = forms.ChoiceField(label=_("Périmètre"))
    reason = forms.CharField(label=_("Motif du gel"), max_length=300)


class FolderForm(forms.Form):
    name = forms.CharField(label=_("Nom du nouveau dossier"), max_length=60)
