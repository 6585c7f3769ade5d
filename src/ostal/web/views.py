"""The shell's pages: home per profile, school page, class roster, account, switchers."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ostal.api.errors import error_response, is_api_request
from ostal.core.params import BadParameter
from ostal.directory.abilities import (
    MANAGEMENT_PROFILES,
    is_admin_of_school,
    is_management_of_school,
)
from ostal.directory.models import Person, Profile
from ostal.directory.selectors import (
    class_for_viewer,
    class_roster,
    classes_of_school,
    classes_taught_by,
    current_class_of,
    groups_taught_by,
    head_teachers_of_class,
    school_counts,
    school_staff,
    teachers_of_class,
)
from ostal.messaging.selectors import unread_count_cached
from ostal.territory.selectors import schools_of_authority
from ostal.timetable.selectors import notices_for
from ostal.web.context import choose_child, choose_school
from ostal.web.redirects import local_path
from ostal.web.today import pupils_agendas, teacher_agenda

HOME_TEMPLATES: dict[str, str] = {
    Profile.PUPIL: "web/home/pupil.html",
    Profile.RELATIVE: "web/home/relative.html",
    Profile.TEACHER: "web/home/teacher.html",
    Profile.LIBRARIAN: "web/home/teacher.html",
    Profile.AUTHORITY_STAFF: "web/home/authority.html",
}


def _class_context(school_class: Any) -> dict[str, Any]:
    if school_class is None:
        return {"school_class": None, "assignments": [], "head_teachers": []}
    return {
        "school_class": school_class,
        "assignments": teachers_of_class(school_class=school_class),
        "head_teachers": head_teachers_of_class(school_class=school_class),
    }


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The person's home: « Aujourd'hui » first (courses, work due, unread messages) for
    pupils, parents and teachers, then their class, children or classes."""
    user: Person = request.user  # type: ignore[assignment]
    context: dict[str, Any] = {"school": request.ostal.school}  # type: ignore[attr-defined]
    if user.profile in {Profile.PUPIL, Profile.RELATIVE, Profile.TEACHER, Profile.LIBRARIAN}:
        context["unread"] = unread_count_cached(user=user)
    if user.profile == Profile.PUPIL:
        context["agendas"] = pupils_agendas(pupils=[user])
        context["is_pupil"] = True
        context["notices"] = notices_for(person=user)
        context.update(_class_context(current_class_of(pupil=user)))
    elif user.profile == Profile.RELATIVE:
        child = request.ostal.child  # type: ignore[attr-defined]
        context["child"] = child
        children = request.ostal.children  # type: ignore[attr-defined]
        context["agendas"] = pupils_agendas(pupils=[c.pupil for c in children], children=children)
        context.update(_class_context(child.school_class if child else None))
    elif user.profile in {Profile.TEACHER, Profile.LIBRARIAN}:
        context["agendas"] = [teacher_agenda(teacher=user)]
        context["is_teacher"] = user.profile == Profile.TEACHER  # a librarian has no lessons
        context["notices"] = notices_for(person=user)
        context["classes"] = classes_taught_by(teacher=user)
        context["groups"] = groups_taught_by(teacher=user)
    elif user.profile == Profile.AUTHORITY_STAFF:
        context["authorities"] = [
            (
                role.authority,
                schools_of_authority(authority=role.authority).select_related("department"),
            )
            for role in user.authority_roles.select_related("authority")
        ]
    if context["school"] is not None and user.profile in MANAGEMENT_PROFILES:
        context["counts"] = school_counts(school=context["school"])
        context["is_school_admin"] = is_admin_of_school(user, context["school"])
    template = HOME_TEMPLATES.get(user.profile, "web/home/staff.html")
    return render(request, template, context)


@login_required
def school_detail(request: HttpRequest) -> HttpResponse:
    school = request.ostal.school  # type: ignore[attr-defined]
    if school is None:
        raise Http404
    return render(
        request,
        "web/school.html",
        {
            "school": school,
            "direction": school_staff(school=school, profiles=(Profile.DIRECTION,)),
            "school_life": school_staff(school=school, profiles=(Profile.SCHOOL_LIFE,)),
            "classes": classes_of_school(viewer=request.user, school=school),  # type: ignore[arg-type]
            "manages": is_management_of_school(request.user, school),
        },
    )


@login_required
def class_detail(request: HttpRequest, class_id: int) -> HttpResponse:
    school_class = class_for_viewer(viewer=request.user, class_id=class_id)  # type: ignore[arg-type]
    if school_class is None:
        raise Http404
    context = _class_context(school_class)
    context["pupils"] = class_roster(school_class=school_class)
    return render(request, "web/class.html", context)


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """The profile page: identity, e-mail, password, second factor, sessions, activity."""
    from ostal.accounts.mfa import mfa_state
    from ostal.accounts.selectors import new_device_notices, own_recent_events, sessions_of

    user: Person = request.user  # type: ignore[assignment]
    return render(
        request,
        "web/account.html",
        {
            "person": user,
            "affiliations": user.affiliations.select_related("school"),
            "mfa": mfa_state(user),
            "session_count": sessions_of(person=user).count(),
            "new_devices": new_device_notices(person=user),
            "events": own_recent_events(person=user),
        },
    )


def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement (article 47 of loi 2005-102, RGAA model): public, also
    reachable before a pending login step, linked from every page's footer."""
    return render(
        request,
        "web/accessibility.html",
        {
            "publisher": settings.OSTAL_ACCESSIBILITY_PUBLISHER or settings.OSTAL_SITE_NAME,
            "contact": settings.OSTAL_ACCESSIBILITY_CONTACT,
            "host": request.get_host(),
        },
    )


def _back(request: HttpRequest) -> HttpResponse:
    target = local_path(request.POST.get("next", ""), secure=request.is_secure())
    return redirect(target or "web:home")


@login_required
@require_POST
def switch_school(request: HttpRequest) -> HttpResponse:
    school = choose_school(request, _int(request.POST.get("school")))
    if school is None:
        messages.error(request, _("Cet établissement ne fait pas partie des vôtres."))
    else:
        messages.success(
            request, _("Établissement affiché : %(name)s") % {"name": school.display_name}
        )
    return _back(request)


@login_required
@require_POST
def switch_child(request: HttpRequest) -> HttpResponse:
    pupil = choose_child(request, _int(request.POST.get("child")))
    if pupil is None:
        messages.error(request, _("Cet élève ne fait pas partie de vos enfants."))
    else:
        messages.success(request, _("Enfant affiché : %(name)s") % {"name": pupil.display_name})
    return _back(request)


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        return -1


# --- Error pages (French, without internals) ---------------------------------------------
def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Bad input: the French page saying which value was wrong (JSON shape under /api/)."""
    bad = exception if isinstance(exception, BadParameter) else None
    if is_api_request(request):
        return error_response(400, fields={bad.name: [bad.message]} if bad else None)
    context = _error(400)
    if bad is not None:
        context["text"] = bad.message
    return render(request, "errors/error.html", context, status=400)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api_request(request):
        return error_response(403)
    return render(request, "errors/error.html", _error(403), status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api_request(request):
        return error_response(404)
    return render(request, "errors/error.html", _error(404), status=404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "errors/error.html", _error(403, csrf=True), status=403)


def _error(status: int, csrf: bool = False) -> dict[str, Any]:
    titles = {
        400: (_("Requête incorrecte"), _("La demande envoyée n'a pas pu être comprise.")),
        403: (_("Accès refusé"), _("Vous n'avez pas le droit d'accéder à cette page.")),
        404: (
            _("Page introuvable"),
            _("Cette page n'existe pas, ou vous n'avez pas le droit de la voir."),
        ),
    }
    title, text = titles[status]
    if csrf:
        text = _(
            "Le formulaire a expiré ou a été envoyé depuis une autre page. "
            "Rechargez la page et recommencez."
        )
    return {"status": status, "title": title, "text": text}
