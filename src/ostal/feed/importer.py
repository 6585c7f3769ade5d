"""The AAF import pipeline: one delivery of one source into the directory, all or nothing.

Rules implemented here (directory-feed issue §2–§6):
* the delivery is read in the national order (structures, subjects, MEF, pupils,
  relatives, staff) and written in batches; the whole import is one transaction, so a file
  that is not valid AAF leaves the database as it was;
* identities are keyed on (source, jointure); a record whose fingerprint has not changed
  is skipped, so importing the same complete export twice changes nothing;
* a complete import reconciles: people of the source absent from it are detached (they can
  no longer log in, their data stays) and their school links removed;
* the first complete import of a new school year archives the previous year's classes and
  groups of the delivery's schools (rentrée rollover);
* relatives are imported only when a pupil of the import names them (legal level 1, and 2
  when ``OSTAL_AAF_PERSONS_IN_CHARGE``); anomalies are warnings, never crashes.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from collections.abc import Callable, Iterable, Iterator
from operator import itemgetter
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat, Left
from django.utils import timezone

from ostal.core.runtime import no_full_collections
from ostal.core.sql import delete_in, select_in
from ostal.directory.aaf.delivery import Delivery
from ostal.directory.aaf.parser import AafRecord, RawRequest, iter_requests
from ostal.directory.logins import LoginAllocator, login_base
from ostal.directory.models import (
    Mef,
    Person,
    Profile,
    RelativeLink,
    SchoolClass,
    Source,
    Subject,
    TeachingGroup,
    school_year_of,
)
from ostal.feed import relations
from ostal.feed.bulk import StatisticsKeeper, first_of_each, insert_rows, reserve_ids
from ostal.feed.mapping import (
    PERSON_FIELDS,
    PERSON_MAPPERS,
    MappingError,
    PersonData,
    display_name,
    map_pupil,
    map_structure,
    named_relatives,
)
from ostal.feed.models import PendingRelativeLink
from ostal.feed.report import ImportReport
from ostal.territory.models import Authority, School

ProgressCallback = Callable[[dict[str, Any]], None]
#: pupil → relative links are written this many at a time
LINK_CHUNK = 5000
ACTIVATION_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
GONE_STATES = (Person.State.DETACHED, Person.State.DELETED)
CATEGORY_OF_PROFILE: dict[str, str] = {Profile.PUPIL: "Eleve", Profile.RELATIVE: "PersRelEleve"}


# byte → letter of the alphabet (256 is a multiple of 32: every letter equally likely)
_ACTIVATION_TABLE = bytes(ord(ACTIVATION_ALPHABET[b % 32]) for b in range(256))
ACTIVATION_LENGTH = 10
#: random bytes behind the unusable password a created account starts with
_UNUSABLE_BYTES = 16


def activation_code() -> str:
    return activation_codes(1)[0]


def activation_codes(count: int) -> list[str]:
    """``count`` activation codes from one read of the system's random source (an import
    creates a million accounts: one read each was seconds of system calls)."""
    text = secrets.token_bytes(ACTIVATION_LENGTH * count).translate(_ACTIVATION_TABLE).decode()
    return [text[i : i + ACTIVATION_LENGTH] for i in range(0, len(text), ACTIVATION_LENGTH)]


def unusable_passwords(count: int) -> list[str]:
    """``count`` distinct unusable password values (Django's prefix, then random text), from
    one read of the system's random source."""
    pool = secrets.token_bytes(_UNUSABLE_BYTES * count)
    return [
        UNUSABLE_PASSWORD_PREFIX
        + base64.urlsafe_b64encode(pool[i : i + _UNUSABLE_BYTES]).rstrip(b"=").decode()
        for i in range(0, len(pool), _UNUSABLE_BYTES)
    ]


class Importer:
    """Import one delivery. ``run()`` returns the report; ``dry_run`` rolls everything back."""

    def __init__(
        self,
        *,
        source: Source,
        delivery: Delivery,
        dry_run: bool = False,
        progress: ProgressCallback | None = None,
        batch_size: int = 2000,
    ) -> None:
        self.source = source
        self.delivery = delivery
        self.dry_run = dry_run
        self.progress = progress
        self.batch_size = batch_size
        self.complete = delivery.kind == "complete"
        self.year = school_year_of(delivery.date)
        self.persons_in_charge = bool(getattr(settings, "OSTAL_AAF_PERSONS_IN_CHARGE", False))
        self.report = ImportReport(
            source=source.code,
            delivery=delivery.name,
            kind=delivery.kind,
            school_year=self.year,
            dry_run=dry_run,
        )
        self.rel = relations.RelationWriter(source=source, year=self.year, report=self.report)
        self.seen: set[int] = set()
        self.logins = LoginAllocator()
        # the columns the batches look people up by
        self.statistics = StatisticsKeeper(
            Person, columns=("source", "external_id", "ine", "login_stem", "username")
        )
        #: relatives named by the pupils of this import → the UAI of (one of) those pupils,
        #: which is where a relative's creation or update is reported
        self.referenced_relatives: dict[str, str | None] = {}
        self.pending_links: list[tuple[int, tuple[str, str, bool, int, bool]]] = []
        #: pupils whose links were incomplete, retried in this import → their full hash
        self.relink: dict[int, str] = {}
        #: MEF code → (id, niveau de formation), loaded when first needed
        self.mefs: dict[str, tuple[int, str]] | None = None
        #: the classes the structures declare (school id, code, label, MEF codes), written
        #: once the MEF nomenclature is read (it comes after the structures)
        self.declared_classes: list[tuple[int, str, str, tuple[str, ...]]] | None = []

    # --- driver ---------------------------------------------------------------------------
    def run(self) -> ImportReport:
        started = time.monotonic()
        with no_full_collections(), transaction.atomic():
            self.rel.load_schools()
            for info in self.delivery.files:
                file_started, count = time.monotonic(), 0
                if info.category in ("Eleve", "PersRelEleve", "PersEducNat"):
                    self._write_declared_classes()
                with self.delivery.open(info) as stream:
                    requests = iter_requests(stream, file_name=info.name)
                    count = self._dispatch(info.category, self._counted(requests, info.name))
                elapsed = time.monotonic() - file_started
                self.report.files.append(
                    {"file": info.name, "records": count, "seconds": round(elapsed, 2)}
                )
                if info.category == "EtabEducNat":
                    self._rollover()
            self._write_declared_classes()
            self._write_relative_links()
            if self.complete:
                self._reconcile()
            if self.dry_run:
                transaction.set_rollback(True)
        self.report.seconds = time.monotonic() - started
        return self.report

    def _counted(self, records: Iterable[RawRequest], file_name: str) -> Iterator[RawRequest]:
        count, started = 0, time.monotonic()
        for record in records:
            count += 1
            if self.progress and count % self.batch_size == 0:
                self.progress(
                    {
                        "file": file_name,
                        "records": count,
                        "rate": count / max(time.monotonic() - started, 1e-6),
                    }
                )
            yield record
        if self.progress:
            self.progress(
                {
                    "file": file_name,
                    "records": count,
                    "done": True,
                    "rate": count / max(time.monotonic() - started, 1e-6),
                }
            )

    def _dispatch(self, category: str, requests: Iterator[RawRequest]) -> int:
        handler = {
            "EtabEducNat": self._structures,
            "MatiereEducNat": self._subjects,
            "MefEducNat": self._mefs,
        }.get(category)
        if handler is not None:
            return handler(request.record() for request in requests)
        return self._persons(category, requests)

    # --- structures, subjects, MEF --------------------------------------------------------
    def _structures(self, records: Iterator[AafRecord]) -> int:
        departments = {
            a.code: a
            for a in Authority.objects.filter(kind=Authority.Kind.DEPARTMENT).select_related(
                "academy", "region"
            )
        }
        heads: list[tuple[School, str]] = []
        n = 0
        for record in records:
            n += 1
            if record.operation != "add":
                self.report.warn_record(
                    "structure_operation",
                    "modification ou suppression de structure ignorée",
                    record,
                )
                continue
            try:
                data = map_structure(record)
            except MappingError as exc:
                self.report.warn_record("structure_invalid", str(exc), record)
                continue
            school, action = self.rel.school_upsert(data, departments)
            if school.department_id is None:
                self.report.warn_record(
                    "school_outside_territory",
                    f"établissement {data.uai} hors du territoire de l'ENT",
                    record,
                    uai=data.uai,
                )
            self.report.count(
                "EtabEducNat", action, uai=school.uai, example=f"{school.uai} {school.name}"
            )
            if data.head_jointure and data.head_jointure != data.jointure:
                heads.append((school, data.head_jointure))
            if self.declared_classes is not None:
                self.declared_classes += [(school.pk, *c) for c in data.classes]
        for school, head in heads:
            head_school = self.rel.schools.get(head)
            if head_school and school.cite_scolaire_head_id != head_school[0]:
                School.objects.filter(pk=school.pk).update(cite_scolaire_head_id=head_school[0])
        return n

    def _subjects(self, records: Iterator[AafRecord]) -> int:
        return self._nomenclature(
            records, Subject, "MatiereEducNat", ("ENTMatJointure", "ENTLibelleMatiere"), {}
        )

    def _mefs(self, records: Iterator[AafRecord]) -> int:
        return self._nomenclature(
            records,
            Mef,
            "MefEducNat",
            ("ENTMefJointure", "ENTLibelleMef"),
            {"level": "ENTNivFormation"},
        )

    def _nomenclature(
        self,
        records: Iterator[AafRecord],
        model: Any,
        category: str,
        keys: tuple[str, str],
        extra: dict[str, str],
    ) -> int:
        existing = {o.code: o for o in model.objects.all()}
        n = 0
        for record in records:
            n += 1
            code = (record.first(keys[0]) or record.identifier).strip()[:16]
            values = {
                "label": (record.first(keys[1]) or code)[:160],
                **{f: (record.first(a) or "")[:120] for f, a in extra.items()},
            }
            current = existing.get(code)
            if current is not None:
                # An attribute the record leaves out keeps its value (the 2013 MEF file has
                # no ENTNivFormation: the level then comes from the pupils, ENTEleveNivFormation).
                values.update({f: getattr(current, f) for f in extra if not values[f]})
            if current is None:
                existing[code] = model.objects.create(code=code, **values)
                action = "created"
            elif any(getattr(current, f) != v for f, v in values.items()):
                model.objects.filter(pk=current.pk).update(**values)
                action = "updated"
            else:
                action = "unchanged"
            self.report.count(category, action, example=f"{code} {values['label']}")
        if model is Subject:
            self.rel.subjects = {code: o.pk for code, o in existing.items()}
        if model is Mef:
            self.mefs = {code: (o.pk, o.level) for code, o in existing.items()}
        return n

    def _mef_id(self, mef: tuple[str, str, str] | None) -> int | None:
        """The id of a pupil's MEF. A code the MEF file did not deliver is added to the
        nomenclature with the pupil's label; a level the nomenclature lacks is taken
        from the pupil (``ENTEleveNivFormation``)."""
        if mef is None:
            return None
        mefs = self._load_mefs()
        code, label, level = mef
        found = mefs.get(code)
        if found is None:
            created = Mef.objects.create(code=code, label=label or code, level=level)
            mefs[code] = (created.pk, level)
            self.report.count("MefEducNat", "created", example=f"{code} {label}")
            return created.pk
        if level and not found[1]:
            Mef.objects.filter(pk=found[0]).update(level=level)
            mefs[code] = (found[0], level)
        return found[0]

    def _load_mefs(self) -> dict[str, tuple[int, str]]:
        if self.mefs is None:
            self.mefs = {
                code: (pk, level)
                for pk, code, level in Mef.objects.values_list("pk", "code", "level")
            }
        return self.mefs

    def _write_declared_classes(self) -> None:
        """Create or update the classes the structures declare, with their label and MEF
        (a class of one MEF is linked to it; a class of several levels to none: its pupils
        carry their own). Runs once, after the MEF file and before the people."""
        declared, self.declared_classes = self.declared_classes, None
        if not declared:
            return
        mefs = self._load_mefs()
        existing = {
            (c.school_id, c.code): c
            for c in SchoolClass.objects.filter(
                school_id__in={school for school, *_ in declared}, school_year=self.year
            )
        }
        creates, updates = [], []
        for school, code, label, mef_codes in declared:
            known = [mefs[m][0] for m in mef_codes if m in mefs]
            unknown = [m for m in mef_codes if m not in mefs]
            for m in unknown:
                self.report.warn("unknown_mef", f"MEF {m} de la classe {code} inconnu", record=code)
            mef_id = known[0] if len(known) == 1 and not unknown else None
            current = existing.get((school, code))
            if current is None:
                current = SchoolClass(
                    school_id=school, school_year=self.year, code=code, label=label, mef_id=mef_id
                )
                existing[(school, code)] = current
                creates.append(current)
            elif (current.label, current.mef_id) != (label, mef_id):
                current.label, current.mef_id = label, mef_id
                if current.pk is not None:
                    updates.append(current)
        SchoolClass.objects.bulk_create(creates, ignore_conflicts=True)
        SchoolClass.objects.bulk_update(updates, ["label", "mef"], batch_size=1000)

    def _rollover(self) -> None:
        """Rentrée: a complete import of a new school year archives last year's classes."""
        if not self.complete:
            return
        school_ids = [pk for pk, _uai in self.rel.schools.values()]
        archived = SchoolClass.objects.filter(
            school_id__in=school_ids, school_year__lt=self.year, archived=False
        ).update(archived=True)
        TeachingGroup.objects.filter(
            school_id__in=school_ids, school_year__lt=self.year, archived=False
        ).update(archived=True)
        self.report.archived_classes = archived

    # --- people ---------------------------------------------------------------------------
    def _persons(self, category: str, records: Iterator[RawRequest]) -> int:
        batch: list[RawRequest] = []
        n = 0
        for record in records:
            n += 1
            batch.append(record)
            if len(batch) >= self.batch_size:
                self._person_batch(category, batch)
                batch = []
        if batch:
            self._person_batch(category, batch)
        return n

    def _map(self, category: str, record: AafRecord) -> PersonData:
        if category == "Eleve":
            return map_pupil(record, persons_in_charge=self.persons_in_charge)
        return PERSON_MAPPERS[category](record)  # type: ignore[operator]

    def _person_batch(self, category: str, requests: list[RawRequest]) -> None:
        existing = {
            ext: (pk, digest, state)
            for pk, ext, digest, state in select_in(
                Person,
                ("id", "external_id", "source_hash", "state"),
                key="external_id",
                values=[r.identifier for r in requests],
                where={"source": self.source.pk},
                nonblank=True,
            )
        }
        creates: list[tuple[AafRecord, PersonData]] = []
        updates: list[tuple[AafRecord, PersonData, int, str]] = []
        deletes: list[tuple[AafRecord, int]] = []
        for request in requests:
            current = existing.get(request.identifier)
            if request.operation == "delete":
                record = request.record()
                if current is None:
                    self.report.warn_record(
                        "unknown_person", "suppression d'une personne inconnue", record
                    )
                elif current[2] not in GONE_STATES:
                    deletes.append((record, current[0]))
                continue
            if (
                category == "PersRelEleve"
                and self.complete
                and (request.identifier not in self.referenced_relatives)
            ):
                self.report.warn_record(
                    "relative_without_pupil",
                    "responsable dont aucun élève n'est dans l'import : non importé",
                    request,
                )
                continue
            digest = self._record_hash(category, request)
            if (
                request.operation == "add"
                and current is not None
                and current[1] == digest
                and current[2] not in GONE_STATES
            ):
                # The record is exactly what was imported last time: nothing to map or
                # write, and only the attributes still needed (UNCHANGED_NEEDS) are decoded.
                self.seen.add(current[0])
                record = request.partial(UNCHANGED_NEEDS[category])
                uai = self.rel.uai_of(record.first("ENTPersonStructRattach"))
                if category == "Eleve":
                    self._note_relatives(
                        named_relatives(record, persons_in_charge=self.persons_in_charge), uai
                    )
                self.report.count(
                    category, "unchanged", uai=self._report_uai(category, record, uai)
                )
                continue
            record = request.record()
            data = self._map(category, record)
            data.digest = digest
            if category == "Eleve":
                data.fields["mef_id"] = self._mef_id(data.mef)
            for message in data.warnings:
                self.report.warn_record(
                    "value", message, record, uai=self.rel.uai_of(data.main_structure)
                )
            if category == "Eleve":
                self._note_relatives(
                    [r[0] for r in data.relatives], self.rel.uai_of(data.main_structure)
                )
            if record.operation == "modify":
                if current is None:
                    self.report.warn_record(
                        "unknown_person", "modification d'une personne inconnue", record
                    )
                    continue
                updates.append((record, data, current[0], current[2]))
                continue
            data_hash = self._fingerprint(data)
            if current is None:
                creates.append((record, data))
            elif (
                category == "Eleve"
                and current[1] == _incomplete(data_hash)
                and (current[2] not in GONE_STATES)
            ):
                # Unchanged, but one of the relatives they name was missing last time (not
                # delivered yet, or detached since): try to link them again.
                self.seen.add(current[0])
                self.relink[current[0]] = data_hash
                self.pending_links.extend((current[0], link) for link in data.relatives)
                self.report.count(category, "unchanged", uai=self.rel.uai_of(data.main_structure))
            else:
                updates.append((record, data, current[0], current[2]))
        if category == "Eleve" and creates:
            creates = self._match_by_ine(creates, updates)
        self._create(category, creates)
        self._update(category, updates)
        if deletes:
            self._detach([pk for _, pk in deletes], reason="delete")

    def _match_by_ine(
        self,
        creates: list[tuple[AafRecord, PersonData]],
        updates: list[tuple[AafRecord, PersonData, int, str]],
    ) -> list[tuple[AafRecord, PersonData]]:
        """A pupil unknown by jointure may be known by INE: the same pupil under a new
        jointure of this source, or back from another source that detached them (a move
        between académies). They keep their account; the others are created."""
        by_ine = {d.fields["ine"]: (r, d) for r, d in creates if d.fields.get("ine")}
        if not by_ine:
            return creates
        found: dict[str, list[tuple[int, str]]] = {}
        for pk, ine, state, source_id in select_in(
            Person,
            ("id", "ine", "state", "source"),
            key="ine",
            values=list(by_ine),
            where={"profile": Profile.PUPIL},
        ):
            if source_id == self.source.pk or state == Person.State.DETACHED:
                found.setdefault(ine, []).append((pk, state))
        matched: set[str] = set()
        for ine, candidates in found.items():
            if len(candidates) == 1:  # an ambiguous INE is never guessed
                record, data = by_ine[ine]
                updates.append((record, data, candidates[0][0], candidates[0][1]))
                matched.add(record.identifier)
        return [(r, d) for r, d in creates if r.identifier not in matched]

    def _note_relatives(self, jointures: list[str], uai: str | None) -> None:
        for jointure in jointures:
            if self.referenced_relatives.get(jointure) is None:
                self.referenced_relatives[jointure] = uai

    def _report_uai(self, category: str, record: AafRecord, uai: str | None) -> str | None:
        """Where a record is reported: its own school, or for a relative (who has none)
        the school of a pupil of this import who names them."""
        if uai is None and category == "PersRelEleve":
            return self.referenced_relatives.get(record.identifier)
        return uai

    def _record_hash(self, category: str, request: RawRequest) -> str:
        """Fingerprint of a record as delivered (the reader's digest of its content), in
        its school year and under the deployment's settings: equal fingerprints mean
        nothing to write."""
        # Only pupils' links depend on the setting (which legal levels are linked).
        setting = self.persons_in_charge if category == "Eleve" else None
        version = FINGERPRINT_VERSIONS.get(category, 1)
        payload = f"{category}|{self.year}|{setting}|{request.digest}"
        if version > 1:
            payload = f"v{version}|{payload}"
        return hashlib.md5(payload.encode(), usedforsecurity=False).hexdigest()

    @staticmethod
    def _fingerprint(data: PersonData) -> str:
        return data.digest

    def _create(self, category: str, items: list[tuple[AafRecord, PersonData]]) -> None:
        if not items:
            return
        stems = [login_base(d.fields["first_name"], d.fields["last_name"]) for _, d in items]
        usernames = self.logins.allocate(stems)
        ids = reserve_ids(Person, len(items))
        now = timezone.now()
        passwords = unusable_passwords(len(items))
        codes = activation_codes(len(items))
        rows = []
        for index, ((record, data), stem) in enumerate(zip(items, stems, strict=True)):
            username = usernames[index]
            values = {k: v if v is not None else _blank(k) for k, v in data.fields.items()}
            rows.append(
                (
                    *((ids[index],) if ids is not None else ()),
                    username,
                    stem,
                    passwords[index],
                    self.source.pk,
                    record.identifier,
                    data.profile,
                    Person.State.TO_ACTIVATE,
                    now,
                    codes[index],
                    self._fingerprint(data),
                    False,
                    False,
                    now,
                    now,
                    *(values.get(f, _blank(f)) for f in PERSON_FIELDS),
                )
            )
        if ids is not None:
            insert_rows(Person, ("id", *PERSON_INSERT_FIELDS), rows)
            created = ids
        else:
            insert_rows(Person, PERSON_INSERT_FIELDS, rows)
            pks = dict(Person.objects.filter(username__in=usernames).values_list("username", "pk"))
            created = [pks[u] for u in usernames]
        self.statistics.inserted_rows(len(rows))
        for pk, (record, data) in zip(created, items, strict=True):
            self.seen.add(pk)
            self.report.count(
                category,
                "created",
                uai=self._report_uai(category, record, self.rel.uai_of(data.main_structure)),
                example=f"{record.identifier} {display_name(data)}",
            )
        self._relations(
            category, [(pk, d, False) for pk, (_, d) in zip(created, items, strict=True)]
        )

    def _update(self, category: str, items: list[tuple[AafRecord, PersonData, int, str]]) -> None:
        if not items:
            return
        objs = Person.objects.in_bulk([pk for *_, pk, _state in items])
        before_functions = self.rel.functions_of([pk for *_, pk, _state in items])
        changed_fields: set[str] = {"profile", "source_hash", "state", "state_changed_at"}
        now = timezone.now()
        rel_items: list[tuple[int, PersonData, bool]] = []
        for record, data, pk, state in items:
            person = objs[pk]
            partial = record.operation == "modify"
            fields = data.fields if not partial else _touched_fields(record, data)
            if person.email_confirmed_at is not None and "email" in fields:
                # An address the person confirmed in Ostal is theirs: the feed's copy of the
                # school's record never replaces it (reset links go only to confirmed ones).
                fields = {k: v for k, v in fields.items() if k != "email"}
            self._note_change(
                record,
                data,
                person,
                fields,
                before_functions.get(pk, set()),
                functions_touched=not partial or "ENTPersonFonctions" in record.attributes,
            )
            for name, value in fields.items():
                setattr(person, name, value if value is not None else _blank(name))
                changed_fields.add(name)
            if not partial:
                person.profile = data.profile
            person.source_hash = "" if partial else self._fingerprint(data)
            if (person.source_id, person.external_id) != (self.source.pk, record.identifier):
                # Found by INE under another jointure or source: the account follows them.
                person.source_id, person.external_id = self.source.pk, record.identifier
                changed_fields |= {"source", "external_id"}
                self.report.change(
                    record=record.identifier,
                    name=display_name(data),
                    uai=self.rel.uai_of(data.main_structure),
                    fields=["jointure"],
                    functions_removed=[],
                    functions_added=[],
                )
            action = "updated"
            if state in GONE_STATES:
                person.state = (
                    Person.State.ACTIVE
                    if person.has_usable_password()
                    else Person.State.TO_ACTIVATE
                )
                person.state_changed_at = now
                action = "restored"
            self.seen.add(pk)
            self.report.count(
                category,
                action,
                uai=self._report_uai(category, record, self.rel.uai_of(data.main_structure)),
                example=f"{record.identifier} {display_name(data)}",
            )
            rel_items.append((pk, data, partial))
        Person.objects.bulk_update(list(objs.values()), sorted(changed_fields), batch_size=1000)
        self._relations(category, rel_items, replace=True, records=[r for r, *_ in items])

    def _note_change(
        self,
        record: AafRecord,
        data: PersonData,
        person: Person,
        fields: dict[str, Any],
        before: set[tuple[str, ...]],
        *,
        functions_touched: bool,
    ) -> None:
        """Say what changed for an updated person: fields, profile, functions."""
        changed = [
            n
            for n, v in fields.items()
            if getattr(person, n) != (v if v is not None else _blank(n))
        ]
        if person.profile != data.profile and record.operation != "modify":
            changed.append("profile")
        after: set[tuple[str, ...]] = {
            (self.rel.uai_of(s) or s, c, lbl, dc) for s, c, lbl, dc, _dl in data.functions
        }
        removed = sorted(before - after) if functions_touched else []
        added = sorted(after - before) if functions_touched else []
        if changed or removed or added:
            self.report.change(
                record=record.identifier,
                name=display_name(data),
                uai=self.rel.uai_of(data.main_structure),
                fields=changed,
                functions_removed=["/".join(f) for f in removed],
                functions_added=["/".join(f) for f in added],
            )

    def _relations(
        self,
        category: str,
        items: list[tuple[int, PersonData, bool]],
        *,
        replace: bool = False,
        records: list[AafRecord] | None = None,
    ) -> None:
        if category == "PersRelEleve" or not items:
            return
        touched: list[set[str] | None] = [
            _touched_facets(r) if r is not None and r.operation == "modify" else None
            for r in (records or [None] * len(items))  # type: ignore[list-item]
        ]
        if replace:
            self.rel.clear(items, touched)
        self.rel.write(items, touched, fresh=not replace)
        if category == "Eleve":
            relinked: list[int] = []
            for (pk, data, _partial), facets in zip(items, touched, strict=True):
                if facets is None or "relatives" in facets:
                    relinked.append(pk)
                    self.pending_links.extend((pk, link) for link in data.relatives)
            if replace:
                # Their links are rewritten from the record: old and pending ones go.
                for start in range(0, len(relinked), 1000):
                    chunk = relinked[start : start + 1000]
                    RelativeLink.objects.filter(pupil_id__in=chunk).delete()
                    PendingRelativeLink.objects.filter(pupil_id__in=chunk).delete()

    def _write_relative_links(self) -> None:
        """Link pupils to the relatives they name. A pupil one of whose relatives is not in
        the directory keeps an *incomplete* fingerprint, so that a later import links them
        even if the pupil's own record does not change."""
        incomplete: set[int] = set()
        # These pupils get their links rewritten: so do their pending ones (all of them
        # first: a pupil's links may straddle two chunks).
        pupils = sorted({pupil_pk for pupil_pk, _ in self.pending_links})
        for start in range(0, len(pupils), LINK_CHUNK):
            delete_in(PendingRelativeLink, key="pupil", values=pupils[start : start + LINK_CHUNK])
        for chunk in self._link_chunks():
            pending = []
            # Only relatives may be linked as relatives: a pupil naming a jointure that is
            # a pupil's (its own, in the 2020 sample) or a staff member's must not make that
            # person a parent with a parent's rights.
            relatives = {
                ext: pk
                for pk, ext, profile, state in select_in(
                    Person,
                    ("id", "external_id", "profile", "state"),
                    key="external_id",
                    values=sorted({ext for _, (ext, *_rest) in chunk}),
                    where={"source": self.source.pk},
                    nonblank=True,  # so the partial unique index (source, jointure) serves
                )
                if profile == Profile.RELATIVE and state not in GONE_STATES
            }
            links = []
            for pupil_pk, (ext, code, financial, level, contact) in chunk:
                relative_pk = relatives.get(ext)
                if relative_pk is None:
                    incomplete.add(pupil_pk)
                    pending.append(
                        (pupil_pk, self.source.pk, ext, code[:4], financial, level, contact)
                    )
                    self.report.warn(
                        "relative_missing", f"responsable {ext} absent de l'annuaire", record=ext
                    )
                    continue
                links.append((relative_pk, pupil_pk, level, code[:4], financial, contact))
            # A pupil retried because a relative was missing keeps the links they have (the
            # new ones may conflict); every other pupil here had theirs removed, or is new.
            insert_rows(
                RelativeLink,
                RELATIVE_LINK_FIELDS,
                [link for link in links if link[1] in self.relink],
                ignore_conflicts=True,
            )
            insert_rows(
                RelativeLink,
                RELATIVE_LINK_FIELDS,
                first_of_each((link for link in links if link[1] not in self.relink), (0, 1)),
            )
            insert_rows(PendingRelativeLink, PENDING_LINK_FIELDS, first_of_each(pending, (0, 2)))
        self._mark_incomplete(sorted(incomplete))
        self._resolve_pending_links()
        for pk, full_hash in self.relink.items():
            if pk not in incomplete:
                Person.objects.filter(pk=pk).update(source_hash=full_hash)
        self.pending_links = []

    def _link_chunks(self) -> Iterator[list[tuple[int, tuple[str, str, bool, int, bool]]]]:
        """The pending links in chunks of about ``LINK_CHUNK``, each pupil's links together
        and in the order named (so that duplicates are found within one chunk)."""
        links = sorted(self.pending_links, key=itemgetter(0))  # stable: keeps the order
        start = 0
        while start < len(links):
            end = min(start + LINK_CHUNK, len(links))
            while end < len(links) and links[end][0] == links[end - 1][0]:
                end += 1
            yield links[start:end]
            start = end

    def _resolve_pending_links(self) -> None:
        """Link the relatives who arrived since a pupil named them (e.g. a *Delta* adding a
        relative alone): one query for the whole source, then the links in batches."""
        resolved = list(
            PendingRelativeLink.objects.filter(
                source=self.source,
                relative_external_id__in=Person.objects.filter(
                    source=self.source, profile=Profile.RELATIVE
                )
                .exclude(state__in=GONE_STATES)
                .values("external_id"),
            )
            .exclude(pupil__state__in=GONE_STATES)
            .values_list(
                "pk",
                "pupil_id",
                "relative_external_id",
                "relation_code",
                "financial",
                "legal_level",
                "contact",
            )
        )
        if not resolved:
            return
        relatives = dict(
            Person.objects.filter(
                source=self.source,
                profile=Profile.RELATIVE,
                external_id__in={row[2] for row in resolved},
            )
            .exclude(external_id="")  # lets the partial unique index serve the query
            .exclude(state__in=GONE_STATES)
            .values_list("external_id", "pk")
        )
        links = [
            (relatives[ext], pupil_pk, level, code, financial, contact)
            for _pk, pupil_pk, ext, code, financial, level, contact in resolved
        ]
        insert_rows(RelativeLink, RELATIVE_LINK_FIELDS, links, ignore_conflicts=True)
        done = [row[0] for row in resolved]
        for start in range(0, len(done), 1000):
            PendingRelativeLink.objects.filter(pk__in=done[start : start + 1000]).delete()
        self.report.relatives_linked_later += len(links)

    @staticmethod
    def _mark_incomplete(pupil_pks: list[int]) -> None:
        for start in range(0, len(pupil_pks), 1000):
            Person.objects.filter(pk__in=pupil_pks[start : start + 1000]).exclude(
                source_hash__endswith=INCOMPLETE
            ).update(source_hash=Concat(Left("source_hash", 31), Value(INCOMPLETE)))

    # --- reconciliation -------------------------------------------------------------------
    def _reconcile(self) -> None:
        present = set(
            Person.objects.filter(source=self.source)
            .exclude(state__in=GONE_STATES)
            .values_list("pk", flat=True)
        )
        self._detach(sorted(present - self.seen), reason="absent")

    def _detach(self, pks: list[int], *, reason: str) -> None:
        now = timezone.now()
        for start in range(0, len(pks), 1000):
            chunk = pks[start : start + 1000]
            schools = self.rel.schools_of_people(chunk)
            for pk, profile, ext, first, last in Person.objects.filter(pk__in=chunk).values_list(
                "pk", "profile", "external_id", "first_name", "last_name"
            ):
                category = CATEGORY_OF_PROFILE.get(profile, "PersEducNat")
                self.report.count(
                    category, "detached", uai=schools.get(pk), example=f"{ext} {first} {last}"
                )
            Person.objects.filter(pk__in=chunk).update(
                state=Person.State.DETACHED, state_changed_at=now
            )
            # Children of a departing relative must be linked again if the relative returns.
            self._mark_incomplete(
                list(
                    RelativeLink.objects.filter(relative_id__in=chunk).values_list(
                        "pupil_id", flat=True
                    )
                )
            )
            self.rel.remove_all(chunk)
            PendingRelativeLink.objects.filter(pupil_id__in=chunk).delete()


INCOMPLETE = "!"
#: Raised when an import starts reading more of a category's records than before, so that
#: records imported by an older version are read again once (2: a pupil's MEF).
FINGERPRINT_VERSIONS = {"Eleve": 2}
#: What an unchanged record still tells the import: its school and the relatives it names.
UNCHANGED_NEEDS = {
    "Eleve": ("ENTPersonStructRattach", "ENTElevePersRelEleve"),
    "PersRelEleve": ("ENTPersonStructRattach",),
    "PersEducNat": ("ENTPersonStructRattach",),
}
PENDING_LINK_FIELDS = (
    "pupil_id",
    "source_id",
    "relative_external_id",
    "relation_code",
    "financial",
    "legal_level",
    "contact",
)
RELATIVE_LINK_FIELDS = (
    "relative_id",
    "pupil_id",
    "legal_level",
    "relation_code",
    "is_financial",
    "is_contact",
)
PERSON_INSERT_FIELDS = (
    "username",
    "login_stem",
    "password",
    "source_id",
    "external_id",
    "profile",
    "state",
    "state_changed_at",
    "activation_code",
    "source_hash",
    "is_staff",
    "is_superuser",
    "created_at",
    "updated_at",
    *PERSON_FIELDS,
)


def _incomplete(full_hash: str) -> str:
    return full_hash[:31] + INCOMPLETE


def _blank(field_name: str) -> Any:
    return None if field_name in ("birth_date", "mef_id") else ""


ATTRIBUTE_FIELDS = {
    "sn": ["last_name"],
    "givenName": ["first_name"],
    "ENTPersonNomPatro": ["birth_name"],
    "ENTPersonDateNaissance": ["birth_date"],
    "personalTitle": ["civility"],
    "ENTPersonAdresse": ["address"],
    "ENTPersonCodePostal": ["postal_code"],
    "ENTPersonVille": ["city"],
    "ENTEleveINE": ["ine"],
    "ENTEleveMEF": ["mef_id"],
    "mail": ["email", "academic_email"],
    "mobile": ["mobile"],
    "ENTPersonMobileSMS": ["mobile"],
}
ATTRIBUTE_FACETS = {
    "ENTEleveClasses": {"classes", "affiliations"},
    "ENTEleveGroupes": {"groups"},
    "ENTElevePersRelEleve": {"relatives"},
    "ENTPersonStructRattach": {"affiliations"},
    "ENTPersonFonctions": {"functions", "affiliations"},
    "ENTAuxEnsClasses": {"assignments", "affiliations"},
    "ENTAuxEnsGroupes": {"assignments", "affiliations"},
    "ENTAuxEnsClassesMatieres": {"assignments", "affiliations"},
    "ENTAuxEnsGroupesMatieres": {"assignments", "affiliations"},
    "ENTAuxEnsClassesPrincipal": {"head_of"},
}


def _touched_fields(record: AafRecord, data: PersonData) -> dict[str, Any]:
    names = {f for attr in record.attributes for f in ATTRIBUTE_FIELDS.get(attr, [])}
    return {k: v for k, v in data.fields.items() if k in names}


def _touched_facets(record: AafRecord) -> set[str]:
    return {f for attr in record.attributes for f in ATTRIBUTE_FACETS.get(attr, set())}
