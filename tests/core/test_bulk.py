from datetime import UTC, datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.forms.models import model_to_dict

from yanxiu.audit.models import AuditEntry
from yanxiu.core.bulk import insert_rows
from yanxiu.reviews.models import ReviewRound

pytestmark = pytest.mark.django_db

WHEN = datetime(2026, 3, 1, 2, 30, tzinfo=UTC)


def test_insert_rows_writes_what_bulk_create_writes():
    """JSON, text and ids per row; the shared values and every other field's default once."""
    content_type = ContentType.objects.get_for_model(ReviewRound)
    rows = [(7, "甲轮：3位专家", {"round": 1, "count": 3}), (8, "甲轮", {"round": 1, "count": 1, "note": ["乙"]})]
    AuditEntry.objects.bulk_create(
        AuditEntry(
            content_type=content_type,
            object_id=object_id,
            reason=reason,
            data=data,
            action="bulk",
            action_label="批量",
            created_at=WHEN,
        )
        for object_id, reason, data in rows
    )
    written = insert_rows(
        AuditEntry,
        ("object_id", "reason", "data"),
        rows,
        content_type_id=content_type.pk,
        action="fast",
        action_label="批量",
        created_at=WHEN,
    )
    assert written == 2

    def read(action):
        return [
            {**model_to_dict(entry, exclude=["id", "action"]), "created_at": entry.created_at}
            for entry in AuditEntry.objects.filter(action=action).order_by("object_id")
        ]

    assert read("fast") == read("bulk")
    assert read("fast")[1]["data"] == {"round": 1, "count": 1, "note": ["乙"]}
    assert read("fast")[0]["created_at"] == WHEN
    assert read("fast")[0]["actor"] is None
    assert read("fast")[0]["username"] == ""


def test_insert_rows_writes_nothing_for_no_rows_and_refuses_an_unknown_field():
    assert insert_rows(AuditEntry, ("object_id",), []) == 0
    with pytest.raises(ValueError, match="no field nonsense"):
        insert_rows(AuditEntry, ("object_id",), [(1,)], nonsense=1)
    assert not AuditEntry.objects.exists()
