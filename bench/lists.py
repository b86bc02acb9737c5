"""Benchmark of the province's list pages (issue: 审核与遴选). Run: .venv/bin/python bench/lists.py [N]

With N applications (default 5,000) in a throw-away database (SQLite, or the
PostgreSQL of BENCH_DATABASE_URL), prints for each page:
  - requests per second, served through Django's full stack (middleware,
    session, auth) in this process, and the same for a bare view returning
    "ok" behind the same stack: their ratio shows what the page itself costs;
  - the number of SQL queries with 50 and with N applications (must be equal).
"""

import os
import sys
import tempfile
import time
from datetime import UTC
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["YANXIU_VAR_DIR"] = tempfile.mkdtemp(prefix="yanxiu-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:///{os.environ['YANXIU_VAR_DIR']}/bench.sqlite3"
)
os.environ["YANXIU_FIXED_NOW"] = "2026-03-01T10:00:00+08:00"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import include, path  # noqa: E402


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/bare/", bare), path("", include("config.urls"))]


def make_applications(count, start=0):
    """Forwarded applications, written in bulk (the domain functions are measured elsewhere)."""
    from datetime import date, timedelta

    from yanxiu.accounts.models import User
    from yanxiu.applications.models import Application, title_key
    from yanxiu.calls.models import Call
    from yanxiu.core.validators import uscc_with_check
    from yanxiu.organisations.models import Authority, Institution
    from yanxiu.reference.models import ProfessionalDomain

    call = Call.objects.get(year=2026)
    authorities = list(Authority.objects.filter(kind="city"))
    domains = list(ProfessionalDomain.objects.all())
    creator = User.objects.get(username="bench-officer")
    institutions = []
    for n in range(start, start + count):
        body = f"91350100MA{n:07d}"
        institutions.append(
            Institution(
                name=f"基准单位{n}",
                uscc=uscc_with_check(body),
                type="university",
                authority=authorities[n % len(authorities)],
                city="福州市",
            )
        )
    Institution.objects.bulk_create(institutions, batch_size=1000)
    institutions = (Institution.objects.filter(name__startswith="基准单位").select_related("authority").order_by("pk"))[
        start : start + count
    ]
    Application.objects.bulk_create(
        [
            Application(
                call=call,
                tier="provincial" if n % 3 else "national",
                institution=institution,
                state="forwarded",
                title=f"基准高级研修班{start + n}",
                title_key=title_key(f"基准高级研修班{start + n}"),
                authority_code=institution.authority.code,
                start_date=date(2026, 6, 1) + timedelta(days=n % 100),
                end_date=date(2026, 6, 4) + timedelta(days=n % 100),
                domain=domains[n % len(domains)],
                planned_trainees=40,
                created_by=creator,
                check_summary=[{"code": "x", "severity": "warning", "message": "示例提醒", "reason": "理由"}]
                if n % 7 == 0
                else [],
            )
            for n, institution in enumerate(institutions)
        ],
        batch_size=1000,
    )


def make_reviews(review_round, per_application=3, experts=20):
    """Every application of the round reviewed by `per_application` experts, in bulk."""
    from datetime import datetime
    from decimal import Decimal

    from yanxiu.accounts.models import Role, User
    from yanxiu.applications.models import Application
    from yanxiu.reviews.models import Assignment, Review, Score

    now = datetime(2026, 3, 1, tzinfo=UTC)
    pool = [
        User.objects.filter(username=f"bench-expert{n}").first()
        or User.objects.create_user(f"bench-expert{n}", password="x", role=Role.EXPERT)
        for n in range(experts)
    ]
    Assignment.objects.filter(round=review_round).delete()
    applications = list(
        Application.objects.filter(call=review_round.call, state="forwarded").values_list("pk", flat=True)
    )
    Assignment.objects.bulk_create(
        [
            Assignment(
                round=review_round,
                application_id=pk,
                expert=pool[(i + k) % experts],
                assigned_by=review_round.created_by,
                assigned_at=now,
                is_automatic=True,
            )
            for i, pk in enumerate(applications)
            for k in range(per_application)
        ],
        batch_size=2000,
    )
    assignments = list(Assignment.objects.filter(round=review_round).values_list("pk", flat=True))
    Review.objects.bulk_create(
        [
            Review(assignment_id=pk, comment="基准评审意见", recommendation="recommend", submitted_at=now)
            for pk in assignments
        ],
        batch_size=2000,
    )
    criteria = list(review_round.criteria.all())
    reviews = Review.objects.filter(assignment__round=review_round).values_list("pk", flat=True)
    Score.objects.bulk_create(
        [Score(review_id=pk, criterion=c, value=Decimal(5 + (pk + c.pk) % 5)) for pk in reviews for c in criteria],
        batch_size=5000,
    )


def requests_per_second(client, url, seconds=3.0):
    client.get(url)  # warm up
    done, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        done += 1
    return done / (time.perf_counter() - started)


def query_count(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


PAGES = {
    "province intake list (申报受理)": "/applications/inbox/",
    "selection pool (遴选)": "/selection/{call}/",
    "review ranking (专家评审结果与排名)": "/reviews/{round}/results/",
    "statistics page (统计分析, every chart)": "/statistics/?call={call}",
    "statistics JSON (/api/v1/statistics)": "/api/v1/statistics?call=2026",
}


def seed_round():
    """A migrated database with reference data, the 2026 call, a province officer and one review
    round (3 reviews an application): what every list benchmark starts from. (officer, call, round)"""
    from datetime import date

    from yanxiu.accounts.models import Role, User
    from yanxiu.calls.domain.calls import load_call_file
    from yanxiu.calls.models import Call
    from yanxiu.reference.importers import load_defaults
    from yanxiu.reviews.domain.rounds import create_round

    call_command("migrate", verbosity=0)
    load_defaults()
    load_call_file()
    officer = User.objects.create_user("bench-officer", password="x", role=Role.PROVINCE_OFFICER)
    call = Call.objects.get(year=2026)
    review_round = create_round(
        call=call,
        actor=officer,
        name="基准评审",
        scope="both",
        deadline=date(2026, 3, 31),
        reviews_per_application=3,
        anonymous=False,
        disagreement_threshold=20,
    )
    return officer, call, review_round


def main():
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    officer, call, review_round = seed_round()
    with override_settings(ROOT_URLCONF=__name__, DEBUG=False, ALLOWED_HOSTS=["testserver"]):
        client = Client()
        client.force_login(officer)
        make_applications(50)
        make_reviews(review_round)
        small = {
            name: query_count(client, url.format(call=call.pk, round=review_round.pk)) for name, url in PAGES.items()
        }
        make_applications(total - 50, start=50)
        make_reviews(review_round)
        print(f"{total} applications, database: {connection.vendor}")
        bare_rps = requests_per_second(client, "/bench/bare/")
        grows = []
        print(f"  bare view: {bare_rps:.0f} requests/s")
        for name, url in PAGES.items():
            url = url.format(call=call.pk, round=review_round.pk)
            rps = requests_per_second(client, url)
            large = query_count(client, url)
            print(
                f"  {name}: {rps:.1f} requests/s ({1000 / rps:.0f} ms each) = {rps / bare_rps:.3f} × bare view; "
                f"queries: {small[name]} with 50 rows, {large} with {total} rows"
                f"{'' if small[name] == large else '  ← GROWS'}"
            )
            if small[name] != large:
                grows.append(name)
    return 1 if grows else 0  # list pages keep a constant number of queries as rows grow


if __name__ == "__main__":
    sys.exit(main())
