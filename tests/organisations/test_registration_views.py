"""The registration page and the authority's list, through the client: codes sent from the form,
refusals shown beside their fields, the letter checked by content, the list's queries constant."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import factories
from tests.queries import count_queries, page
from yanxiu.accounts.domain import codes, sms
from yanxiu.accounts.models import CodePurpose
from yanxiu.core.validators import uscc_with_check
from yanxiu.organisations.domain import registration
from yanxiu.organisations.models import Institution

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%stamped\n"


def form(**overrides):
    values = {
        "uscc": uscc_with_check("91350600MA3000051"),
        "name": "漳州测试注册单位",
        "type": "social",
        "authority": factories.authority("350600-RS").pk,
        "base_status": "none",
        "contact_person": "林注册",
        "mobile": "13800005555",
        "email": "lin@example.invalid",
        "username": "zzreg",
        "password1": "Regist-2026x",
        "password2": "Regist-2026x",
        "letter": SimpleUploadedFile("授权书.pdf", PDF),
    }
    values.update(overrides)
    values.setdefault("mobile_code", codes.issue(CodePurpose.REGISTER_MOBILE, values["mobile"]))
    values.setdefault("email_code", codes.issue(CodePurpose.REGISTER_EMAIL, values["email"]))
    return values


def test_the_send_button_texts_a_code_and_keeps_what_was_typed(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/institution/register/", {"send": "mobile", "mobile": "１３８００００５５５５", "name": "漳州测试注册单位"}
        )
    text = response.content.decode()
    assert "验证码已发送到手机 13800005555" in text
    assert 'value="漳州测试注册单位"' in text
    assert [m.to for m in sms.outbox] == ["13800005555"]
    assert re.search(r"验证码是 \d{6}", sms.outbox[0].body)


def test_the_send_button_refuses_a_wrong_mobile_and_sends_nothing(client):
    response = client.post("/institution/register/", {"send": "mobile", "mobile": "1380000555"})
    assert response.context["send_error"][0] == "mobile"
    assert sms.outbox == []


def test_a_registration_through_the_page(client):
    response = client.post("/institution/register/", form())
    assert response.status_code == 302
    assert response.url == "/institution/register/done/"
    assert "“漳州测试注册单位”的注册已提交" in page(client, response.url)
    assert Institution.objects.get(name="漳州测试注册单位").registration_state == "pending"


def test_a_registered_uscc_is_shown_beside_its_field(client):
    values = form()
    factories.institution("350600-RS", name="漳州智造科技有限公司", uscc=values["uscc"])
    response = client.post("/institution/register/", values)
    assert response.status_code == 200
    assert response.context["form"].errors["uscc"][0].startswith("该统一社会信用代码已由“漳州******公司”注册")
    assert not Institution.objects.filter(name="漳州测试注册单位").exists()


def test_a_letter_that_is_no_pdf_is_refused(client):
    response = client.post(
        "/institution/register/", form(letter=SimpleUploadedFile("授权书.pdf", b"MZ not a pdf at all"))
    )
    assert response.context["form"].errors["letter"] == [
        "文件内容与扩展名不符：它不是有效的PDF。请上传真实的文件，不要只改扩展名。"
    ]
    assert not Institution.objects.filter(name="漳州测试注册单位").exists()


def test_a_word_file_is_no_letter(client):
    response = client.post("/institution/register/", form(letter=SimpleUploadedFile("授权书.docx", b"PK\x03\x04")))
    assert response.context["form"].errors["letter"][0].startswith("不支持的文件类型“.docx”")


def test_the_authority_list_costs_the_same_queries_for_one_registration_as_for_many(client):
    reviewer = factories.reviewer(factories.authority("350600-RS"))
    client.force_login(reviewer)
    registration.register(_data(1), SimpleUploadedFile("a.pdf", PDF))
    one = count_queries(client, "/institution/registrations/")
    for n in range(2, 5):
        registration.register(_data(n), SimpleUploadedFile("a.pdf", PDF))
    assert count_queries(client, "/institution/registrations/") == one
    listed = page(client, "/institution/registrations/")
    assert [f"漳州测试注册单位{n}" in listed for n in range(1, 5)] == [True] * 4


def _data(n):
    values = {
        "uscc": uscc_with_check(f"91350600MA30001{n:02d}"),
        "name": f"漳州测试注册单位{n}",
        "type": "social",
        "authority": factories.authority("350600-RS"),
        "base_status": "none",
        "can_issue_training_invoice": False,
        "contact_person": "林注册",
        "mobile": f"138000066{n:02d}",
        "email": f"reg{n}@example.invalid",
        "username": f"zzreg{n}",
        "password1": "Regist-2026x",
    }
    values["mobile_code"] = codes.issue(CodePurpose.REGISTER_MOBILE, values["mobile"])
    values["email_code"] = codes.issue(CodePurpose.REGISTER_EMAIL, values["email"])
    return values


def test_registrations_posted_from_one_address_are_limited(client, monkeypatch):
    monkeypatch.setattr("yanxiu.organisations.public_views.POSTS_PER_HOUR", 1)
    client.post(
        "/institution/register/",
        form(name="漳州测试注册单位甲", username="a1", letter=SimpleUploadedFile("x.doc", b"x")),
    )
    response = client.post("/institution/register/", form())
    assert response.context["form"].non_field_errors() == ["本网络地址提交注册过于频繁，请一小时后再试。"]
    assert not Institution.objects.filter(name="漳州测试注册单位").exists()


def test_a_bases_own_authority_is_no_choice(client):
    city = factories.authority("350600-RS")
    assert city.name in page(client, "/institution/register/")
    base = city.__class__.objects.create(code="BASE-X", name="某继续教育基地", kind="base")
    assert base.name not in page(client, "/institution/register/")
