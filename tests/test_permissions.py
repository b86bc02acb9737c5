"""Every URL, every role: nobody reaches what is not theirs.

The world is the demo data. Each named URL is listed in ACCESS with the users
who may reach it; the test fails when a URL is added without being listed.
Denied users must get 403 or 404 (anonymous users: the login page), and no
denied request may change anything.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from yanxiu.applications.models import Application, Attachment
from yanxiu.batches.models import Batch
from yanxiu.calls.models import Call
from yanxiu.documents.models import ExportJob
from yanxiu.notifications.models import Message

pytestmark = pytest.mark.django_db

USERS = {
    "host": "xmhy",  # owns application A (submitted to 厦门市人社局)
    "other_host": "zzzz",
    "authority": "xm_rsj",  # reviews A
    "batch_authority": "nyt",  # owns batch B (sent to the province)
    "other_authority": "fz_rsj",
    "province": "province",
    "expert": "expert1",
}
EVERYONE = set(USERS)
HOSTS = {"host", "other_host"}
AUTHORITIES = {"authority", "batch_authority", "other_authority"}
SEES_A = {"host", "authority", "province"}
SEES_B = {"batch_authority", "province"}

# url name -> (method, users who may reach it). POSTs that would act are sent only by denied users.
ACCESS = {
    "home": ("get", EVERYONE),
    "login": ("public", None),
    "logout": ("public", None),
    "applications:dashboard": ("get", EVERYONE),  # others are sent to their own start page
    "applications:inbox": ("get", AUTHORITIES | HOSTS | {"province"}),
    "applications:create": ("post", HOSTS),
    "applications:detail": ("get", SEES_A),
    "applications:edit": ("get", {"host"}),
    "applications:checks": ("get", SEES_A),
    "applications:preview": ("get", SEES_A),
    "applications:history": ("get", SEES_A),
    "applications:warning_reason": ("post", {"host"}),
    "applications:adjust_after_fallback": ("post", {"host"}),
    "applications:upload_attachment": ("post", {"host"}),
    "applications:download_attachment": ("get", SEES_A),
    "applications:delete_attachment": ("post", {"host"}),
    "applications:act": ("post", SEES_A),  # those who see it are then refused by the workflow
    "batches:list": ("get", AUTHORITIES | {"province"}),
    "batches:create": ("post", AUTHORITIES),
    "batches:ranking": ("get", AUTHORITIES),
    "batches:detail": ("get", SEES_B),
    "batches:summary_file": ("get", SEES_B),
    "batches:members": ("post", {"batch_authority"}),
    "batches:upload": ("post", {"batch_authority"}),
    "batches:download_scan": ("get", SEES_B),
    "batches:act": ("post", SEES_B),
    "selection:index": ("get", {"province"}),
    "calls:list": ("get", {"province"}),
    "calls:edit": ("get", {"province"}),
    "calls:copy": ("post", {"province"}),
    "calls:open": ("post", {"province"}),
    "selection:extensions": ("get", {"province"}),
    "selection:pool": ("get", {"province"}),
    "selection:stage": ("post", {"province"}),
    "selection:publish": ("post", {"province"}),
    "selection:ministry": ("get", {"province"}),
    "selection:ministry_answer": ("post", {"province"}),
    "selection:plan": ("get", {"province"}),
    "selection:plan_download": ("get", {"province"}),
    "documents:application_form": ("get", SEES_A),
    "documents:summary": ("get", HOSTS | AUTHORITIES | {"province"}),
    "documents:summary_file": ("get", HOSTS | AUTHORITIES | {"province"}),
    "documents:export_start": ("post", AUTHORITIES | {"province"}),
    "documents:export_status": ("get", {"province"}),  # the job's requester only
    "documents:export_download": ("get", {"province"}),
    "documents:upload": ("get", AUTHORITIES | {"province"}),
    "organisations:profile": ("get", HOSTS),
    "notifications:inbox": ("get", EVERYONE),
    "notifications:read": ("post", {"host"}),
    "documents:export_batch": ("post", SEES_B),
}


def named_urls(patterns=None, namespace=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            # the admin has its own staff checks; expert review has its own matrix
            # over every URL and role in tests/reviews/test_permissions.py
            if pattern.namespace in ("admin", "reviews", "delivery", "delivery_public"):
                continue
            inner = namespace + (pattern.namespace + ":" if pattern.namespace else "")
            yield from named_urls(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name


@pytest.fixture
def world(settings):
    from yanxiu.accounts.models import User
    from yanxiu.demo import world as demo

    demo.seed()
    users = {key: User.objects.get(username=name) for key, name in USERS.items()}
    a = Application.objects.get(title="深远海海洋装备智能化高级研修班")
    batch = Batch.objects.get(authority__code="SZ-NYNCT")
    attachment = Attachment(
        application=a, original_name="证明.pdf", extension=".pdf", stored_token="t", size=8, uploaded_by=users["host"]
    )
    attachment.file.save("x.pdf", SimpleUploadedFile("x.pdf", b"%PDF-1.4"), save=True)
    job = ExportJob.objects.create(requested_by=users["province"], call=a.call, description="全省", state="done")
    job.file.save("x.zip", SimpleUploadedFile("x.zip", b"PK\x05\x06" + b"\x00" * 18), save=True)
    message = Message.objects.create(recipient=users["host"], subject="s", body="b", created_at=a.created_at)
    call = Call.objects.get(year=2026)
    kwargs = {
        "applications:detail": {"pk": a.pk},
        "applications:edit": {"pk": a.pk},
        "applications:checks": {"pk": a.pk},
        "applications:preview": {"pk": a.pk},
        "applications:history": {"pk": a.pk},
        "applications:warning_reason": {"pk": a.pk},
        "applications:adjust_after_fallback": {"pk": a.pk},
        "applications:upload_attachment": {"pk": a.pk},
        "applications:download_attachment": {"pk": a.pk, "attachment_pk": attachment.pk},
        "applications:delete_attachment": {"pk": a.pk, "attachment_pk": attachment.pk},
        "applications:act": {"pk": a.pk, "action": "withdraw"},
        "batches:ranking": {"call_pk": call.pk, "tier": "provincial"},
        "batches:detail": {"pk": batch.pk},
        "batches:summary_file": {"pk": batch.pk, "fmt": "xlsx"},
        "batches:members": {"pk": batch.pk},
        "batches:upload": {"pk": batch.pk},
        "batches:download_scan": {"pk": batch.pk, "scan_pk": batch.scans.get().pk},
        "batches:act": {"pk": batch.pk, "action": "return"},
        "selection:pool": {"call_pk": call.pk},
        "calls:edit": {"pk": call.pk},
        "calls:copy": {"pk": call.pk},
        "calls:open": {"pk": call.pk},
        "selection:stage": {"call_pk": call.pk, "pk": a.pk},
        "selection:publish": {"call_pk": call.pk},
        "selection:ministry": {"call_pk": call.pk},
        "selection:ministry_answer": {"call_pk": call.pk, "pk": a.pk},
        "selection:plan": {"call_pk": call.pk},
        "selection:plan_download": {"call_pk": call.pk, "fmt": "xlsx"},
        "documents:application_form": {"pk": a.pk, "fmt": "docx"},
        "documents:summary_file": {"fmt": "xlsx"},
        "documents:export_status": {"pk": job.pk},
        "documents:export_download": {"pk": job.pk},
        "notifications:read": {"pk": message.pk},
        "documents:export_batch": {"batch_pk": batch.pk},
    }
    return users, a, batch, kwargs


def state_of(a, batch):
    a = Application.objects.get(pk=a.pk)
    return (
        a.state,
        a.version,
        a.attachments.count(),
        Batch.objects.get(pk=batch.pk).state,
        Batch.objects.get(pk=batch.pk).applications.count(),
        Message.objects.filter(read_at__isnull=False).count(),
    )


def test_every_url_is_classified():
    assert set(named_urls()) - set(ACCESS) == set(), "add new URLs to ACCESS"


def test_nobody_reaches_what_is_not_theirs(client, world):
    users, a, batch, kwargs = world
    before = state_of(a, batch)
    for name, (method, allowed) in ACCESS.items():
        if method == "public":
            continue
        url = reverse(name, kwargs=kwargs.get(name))
        send = client.post if method == "post" else client.get
        client.logout()
        response = send(url)
        assert response.status_code == 302 and response.url.startswith("/login/"), (name, "anonymous")
        for key, user in users.items():
            client.force_login(user)
            if key in allowed:
                if method == "get":
                    status = client.get(url).status_code
                    assert status in (200, 302), (name, key, status)
                continue
            status = send(url).status_code
            assert status in (403, 404), (name, key, status)
    assert state_of(a, batch) == before


# --- delivery: one programme, every URL --------------------------------------------------------


def delivery_urls():
    return [name for name in named_urls_all() if name.split(":")[0] in ("delivery", "delivery_public")]


def named_urls_all(patterns=None, namespace=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (pattern.namespace + ":" if pattern.namespace else "")
            yield from named_urls_all(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name


PUBLIC = {
    "delivery_public:list",
    "delivery_public:programme",
    "delivery_public:thanks",
    "delivery_public:survey",
    "delivery_public:verify",
    "delivery_public:certificate_file",
}
OFFICE_ONLY = {"delivery:changes", "delivery:decide_change", "delivery:cost_standards", "delivery:cost_standard"}
LISTS = {"delivery:list"}


def test_nobody_reaches_another_institutions_programme(client):
    from tests.delivery.helpers import add_trainees, host_of, planned
    from yanxiu.accounts.models import User
    from yanxiu.delivery.models import Certificate, CertificateJob, ProgrammeFile
    from yanxiu.demo import world as demo
    from yanxiu.reference.models import TrainingCostStandard

    demo.seed()
    programme = planned("provincial", authority_code="350100-RS")
    trainee = add_trainees(programme, 1)[0]
    file = ProgrammeFile(
        programme=programme,
        kind="report",
        original_name="报告.pdf",
        extension=".pdf",
        size=8,
        uploaded_at=programme.application.created_at,
        uploaded_by=host_of(programme),
    )
    file.file.save("r.pdf", SimpleUploadedFile("r.pdf", b"%PDF-1.4"), save=True)
    job = CertificateJob.objects.create(
        programme=programme, requested_by=host_of(programme), created_at=programme.application.created_at
    )
    change = programme.changes.create(
        changes={"venue": ["甲", "乙"]},
        reason="场地调整",
        requested_by=host_of(programme),
        requested_at=programme.application.created_at,
    )
    certificate = Certificate.objects.filter(trainee__programme=programme).first()
    kwargs = {
        "delivery:decide_change": {"change_pk": change.pk},
        "delivery:cost_standard": {"standard_pk": TrainingCostStandard.objects.first().pk},
        "delivery:budget": {"application_pk": programme.application_id},
        "delivery:action": {"pk": programme.pk, "name": "submit_closing"},
        "delivery:reveal_id": {"pk": programme.pk, "trainee_pk": trainee.pk},
        "delivery:sign_in": {"pk": programme.pk, "fmt": "docx"},
        "delivery:file": {"pk": programme.pk, "file_pk": file.pk},
        "delivery:certificate_job": {"pk": programme.pk, "job_pk": job.pk},
        "delivery_public:programme": {"pk": programme.pk},
        "delivery_public:survey": {"token": programme.survey_token},
        "delivery_public:verify": {"token": certificate.token if certificate else "no-such-token"},
        "delivery_public:certificate_file": {"token": "no-such-token", "fmt": "pdf"},
    }
    outsiders = [User.objects.get(username=name) for name in ("zzzz", "xm_rsj", "expert1")]
    title = programme.application.title
    names = delivery_urls()
    assert len(names) >= 30
    for name in names:
        url = reverse(name, kwargs=kwargs.get(name, {"pk": programme.pk} if "<int:pk>" in _route(name) else None))
        client.logout()
        response = client.get(url)
        if name in PUBLIC:
            assert response.status_code in (200, 302, 404), (name, response.status_code)
            continue
        assert response.status_code == 302 and response.url.startswith("/login/"), (name, "anonymous")
        for user in outsiders:
            client.force_login(user)
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                if name in LISTS:  # their own (empty) list: the programme must not show
                    assert response.status_code in (200, 302, 403), (name, user.username)
                    assert title not in response.content.decode(), (name, user.username)
                else:
                    assert response.status_code in (403, 404, 405), (name, user.username, method, response.status_code)
    assert trainee.__class__.objects.get(pk=trainee.pk).state == trainee.state


def _route(name):
    namespace, _, short = name.partition(":")
    for pattern in get_resolver().url_patterns:
        if isinstance(pattern, URLResolver) and pattern.namespace == namespace:
            for inner in pattern.url_patterns:
                if getattr(inner, "name", None) == short:
                    return str(inner.pattern)
    return ""
