"""Actualités: news items of a school, of its classes or groups, of a collectivité or of
the region, each with its audience and workflow.

Rules held here:
* an item belongs to one owner: a school (``school``) or a public body (``authority``:
  a département for its collèges, the region for its lycées and for all its schools);
* it reaches the schools in ``schools`` (the owner school, or the body's schools, fixed
  when it is written) and, inside them, everyone or only the classes and groups listed;
  ``for_pupils``, ``for_parents``, ``for_staff`` say which profiles (at least one);
* the workflow is draft → submitted → published; a published item is *expired* once its
  ``expire_at`` has passed (computed, not stored: the clock decides, no job needed), and
  is *scheduled* while its ``publish_at`` is ahead;
* ``body`` is stored sanitised with the ``news`` policy of ``ostal.core.richtext``;
* who read an item is one ``NewsRead`` row per reader (the author sees the count).
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ostal.core.models import TimeStampedModel
from ostal.directory.models import SchoolClass, TeachingGroup
from ostal.territory.models import Authority, School


class NewsItem(TimeStampedModel):
    """One news item (actualité)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        SUBMITTED = "submitted", _("Soumise à validation")
        PUBLISHED = "published", _("Publiée")

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="news_written",
        verbose_name=_("auteur"),
    )
    school = models.ForeignKey(
        School,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="news_owned",
        verbose_name=_("établissement"),
    )
    authority = models.ForeignKey(
        Authority,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="news_owned",
        verbose_name=_("collectivité"),
    )
    schools = models.ManyToManyField(
        School, related_name="news_received", verbose_name=_("établissements visés")
    )
    classes = models.ManyToManyField(
        SchoolClass, blank=True, related_name="news", verbose_name=_("classes visées")
    )
    groups = models.ManyToManyField(
        TeachingGroup, blank=True, related_name="news", verbose_name=_("groupes visés")
    )
    # No class and no group listed: the whole of each school (kept in a column so the
    # reader's query needs no subquery on the two lists).
    whole_school = models.BooleanField(_("tout l'établissement"), default=True)
    for_pupils = models.BooleanField(_("pour les élèves"), default=False)
    for_parents = models.BooleanField(_("pour les parents"), default=False)
    for_staff = models.BooleanField(_("pour les personnels"), default=False)
    title = models.CharField(_("titre"), max_length=200)
    body = models.TextField(_("texte"))
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    pinned = models.BooleanField(_("épinglée"), default=False)
    publish_at = models.DateTimeField(_("publiée à partir du"), null=True, blank=True)
    expire_at = models.DateTimeField(_("retirée le"), null=True, blank=True)
    # When the author last submitted or published it (the rate limit counts these).
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("publiée par"),
    )

    class Meta:
        verbose_name = _("actualité")
        verbose_name_plural = _("actualités")
        ordering = ["-pinned", "-publish_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(school__isnull=False) & Q(authority__isnull=True))
                | (Q(school__isnull=True) & Q(authority__isnull=False)),
                name="news_owner_school_xor_authority",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "publish_at"], name="news_status_publish_idx"),
            models.Index(fields=["author", "sent_at"], name="news_author_sent_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def is_live(self, now: datetime | None = None) -> bool:
        """Published, its publication date reached, not expired."""
        now = now or timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at <= now
            and (self.expire_at is None or self.expire_at > now)
        )

    @property
    def state(self) -> str:
        """The workflow state shown: ``draft``, ``submitted``, ``scheduled``, ``published``
        or ``expired``."""
        now = timezone.now()
        if self.status != self.Status.PUBLISHED:
            return str(self.status)
        if self.expire_at is not None and self.expire_at <= now:
            return "expired"
        if self.publish_at is not None and self.publish_at > now:
            return "scheduled"
        return "published"

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def owner_label(self) -> str:
        if self.school_id is not None:
            assert self.school is not None
            return self.school.display_name
        assert self.authority is not None
        return self.authority.name


STATE_LABELS = {
    "draft": _("Brouillon"),
    "submitted": _("Soumise à validation"),
    "scheduled": _("Programmée"),
    "published": _("Publiée"),
    "expired": _("Expirée"),
}


def live_q(now: datetime) -> Q:
    """Items readers see at ``now``."""
    return Q(status=NewsItem.Status.PUBLISHED, publish_at__lte=now) & (
        Q(expire_at__isnull=True) | Q(expire_at__gt=now)
    )


class NewsRead(models.Model):
    """A reader opened an item (the author's « lue par » count)."""

    item = models.ForeignKey(NewsItem, on_delete=models.CASCADE, related_name="reads")
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="news_reads"
    )
    read_at = models.DateTimeField(_("lue le"), default=timezone.now)

    class Meta:
        verbose_name = _("lecture d'actualité")
        verbose_name_plural = _("lectures d'actualités")
        constraints = [models.UniqueConstraint(fields=["item", "reader"], name="news_read_unique")]


class NewsSettings(models.Model):
    """A school's news policy: whether its teachers publish their classes' news directly
    (default: no, the direction validates what they submit)."""

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="news_settings")
    teachers_publish_directly = models.BooleanField(
        _("les enseignants publient sans validation"), default=False
    )

    class Meta:
        verbose_name = _("réglages des actualités")
        verbose_name_plural = _("réglages des actualités")
