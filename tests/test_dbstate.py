"""tests/dbstate.Unchanged: the cheap "nothing changed" check sees what a full comparison sees."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from tests import factories
from tests.dbstate import Unchanged
from yanxiu.audit import log
from yanxiu.organisations.models import Institution

pytestmark = pytest.mark.django_db


def test_reading_and_a_security_event_change_nothing():
    factories.institution()
    with Unchanged() as unchanged:
        list(Institution.objects.all())
        log.security_event(None, "login_failed", username="nobody")
    assert unchanged.changes == []


def test_a_written_row_is_a_change_and_is_rolled_back_with_the_block():
    institution = factories.institution()
    with Unchanged() as unchanged:
        Institution.objects.filter(pk=institution.pk).update(name="改过的名称")
    assert unchanged.changes == ["organisations.institution"]
    assert Institution.objects.get(pk=institution.pk).name == institution.name


def test_an_operation_in_the_audit_trail_is_a_change():
    institution = factories.institution()
    with Unchanged() as unchanged:
        log.record(institution, action="edit", label="修改")
    assert unchanged.changes == ["audit.auditentry", "audit.dataversion"]  # the version moves with it


def test_a_new_uploaded_file_is_a_change(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with Unchanged() as unchanged:
        default_storage.save("scan.pdf", ContentFile(b"%PDF-1.4"))
    assert unchanged.changes == ["media files"]
