"""Every URL × every role, with real payloads: nobody does what is not theirs.

The world (the demo data: several institutions, authorities and experts with
applications in every state, a batch sent up, a running programme with
trainees) is built once for the module. Each URL is listed in CASES with the
payload that its allowed users send; the test then sends the same payload as
every other role:

- allowed: the answer is a page or a redirect (never 403/404/500), and the
  allowed POSTs marked `changes` do change the database (so the payload is real
  and the refusals below prove something); each is rolled back afterwards;
- refused: 403 or 404 (anonymous: the login page), and the whole database and
  the uploaded files are the same before and after.

Expert review has its own matrix (tests/reviews/test_permissions.py), the REST
API its own tests (tests/api/); the admin has Django's staff checks.
"""

import pytest
from django.conf import settings
from django.contrib.messages import ERROR, get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import load_demo, shared_world
from tests.dbstate import Unchanged, changes, snapshot

pytestmark = pytest.mark.django_db

USERS = {
    "host": "xmhy",  # application A, submitted to 厦门市人社局
    "programme_host": "fzxx",  # the running programme P (planned, trainees, attendance)
    "other_host": "zzzz",
    "authority": "xm_rsj",  # reviews A
    "programme_authority": "fz_rsj",
    "batch_authority": "nyt",  # batch B, sent to the province
    "province": "province",
    "expert": "zj_lin",
}
ROLES = ["anonymous", *USERS]
HOSTS = {"host", "programme_host", "other_host"}
AUTHORITIES = {"authority", "programme_authority", "batch_authority"}
ORGANISATIONS = HOSTS | AUTHORITIES | {"province"}
EVERYONE = set(USERS)
PDF = b"%PDF-1.4\n%test\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 20


def pdf(name="scan.pdf"):
    return SimpleUploadedFile(name, PDF)


@pytest.fixture(scope="module")
def world(request, demo_copy):
    """The demo world, built once, inside a transaction rolled back at the end of the module."""
    yield from shared_world(request, lambda: _build(demo_copy))


def _build(demo_copy):
    from yanxiu.accounts.models import User
    from yanxiu.applications.enums import ApplicationState
    from yanxiu.applications.models import Application, Attachment
    from yanxiu.batches.models import Batch
    from yanxiu.calls.models import Call
    from yanxiu.delivery.models import CertificateJob, Programme, ProgrammeFile, Trainee
    from yanxiu.documents.models import ExportJob
    from yanxiu.notifications.models import Message
    from yanxiu.reference.models import TrainingCostStandard

    load_demo(demo_copy)
    users = {key: User.objects.get(username=name) for key, name in USERS.items()}
    a = Application.objects.get(title="深远海海洋装备智能化高级研修班")
    assert a.state == ApplicationState.SUBMITTED
    assert a.institution_id == users["host"].institution_id
    draft = Application.objects.filter(institution=users["host"].institution, state="draft").first()
    if draft is None:
        from yanxiu.applications.domain import editing

        draft = editing.create_application(
            call=Call.objects.get(year=2027),
            tier="national",
            institution=users["host"].institution,
            actor=users["host"],
        )
    attachment = Attachment(
        application=draft,
        original_name="证明.pdf",
        extension=".pdf",
        stored_token="t",
        size=8,
        uploaded_by=users["host"],
    )
    attachment.file.save("x.pdf", pdf("x.pdf"), save=True)
    batch = Batch.objects.get(authority__code="SZ-NYNCT")
    forwarded = batch.applications.first()
    programme = Programme.objects.get(application__institution=users["programme_host"].institution)
    trainee = Trainee.objects.filter(programme=programme).first()
    host = users["programme_host"]
    file = ProgrammeFile(
        programme=programme,
        kind="report",
        original_name="报告.pdf",
        extension=".pdf",
        size=8,
        uploaded_at=programme.application.created_at,
        uploaded_by=host,
    )
    file.file.save("r.pdf", pdf("r.pdf"), save=True)
    job = CertificateJob.objects.create(
        programme=programme, requested_by=host, created_at=programme.application.created_at
    )
    check_in = programme.check_ins.create(
        date=programme.start_date, half_day="am", opened_by=host, opened_at=programme.application.created_at
    )
    change = programme.changes.create(
        changes={"venue": ["甲", "乙"]},
        reason="场地调整",
        requested_by=host,
        requested_at=programme.application.created_at,
    )
    export = ExportJob.objects.create(requested_by=users["province"], call=a.call, description="全省", state="done")
    export.file.save("x.zip", SimpleUploadedFile("x.zip", b"PK\x05\x06" + b"\x00" * 18), save=True)
    message = Message.objects.create(recipient=users["host"], subject="s", body="b", created_at=a.created_at)
    from yanxiu.api.domain import tokens
    from yanxiu.statistics.domain.figures import CHARTS

    token, _secret = tokens.create_token(users["host"], name="测试", days=30)
    empty_batch = Batch.objects.create(
        call=Call.objects.get(year=2027),
        tier="provincial",
        authority=users["authority"].authority,
        created_by=users["authority"],
    )
    # The host is its institution's administrator, with a legal entity's first login to decide (decision 0025).
    from yanxiu.identity.models import Binding

    binding = Binding.objects.create(
        provider="mzt",
        subject="legal-entity-1",
        kind="legal_entity",
        state="pending",
        institution=users["host"].institution,
        name=users["host"].institution.name,
        uscc=users["host"].institution.uscc,
        created_at=a.created_at,
    )
    # A colleague of the host's account administrator (decision 0024), invited and not yet set up.
    colleague = User(
        username="host_colleague",
        role="institution_staff",
        institution=users["host"].institution,
        email="host_colleague@example.invalid",
    )
    colleague.set_unusable_password()
    colleague.save()
    from yanxiu.accounts.domain import codes
    from yanxiu.accounts.models import CodePurpose
    from yanxiu.core.validators import uscc_with_check
    from yanxiu.organisations.domain import registration

    signup = {
        "uscc": uscc_with_check("91350200MA3000009"),
        "name": "厦门待确认培训中心",
        "type": "social",
        "authority": users["authority"].authority,
        "base_status": "none",
        "can_issue_training_invoice": False,
        "contact_person": "陈注册",
        "mobile": "13800007777",
        "email": "reg@example.invalid",
        "username": "xm_new",
        "password1": "Regist-2026x",
    }
    signup["mobile_code"] = codes.issue(CodePurpose.REGISTER_MOBILE, signup["mobile"])
    signup["email_code"] = codes.issue(CodePurpose.REGISTER_EMAIL, signup["email"])
    pending = registration.register(signup, pdf("授权书.pdf"))
    return {
        "binding": binding,
        "colleague": colleague,
        "registration": pending,
        "token": token,
        "chart": next(iter(CHARTS)),
        "users": users,
        "a": a,
        "draft": draft,
        "attachment": attachment,
        "batch": batch,
        "empty_batch": empty_batch,
        "forwarded": forwarded,
        "call": a.call,
        "open_call": Call.objects.get(year=2027),
        "programme": programme,
        "check_in": check_in,
        "trainee": trainee,
        "file": file,
        "job": job,
        "change": change,
        "export": export,
        "message": message,
        "standard": TrainingCostStandard.objects.first(),
    }


def _p(w):
    return {"pk": w["programme"].pk}


# Preparations: run before a case's request for every role, rolled back with it, so the allowed
# users' payload has something to act on (and the refusals are tested against the same state).
def _staged(w):
    from yanxiu.selection.domain import decisions

    decisions.stage(w["forwarded"], "provincial_ordinary", actor=w["users"]["province"])


def _publicised(w):
    from yanxiu.selection.domain import publicity

    _staged(w)
    w["publicity"] = publicity.start(w["call"], w["users"]["province"], contact="林老师 0591-87000000")


def _objection(w):
    from yanxiu.core import clock
    from yanxiu.selection.domain import publicity

    _publicised(w)
    w["objection"] = publicity.record_objection(
        w["publicity"], w["users"]["province"], received_on=clock.today(), channel="phone", content="反映师资不实。"
    )


def _national_candidate(w):
    from yanxiu.selection.domain import decisions

    decisions.stage(w["forwarded"], "national_candidate", actor=w["users"]["province"])
    decisions.publish(w["call"], actor=w["users"]["province"], without_publicity="（测试）不经公示")


def _answer_file(w):
    """The recommendation summary filled in by the ministry: the forwarded application selected."""
    from yanxiu.core.spreadsheets import xlsx_bytes
    from yanxiu.selection.interfaces.ministry_answer import COLUMNS

    def write(workbook):
        sheet = workbook.add_worksheet()
        sheet.write_row(0, 0, COLUMNS)
        sheet.write_row(1, 0, [str(w["forwarded"].pk), "", "", "入选", ""])

    return {"file": SimpleUploadedFile("answer.xlsx", xlsx_bytes(write))}


def _ready_to_close(w):
    """The day after the demo's class (2026-10-23): it has its trainees and attendance; add the report,
    a photo and the final accounts. The clock stays moved for the rest of this test only (the test
    settings are restored after each test)."""
    from yanxiu.delivery.domain import closing, money

    settings.YANXIU_FIXED_NOW = "2026-10-24T09:00:00+08:00"

    host = w["users"]["programme_host"]
    closing.upload(w["programme"], "closure_report", pdf("总结.pdf"), host)
    closing.upload(w["programme"], "photo", SimpleUploadedFile("a.png", PNG), host)
    fields = {"trainees": 1, "days": 4, "teachers": 3000, "accommodation": 1000}
    money.save_accounts(w["programme"].application, "final", host, fields=fields, lectures=[])


def _roster():
    """A one-trainee roster on the official template's columns."""
    import io

    import xlsxwriter

    from tests.delivery.helpers import id_number
    from yanxiu.delivery.interfaces import roster

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, roster.COLUMNS)
    row = {
        "name": "新学员",
        "id_number": id_number(77),
        "gender": "男",
        "employer": "某单位",
        "position": "工程师",
        "title": "中级",
        "field": "电子信息",
        "mobile": "13912345678",
        "province": "福建省",
        "grassroots": "是",
        "sector": "非公有制单位",
    }
    sheet.write_row(1, 0, list(row.values()))
    book.close()
    return SimpleUploadedFile("名册.xlsx", buffer.getvalue())


# name -> list of (method, kwargs(w), payload(w) or None, allowed roles, changes)
# `changes`: an allowed POST must change the database (its payload is a real one).
CASES = {
    "home": [("get", None, None, EVERYONE, False)],
    # A fallen-back application only; the demo's A is not one, so even its host is refused (with a reason).
    "applications:adjust_after_fallback": [
        (
            "post",
            lambda w: {"pk": w["a"].pk},
            lambda w: {"start_date": "2026-12-20", "end_date": "2026-12-23", "planned_trainees": "40"},
            set(),
            False,
        )
    ],
    "calls:list": [("get", None, None, {"province"}, False)],
    "calls:edit": [("get", lambda w: {"pk": w["open_call"].pk}, None, {"province"}, False)],
    "calls:notice": [("get", lambda w: {"pk": w["open_call"].pk}, None, EVERYONE, False)],
    "calls:copy": [("post", lambda w: {"pk": w["open_call"].pk}, lambda w: {"year": "2028"}, {"province"}, True)],
    "calls:open": [
        ("post", lambda w: {"pk": w["call"].pk}, lambda w: {}, {"province"}, False),  # asks to confirm first
        ("post", lambda w: {"pk": w["open_call"].pk}, lambda w: {"open": "0", "confirmed": "1"}, {"province"}, True),
    ],
    "accounts:password_change": [("get", None, None, EVERYONE, False)],
    # The administrators' home page: anyone else is sent to their own start page (tests/accounts/test_duties.py).
    "accounts:duties": [("get", None, None, set(), False)],
    "accounts:keepalive": [("get", None, None, EVERYONE, False)],
    "accounts:otp_status": [("get", None, None, EVERYONE, False)],
    "accounts:otp_setup": [("get", None, None, EVERYONE, False)],
    "accounts:otp_verify": [("get", None, None, EVERYONE, False)],
    # Needs a verified second factor: nobody in this world has one.
    "accounts:otp_recovery_codes": [("post", None, lambda w: {}, set(), False)],
    "audit:trail": [("get", None, None, set(), False)],  # the audit administrator only
    # Unified identity: the institution's administrator decides its legal entities' first logins.
    # Every demo institution's account administers it: the others see an empty list of their own.
    "identity:bindings": [("get", None, None, HOSTS, False)],
    "identity:confirm": [("post", lambda w: {"pk": w["binding"].pk}, lambda w: {}, {"host"}, True)],
    "identity:reject": [("post", lambda w: {"pk": w["binding"].pk}, lambda w: {}, {"host"}, True)],
    # Each organisation administers its own staff (decision 0024): every demo organisation's one
    # account is its administrator; the host's colleague is the host's alone to manage.
    "accounts:staff": [("get", None, None, ORGANISATIONS, False)],
    "accounts:staff_trail": [("get", None, None, ORGANISATIONS, False)],
    "accounts:staff_invite": [
        ("get", None, None, ORGANISATIONS, False),
        (
            "post",
            None,
            lambda w: {"username": "invited1", "display_name": "新同事", "email": "invited1@example.invalid"},
            ORGANISATIONS,
            True,
        ),
    ],
    "accounts:staff_deactivate": [("post", lambda w: {"pk": w["colleague"].pk}, lambda w: {}, {"host"}, True)],
    "accounts:staff_reactivate": [
        (
            "post",
            lambda w: {"pk": w["colleague"].pk},
            lambda w: {},
            {"host"},
            True,
            lambda w: type(w["colleague"]).objects.filter(pk=w["colleague"].pk).update(is_active=False),
        )
    ],
    "accounts:staff_resend": [("post", lambda w: {"pk": w["colleague"].pk}, lambda w: {}, {"host"}, True)],
    "applications:dashboard": [("get", None, None, EVERYONE, False)],
    "applications:inbox": [("get", None, None, ORGANISATIONS, False)],  # hosts are sent to their own start page
    "applications:create": [
        ("post", None, lambda w: {"call": w["open_call"].pk, "tier": "provincial"}, HOSTS, True),
    ],
    "applications:detail": [("get", lambda w: {"pk": w["a"].pk}, None, {"host", "authority", "province"}, False)],
    "applications:edit": [("get", lambda w: {"pk": w["draft"].pk}, None, {"host"}, False)],
    "applications:deadline_banner": [("get", lambda w: {"pk": w["draft"].pk}, None, {"host"}, False)],
    "applications:checks": [("get", lambda w: {"pk": w["a"].pk}, None, {"host", "authority", "province"}, False)],
    "applications:preview": [("get", lambda w: {"pk": w["a"].pk}, None, {"host", "authority", "province"}, False)],
    "applications:history": [("get", lambda w: {"pk": w["a"].pk}, None, {"host", "authority", "province"}, False)],
    "applications:warning_reason": [
        (
            "post",
            lambda w: {"pk": w["draft"].pk},
            lambda w: {"code": "tier.days", "reason": "确有需要。"},
            {"host"},
            True,
        )
    ],
    "applications:upload_attachment": [
        ("post", lambda w: {"pk": w["draft"].pk}, lambda w: {"kind": "supporting", "file": pdf()}, {"host"}, True)
    ],
    "applications:download_attachment": [
        ("get", lambda w: {"pk": w["draft"].pk, "attachment_pk": w["attachment"].pk}, None, {"host", "province"}, False)
    ],
    "applications:delete_attachment": [
        ("post", lambda w: {"pk": w["draft"].pk, "attachment_pk": w["attachment"].pk}, lambda w: {}, {"host"}, True)
    ],
    "applications:act": [
        ("post", lambda w: {"pk": w["a"].pk, "action": "withdraw"}, lambda w: {"reason": "撤回修改"}, {"host"}, True),
        ("post", lambda w: {"pk": w["a"].pk, "action": "approve"}, lambda w: {"reason": "同意"}, {"authority"}, True),
        ("post", lambda w: {"pk": w["a"].pk, "action": "return"}, lambda w: {"reason": "请补充"}, {"authority"}, True),
        ("post", lambda w: {"pk": w["a"].pk, "action": "decline"}, lambda w: {"reason": "不推荐"}, {"authority"}, True),
        # never through this door (a batch, a publication, the ministry's answer)
        ("post", lambda w: {"pk": w["forwarded"].pk, "action": "recall"}, lambda w: {"reason": "退回"}, set(), False),
        ("post", lambda w: {"pk": w["forwarded"].pk, "action": "decide_demonstration"}, lambda w: {}, set(), False),
        ("post", lambda w: {"pk": w["forwarded"].pk, "action": "decide_not_selected"}, lambda w: {}, set(), False),
    ],
    "batches:list": [("get", None, None, AUTHORITIES | {"province"}, False)],
    "batches:create": [
        ("post", None, lambda w: {"call": w["open_call"].pk, "tier": "national"}, AUTHORITIES, True),
    ],
    "batches:ranking": [
        ("get", lambda w: {"call_pk": w["call"].pk, "tier": "provincial"}, None, AUTHORITIES, False),
    ],
    "batches:detail": [("get", lambda w: {"pk": w["batch"].pk}, None, {"batch_authority", "province"}, False)],
    "documents:batch_summary_file": [
        ("get", lambda w, fmt=fmt: {"pk": w["batch"].pk, "fmt": fmt}, None, {"batch_authority", "province"}, False)
        for fmt in ("xlsx", "docx")
    ],
    "batches:members": [
        ("post", lambda w: {"pk": w["batch"].pk}, lambda w: {"application": [w["forwarded"].pk]}, set(), False),
    ],
    "batches:delete": [
        ("post", lambda w: {"pk": w["empty_batch"].pk}, lambda w: {"confirmed": "1"}, {"authority"}, True),
        ("post", lambda w: {"pk": w["batch"].pk}, lambda w: {"confirmed": "1"}, set(), False),
    ],
    "batches:upload": [("post", lambda w: {"pk": w["batch"].pk}, lambda w: {"file": pdf()}, set(), False)],
    "batches:download_scan": [
        (
            "get",
            lambda w: {"pk": w["batch"].pk, "scan_pk": w["batch"].scans.filter(application__isnull=True).get().pk},
            None,
            {"batch_authority", "province"},
            False,
        )
    ],
    "batches:act": [
        (
            "post",
            lambda w: {"pk": w["batch"].pk, "action": "return"},
            lambda w: {"reason": "汇总表未盖章"},
            {"province"},
            True,
        ),
        ("post", lambda w: {"pk": w["batch"].pk, "action": "accept"}, lambda w: {}, {"province"}, True),
        ("post", lambda w: {"pk": w["batch"].pk, "action": "submit"}, lambda w: {}, set(), False),
    ],
    "selection:index": [("get", None, None, {"province"}, False)],
    "selection:extensions": [("get", None, None, {"province"}, False)],
    "selection:pool": [("get", lambda w: {"call_pk": w["call"].pk}, None, {"province"}, False)],
    "selection:stage": [
        (
            "post",
            lambda w: {"call_pk": w["call"].pk, "pk": w["forwarded"].pk},
            lambda w: {"outcome": "provincial_ordinary"},
            {"province"},
            True,
        )
    ],
    "selection:publicity": [("get", lambda w: {"call_pk": w["call"].pk}, None, {"province"}, False)],
    "selection:publicity_start": [
        (
            "post",
            lambda w: {"call_pk": w["call"].pk},
            lambda w: {"days": "5", "unit": "working", "contact": "林老师 0591-87000000"},
            {"province"},
            True,
            _staged,
        )
    ],
    "selection:objection_record": [
        (
            "post",
            lambda w: {"call_pk": w["call"].pk},
            lambda w: {
                "received_on": str(w["publicity"].published_at.date()),
                "channel": "letter",
                "content": "反映场地。",
            },
            {"province"},
            True,
            _publicised,
        )
    ],
    "selection:objection_handle": [
        (
            "post",
            lambda w: {"call_pk": w["call"].pk, "pk": w["objection"].pk},
            lambda w: {"handling": "经核实，维持原结果。"},
            {"province"},
            True,
            _objection,
        )
    ],
    "selection:publish": [
        ("post", lambda w: {"call_pk": w["call"].pk}, lambda w: {}, {"province"}, False),  # asks to confirm first
        (
            "post",
            lambda w: {"call_pk": w["call"].pk},
            lambda w: {"confirmed": "1", "without_publicity": "（测试）不经公示"},
            {"province"},
            True,
            _staged,
        ),
    ],
    "selection:ministry": [("get", lambda w: {"call_pk": w["call"].pk}, None, {"province"}, False)],
    "selection:ministry_package": [
        ("get", lambda w: {"call_pk": w["call"].pk}, None, {"province"}, False, _national_candidate)
    ],
    "selection:ministry_import": [  # step one: a preview, nothing saved
        ("post", lambda w: {"call_pk": w["call"].pk}, _answer_file, {"province"}, False, _national_candidate)
    ],
    "selection:ministry_import_confirm": [  # no preview in this session: back, nothing applied
        ("post", lambda w: {"call_pk": w["call"].pk}, lambda w: {"token": "x"}, {"province"}, False)
    ],
    "selection:ministry_answer": [
        (
            "post",
            lambda w: {"call_pk": w["call"].pk, "pk": w["forwarded"].pk},
            lambda w: {"selected": "yes"},
            {"province"},
            False,  # asks to confirm first
        ),
        (
            "post",
            lambda w: {"call_pk": w["call"].pk, "pk": w["forwarded"].pk},
            lambda w: {"selected": "yes", "confirmed": "1"},
            {"province"},
            True,
            _national_candidate,
        ),
    ],
    "selection:plan": [("get", lambda w: {"call_pk": w["call"].pk}, None, {"province"}, False)],
    "selection:plan_download": [
        ("get", lambda w, fmt=fmt: {"call_pk": w["call"].pk, "fmt": fmt}, None, {"province"}, False)
        for fmt in ("xlsx", "docx")
    ],
    "selection:plan_issue": [
        (
            "post",
            lambda w: {"call_pk": w["call"].pk},
            lambda w: {"document_number": "闽人社文〔2026〕5号", "copy_to": "人力资源社会保障部专业技术人员管理司"},
            {"province"},
            True,
        )
    ],
    "documents:application_form": [
        ("get", lambda w: {"pk": w["a"].pk, "fmt": "docx"}, None, {"host", "authority", "province"}, False)
    ],
    "documents:summary": [("get", None, None, ORGANISATIONS, False)],
    "documents:summary_file": [
        ("get", lambda w, fmt=fmt: {"fmt": fmt}, None, ORGANISATIONS, False) for fmt in ("xlsx", "docx")
    ],
    "documents:export_start": [("post", None, lambda w: {}, AUTHORITIES | {"province"}, True)],
    "documents:export_batch": [
        ("post", lambda w: {"batch_pk": w["batch"].pk}, lambda w: {}, {"batch_authority", "province"}, True)
    ],
    "documents:export_status": [("get", lambda w: {"pk": w["export"].pk}, None, {"province"}, False)],
    "documents:export_download": [("get", lambda w: {"pk": w["export"].pk}, None, {"province"}, False)],
    "documents:upload": [("get", None, None, AUTHORITIES | {"province"}, False)],
    "organisations:profile": [("get", None, None, HOSTS, False)],
    "organisations:institutions": [("get", None, None, AUTHORITIES, False)],
    "organisations:registrations": [("get", None, None, AUTHORITIES, False)],
    "organisations:registration": [("get", lambda w: {"pk": w["registration"].pk}, None, {"authority"}, False)],
    "organisations:registration_letter": [("get", lambda w: {"pk": w["registration"].pk}, None, {"authority"}, False)],
    # Only a refused registration's own administrator (not one of USERS): everyone here is refused;
    # the allowed path is tests/organisations/test_registration.py and the browser test.
    "organisations:resubmit_registration": [
        (
            "post",
            None,
            lambda w: {"authority": w["registration"].institution.authority_id, "letter": pdf("新授权书.pdf")},
            set(),
            False,
        )
    ],
    "organisations:decide_registration": [
        ("post", lambda w: {"pk": w["registration"].pk}, lambda w: {"decision": "confirm"}, {"authority"}, True)
    ],
    "organisations:confirm_invoice": [  # A's host declared and its authority confirmed: withdrawn here
        ("post", lambda w: {"pk": w["a"].institution_id}, lambda w: {"confirmed": "0"}, {"authority"}, True)
    ],
    "notifications:inbox": [("get", None, None, EVERYONE, False)],
    "statistics:index": [("get", None, None, AUTHORITIES | {"province"}, False)],
    "statistics:data": [("get", None, None, AUTHORITIES | {"province"}, False)],
    "statistics:export": [("get", lambda w: {"key": w["chart"]}, None, AUTHORITIES | {"province"}, False)],
    "api_tokens": [("get", None, None, EVERYONE, False)],
    "api_token_revoke": [("post", lambda w: {"pk": w["token"].pk}, lambda w: {}, {"host"}, True)],
    "notifications:read": [("post", lambda w: {"pk": w["message"].pk}, lambda w: {}, {"host"}, True)],
    # --- delivery: the programme P of programme_host (authority programme_authority) ---
    "delivery:list": [("get", None, None, ORGANISATIONS, False)],
    "delivery:changes": [("get", None, None, {"province"}, False)],
    "delivery:decide_change": [
        (
            "post",
            lambda w: {"change_pk": w["change"].pk},
            lambda w: {"approve": "no", "note": "不同意"},
            {"province"},
            True,
        )
    ],
    "delivery:cost_standards": [("get", None, None, {"province"}, False)],
    "delivery:settings": [
        ("get", lambda w: {"year": w["call"].year}, None, {"province"}, False),
        (
            "post",
            lambda w: {"year": w["call"].year},
            lambda w: {
                "credit_hours_per_day": "6",
                "closing_days": "21",
                "closing_unit": "working",
                "min_attendance_percent": "85",
                "min_grassroots_percent": "30",
                "min_non_public_percent": "10",
            },
            {"province"},
            True,
        ),
    ],
    "delivery:cost_standard": [("get", lambda w: {"standard_pk": w["standard"].pk}, None, {"province"}, False)],
    "delivery:budget": [
        ("get", lambda w: {"application_pk": w["a"].pk}, None, {"host", "authority", "province"}, False)
    ],
    "delivery:programme": [("get", _p, None, {"programme_host", "programme_authority", "province"}, False)],
    "delivery:arrangements": [
        (
            "post",
            _p,
            lambda w: {
                "start_date": w["programme"].start_date.isoformat(),
                "end_date": w["programme"].end_date.isoformat(),
                "venue": w["programme"].venue,
                "capacity": str(w["programme"].capacity),
                "schedule": "新日程",
                "experts": w["programme"].experts,
            },
            {"programme_host"},  # still preparing (closing not submitted)
            True,
        )
    ],
    "delivery:enrolment_notice": [
        ("post", _p, lambda w: {"notice": "欢迎报名", "deadline": "", "open": "on"}, {"programme_host"}, True)
    ],
    "delivery:action": [
        (
            "post",
            lambda w: {"pk": w["programme"].pk, "name": "mark_not_completed"},
            lambda w: {"reason": "未办班"},
            {"province"},
            True,
        ),
        (
            "post",
            lambda w: {"pk": w["programme"].pk, "name": "submit_closing"},
            lambda w: {"confirmed": "1"},
            {"programme_host"},
            True,
            _ready_to_close,
        ),
    ],
    "delivery:trainees": [("get", _p, None, {"programme_host", "province"}, False)],
    "delivery:reveal_id": [
        (
            "get",
            lambda w: {"pk": w["programme"].pk, "trainee_pk": w["trainee"].pk},
            None,
            {"programme_host", "province"},
            False,
        )
    ],
    "delivery:roster_template": [("get", _p, None, {"programme_host"}, False)],
    "delivery:roster_import": [
        ("post", _p, lambda w: {"file": pdf("r.xlsx")}, {"programme_host"}, False),  # not a workbook: refused
        ("post", _p, lambda w: {"file": _roster()}, {"programme_host"}, True),
    ],
    "delivery:roster_export": [("get", _p, None, {"programme_host", "province"}, False)],
    "delivery:attendance": [("get", _p, None, {"programme_host", "province"}, False)],
    "ratings:figures": [("get", None, None, {"province"}, False)],
    "ratings:mine": [("get", None, None, HOSTS, False)],
    "ratings:rate_application": [
        ("get", lambda w: {"pk": w["programme"].application_id}, None, {"programme_host"}, False),
        ("post", lambda w: {"pk": w["programme"].application_id}, lambda w: {"level": "5"}, {"programme_host"}, True),
    ],
    "delivery:certificate_register": [("get", lambda w: {"year": 2026}, None, {"province"}, False)],
    "delivery:certificate_register_xlsx": [("get", lambda w: {"year": 2026}, None, {"province"}, False)],
    "delivery:check_in_list": [("get", _p, None, {"programme_host"}, False)],
    "delivery:check_in": [
        ("get", lambda w: {"pk": w["programme"].pk, "check_in_pk": w["check_in"].pk}, None, {"programme_host"}, False),
        (
            "post",
            lambda w: {"pk": w["programme"].pk, "check_in_pk": w["check_in"].pk},
            lambda w: {"close": "1"},
            {"programme_host"},
            True,
        ),
    ],
    "delivery:check_in_live": [
        ("get", lambda w: {"pk": w["programme"].pk, "check_in_pk": w["check_in"].pk}, None, {"programme_host"}, False)
    ],
    "delivery:sign_in": [
        ("get", lambda w: {"pk": w["programme"].pk, "fmt": "docx"}, None, {"programme_host", "province"}, False)
    ],
    "delivery:accounts": [("get", _p, None, {"programme_host", "programme_authority", "province"}, False)],
    "delivery:closing": [("get", _p, None, {"programme_host", "programme_authority", "province"}, False)],
    "delivery:file": [
        (
            "get",
            lambda w: {"pk": w["programme"].pk, "file_pk": w["file"].pk},
            None,
            {"programme_host", "programme_authority", "province"},
            False,
        )
    ],
    "delivery:survey": [("get", _p, None, {"programme_host", "programme_authority", "province"}, False)],
    "delivery:certificates": [
        ("get", _p, None, {"programme_host", "programme_authority", "province"}, False),
        ("post", _p, lambda w: {}, {"programme_host"}, True),
    ],
    "delivery:certificate_job": [
        (
            "get",
            lambda w: {"pk": w["programme"].pk, "job_pk": w["job"].pk},
            None,
            {"programme_host", "programme_authority", "province"},
            False,
        )
    ],
    "delivery:credit_hours": [("get", _p, None, {"programme_host", "province"}, False)],
    "delivery:access_log": [("get", _p, None, {"programme_host", "province"}, False)],
}
# The unified-identity round trip is the login itself (tests/identity/test_login.py).
PUBLIC = (
    {
        "login",
        "logout",
        "selection_public:publicity",
        "accounts:invitation",
        "organisations:register",
        "organisations:registered",
    }
    | {"identity:start", "identity:callback"}
    | {"accounts:" + n for n in ("reset_request", "reset_code", "reset_confirm")}
    | {
        "delivery_public:" + n
        for n in ("list", "programme", "thanks", "survey", "verify", "verify_lookup", "certificate_file", "check_in")
    }
    | {"ratings_public:certificate"}
)
OWN_MATRIX = ("admin", "reviews", "api")  # see the module docstring


def named_urls(patterns=None, namespace=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in OWN_MATRIX:
                continue
            inner = namespace + (pattern.namespace + ":" if pattern.namespace else "")
            yield from named_urls(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name


def test_every_url_is_classified():
    assert set(named_urls()) - set(CASES) - PUBLIC == set(), "add new URLs to CASES"


def _send(client, method, url, payload):
    send = client.post if method == "post" else client.get
    return send(url, payload) if payload is not None else send(url)


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_role_on_every_url(world, name):
    w = world
    clients = {"anonymous": Client()}
    for key, user in w["users"].items():
        clients[key] = Client()
        clients[key].force_login(user)
    for method, kwargs, payload, allowed, must_change, *prepare in CASES[name]:
        for role in ROLES:
            with transaction.atomic():
                _one_request(name, w, clients[role], role, method, kwargs, payload, allowed, must_change, prepare)
                transaction.set_rollback(True)


def _one_request(name, w, client, role, method, kwargs, payload, allowed, must_change, prepare):
    for step in prepare:
        step(w)
    url = reverse(name, kwargs=kwargs(w) if kwargs else None)
    data = payload(w) if payload else None
    if role in allowed:
        before = snapshot() if must_change else None
        response = _send(client, method, url, data)
        assert response.status_code in (200, 204, 302), (name, role, response.status_code)
        if must_change:
            assert changes(before, snapshot()) != [], (name, role, "an allowed POST changed nothing")
        if must_change:  # and without a refusal shown
            assert [m.message for m in get_messages(response.wsgi_request) if m.level == ERROR] == [], (name, role)
        return
    with Unchanged() as unchanged:
        response = _send(client, method, url, data)
    if role == "anonymous":
        assert response.status_code == 302, (name, role)
        assert response.url.startswith("/login/"), (name, role)
    elif (
        name in ("applications:dashboard", "applications:inbox", "accounts:duties", "home")
        and response.status_code == 302
    ):
        pass  # sent to their own start page
    elif response.status_code == 302:  # a rule of the state refused it: back, with the Chinese reason
        shown = [m for m in get_messages(response.wsgi_request) if m.level == ERROR]
        assert shown, (name, role, method, "redirected without a refusal")
    else:
        # 403/404: the role or the organisation; 409: a rule of the state
        assert response.status_code in (403, 404, 405, 409), (name, role, method, response.status_code)
    assert unchanged.changes == [], (name, role, "a refused request changed the database")
