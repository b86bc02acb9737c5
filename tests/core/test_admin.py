import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def test_workflow_objects_are_read_only_in_the_admin(client):
    officer = factories.province_officer()
    officer.is_staff = officer.is_superuser = True
    officer.save()
    application = factories.complete("provincial")
    client.force_login(officer)
    assert client.get(reverse("admin:applications_application_changelist")).status_code == 200
    page = client.get(reverse("admin:applications_application_change", args=[application.pk])).content.decode()
    assert 'name="title"' not in page  # shown, not editable
    assert (
        client.post(
            reverse("admin:applications_application_delete", args=[application.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert client.get(reverse("admin:batches_batch_add")).status_code == 403
    assert client.get(reverse("admin:audit_auditentry_add")).status_code == 403
