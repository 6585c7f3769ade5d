"""Account life pages: activation, charter, password, e-mail, reset, letters, admin reset.

Thin views over ``ostal.accounts.services.life``. Rules they add: the activation and reset
forms answer the same whatever the account (no hint that it exists, is locked or has no
e-mail); ``next=`` is only ever followed to a local path; pages showing a code are not
cached; admin-only pages answer 404 to everybody else.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from ostal.accounts import forms_life, letters
from ostal.accounts.gate import charter_owed
from ostal.accounts.services import life
from ostal.core.models import SecurityEvent
from ostal.core.security import security_event_record
from ostal.directory.models import Person
from ostal.web.redirects import local_path

ACTIVATION_SESSION_KEY = "ostal_activation"
RESET_SESSION_KEY = "ostal_password_reset_token"
RESET_URL_TOKEN = "definir"  # noqa: S105 - a URL segment, not a secret
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def safe_next(request: HttpRequest, value: str | None) -> str:
    """``value`` if it is a local path on this site, else ``""`` (no open redirect)."""
    return local_path(value, secure=request.is_secure())


def _person_of(request: HttpRequest) -> Person:
    user: Person = request.user  # type: ignore[assignment]
    return user


# --- Activation ---------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def activate(request: HttpRequest) -> HttpResponse:
    """Step 1: login + the code printed on the letter (or issued by an admin's reset)."""
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.user.is_authenticated:
        return redirect(next_url or "web:home")
    form = forms_life.ActivationForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        login = form.cleaned_data["username"].strip().lower()
        limited = life.rate_limited(
            request,
            group="activation-address",
            key=life.address_key(request),
            rate=settings.OSTAL_ACTIVATION_RATE_PER_ADDRESS,
        )
        limited = (
            life.rate_limited(
                request,
                group="activation-login",
                key=login,
                rate=settings.OSTAL_ACTIVATION_RATE_PER_LOGIN,
            )
            or limited
        )
        person = (
            None if limited else life.account_for_code(login=login, code=form.cleaned_data["code"])
        )
        if person is None:
            security_event_record(
                kind=SecurityEvent.Kind.LOCKOUT if limited else SecurityEvent.Kind.LOGIN_FAILED,
                request=request,
                username=login,
                data={"step": "activation"},
            )
            form.add_error(
                None,
                forms_life.RATE_LIMITED_ERROR if limited else forms_life.GENERIC_ACTIVATION_ERROR,
            )
            status = 429 if limited else 200
        else:
            request.session[ACTIVATION_SESSION_KEY] = {
                "pk": person.pk,
                "fp": life.code_fingerprint(person.activation_code),
                "until": time.time() + settings.OSTAL_ACTIVATION_STEP_SECONDS,
                "next": next_url,
            }
            return redirect("accounts:activate_finish")
    return render(
        request,
        "accounts/life/activate.html",
        {"form": form, "next": next_url},
        status=status,
    )


def _activation_person(request: HttpRequest) -> tuple[Person | None, str]:
    """The person verified at step 1, while the step is fresh and the code unchanged."""
    state = request.session.get(ACTIVATION_SESSION_KEY)
    if (
        not isinstance(state, dict)
        or not isinstance(state.get("pk"), int)
        or state.get("until", 0) < time.time()
    ):
        return None, ""
    person = (
        Person.objects.filter(pk=state["pk"], state__in=life.CODE_STATES)
        .exclude(activation_code="")
        .first()
    )
    if person is None or life.code_fingerprint(person.activation_code) != state.get("fp"):
        return None, ""
    return person, str(state.get("next") or "")


@never_cache
@require_http_methods(["GET", "POST"])
def activate_finish(request: HttpRequest) -> HttpResponse:
    """Step 2: choose a password, accept the charter, optionally give an e-mail."""
    person, next_url = _activation_person(request)
    if person is None:
        request.session.pop(ACTIVATION_SESSION_KEY, None)
        messages.error(
            request, _("La vérification du code a expiré ou n'est plus valable : recommencez.")
        )
        return redirect("accounts:activate")
    form = forms_life.ActivationFinishForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data.get("email") or ""
        person = life.account_activate(
            person=person,
            password=form.cleaned_data["new_password1"],
            email=email,
            request=request,
        )
        request.session.pop(ACTIVATION_SESSION_KEY, None)
        auth_login(request, person, backend=MODEL_BACKEND)
        messages.success(request, _("Votre compte est activé. Bienvenue !"))
        if email:
            messages.info(
                request,
                _("Un lien de confirmation a été envoyé à %(email)s (valable 48 heures).")
                % {"email": email},
            )
        return redirect(next_url or "web:home")
    return render(request, "accounts/life/activate_finish.html", {"form": form, "person": person})


@never_cache
@require_http_methods(["GET", "POST"])
def charter(request: HttpRequest) -> HttpResponse:
    """The charter of use: readable by anyone; a signed-in person who owes it (never
    accepted, or an older version) accepts it here once, then continues to ``next``."""
    next_url = local_path(request.POST.get("next") or request.GET.get("next"))
    user = request.user
    owed = user.is_authenticated and charter_owed(user)
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if request.POST.get("accept") != "on":
            messages.error(request, _("Pour continuer, acceptez la charte d'utilisation."))
            return render(
                request,
                "accounts/life/charter.html",
                {"owed": owed, "next_url": next_url},
                status=400,
            )
        life.charter_accept(person=user)  # type: ignore[arg-type]
        return redirect(next_url or "web:home")
    return render(request, "accounts/life/charter.html", {"owed": owed, "next_url": next_url})


# --- Password and e-mail of a signed-in person ----------------------------------------------


def _password_checks_exhausted(request: HttpRequest, person: Person) -> bool:
    return life.rate_limited(
        request,
        group="password-check",
        key=str(person.pk),
        rate=settings.OSTAL_PASSWORD_CHECK_RATE,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    person = _person_of(request)
    form = forms_life.PasswordChangeForm(request.POST or None, person=person)
    status, error = 200, None
    if request.method == "POST":
        if _password_checks_exhausted(request, person):
            form = forms_life.PasswordChangeForm(person=person)
            error = forms_life.RATE_LIMITED_ERROR
            status = 429
        elif form.is_valid():
            life.password_change(
                person=person, password=form.cleaned_data["new_password1"], request=request
            )
            update_session_auth_hash(request, person)
            messages.success(
                request,
                _("Mot de passe changé. Vos autres sessions et applications sont déconnectées."),
            )
            return redirect("web:account")
    return render(
        request,
        "accounts/life/password_change.html",
        {"form": form, "error": error},
        status=status,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def email_change(request: HttpRequest) -> HttpResponse:
    person = _person_of(request)
    form = forms_life.EmailChangeForm(request.POST or None, person=person)
    status, error = 200, None
    if request.method == "POST":
        if _password_checks_exhausted(request, person):
            form = forms_life.EmailChangeForm(person=person)
            error = forms_life.RATE_LIMITED_ERROR
            status = 429
        elif form.is_valid():
            email = form.cleaned_data.get("email") or ""
            life.email_change(person=person, email=email, request=request)
            if email:
                messages.success(
                    request,
                    _(
                        "Un lien de confirmation a été envoyé à %(email)s (valable 48 heures). "
                        "L'adresse ne servira qu'une fois confirmée."
                    )
                    % {"email": email},
                )
            else:
                messages.success(request, _("Adresse électronique retirée."))
            return redirect("web:account")
    return render(
        request,
        "accounts/life/email_change.html",
        {"form": form, "person": person, "error": error},
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def email_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button, POST confirms (mail scanners that prefetch links confirm
    nothing)."""
    person = life.email_token_read(token)
    if person is None:
        return render(request, "accounts/life/email_confirm.html", {"invalid": True}, status=400)
    if request.method == "POST":
        life.email_confirm(person=person, request=request)
        return render(request, "accounts/life/email_confirm.html", {"done": True, "person": person})
    return render(request, "accounts/life/email_confirm.html", {"person": person})


# --- Forgotten password ---------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def password_forgot(request: HttpRequest) -> HttpResponse:
    form = forms_life.PasswordForgotForm(request.POST or None)
    sent = False
    if request.method == "POST" and form.is_valid():
        identifier = form.cleaned_data["identifier"].strip()
        limited = life.rate_limited(
            request,
            group="reset-address",
            key=life.address_key(request),
            rate=settings.OSTAL_RESET_RATE_PER_ADDRESS,
        )
        limited = (
            life.rate_limited(
                request,
                group="reset-identifier",
                key=identifier.lower(),
                rate=settings.OSTAL_RESET_RATE_PER_IDENTIFIER,
            )
            or limited
        )
        if not limited:
            life.password_reset_request(identifier=identifier, request=request)
        # The same answer whatever happened: sent, no account, no confirmed e-mail, limited.
        sent = True
        form = forms_life.PasswordForgotForm()
    return render(
        request,
        "accounts/life/password_forgot.html",
        {"form": form, "sent": sent, "sent_message": forms_life.RESET_SENT_MESSAGE},
    )


def _reset_person(uidb64: str) -> Person | None:
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    return Person.objects.filter(pk=pk, state=Person.State.ACTIVE).first()


@never_cache
@require_http_methods(["GET", "POST"])
def password_reset_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """Like Django's: the token moves from the URL to the session (no leak via Referer)."""
    person = _reset_person(uidb64)
    if person is not None and token != RESET_URL_TOKEN:
        if default_token_generator.check_token(person, token):
            request.session[RESET_SESSION_KEY] = token
            return HttpResponseRedirect(
                reverse("accounts:password_reset_confirm", args=[uidb64, RESET_URL_TOKEN])
            )
        person = None
    if person is not None and not default_token_generator.check_token(
        person, request.session.get(RESET_SESSION_KEY, "")
    ):
        person = None
    if person is None:
        return render(
            request, "accounts/life/password_reset_confirm.html", {"invalid": True}, status=400
        )
    form = forms_life.SetPasswordForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        life.password_reset(
            person=person, password=form.cleaned_data["new_password1"], request=request
        )
        request.session.pop(RESET_SESSION_KEY, None)
        messages.success(
            request,
            _("Mot de passe réinitialisé. Connectez-vous avec votre nouveau mot de passe."),
        )
        return redirect("accounts:login")
    return render(request, "accounts/life/password_reset_confirm.html", {"form": form})


# --- School admins: letters and resets -------------------------------------------------------


def _pdf(request: HttpRequest, content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    add_never_cache_headers(response)
    return response


def _activate_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("accounts:activate"))


@login_required
@require_GET
def letters_class(request: HttpRequest, class_id: int) -> HttpResponse:
    school_class = life.class_for_admin(viewer=request.user, class_id=class_id)
    if school_class is None:
        raise Http404
    batch = letters.letters_of_class(school_class=school_class)
    if not batch:
        messages.info(request, _("Aucune lettre à imprimer : tous les comptes sont activés."))
        return redirect("web:class", class_id=school_class.pk)
    content = letters.letters_pdf(
        letters=batch,
        title=_("Lettres d'activation — classe %(name)s") % {"name": school_class},
        school_name=school_class.school.display_name,
        activate_url=_activate_url(request),
    )
    life.letters_printed_record(
        actor=_person_of(request), count=len(batch), school_class=school_class, request=request
    )
    return _pdf(request, content, f"lettres-activation-{slugify(school_class.code)}.pdf")


@login_required
@require_GET
def letter_person(request: HttpRequest, person_id: int) -> HttpResponse:
    person = life.person_for_admin(viewer=request.user, person_id=person_id)
    batch = letters.letter_of_person(person=person) if person is not None else []
    if person is None or not batch:
        raise Http404
    content = letters.letters_pdf(
        letters=batch,
        title=_("Lettre d'activation — %(name)s") % {"name": person.display_name},
        school_name="",
        activate_url=_activate_url(request),
    )
    life.letters_printed_record(actor=_person_of(request), count=1, person=person, request=request)
    return _pdf(request, content, f"lettre-activation-{slugify(person.username)}.pdf")


@login_required
@require_http_methods(["GET", "POST"])
def admin_reset(request: HttpRequest, person_id: int) -> HttpResponse:
    """An admin's reset of an account, in two steps: the page says what the reset does
    (password stops working, sessions and applications closed) and asks to confirm; only
    the confirmed POST resets, and the service logs it as a security event."""
    person = life.person_for_admin(viewer=request.user, person_id=person_id)
    if person is None:
        raise Http404
    back = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.method == "GET" or request.POST.get("confirm") != "1":
        response = render(
            request, "accounts/life/admin_reset_confirm.html", {"person": person, "back": back}
        )
        add_never_cache_headers(response)
        return response
    code = life.account_admin_reset(person=person, actor=_person_of(request), request=request)
    context: dict[str, Any] = {
        "person": person,
        "code": life.code_display(code),
        "back": back,
    }
    response = render(request, "accounts/life/admin_reset_done.html", context)
    add_never_cache_headers(response)
    return response
