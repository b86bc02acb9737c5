"""The certificate register of a call (decision 0027): a page for the office with constant
queries, the same rows as .xlsx, holders masked; the public verification page shows the
certificate's content beside its validity."""

import io

import pytest
from openpyxl import load_workbook

from tests import factories
from tests.queries import count_queries, page
from yanxiu.core.masks import mask_person_name
from yanxiu.delivery.models import Certificate

from .helpers import certified, host_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "masked"), [("林秀英", "林*英"), ("张三", "张*"), ("欧阳修远", "欧**远"), ("王", "王"), ("", "")]
)
def test_names_are_masked_keeping_the_first_and_last_character(name, masked):
    assert mask_person_name(name) == masked


def test_the_register_lists_every_certificate_of_the_call_with_constant_queries(client, clock):
    officer = factories.province_officer()
    certified(clock, 1, officer=officer)
    client.force_login(officer)
    url = "/delivery/register/2026/"
    one = count_queries(client, url)
    certified(clock, 4, start=10, authority_code="350200-RS", officer=officer)
    assert count_queries(client, url) == one
    text = page(client, url)
    serials = list(Certificate.objects.order_by("serial").values_list("serial", flat=True))
    assert len(serials) == 5
    assert all(serial in text for serial in serials)
    assert 'data-testid="register-count">5<' in text
    assert "学员1" not in text  # holders masked
    assert "学*1" in text
    assert "32学时" in text
    assert "2026年9月1日至2026年9月4日" in text


def test_the_register_as_xlsx_has_the_same_rows(client, clock):
    officer = factories.province_officer()
    programme, trainees = certified(clock, 2, officer=officer)
    client.force_login(officer)
    response = client.get("/delivery/register/2026.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    first = Certificate.objects.order_by("serial").first()
    assert rows[0] == [
        "1",
        first.serial,
        "学*1",
        trainees[0].id_masked,
        programme.application.title,
        programme.institution.name,
        "2026-09-01至2026-09-04",
        32,
        "2026年9月6日",
    ]
    assert len(rows) == 2


def test_only_the_office_sees_the_register(client, clock):
    programme, _ = certified(clock, 1)
    client.force_login(host_of(programme))
    assert client.get("/delivery/register/2026/").status_code == 403
    assert client.get("/delivery/register/2026.xlsx").status_code == 403


def test_the_verification_page_shows_the_content_beside_the_validity(client, clock):
    programme, trainees = certified(clock, 1)
    certificate = Certificate.objects.get()
    text = page(client, f"/p/verify/{certificate.token}/")
    assert "该证书真实有效，内容如下。" in text
    assert 'data-testid="holder">学*1<' in text
    assert trainees[0].name not in text
    assert f'data-testid="issuer">{programme.institution.name}<' in text
    assert 'data-testid="period">2026年9月1日至2026年9月4日<' in text
    assert 'data-testid="hours">32学时<' in text
