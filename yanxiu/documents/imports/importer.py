"""Import one file into a draft application (or a summary sheet), all or nothing.

Every file is read, recognised and parsed first; only then is the database
touched, inside one transaction per file. A refusal or an error rolls that
file back and the run goes on with the next. `dry_run` does everything,
checks included, and rolls back.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from yanxiu.applications import catalogue
from yanxiu.applications.domain import editing
from yanxiu.applications.domain.checks import CheckContext, run_checks_on
from yanxiu.applications.models import Application
from yanxiu.calls.models import Call
from yanxiu.core import clock
from yanxiu.core.refusal import Refused
from yanxiu.organisations.models import Authority, Institution
from yanxiu.reference.models import CompetentDepartment, ProfessionalDomain

from ..interfaces.export import FUNDING_VALUES, application_json, iso, record_json
from ..layout import FIELD_LABELS, FORM_LABELS
from ..models import SummarySheet
from .parse_forms import Problem, compact, parse_application_form, parse_summary, recognise, split_trainees
from .reader import read_document
from .safety import open_docx
from .sources import Source

FORM_NAMES = {"att1": "附件1 国家级申报表", "att2": "附件2 省级申报表", "att3": "附件3 汇总表"}


@dataclass
class FileResult:
    file: str
    form: str = None
    status: str = "refused"  # imported / checked (dry run) / refused
    application: dict = None
    problems: list = field(default_factory=list)
    fields: list = field(default_factory=list)  # Chinese labels of the fields read
    application_id: int = None
    summary_id: int = None
    duplicate_of: int = None  # an application of the same institution, call, tier and title

    def as_json(self):
        return {
            "file": self.file,
            "form": self.form,
            "application": self.application,
            "problems": [p.as_dict() for p in self.problems],
        }

    @property
    def errors(self):
        return [p for p in self.problems if p.severity == "error"]


class _Rollback(Exception):
    """Raised inside the transaction to undo a dry run or a refused file."""


class Lookups:
    """What every file of one run looks up the same way: calls (with their rules and topic
    areas), the catalogues' domains and departments. Read once per run, not once per file."""

    def __init__(self):
        self._calls, self._domains, self._departments = {}, {}, {}

    def call(self, year):
        if year not in self._calls:
            self._calls[year] = find_call(year)
        return self._calls[year]

    def domain(self, name):
        if name not in self._domains:
            self._domains[name] = _by_name(ProfessionalDomain, name)
        return self._domains[name]

    def department(self, name, level):
        if (name, level) not in self._departments:
            self._departments[name, level] = _by_name(CompetentDepartment, name, level=level)
        return self._departments[name, level]


# What to do when a form matches an existing application (decision 0016): never a silent duplicate.
ASK, UPDATE, COPY = "ask", "update", "copy"
ON_DUPLICATE = {ASK: "提示，不导入", UPDATE: "更新原草稿", COPY: "另存为副本"}


def import_source(source: Source, *, actor, dry_run=False, lookups=None, on_duplicate=ASK):
    lookups = lookups or Lookups()
    result = FileResult(file=source.name)
    if source.refused is not None:
        result.problems.append(Problem(source.refused.code, "error", source.refused.message))
        return result
    try:
        doc = read_document(open_docx(source.data))
    except Refused as refused:
        result.problems.append(Problem(refused.code, "error", refused.message))
        return result
    form = recognise(doc)
    if form is None:
        result.problems.append(Problem("import.unknown_form", "error", "无法识别表格：不是附件1、附件2或附件3。"))
        return result
    result.form = form
    try:
        if form == "att3":
            _import_summary(result, parse_summary(doc), source, actor, dry_run, lookups)
        else:
            parsed = parse_application_form(doc, form)
            _import_application(result, parsed, source, actor, dry_run, lookups, on_duplicate)
    except Refused as refused:
        result.status = "refused"
        result.application_id = result.summary_id = None
        result.problems.append(Problem(refused.code, "error", refused.message))
    return result


def import_sources(sources, *, actor, dry_run=False, on_duplicate=ASK):
    lookups = Lookups()
    for source in sources:
        yield import_source(source, actor=actor, dry_run=dry_run, lookups=lookups, on_duplicate=on_duplicate)


# --- matching -------------------------------------------------------------------------


def find_call(year):
    calls = Call.objects.prefetch_related("tier_rules", "topic_areas")
    call = calls.filter(year=year).first() if year else None
    return call or calls.filter(is_open=True).order_by("-year").first()


def find_institution(name, uscc):
    institutions = Institution.objects.prefetch_related("programme_records")  # the rule checks read them
    if uscc:
        found = institutions.filter(uscc=uscc).first()
        if found:
            return found
    if name:
        found = institutions.filter(name=name.strip()).first()
        if found:
            return found
        key = compact(name)
        for candidate in Institution.objects.filter(name__contains=key[:4]).only("id", "name"):
            if compact(candidate.name) == key:
                return institutions.get(pk=candidate.pk)
    return None


def may_import_for(actor, institution):
    return actor.has_perm("documents.import_for_institution", institution)


def _by_name(model, name, **preferred):
    if not name:
        return None
    queryset = model.objects.filter(name=name.strip())
    return queryset.filter(**preferred).first() or queryset.first()


def _split_venue(venue):
    venue = (venue or "").strip()
    if not venue:
        return "", ""
    parts = venue.split(None, 1)
    if len(parts) == 2:
        return parts[0], parts[1]
    if venue.endswith(("市", "县", "区")) and len(venue) <= 10:
        return venue, ""
    return "", venue


# --- 附件1 / 附件2 -------------------------------------------------------------------------


def model_fields(parsed):
    """Application field values from a parsed record (before validation)."""
    rec = parsed.record
    description, planned, scope = split_trainees(rec["trainees"], parsed.tagged)
    city, place = _split_venue(rec["venue"])
    fields = {
        "start_date": rec["start"],
        "end_date": rec["end"],
        "venue_city": city,
        "venue_place": place,
        "funding": FUNDING_VALUES.get(rec["funding"], ""),
        "funding_source": rec["funding_source"],
        "content_summary": parsed.schedule.summary if parsed.schedule else rec["content"],
        "lecturer_summary": parsed.lecturer_rows.summary if parsed.lecturer_rows else rec["lecturers"],
        "trainee_description": description,
        "planned_trainees": planned,
        "recruitment_scope": scope,
        "base_status": rec["base"],
        "base_batch": rec["base_batch"],
    }
    # Every field printed as typed in a slot of its own, read back as is (the catalogue's verbatim fields).
    fields.update({spec.name: rec.get(spec.key, "") for spec in catalogue.verbatim(parsed.form)})
    return {name: fields[name] for name in catalogue.names() if name in fields}  # in the form's order


def form_label(form, name):
    """The label of model field `name` as the form (att1 / att2) prints it."""
    return catalogue.read_from(name, form)


def _validated(fields, parsed):
    """Drop (and report) each value the model would refuse; keep the rest."""
    clean = {}
    for name, value in fields.items():
        model_field = Application._meta.get_field(name)
        try:
            clean[name] = model_field.clean(value, None) if value not in (None, "") else value
        except ValidationError as invalid:
            label = form_label(parsed.form, name)
            parsed.problem(
                f"import.invalid.{name}", f"“{label}”的内容“{value}”未导入：{'；'.join(invalid.messages)}", "error"
            )
            clean[name] = None if model_field.null else ""
    return clean


# What the import report says was read, in the form's order; a verbatim field the catalogue adds
# is reported after these, by its own label.
READ_REPORT = (
    ("title", "项目名称"),
    ("start", "办班时间"),
    ("venue", "办班地点"),
    ("domain", FIELD_LABELS["domain"]),
    ("department", "行业主管部门"),
    ("funding", "申报项目类别"),
    ("scope", "选题范围"),
    ("purpose", "研修目的和作用"),
    ("content", "研修内容和方式"),
    ("lecturers", "授课专家情况"),
    ("trainees", "研修对象"),
    ("host", "承办单位名称"),
    ("contact", "联系人"),
    ("office_phone", "办公电话"),
    ("mobile", "手机"),
    ("fax", "传真"),
    ("address", "地址"),
    ("base", "是否继续教育基地"),
)


def _fields_read(parsed):
    record = parsed.record
    own = FORM_LABELS.get(record.get("form"), {})
    read = []
    for key, label in READ_REPORT:
        if record.get(key):
            read.append(own.get(key, label))
    form = record.get("form")
    read.extend(
        spec.label_on(form)
        for spec in catalogue.verbatim(form)
        if spec.key not in dict(READ_REPORT) and record.get(spec.key)
    )
    if parsed.schedule and parsed.schedule.rows:
        read.append(f"日程安排{len(parsed.schedule.rows)}条")
    if parsed.lecturer_rows and parsed.lecturer_rows.rows:
        read.append(f"授课专家{len(parsed.lecturer_rows.rows)}人")
    if parsed.submitted:
        read.append("申报时间")
    return read


def _unreadable(parsed):
    """The form's structure was not read: its title or host, or whole labelled fields, are missing."""
    return [p for p in parsed.problems if p.severity == "error" and p.code.startswith(UNREAD)]


UNREAD = ("import.missing.", "import.unread.")


def _checks(application, sessions, lecturers, claims, *, institution):
    ctx = CheckContext(
        application=application,
        rule=application.call.tier_rule(application.tier),
        sessions=sessions,
        lecturers=lecturers,
        claims=claims,
        now=clock.now(),
    )
    return [Problem(c.code, c.severity.value, c.message) for c in run_checks_on(ctx, institution=institution)]


def find_existing(call, institution, tier, title):
    """The application this form is a re-import of: same institution, call, tier and title (the
    generated forms carry no key of their own), the latest if several."""
    title = (title or "").strip()
    if not title:
        return None
    return (
        Application.objects.filter(call=call, institution=institution, tier=tier, title=title).order_by("-pk").first()
    )


def _duplicate_refusal(existing, institution):
    where = f"系统中已有“{institution.name}”同一年度、同一级别、同名的申报（编号{existing.pk}，{existing.get_state_display()}）"
    if existing.is_editable:
        choice = "如要用这份文件更新原草稿，请选择“更新原草稿”后重新导入；如确要另建一份，请选择“另存为副本”。"
    else:
        choice = "原申报已不是草稿，不能更新；如确要另建一份草稿，请选择“另存为副本”后重新导入。"
    return Refused(code="import.duplicate", reason=f"{where}，为免重复未导入。{choice}")


def _import_application(result, parsed, source, actor, dry_run, lookups, on_duplicate=ASK):
    rec = parsed.record
    result.fields = _fields_read(parsed)
    call = lookups.call(parsed.year)
    institution = find_institution(rec["host"], parsed.uscc)
    result.problems.extend(parsed.problems)
    result.application = record_json(rec, call=call.year if call else None, submitted=iso(parsed.submitted))
    unread = _unreadable(parsed)
    if unread:
        raise Refused(
            code="import.incomplete",
            reason=f"未能读取这份{FORM_NAMES[rec['form']]}（{'；'.join(p.message.rstrip('。') for p in unread)}），不能导入。"
            "请使用系统生成的申报表或官方空白表填写，不要删改表格的栏目。",
        )
    if call is None:
        raise Refused(code="import.no_call", reason="系统中没有对应年度的申报通知，无法导入。")
    if institution is not None and not may_import_for(actor, institution):
        raise Refused(code="import.not_allowed", reason=f"您无权为“{institution.name}”导入申报。")

    fields = _validated(model_fields(parsed), parsed)
    national = rec["form"] == "att1"
    level = CompetentDepartment.Level.NATIONAL if national else CompetentDepartment.Level.PROVINCIAL
    fields["domain"] = lookups.domain(rec["domain"]) if rec["domain"] else None
    fields["competent_department"] = lookups.department(rec["department"], level) if rec["department"] else None
    if rec["domain"] and fields["domain"] is None:
        label = FORM_LABELS[rec["form"]]["domain"]
        parsed.problem("import.unknown_domain", f"“{label}”的“{rec['domain']}”不在专业技术领域目录中，未导入该项。")
    if rec["department"] and fields["competent_department"] is None:
        parsed.problem(
            "import.unknown_department",
            f"“选题所属行业主管部门”的“{rec['department']}”不在行业主管部门目录中，未导入该项。",
        )
    areas = {a.code: a for a in call.topic_areas.all()}
    claims = {areas[code]: rec["scope_text"].get(code, "") for code in rec["scope"] if code in areas}
    sessions = parsed.schedule.rows if parsed.schedule else []
    lecturers = parsed.lecturer_rows.rows if parsed.lecturer_rows else []
    result.problems = list(parsed.problems)
    values = {"call": call, "tier": rec["tier"], "fields": fields, "sessions": sessions, "lecturers": lecturers}

    if institution is None:
        # Not registered yet: nothing is saved, but every finding that does not depend on the
        # institution is reported, so the clerk sees them before registering anyone.
        draft, rows, people, topic_claims = editing.unsaved_draft(institution=None, claims=claims, **values)
        result.problems.extend(_checks(draft, rows, people, topic_claims, institution=False))
        raise Refused(
            code="import.unknown_institution",
            reason=f"系统中没有承办单位“{rec['host']}”（按统一社会信用代码或单位名称匹配），请先登记该单位；"
            "不涉及承办单位的规则检查结果已列出。",
        )
    existing = find_existing(call, institution, rec["tier"], fields.get("title"))
    if existing is not None:
        result.duplicate_of = existing.pk
        refusal = _duplicate_refusal(existing, institution)
        if on_duplicate == UPDATE and not existing.is_editable:
            raise refusal
        if on_duplicate not in (UPDATE, COPY):
            if not dry_run:
                raise refusal
            parsed.problem(refusal.code, refusal.reason, "warning")  # a trial run says what a real one would do
            result.problems = list(parsed.problems)
    updating = existing is not None and on_duplicate == UPDATE
    try:
        with transaction.atomic():
            if updating:
                application = editing.update_from_import(
                    existing,
                    fields=fields,
                    sessions=sessions,
                    lecturers=lecturers,
                    claims=claims,
                    actor=actor,
                    source_name=source.name,
                )
                rows, people = list(application.sessions.all()), list(application.lecturers.all())
                topic_claims = application.claims_with_areas()
            else:
                copy_of = f"（另存为副本，原申报编号{existing.pk}）" if existing is not None else ""
                application = editing.create_imported_draft(
                    institution=institution, claims=claims, actor=actor, source_name=source.name + copy_of, **values
                )
                cache = application._prefetched_objects_cache
                rows, people, topic_claims = cache["sessions"], cache["lecturers"], cache["topic_claims"]
            exported = application_json(application)
            exported["submitted"] = iso(parsed.submitted)  # the form's 申报时间 (a draft is not submitted)
            checks = _checks(application, rows, people, topic_claims, institution=True)
            if dry_run:
                exported["id"] = None
                raise _Rollback
    except _Rollback:
        pass
    except (Refused, ValidationError) as refusal:
        messages = refusal.messages if isinstance(refusal, ValidationError) else [str(refusal)]
        raise Refused(code="import.refused", reason="；".join(messages)) from refusal
    result.application = exported
    result.problems.extend(checks)
    result.status = "checked" if dry_run else ("updated" if updating else "imported")
    result.application_id = None if dry_run else application.pk


# --- 附件3 ------------------------------------------------------------------------------------


def _import_summary(result, parsed, source, actor, dry_run, lookups):
    rec = parsed.record
    result.problems.extend(parsed.problems)
    result.fields = ["主管部门", "填表日期", f"{len(rec['rows'])}个项目"]
    call = lookups.call(parsed.year)
    matches = []
    for row in rec["rows"]:
        queryset = Application.objects.visible_to(actor).filter(title=row["title"])
        if call:
            queryset = queryset.filter(call=call)
        application = queryset.filter(host_name=row["host"]).first() or queryset.first()
        matches.append(application.pk if application else None)
        if application is None:
            result.problems.append(
                Problem("import.summary_unmatched", "warning", f"汇总表中的“{row['title']}”在系统中没有对应的申报。")
            )
    result.application = record_json(rec, call=call.year if call else None)
    result.application["applications"] = matches
    if parsed.problems and any(p.severity == "error" for p in parsed.problems):
        raise Refused(code="import.summary_invalid", reason="汇总表内容不完整，未导入。")
    authority = Authority.objects.filter(name=rec["authority"]).first() if rec["authority"] else None
    try:
        with transaction.atomic():
            sheet = SummarySheet.objects.create(
                call=call,
                authority=authority,
                authority_name=rec["authority"],
                filled_on=rec["date"],
                source_name=source.name[:300],
                rows=result.application["rows"],
                imported_by=actor,
            )
            sheet.applications.set([pk for pk in matches if pk])
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    result.status = "checked" if dry_run else "imported"
    result.summary_id = None if dry_run else sheet.pk
