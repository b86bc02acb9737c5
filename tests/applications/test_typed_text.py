"""What people type is kept (decision 0017): angle brackets are ordinary writing, stored as typed and
escaped on every output; codes and numbers typed full-width (Chinese input methods) are stored half-width."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests import factories
from tests.applications.test_views import editor_post
from yanxiu.api.domain import tokens
from yanxiu.applications.domain import workflow
from yanxiu.applications.models import Application
from yanxiu.documents.generate.forms_docx import render_application_docx
from yanxiu.organisations.models import Institution

pytestmark = pytest.mark.django_db

TITLE = "面向<a类>企业的x<y研修班"
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def host_client(client):
    host = factories.staff()
    client.force_login(host)
    client.host = host
    return client


def save(client, application, **changes):
    return client.post(
        reverse("applications:edit", args=[application.pk]),
        editor_post(application, **changes),
        HTTP_HX_REQUEST="true",
    )


def test_angle_brackets_are_saved_as_typed_and_shown_escaped(host_client):
    application = factories.complete("provincial", actor=host_client.host)
    response = save(host_client, application, title=TITLE, purpose=f"提升能力。{SCRIPT}")
    assert response.status_code == 200
    assert "已自动保存" in response.content.decode()
    application.refresh_from_db()
    assert (application.title, application.purpose) == (TITLE, f"提升能力。{SCRIPT}")
    for name in ("detail", "edit", "preview"):
        page = host_client.get(reverse(f"applications:{name}", args=[application.pk])).content.decode()
        assert SCRIPT not in page, name
        assert "<a类>" not in page, name
        assert "面向&lt;a类&gt;企业的x&lt;y研修班" in page, name
    preview = host_client.get(reverse("applications:preview", args=[application.pk])).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in preview


def test_the_authority_sees_the_typed_text_escaped_in_its_list(client):
    host = factories.staff()
    application = factories.complete("provincial", actor=host, title=SCRIPT + TITLE)
    workflow.perform(application, "submit", host)
    client.force_login(factories.reviewer(host.institution.authority))
    page = client.get(reverse("applications:inbox")).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;面向&lt;a类&gt;企业" in page
    assert SCRIPT not in page


def test_the_word_form_holds_the_typed_text(host_client):
    application = factories.complete("provincial", actor=host_client.host, title=TITLE)
    document = zipfile.ZipFile(io.BytesIO(render_application_docx(application))).read("word/document.xml").decode()
    assert "面向&lt;a类&gt;企业的x&lt;y研修班" in document
    assert "<a类>" not in document


def test_a_control_character_is_refused_at_its_field(host_client):
    """A payload that would save without the check: the same title without the BEL character saves."""
    application = factories.complete("provincial", actor=host_client.host)
    refused = save(host_client, application, title="研修班\x07")
    assert "含有无法显示的控制字符" in refused.content.decode()
    assert Application.objects.get(pk=application.pk).title == "人工智能赋能制造业高级研修班"
    save(host_client, application, title="研修班")
    assert Application.objects.get(pk=application.pk).title == "研修班"


# --- full-width input ---------------------------------------------------------------------------


def test_numbers_dates_and_phones_typed_full_width_are_stored_half_width(host_client):
    application = factories.complete("provincial", actor=host_client.host)
    response = save(
        host_client,
        application,
        planned_trainees="４５",
        host_mobile="１３８ ００１３ ８０００",
        host_office_phone="０５９１－８７６１２６２９",
        start_date="２０２６－０９－０１",
        **{"sessions-0-class_hours": "２．５", "sessions-0-date": "２０２６-０９-０１"},
    )
    assert response.status_code == 200, response.content.decode()
    application.refresh_from_db()
    assert (application.planned_trainees, application.host_mobile, application.host_office_phone) == (
        45,
        "138 0013 8000",
        "0591-87612629",
    )
    assert str(application.start_date) == "2026-09-01"
    first = application.sessions.order_by("date", "half_day").first()
    assert (str(first.date), str(first.class_hours)) == ("2026-09-01", "2.5")


def test_the_api_stores_a_full_width_mobile_half_width(client):
    host = factories.staff()
    application = factories.complete("provincial", actor=host)
    _saved, token = tokens.create_token(host, name="测试", days=30)
    response = client.put(
        f"/api/v1/applications/{application.pk}",
        {"version": application.version, "fields": {"host_mobile": "１３９００００１１１１", "planned_trainees": 41}},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 200, response.content
    application.refresh_from_db()
    assert (application.host_mobile, application.planned_trainees) == ("13900001111", 41)


def test_the_api_takes_and_returns_typed_text_as_it_is(client):
    host = factories.staff()
    application = factories.complete("provincial", actor=host)
    _saved, token = tokens.create_token(host, name="测试", days=30)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    response = client.put(
        f"/api/v1/applications/{application.pk}",
        {"version": application.version, "fields": {"title": TITLE}},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200, response.content
    assert client.get(f"/api/v1/applications/{application.pk}", **headers).json()["title"] == TITLE


def test_a_full_width_uscc_is_cleaned_to_the_half_width_code_and_then_unique():
    """The Word importer and the profile form both clean through the model (full_clean)."""
    existing = factories.institution("350100-RS")
    typed = existing.uscc.lower().translate(
        str.maketrans(
            "0123456789abcdefghjklmnpqrtuwxy", "０１２３４５６７８９ａｂｃｄｅｆｇｈｊｋｌｍｎｐｑｒｔｕｗｘｙ"
        )
    )
    twin = Institution(name="另一家单位", uscc=typed, type=existing.type, authority=existing.authority)
    with pytest.raises(ValidationError) as refusal:
        twin.full_clean()
    assert twin.uscc == existing.uscc
    assert list(refusal.value.message_dict) == ["uscc"]
