"""Deterministic generator of national-format AAF deliveries for a synthetic Occitanie.

Usage::

    uv run python -m bench.aafgen --preset region|academy|test|demo --out DIR
        [--seed N] [--schools N] [--archive tgz|none] [--delta-from SEED] [--jobs N]

or, from Python, :func:`generate`. Each académie gets its own delivery in ``DIR/ac-<code>/``
(``ac-11`` Montpellier, ``ac-16`` Toulouse): the six category files of reference note §3.1
(chunked at 50,000 requests), the DTD and, with ``--archive tgz``, ``ENT2D.<date>.tgz``.

Rules implemented:

* the same arguments give byte-identical files (all randomness is seeded, the export date
  is fixed, archives have fixed mtimes), whether académies run in parallel or not;
* ``--schools N`` sets the total number of schools of the preset, split between académies
  (45% Montpellier, 55% Toulouse); people scale with the schools;
* ``--delta-from B`` writes a *Delta* delivery dated the day after the complete export of
  seed ``B``: class changes, new pupils and leavers, staff function/class/mail changes,
  relatives' mail changes; ``--seed`` then only varies which changes are drawn;
* files are streamed through a buffered writer, never held in memory; existing files of a
  previous run with the same national prefix are removed from the target directory first.

Staff and structure mail addresses use reserved ``.example`` domains
(``ac-montpellier.example``) and relatives ``example.com/org/net``, so that no generated
address can reach a real mailbox; phone numbers are in the ARCEP fiction ranges.
"""

from __future__ import annotations

import argparse
import datetime
import multiprocessing
import os
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .catalog import ACADEMIES
from .delta import write_delta
from .records import (
    Renderer,
    mef_record,
    structure_record,
    subject_record,
    used_mefs,
    used_subjects,
)
from .schools import largest_remainder
from .world import AcademyWorld, build_world
from .writer import ChunkedWriter, FileSummary, file_prefix, pack, write_dtd

CATEGORIES = ("EtabEducNat", "MatiereEducNat", "MefEducNat", "Eleve", "PersRelEleve", "PersEducNat")
EXPORT_DATE = datetime.date(2025, 9, 15)
CROSS_FAMILIES_PER_SCHOOL = 3


@dataclass(frozen=True)
class Preset:
    name: str
    schools: int
    academies: tuple[str, ...]
    scale: float  # 1.0 = real school sizes
    description: str
    min_classes: int = 1  # classes per level at least (2 lets small presets move pupils)


PRESETS: dict[str, Preset] = {
    "region": Preset("region", 800, ("11", "16"), 1.0, "Occitanie: ≈800 schools, ≈400k pupils"),
    "academy": Preset("academy", 360, ("11",), 1.0, "académie de Montpellier alone"),
    "test": Preset("test", 4, ("11", "16"), 0.1, "2 académies × 2 small schools", 2),
    "demo": Preset("demo", 6, ("11", "16"), 0.12, "6 small schools, a few hundred pupils", 2),
}


@dataclass
class AcademySummary:
    code: str
    name: str
    directory: Path
    kind: str  # "Complet" or "Delta"
    date: datetime.date
    schools: int
    pupils: int
    relatives: int
    staff: int
    families: int
    cross_families: int
    files: list[FileSummary] = field(default_factory=list)
    archive: Path | None = None
    seconds: float = 0.0

    def records(self, category: str, operation: str | None = None) -> int:
        """Requests written for a category (all operations, or one of add/modify/delete)."""
        return sum(
            f.records if operation is None else f.operations.get(operation, 0)
            for f in self.files
            if f.category == category
        )

    @property
    def bytes(self) -> int:
        return sum(f.bytes for f in self.files)


@dataclass
class GenerationSummary:
    preset: str
    seed: int
    kind: str
    date: datetime.date
    academies: list[AcademySummary]
    seconds: float = 0.0
    delta_from: int | None = None

    @property
    def schools(self) -> int:
        return sum(a.schools for a in self.academies)

    @property
    def pupils(self) -> int:
        return sum(a.pupils for a in self.academies)

    @property
    def relatives(self) -> int:
        return sum(a.relatives for a in self.academies)

    @property
    def staff(self) -> int:
        return sum(a.staff for a in self.academies)

    @property
    def files(self) -> int:
        return sum(len(a.files) for a in self.academies)

    @property
    def bytes(self) -> int:
        return sum(a.bytes for a in self.academies)

    def academy(self, code: str) -> AcademySummary:
        return next(a for a in self.academies if a.code == code)

    def report(self) -> str:
        lines = []
        for a in self.academies:
            ops = ""
            if self.kind == "Delta":
                ops = "  changes: " + ", ".join(
                    f"{c} +{a.records(c, 'add')}/~{a.records(c, 'modify')}/-{a.records(c, 'delete')}"
                    for c in ("Eleve", "PersRelEleve", "PersEducNat")
                )
            lines.append(
                f"ac-{a.code} {a.name}: {a.schools} schools, {a.pupils:,} pupils, "
                f"{a.relatives:,} relatives ({a.cross_families} families in both académies), "
                f"{a.staff:,} staff, {len(a.files)} files, {a.bytes / 1e6:,.1f} MB, "
                f"{a.seconds:.1f} s{ops}"
            )
        lines.append(
            f"TOTAL {self.kind} preset={self.preset} seed={self.seed}: {self.schools} schools, "
            f"{self.pupils:,} pupils, {self.relatives:,} relatives, {self.staff:,} staff, "
            f"{self.files} files, {self.bytes:,} bytes ({self.bytes / 1e6:,.1f} MB), "
            f"{self.seconds:.1f} s"
        )
        return "\n".join(lines)


@dataclass(frozen=True)
class AcademyJob:
    code: str
    seed: int
    schools: int
    scale: float
    min_classes: int
    cross_families: int
    out: Path
    archive: bool
    date: datetime.date
    delta_from: int | None
    verbose: bool


def plan_jobs(
    preset: Preset, out: Path, seed: int, schools: int | None, archive: bool,
    delta_from: int | None, verbose: bool, date: datetime.date,
) -> list[AcademyJob]:  # fmt: skip
    total = preset.schools if schools is None else schools
    if total < len(preset.academies):
        raise ValueError(f"--schools must be at least {len(preset.academies)} for this preset")
    weights = [(code, ACADEMIES[code].share) for code in preset.academies]
    split = dict(largest_remainder(total, weights))
    for code in preset.academies:  # every académie gets at least one school
        if split[code] == 0:
            donor = max(split, key=lambda c: split[c])
            split[donor] -= 1
            split[code] = 1
    cross = 0
    if len(preset.academies) > 1:
        cross = max(1, round(CROSS_FAMILIES_PER_SCHOOL * min(split.values())))
    return [
        AcademyJob(
            code,
            seed,
            split[code],
            preset.scale,
            preset.min_classes,
            cross,
            out,
            archive,
            date,
            delta_from,
            verbose,
        )
        for code in preset.academies
    ]


def _clean(directory: Path, code: str) -> None:
    """Remove what a previous run left with the same national names (stale chunks)."""
    for path in directory.glob(f"{file_prefix(code)}_*.xml"):
        path.unlink()
    for path in directory.glob("ENT2D.*.tgz"):
        path.unlink()


def _file_logger(
    code: str, files: list[FileSummary], verbose: bool
) -> Callable[[FileSummary], None]:
    def on_file(summary: FileSummary) -> None:
        files.append(summary)
        if verbose:
            print(
                f"[ac-{code}] {summary.path.name}: {summary.records:,} records, "
                f"{summary.bytes:,} bytes",
                flush=True,
            )

    return on_file


def world_for(job: AcademyJob) -> AcademyWorld:
    base_seed = job.seed if job.delta_from is None else job.delta_from
    return build_world(
        base_seed, job.code, job.schools, job.scale, job.cross_families, job.date, job.min_classes
    )


def run_academy(job: AcademyJob) -> AcademySummary:
    """Write the delivery of one académie (complete, or delta when ``job.delta_from``)."""
    started = time.perf_counter()
    world = world_for(job)
    directory = job.out / f"ac-{job.code}"
    directory.mkdir(parents=True, exist_ok=True)
    _clean(directory, job.code)
    files: list[FileSummary] = []
    on_file = _file_logger(job.code, files, job.verbose)
    if job.delta_from is None:
        kind, date = "Complet", job.date
        write_complete(world, directory, on_file)
    else:
        kind, date = "Delta", job.date + datetime.timedelta(days=1)
        write_delta(world, directory, date, job.seed, on_file)
    write_dtd(directory)
    archive = (
        pack(directory, [f.path for f in files], date, kind == "Delta") if job.archive else None
    )
    return AcademySummary(
        code=job.code,
        name=world.academy.name,
        directory=directory,
        kind=kind,
        date=date,
        schools=len(world.schools),
        pupils=world.pupils,
        relatives=world.relatives,
        staff=world.staff_count,
        families=world.families,
        cross_families=len(world.cross),
        files=files,
        archive=archive,
        seconds=time.perf_counter() - started,
    )


def write_complete(
    world: AcademyWorld, directory: Path, on_file: Callable[[FileSummary], None]
) -> None:
    code, date = world.code, world.date

    def writer(category: str) -> ChunkedWriter:
        return ChunkedWriter(directory, code, "Complet", date, category, on_file)

    with writer("EtabEducNat") as out:
        for school in world.schools:
            out.write(structure_record(world, school))
    with writer("MatiereEducNat") as out:
        for subject in used_subjects(world):
            out.write(subject_record(subject))
    with writer("MefEducNat") as out:
        for mef in used_mefs(world):
            out.write(mef_record(mef))
    renderer = Renderer(world)
    pupil_family = world.pupil_family
    with writer("Eleve") as out:
        for school, cls in world.classes:
            for index in range(cls.first_pupil, cls.first_pupil + cls.size):
                family = pupil_family[index]
                out.write(
                    renderer.pupil(
                        index,
                        school,
                        cls,
                        renderer.family(family),
                        renderer.relative_numbers(family),
                    )
                )
    with writer("PersRelEleve") as out:
        for family_index in range(world.families):
            family = world.family(family_index)
            children = world.children(family_index)
            for slot, number in enumerate(renderer.relative_numbers(family_index)):
                out.write(renderer.relative(family, slot, number, children))
    with writer("PersEducNat") as out:
        for school in world.schools:
            for _, _, text in renderer.staff(school):
                out.write(text)


def generate(
    preset: str,
    out: Path,
    seed: int = 1,
    schools: int | None = None,
    archive: bool = False,
    *,
    delta_from: int | None = None,
    jobs: int | None = None,
    verbose: bool = False,
    date: datetime.date = EXPORT_DATE,
) -> GenerationSummary:
    """Generate the deliveries of ``preset`` under ``out`` and say what was written.

    ``jobs`` is the number of académies generated in parallel processes (default: 1 for
    the small presets, up to 2 otherwise); it never changes the output.
    """
    if preset not in PRESETS:
        raise ValueError(f"unknown preset {preset!r} (choose from {', '.join(PRESETS)})")
    started = time.perf_counter()
    plans = plan_jobs(PRESETS[preset], Path(out), seed, schools, archive, delta_from, verbose, date)
    if jobs is None:
        jobs = 1 if PRESETS[preset].scale < 1 else min(len(plans), os.cpu_count() or 1)
    jobs = max(1, min(jobs, len(plans)))
    if jobs == 1:
        results = [run_academy(job) for job in plans]
    else:
        context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            results = list(pool.map(run_academy, plans))
    return GenerationSummary(
        preset=preset,
        seed=seed,
        kind=results[0].kind,
        date=results[0].date,
        academies=results,
        seconds=time.perf_counter() - started,
        delta_from=delta_from,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.aafgen",
        description="Generate national-format AAF deliveries (ENT2D) for a synthetic Occitanie.",
    )
    parser.add_argument("--preset", choices=sorted(PRESETS), required=True)
    parser.add_argument("--out", type=Path, required=True, help="output directory")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--schools", type=int, help="total number of schools (scales people)")
    parser.add_argument("--archive", choices=("tgz", "none"), default="none")
    parser.add_argument(
        "--delta-from", type=int, metavar="SEED", help="write a Delta against seed SEED's export"
    )
    parser.add_argument("--jobs", type=int, help="académies generated in parallel")
    parser.add_argument("--quiet", action="store_true", help="only print the final summary")
    parser.add_argument(
        "--date",
        type=datetime.date.fromisoformat,
        default=EXPORT_DATE,
        help=f"export date, YYYY-MM-DD: sets the school year (default {EXPORT_DATE})",
    )
    args = parser.parse_args(argv)
    try:
        summary = generate(
            args.preset,
            args.out,
            seed=args.seed,
            schools=args.schools,
            archive=args.archive == "tgz",
            delta_from=args.delta_from,
            jobs=args.jobs,
            verbose=not args.quiet,
            date=args.date,
        )
    except ValueError as err:
        parser.error(str(err))
    print(summary.report())
    return 0
