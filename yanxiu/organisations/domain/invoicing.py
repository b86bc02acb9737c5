"""An enterprise's 能开具培训费发票: declared by the institution, confirmed by its authority (decision 0016).

The notice makes it a condition of an enterprise's application (通知三（一）), so the institution's own
tick is a declaration; the eligibility check (applications.domain.checks.lacks_training_invoice)
counts it only once the authority has confirmed it. Every change is audited with before and after.
"""

from django.db import transaction

from yanxiu.audit.log import record
from yanxiu.core import clock
from yanxiu.core.refusal import Refused

from ..models import Institution


def _state(institution):
    return {
        "can_issue_training_invoice": institution.can_issue_training_invoice,
        "training_invoice_confirmed": institution.training_invoice_confirmed_at is not None,
    }


def declaration_changed(institution, before_value, actor):
    """The institution changed its declaration: an earlier confirmation no longer holds."""
    if institution.can_issue_training_invoice == before_value or institution.training_invoice_confirmed_at is None:
        return False
    Institution.objects.filter(pk=institution.pk).update(
        training_invoice_confirmed_at=None, training_invoice_confirmed_by=None
    )
    institution.training_invoice_confirmed_at = institution.training_invoice_confirmed_by = None
    record(
        institution,
        action="training_invoice_unconfirmed",
        label="发票能力声明变更，待主管部门重新确认",
        actor=actor,
        data={
            "before": {"can_issue_training_invoice": before_value, "training_invoice_confirmed": True},
            "after": _state(institution),
        },
    )
    return True


@transaction.atomic
def confirm_training_invoice(institution, actor, *, confirmed=True):
    """The authority confirms (or withdraws its confirmation of) the institution's declaration."""
    if not actor.has_perm("organisations.confirm_training_invoice", institution):
        raise Refused("只有该单位的主管部门审核人可以确认发票开具能力。")
    institution = Institution.objects.select_for_update().get(pk=institution.pk)
    if confirmed and not institution.can_issue_training_invoice:
        raise Refused(f"“{institution.name}”尚未声明能开具培训费发票，不能确认。请通知该单位在单位信息中声明。")
    before = _state(institution)
    institution.training_invoice_confirmed_at = clock.now() if confirmed else None
    institution.training_invoice_confirmed_by = actor if confirmed else None
    institution.save(update_fields=["training_invoice_confirmed_at", "training_invoice_confirmed_by"])
    record(
        institution,
        action="confirm_training_invoice" if confirmed else "unconfirm_training_invoice",
        label="确认能开具培训费发票" if confirmed else "撤销发票开具能力确认",
        actor=actor,
        data={"before": before, "after": _state(institution)},
    )
    return institution
