"""Benchmark: the espace documentaire.

* a folder of 5,000 documents listed by the page (``/documents/dossiers/<id>/``) and the
  API (``/api/v1/documents/?dossier=<id>``), both paginated (``DOCUMENTS_PAGE_SIZE``):
  p50/p95 in ms over several runs and the query count for page 1 of a folder of 50 and
  of 5,000, and for the last page of the 5,000 (the deepest OFFSET);
* a 50 MB upload through the API's single streaming request: the peak of the Python heap
  during the request (``tracemalloc``; the body is the client's stream, made before the
  measure) next to the 64 KiB chunk and the file size.
Never asserts on time.

Run: ``DATABASE_URL=postgres://… pytest -m bench bench/test_bench_documents.py -s``.
"""

from __future__ import annotations

import io
import statistics
import time
import tracemalloc
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ostal.directory.models import Person, Profile
from ostal.documents.api import CHUNK
from ostal.documents.models import Document, Folder

pytestmark = [pytest.mark.bench, pytest.mark.django_db]
DOCUMENTS, RUNS = 5000, 20


def _fill(owner: Person, folder: Folder, count: int) -> None:
    now = timezone.now()
    Document.objects.bulk_create(
        [
            Document(
                owner=owner,
                folder=folder,
                name=f"Document {n:05d}.pdf",
                file=f"documents/{owner.pk}/bench-{folder.pk}-{n}",
                size=1000 + n,
                content_type="application/pdf",
                scan=Document.Scan.CLEAN,
                created_at=now,
                updated_at=now,
            )
            for n in range(count)
        ],
        batch_size=1000,
    )


def _measure(client: Client, url: str) -> tuple[float, float, int]:
    client.get(url)
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))], len(queries)


def test_bench_documents(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    owner = Person.objects.create(
        username="bench.doc", profile=Profile.TEACHER, last_name="Prof", state="active"
    )
    small = Folder.objects.create(owner=owner, name="Petit")
    big = Folder.objects.create(owner=owner, name="Grand")
    _fill(owner, small, 50)
    _fill(owner, big, DOCUMENTS)
    client = Client()
    client.force_login(owner, backend="django.contrib.auth.backends.ModelBackend")
    print()
    last = -(-DOCUMENTS // settings.DOCUMENTS_PAGE_SIZE)
    for label, url, sep in [
        ("page", "/documents/dossiers/{}/", "?"),
        ("API", "/api/v1/documents/?dossier={}", "&"),
    ]:
        p50s, p95s, qs = _measure(client, url.format(small.pk))
        p50, p95, q = _measure(client, url.format(big.pk))
        p50l, p95l, ql = _measure(client, url.format(big.pk) + f"{sep}page={last}")
        print(
            f"listing ({label}), page 1: 50 docs p50 {p50s:.1f} ms p95 {p95s:.1f} ms "
            f"{qs} queries; {DOCUMENTS} docs p50 {p50:.1f} ms p95 {p95:.1f} ms {q} queries; "
            f"page {last} of {DOCUMENTS}: p50 {p50l:.1f} ms p95 {p95l:.1f} ms {ql} queries"
        )

    size = 50 * 1024 * 1024
    body = io.BytesIO(b"%PDF-1.4\n" + b"0" * (size - 9))  # the client's side, made before
    tracemalloc.start()
    response = client.generic(
        "POST",
        "/api/v1/documents/fichiers/?nom=gros.pdf",
        CONTENT_TYPE="application/pdf",
        CONTENT_LENGTH=str(size),
        **{"wsgi.input": body},
    )
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert response.status_code == 201, response.content
    print(
        f"50 MB upload: Python heap peak {peak / 1024 / 1024:.1f} MB during the request "
        f"(chunk {CHUNK // 1024} KiB, file {size // (1024 * 1024)} MB)"
    )
