"""Forms of the pilotage pages: they parse input (decimals to the cent, dates); the rules
themselves are the services' (a refusal comes back as a ``ConventionRuleError``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ostal.pilotage.models import CostAllocation, Order
from ostal.territory.models import Authority, School

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AmountField(forms.DecimalField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_digits=14, decimal_places=2, min_value=0, localize=True, **kwargs)

    def to_python(self, value: Any) -> Any:
        """French typing: spaces as thousands separators, comma as decimal mark."""
        if isinstance(value, str):
            value = (
                value.replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace(",", ".")
            )
        return super().to_python(value)


class OrderForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Nature"), choices=Order.Kind.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(label=_("Objet"), max_length=255)
    lump_sum_amount = AmountField(label=_("Montant forfaitaire HT (€)"))
    recurring_amount = AmountField(
        label=_("Montant récurrent HT (€ par an)"),
        required=False,
        help_text=_("Dû pour chaque année de la prestation ; une année entamée compte."),
    )
    starts_on = forms.DateField(label=_("Début de la prestation"), widget=DATE)
    ends_on = forms.DateField(label=_("Fin de la prestation"), widget=DATE)
    schools = forms.ModelMultipleChoiceField(
        label=_("Établissements couverts (déploiement)"),
        queryset=School.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, schools: Any = None, **kwargs: Any) -> None:
        """``schools``: the ones offered (the member's). Any existing school is *accepted*,
        so that a school the member may not order is refused by the service with the
        article (Art. 7), as on every other path, not by a generic form error."""
        super().__init__(*args, **kwargs)
        field = self.fields["schools"]
        field.queryset = School.objects.all()  # type: ignore[attr-defined]
        if schools is not None:
            field.widget.choices = [(s.pk, str(s)) for s in schools]


class TransitionForm(forms.Form):
    to_state = forms.ChoiceField(choices=Order.State.choices)
    on = forms.DateField(label=_("Date"), widget=DATE, required=False)
    reason = forms.CharField(label=_("Motif"), max_length=255, required=False)


class DeliberationForm(forms.Form):
    deliberation = forms.CharField(label=_("Délibération ou décision"), max_length=255)
    on = forms.DateField(label=_("Date"), widget=DATE)


class AmendmentForm(forms.Form):
    title = forms.CharField(label=_("Objet de l'avenant"), max_length=255)
    effective_on = forms.DateField(label=_("Prend effet le"), widget=DATE)


class ObservationForm(forms.Form):
    text = forms.CharField(label=_("Vos observations"), widget=forms.Textarea(attrs={"rows": 5}))


class ConsultationForm(forms.Form):
    title = forms.CharField(label=_("Objet de l'analyse"), max_length=255)


class AllocationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Nature"), choices=CostAllocation.Kind.choices)
    label = forms.CharField(label=_("Objet"), max_length=255, required=False)
    total = AmountField(label=_("Montant à répartir (€)"))
    decided_on = forms.DateField(label=_("Décision du"), widget=DATE)


class AdhesionForm(forms.Form):
    authority: forms.ModelChoiceField[Authority] = forms.ModelChoiceField(
        label=_("Collectivité ou service"), queryset=Authority.objects.none()
    )
    signed_on = forms.DateField(label=_("Signée le"), widget=DATE)

    def __init__(self, *args: Any, authorities: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = authorities  # type: ignore[attr-defined]


class AgreementForm(forms.Form):
    reference = forms.CharField(label=_("Référence"), max_length=80)
    title = forms.CharField(label=_("Objet"), max_length=255)
    contractor = forms.CharField(label=_("Titulaire"), max_length=160)
    notified_on = forms.DateField(label=_("Notifié le"), widget=DATE)


class RenewalForm(forms.Form):
    title = forms.CharField(label=_("Intitulé de la convention renouvelée"), max_length=255)
    notified_on = forms.DateField(label=_("Notifiée le"), widget=DATE)
    latest_end_on = forms.DateField(label=_("Fin au plus tard le"), widget=DATE)
