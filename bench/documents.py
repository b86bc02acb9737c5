"""Benchmarks of the documents app (issue: 文书). Run: .venv/bin/python bench/documents.py

Prints:
  1. one 附件1 .docx (target < 50 ms);
  2. 附件3 .xlsx with 10,000 rows, as a ratio to writing the same cells
     directly with xlsxwriter (target < 2);
  3. importing 1,000 forms, as a ratio to merely opening and walking the
     same files with python-docx (target < 1.5), with the queries per form;
  4. the annual plan as an official document (.docx) with 500 programmes,
     from the database (target < 0.5 s).

Uses a throw-away SQLite database with the demo data; touches nothing else.
BENCH_DATABASE_URL=postgres://…/<an empty database> measures on PostgreSQL instead
(migrated and seeded here; recreate the database between runs).
"""

import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["YANXIU_VAR_DIR"] = tempfile.mkdtemp(prefix="yanxiu-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL") or (
    f"sqlite:///{os.environ['YANXIU_VAR_DIR']}/bench.sqlite3"
)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test.utils import override_settings  # noqa: E402


def timed(func, repeat):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return times


def bench_one_form():
    from yanxiu.applications.interfaces.form_context import official_form
    from yanxiu.applications.models import Application
    from yanxiu.documents.generate.forms_docx import render_application_docx, render_official_form

    application = Application.objects.select_related("call", "institution", "domain", "competent_department").get(
        title="生物育种与种业振兴关键技术高级研修班"
    )
    render_application_docx(application)
    full = timed(lambda: render_application_docx(application), 200)
    form = official_form(application)
    pure = timed(lambda: render_official_form(form, application.institution.uscc), 200)
    print(
        f"1. 附件1 .docx, one form: median {statistics.median(full) * 1000:.1f} ms "
        f"(from the database, p95 {sorted(full)[189] * 1000:.1f} ms); rendering alone {statistics.median(pure) * 1000:.1f} ms  [target < 50 ms]"
    )
    return statistics.median(full) < 0.050


def bench_summary_xlsx(rows=10_000):
    import xlsxwriter

    from yanxiu.documents.generate.summary import render_summary_xlsx
    from yanxiu.documents.interfaces.summary import SummaryRow, SummarySheetData, summary_title

    sheet = SummarySheetData(
        label="附件3",
        title=summary_title(2026),
        signer="福建省人力资源和社会保障厅",
        rows=[
            SummaryRow(
                i,
                f"人工智能赋能传统制造业数字化转型高级研修班{i}",
                f"福州信息工程学院{i % 97}",
                "林数",
                "0591-83000002",
                "工程技术（电子信息）",
            )
            for i in range(1, rows + 1)
        ],
    )

    def direct():
        buffer = io.BytesIO()
        book = xlsxwriter.Workbook(buffer, {"in_memory": True})
        ws = book.add_worksheet()
        cell = book.add_format({"border": 1})
        ws.write_row(0, 0, sheet.header, cell)
        for r, item in enumerate(sheet.rows, start=1):
            ws.write_row(r, 0, item.values(), cell)
        book.close()
        return buffer.getvalue()

    ours = min(timed(lambda: render_summary_xlsx(sheet), 3))
    baseline = min(timed(direct, 3))
    print(
        f"2. 附件3 .xlsx, {rows:,} rows: {ours:.2f} s; the same cells written directly with xlsxwriter {baseline:.2f} s; "
        f"ratio {ours / baseline:.2f}  [target < 2]"
    )
    return ours / baseline < 2


def bench_import(count=1000):
    import docx
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from yanxiu.accounts.models import User
    from yanxiu.applications.models import Application
    from yanxiu.documents.generate.forms_docx import render_application_docx
    from yanxiu.documents.imports.importer import COPY, import_sources
    from yanxiu.documents.imports.sources import Source

    applications = list(Application.objects.exclude(title="").select_related("call", "institution"))
    files = [render_application_docx(applications[i % len(applications)]) for i in range(count)]
    # Half hand-filled style (no tags): the shared example, if present.
    example = ROOT.parent / "shared" / "fixtures" / "forms" / "example-att1.docx"
    if example.exists():
        files = files[: count // 2] + [example.read_bytes()] * (count - count // 2)
    actor = User.objects.get(username="province")

    def walk():
        for data in files:
            document = docx.Document(io.BytesIO(data))
            for paragraph in document.paragraphs:
                paragraph.text  # noqa: B018
            for table in document.tables:
                for row in table.rows:
                    for cell in row.cells:
                        cell.text  # noqa: B018

    def parse_only():
        from yanxiu.documents.imports.parse_forms import parse_application_form, recognise
        from yanxiu.documents.imports.reader import read_document
        from yanxiu.documents.imports.safety import open_docx

        for data in files:
            doc = read_document(open_docx(data))
            parse_application_form(doc, recognise(doc))

    def import_all(dry_run, files=files):
        # One run, as `manage.py import_forms` and the upload page do it.
        sources = (Source(f"{number}.docx", data) for number, data in enumerate(files))
        # Every file names a demo application: each is kept as a copy, the most work an import does.
        for result in import_sources(sources, actor=actor, dry_run=dry_run, on_duplicate=COPY):
            assert result.status in ("imported", "checked"), result.problems

    reset_queries()  # DEBUG keeps at most 9,000 queries: start from an empty log
    with CaptureQueriesContext(connection) as captured:
        import_all(False, files[:20])
    per_form = len(captured) / 20
    baseline = min(timed(walk, 2))
    parsing = min(timed(parse_only, 2))
    dry = min(timed(lambda: import_all(True), 1))
    real = min(timed(lambda: import_all(False), 1))
    print(
        f"3. importing {count:,} forms on {connection.vendor}: python-docx open+walk {baseline:.2f} s; "
        f"read+parse {parsing:.2f} s (ratio {parsing / baseline:.2f}); full import into drafts with rule checks "
        f"{real:.2f} s (ratio {real / baseline:.2f}); --dry-run {dry:.2f} s (ratio {dry / baseline:.2f}); "
        f"{per_form:.1f} queries per form  [target < 1.5]"
    )
    return real / baseline < 1.5


def bench_plan(count=500):
    from yanxiu.applications.enums import ApplicationState
    from yanxiu.applications.models import Application
    from yanxiu.calls.models import Call
    from yanxiu.selection.interfaces.plan import plan, plan_docx, plan_xlsx
    from yanxiu.selection.models import PlanIssue

    call = Call.objects.get(year=2026)
    sources = list(Application.objects.filter(call=call).exclude(title="").select_related("institution"))
    states = [ApplicationState.NATIONAL_CANDIDATE, ApplicationState.PROVINCIAL_DEMONSTRATION]
    states += [ApplicationState.PROVINCIAL_ORDINARY] * 3
    copies = []
    existing = Application.objects.filter(call=call, state__in=states).count()
    for number in range(max(0, count - existing)):
        copy = Application.objects.get(pk=sources[number % len(sources)].pk)
        copy.pk = None
        copy.title = f"{copy.title[:30]}（{number + 1}）"
        copy.state = states[number % len(states)]
        copies.append(copy)
    Application.objects.bulk_create(copies, batch_size=200)
    rows = sum(len(section.rows) for section in plan(call))
    plan_docx(call)
    docx = timed(lambda: plan_docx(call), 7)
    sections = plan(call)
    issue = PlanIssue.objects.filter(call=call).first()
    alone = timed(lambda: plan_docx(call, issue, sections), 7)
    xlsx = timed(lambda: plan_xlsx(call), 3)
    print(
        f"4. the annual plan, {rows} programmes: .docx (official document, from the database) median "
        f"{statistics.median(docx) * 1000:.0f} ms, max {max(docx) * 1000:.0f} ms (rendering alone "
        f"{statistics.median(alone) * 1000:.0f} ms); .xlsx {statistics.median(xlsx) * 1000:.0f} ms  [target < 0.5 s]"
    )
    return statistics.median(docx) < 0.5


def main():
    call_command("migrate", verbosity=0)
    from yanxiu.demo.world import seed

    seed()
    met = []
    with override_settings(YANXIU_FIXED_NOW="2026-01-10T10:00:00+08:00"):
        if "--import-only" not in sys.argv:
            met += [bench_one_form(), bench_summary_xlsx()]
        met.append(bench_import())
        if "--import-only" not in sys.argv:
            met.append(bench_plan())
    if not all(met):
        print("a target is missed")
    return 0 if all(met) else 1


if __name__ == "__main__":
    sys.exit(main())
