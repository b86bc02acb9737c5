"""Review steps in the application's own history, without naming the experts.

The institution reads its application's history; the details (who, which
scores) stay in the round's and the assignment's audit entries.
"""

from django.contrib.contenttypes.models import ContentType

from yanxiu.applications.models import Application
from yanxiu.audit.models import AuditEntry
from yanxiu.core import clock
from yanxiu.core.bulk import insert_rows

STEPS = {
    "review_assigned": "专家评审：分配评审专家",
    "review_unassigned": "专家评审：调整评审专家",
    "review_submitted": "专家评审：收到一份评审意见",
    "review_conflict": "专家评审：一位专家申明回避",
}


def log_on_applications(counts, action, review_round):
    """`counts`: {application id: how many}; one entry per application, no actor shown."""
    insert_rows(  # an automatic assignment writes one per application of the round (core.bulk)
        AuditEntry,
        ("object_id", "reason", "data"),
        [
            (
                application_id,
                f"{review_round.name}：{count}位专家" if count > 1 else review_round.name,
                {"round": review_round.pk, "count": count},
            )
            for application_id, count in counts.items()
        ],
        content_type_id=ContentType.objects.get_for_model(Application).pk,
        action=action,
        action_label=STEPS[action],
        created_at=clock.now(),
    )
