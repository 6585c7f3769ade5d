"""The demo's messagerie: a few messages between the demo family and the school (a
teacher's note about the child, the parent's answer, a no-reply broadcast of the
direction to the class's parents). Fast, and skipped when already there."""

from __future__ import annotations

from ostal.directory.models import Person, Profile
from ostal.directory.selectors import children_of
from ostal.messaging import services
from ostal.messaging.models import Message
from ostal.territory.models import School


def messaging_demo(*, school: School | None, parent: Person | None) -> int:
    """Send the demo messages; return how many were sent."""
    if school is None or parent is None or Message.objects.exists():
        return 0
    child = next((c for c in children_of(relative=parent) if c.school == school), None)
    active = Person.objects.filter(affiliations__school=school, state=Person.State.ACTIVE)
    teacher = active.filter(profile=Profile.TEACHER).order_by("pk").first()
    principal = active.filter(profile=Profile.DIRECTION).order_by("pk").first()
    sent = 0
    try:
        if teacher is not None:
            note = services.message_send(
                sender=teacher,
                targets=[f"p:{parent.pk}"],
                subject="Travail en classe",
                body="<p>Bonjour, votre enfant a fait de beaux progrès ce trimestre.</p>",
                about_pupil=child.pupil if child else None,
                school=school,
            )
            services.message_send(
                sender=parent,
                targets=[f"p:{teacher.pk}"],
                subject=f"RE : {note.subject}",
                body="<p>Merci pour ce retour !</p>",
                about_pupil=child.pupil if child else None,
                reply_to=note,
            )
            sent += 2
        if principal is not None and child is not None and child.school_class is not None:
            services.message_send(
                sender=principal,
                targets=[f"pc:{child.school_class.pk}"],
                subject="Réunion parents-professeurs",
                body="<p>La réunion parents-professeurs aura lieu jeudi à 18 h.</p>",
                no_reply=True,
                school=school,
            )
            sent += 1
    except services.SendRefused:
        return sent
    return sent
