"""One evidence file model: the PAR self-assessment's evidence and the tasks' evidence are both
core.models.EvidenceFile (fields, upload guard, storage path, download), and the migration that
made them one kept every existing file."""

from __future__ import annotations

import hashlib
import importlib
from types import SimpleNamespace

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.urls import reverse

from core.models import EvidenceFile
from indicators.models import Evidence as IndicatorEvidence
from tasks.models import Evidence as TaskEvidence
from tests.indicators.helpers import line

PDF = b"%PDF-1.4\n% minh chung cu\n%%EOF\n"
MIGRATION = importlib.import_module("indicators.migrations.0003_evidence_one_file_model")


def _file_fields(model) -> set[str]:
    return {field.name for field in model._meta.concrete_fields} - {"id"}


def test_both_evidence_models_are_the_one_file_model():
    assert issubclass(TaskEvidence, EvidenceFile) and issubclass(IndicatorEvidence, EvidenceFile)
    shared = _file_fields(TaskEvidence) & _file_fields(IndicatorEvidence)
    assert shared == {
        "file", "original_name", "sha256", "size", "content_type", "uploaded_by", "created_at"
    }  # fmt: skip
    # what differs is only what the file proves
    assert _file_fields(TaskEvidence) - shared == {"report", "post"}
    assert _file_fields(IndicatorEvidence) - shared == {"line"}


def test_the_migration_moves_every_old_file_to_the_one_path_and_keeps_its_bytes(
    opened, head_a, django_capture_on_commit_callbacks
):
    # given evidence stored the old way (indicators/evidence/<assessment>/<random>.pdf) and a
    # row whose file went missing
    target = line(opened["STC"], "1.1.1")
    old_name = default_storage.save("indicators/evidence/1/0123abcd.pdf", ContentFile(PDF))
    kept = IndicatorEvidence.objects.create(
        line=target, file=old_name, original_name="cu.pdf", sha256="", size=0,
        content_type="", uploaded_by=head_a,
    )  # fmt: skip
    lost = IndicatorEvidence.objects.create(
        line=target, file="indicators/evidence/1/gone.pdf", original_name="mat.pdf", sha256="",
        size=0, content_type="", uploaded_by=head_a,
    )  # fmt: skip
    # when the data migration runs (and commits)
    with django_capture_on_commit_callbacks(execute=True):
        MIGRATION._fill_and_move(apps, SimpleNamespace(connection=connection))
    # then the file is at the shared path, hashed and typed, with the same bytes
    kept.refresh_from_db()
    digest = hashlib.sha256(PDF).hexdigest()
    assert (kept.sha256, kept.size, kept.content_type) == (digest, len(PDF), "application/pdf")
    assert kept.file.name == f"evidence/{digest[:2]}/{digest}.pdf"
    with default_storage.open(kept.file.name, "rb") as handle:
        assert handle.read() == PDF
    # the old copy is gone once committed; the missing one keeps its row and name
    assert not default_storage.exists(old_name)
    lost.refresh_from_db()
    assert lost.file.name == "indicators/evidence/1/gone.pdf"


def test_a_self_assessment_file_is_downloaded_like_a_reports(client_for, head_a, opened):
    target = line(opened["STC"], "1.1.1")
    from django.core.files.uploadedfile import SimpleUploadedFile

    from indicators.services import assessments as svc

    evidence = svc.evidence_add(
        actor=head_a, line=target, uploaded=SimpleUploadedFile("mc.pdf", PDF)
    )
    response = client_for(head_a).get(reverse("indicators:evidence_download", args=[evidence.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
