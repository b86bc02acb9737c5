"""能开具培训费发票: the enterprise declares it, its authority confirms it, and only a confirmed
declaration counts for eligibility (issue 20, decision 0016)."""

import pytest
from django.urls import reverse

from tests import factories
from yanxiu.applications.domain.checks import run_checks
from yanxiu.applications.models import Application
from yanxiu.audit.models import AuditEntry
from yanxiu.organisations.enums import InstitutionType
from yanxiu.organisations.models import Institution

pytestmark = pytest.mark.django_db


def _codes(application):
    return {r.code for r in run_checks(Application.objects.select_related("institution").get(pk=application.pk))}


@pytest.fixture
def enterprise():
    """An enterprise that ticked 能开具培训费发票 itself; nobody confirmed it."""
    return factories.institution(
        type=InstitutionType.ENTERPRISE, can_issue_training_invoice=True, training_invoice_confirmed_at=None
    )


def test_an_unconfirmed_declaration_does_not_count(enterprise):
    application = factories.complete("provincial", actor=factories.staff(enterprise))
    assert "institution.invoice" in _codes(application)
    message = next(r.message for r in run_checks(application) if r.code == "institution.invoice")
    assert message == "企业申报须能开具培训费发票：已声明，待主管部门确认。请联系主管部门核实确认。"


def test_the_authority_confirms_from_its_institutions_page_and_it_is_audited(client, enterprise):
    application = factories.complete("provincial", actor=factories.staff(enterprise))
    reviewer = factories.reviewer(enterprise.authority)
    client.force_login(reviewer)
    inbox = client.get(reverse("applications:inbox")).content.decode()
    assert f'href="{reverse("organisations:institutions")}"' in inbox
    page = client.get(reverse("organisations:institutions")).content.decode()
    assert "单位已声明，待确认" in page
    assert f'data-testid="confirm-invoice-{enterprise.pk}"' in page

    response = client.post(reverse("organisations:confirm_invoice", args=[enterprise.pk]), {"confirmed": "1"})
    assert response.status_code == 302
    assert Institution.objects.get(pk=enterprise.pk).training_invoice_confirmed is True
    assert "institution.invoice" not in _codes(application)
    entry = AuditEntry.objects.for_object(enterprise).get(action="confirm_training_invoice")
    assert (entry.actor, entry.data) == (
        reviewer,
        {
            "before": {"can_issue_training_invoice": True, "training_invoice_confirmed": False},
            "after": {"can_issue_training_invoice": True, "training_invoice_confirmed": True},
        },
    )


def test_another_authority_cannot_confirm(client, enterprise):
    other = factories.reviewer(factories.authority("350200-RS"))
    client.force_login(other)
    response = client.post(reverse("organisations:confirm_invoice", args=[enterprise.pk]), {"confirmed": "1"})
    assert response.status_code == 403
    assert Institution.objects.get(pk=enterprise.pk).training_invoice_confirmed is False
    assert f"institution-{enterprise.pk}" not in client.get(reverse("organisations:institutions")).content.decode()


def test_the_institution_cannot_confirm_itself(client, enterprise):
    client.force_login(factories.staff(enterprise))
    response = client.post(reverse("organisations:confirm_invoice", args=[enterprise.pk]), {"confirmed": "1"})
    assert response.status_code == 403
    assert Institution.objects.get(pk=enterprise.pk).training_invoice_confirmed is False


def test_nothing_undeclared_can_be_confirmed(client):
    company = factories.institution(type=InstitutionType.ENTERPRISE, can_issue_training_invoice=False)
    client.force_login(factories.reviewer(company.authority))
    response = client.post(reverse("organisations:confirm_invoice", args=[company.pk]), {"confirmed": "1"}, follow=True)
    assert "尚未声明能开具培训费发票，不能确认" in response.content.decode()
    assert Institution.objects.get(pk=company.pk).training_invoice_confirmed_at is None


def test_changing_the_declaration_needs_a_new_confirmation(client):
    company = factories.institution(type=InstitutionType.ENTERPRISE)  # declared and confirmed
    host = factories.staff(company)
    client.force_login(host)
    data = {"type": "enterprise", "city": "福州市", "base_status": "none", "base_batch": ""}
    client.post(reverse("organisations:profile"), data)  # the tick removed
    company.refresh_from_db()
    assert (company.can_issue_training_invoice, company.training_invoice_confirmed_at) == (False, None)
    client.post(reverse("organisations:profile"), {**data, "can_issue_training_invoice": "on"})  # ticked again
    company.refresh_from_db()
    assert (company.can_issue_training_invoice, company.training_invoice_confirmed) == (True, False)
    assert "已声明，待主管部门确认" in client.get(reverse("organisations:profile")).content.decode()
    assert AuditEntry.objects.for_object(company).filter(action="training_invoice_unconfirmed").count() == 1
