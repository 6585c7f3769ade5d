"""The school admin console (« Administration »): one page per school the viewer
administers, listing the sections of the console and linking the existing pages; the
school's accounts (search, state, lockout), one account's page with its actions.

Every page asks ``selectors.school_for_admin`` then ``selectors.account_of_school``: a
school the viewer does not administer, or a person who is not of that school, is 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from ostal.accounts.selectors import security_events_visible_to
from ostal.accounts.services.life import CODE_STATES
from ostal.administration import selectors, services
from ostal.administration.forms import AccountSearchForm
from ostal.directory.models import Person, SchoolClass
from ostal.territory.models import School

PAGE_SIZE = 50
RECENT_EVENTS = 10


def _school(request: HttpRequest, school_id: int) -> School:
    school = selectors.school_for_admin(viewer=request.user, school_id=school_id)
    if school is None:
        raise Http404
    return school


def _account(school: School, person_id: int) -> Person:
    person = selectors.account_of_school(school=school, person_id=person_id)
    if person is None:
        raise Http404
    return person


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    schools = selectors.schools_administered(request.user)
    if not schools:
        raise Http404
    if len(schools) == 1:
        return redirect("administration:school", school_id=schools[0].pk)
    return render(request, "administration/index.html", {"schools": schools})


@login_required
@require_GET
def school(request: HttpRequest, school_id: int) -> HttpResponse:
    current = _school(request, school_id)
    classes = SchoolClass.objects.filter(school=current, archived=False).order_by("code")
    context = {
        "school": current,
        "schools": selectors.schools_administered(request.user),
        "classes": list(classes),
        "locked": selectors.accounts_of_school(school=current, state="locked").count(),
    }
    return render(request, "administration/school.html", context)


@login_required
@require_GET
@never_cache
def accounts(request: HttpRequest, school_id: int) -> HttpResponse:
    current = _school(request, school_id)
    form = AccountSearchForm(request.GET or None)
    query, state = "", ""
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        state = form.cleaned_data["etat"]
    people = selectors.accounts_of_school(school=current, query=query, state=state)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "school": current,
        "form": form,
        "page": page,
        "rows": selectors.account_rows(list(page)),
        "query": params.urlencode(),
        "searched": bool(query or state),
    }
    return render(request, "administration/accounts.html", context)


@login_required
@require_GET
@never_cache
def account(request: HttpRequest, school_id: int, person_id: int) -> HttpResponse:
    current = _school(request, school_id)
    person = _account(current, person_id)
    events = security_events_visible_to(viewer=request.user, username=person.username)
    context: dict[str, Any] = {
        "school": current,
        "person": person,
        "locked": selectors.is_locked(person),
        "resettable": person.state in CODE_STATES and person.pk != request.user.pk,
        "events": list(events[:RECENT_EVENTS]),
    }
    return render(request, "administration/account.html", context)


@login_required
@require_POST
def account_unlock(request: HttpRequest, school_id: int, person_id: int) -> HttpResponse:
    current = _school(request, school_id)
    person = _account(current, person_id)
    services.account_unlock(
        actor=request.user,  # type: ignore[arg-type]
        school=current,
        person=person,
        request=request,
    )
    messages.success(
        request,
        _("Le compte %(login)s est déverrouillé : la personne peut de nouveau se connecter.")
        % {"login": person.username},
    )
    return redirect("administration:account", school_id=current.pk, person_id=person.pk)
