"""Creating and editing applications (not state changes: see workflow.py).

Saves use an optimistic lock: the editor names the version it was loaded
from, and a save from an older version is refused instead of overwriting
someone else's work.
"""

import secrets
from decimal import Decimal

from django.db import transaction
from django.db.models import DecimalField, F, Model
from django.urls import reverse

from yanxiu.accounts.models import Role, User
from yanxiu.accounts.rules import require
from yanxiu.audit.log import record, record_change
from yanxiu.calls.enums import Tier
from yanxiu.core import clock
from yanxiu.core.dates import chinese_date
from yanxiu.core.refusal import Refused
from yanxiu.core.validators import normalise_spaces
from yanxiu.notifications.service import notify
from yanxiu.organisations.enums import BaseStatus

from ..enums import EDITABLE_STATES, ApplicationState, HalfDay
from ..models import Application, Attachment, Lecturer, ScheduleSession, TopicClaim, WarningReason


class EditConflict(Exception):
    """The application changed since the editor loaded it."""


def create_application(*, call, tier, institution, actor):
    """A new draft, with the host's details copied from the institution."""
    if not call.is_open:
        raise Refused(f"{call.year}年度申报未开放。")
    if tier not in Tier.values:
        raise Refused("申报级别不正确。")
    rule = call.tier_rule(tier)
    with transaction.atomic():
        application = Application.objects.create(
            call=call,
            tier=tier,
            institution=institution,
            created_by=actor,
            recruitment_scope=rule.recruitment_scope,
            host_name=institution.name,
            host_contact=institution.contact_person,
            host_office_phone=institution.office_phone,
            host_mobile=institution.mobile,
            host_fax=institution.fax,
            host_address=institution.address,
            base_status=institution.base_status or BaseStatus.NONE,
            base_batch=institution.base_batch,
            venue_city=institution.city,
        )
        record(application, action="create", label="创建", actor=actor, to_state=ApplicationState.DRAFT)
    return application


def unsaved_draft(*, call, tier, institution, fields, sessions, lecturers, claims):
    """An application as it would be created from these values, in memory only: the
    Application with its rows and claims, each normalised as `save_draft` does.
    `institution` may be None (an import whose host is not registered yet)."""
    rule = call.tier_rule(tier)
    application = Application(call=call, tier=tier, recruitment_scope=rule.recruitment_scope)
    if institution is not None:
        application.institution = institution
        application.host_name = institution.name
        application.host_contact = institution.contact_person
        application.host_office_phone = institution.office_phone
        application.host_mobile = institution.mobile
        application.host_fax = institution.fax
        application.host_address = institution.address
        application.base_status = institution.base_status or BaseStatus.NONE
        application.base_batch = institution.base_batch
        application.venue_city = institution.city
    for name, value in fields.items():
        setattr(application, name, normalise_spaces(value))
    rows = [ScheduleSession(**{k: normalise_spaces(v) for k, v in row.items()}) for row in sessions]
    people = [Lecturer(**{k: normalise_spaces(v) for k, v in row.items()}) for row in lecturers]
    topic_claims = [TopicClaim(area=area, explanation=normalise_spaces(text)) for area, text in claims.items()]
    return application, rows, people, topic_claims


def create_imported_draft(*, call, tier, institution, fields, sessions, lecturers, claims, actor, source_name):
    """A draft from an imported form in one go: one insert for the application, one per kind
    of row, one audit entry (「从Word申报表导入」, to 草稿). The returned application carries its
    rows, so the report is built from what was read without reading it back."""
    if not call.is_open:
        raise Refused(f"{call.year}年度申报未开放。")
    if tier not in Tier.values:
        raise Refused("申报级别不正确。")
    application, rows, people, topic_claims = unsaved_draft(
        call=call,
        tier=tier,
        institution=institution,
        fields=fields,
        sessions=sessions,
        lecturers=lecturers,
        claims=claims,
    )
    application.created_by = actor
    # The domain and department come from the catalogues just looked up: no existence queries.
    application.full_clean(
        exclude=["call", "institution", "created_by", "tier", "state", "domain", "competent_department"],
        validate_unique=False,
        validate_constraints=False,
    )
    with transaction.atomic(savepoint=False):  # inside the importer's own transaction per file
        application.save(force_insert=True)
        for row in (*rows, *people, *topic_claims):
            row.application = application
        ScheduleSession.objects.bulk_create(rows)
        Lecturer.objects.bulk_create(people)
        TopicClaim.objects.bulk_create(topic_claims)
        record(
            application,
            action="import",
            label="从Word申报表导入",
            actor=actor,
            to_state=ApplicationState.DRAFT,
            reason=source_name[:300],
        )
    application._prefetched_objects_cache = {
        "sessions": sorted(rows, key=lambda s: (s.date, HalfDay.rank(s.half_day))),  # the models' orderings
        "lecturers": people,
        "topic_claims": sorted(topic_claims, key=lambda c: c.area.sort_order),
    }
    return application


def update_from_import(application, *, fields, sessions, lecturers, claims, actor, source_name):
    """Replace a draft's content with a re-imported form (decision 0016): only while it is in the
    applicant's hands (草稿 or 退回修改); audited with each changed field before and after."""
    if application.state not in EDITABLE_STATES:
        raise Refused(f"原申报当前状态为“{application.get_state_display()}”，不能用导入的申报表更新。")
    before = {name: str(getattr(application, name + "_id" if name in FOREIGN else name)) for name in fields}
    with transaction.atomic():
        save_draft(
            application,
            fields=fields,
            sessions=[_row_values(row) for row in sessions],
            lecturers=[_row_values(row) for row in lecturers],
            claims=claims,
            actor=actor,
            expected_version=application.version,
        )
        after = {name: str(getattr(application, name + "_id" if name in FOREIGN else name)) for name in fields}
        record(
            application,
            action="import_update",
            label="用Word申报表更新草稿",
            actor=actor,
            reason=source_name[:300],
            data={"changes": {k: [before[k], after[k]] for k in fields if before[k] != after[k]}},
        )
    return application


FOREIGN = ("domain", "competent_department")


def _row_values(row):
    """A parsed schedule or lecturer row as field values (dicts pass through)."""
    if isinstance(row, dict):
        return row
    return {f.name: getattr(row, f.name) for f in row._meta.concrete_fields if f.name not in ("id", "application")}


def _refuse_stale(current):
    if current.state not in EDITABLE_STATES:
        raise Refused(f"申报当前状态为“{current.get_state_display()}”，不能修改。")
    raise EditConflict(
        "保存失败：这份申报在您打开之后已被他人（或您在另一个窗口）修改并保存。"
        "为避免覆盖对方的内容，本次修改未保存；您输入的内容仍在页面上。"
    )


SESSION_COLUMNS = ("date", "half_day", "topic", "speaker", "format", "mode", "class_hours")
LECTURER_COLUMNS = ("name", "title", "position", "affiliation", "topic")


def _same_rows(stored, given):
    def key(row):
        return sorted((name, str(value)) for name, value in row.items())

    return sorted(map(key, stored)) == sorted(map(key, given))


def _row_dict(row, columns):
    return {name: getattr(row, name) for name in columns}


def _stored_rows(current):
    """The stored rows of `current` (read under its lock), as the checks read them."""
    return {
        "sessions": list(current.sessions.all()),
        "lecturers": list(current.lecturers.all()),
        "topic_claims": list(current.topic_claims.select_related("area")),
    }


def _changes(current, stored, fields, sessions, lecturers, claims):
    """The labels of what these values change on the stored application (`current`, its rows
    `stored`), and the names of the tables of rows that change."""
    changed, tables = [], set()
    for name, value in fields.items():
        field = Application._meta.get_field(name)
        new = value.pk if isinstance(value, Model) else value
        if getattr(current, field.attname) != new:
            changed.append(str(field.verbose_name))
    if sessions is not None and not _same_rows(
        [_row_dict(row, SESSION_COLUMNS) for row in stored["sessions"]], sessions
    ):
        changed.append("日程安排")
        tables.add("sessions")
    if lecturers is not None and not _same_rows(
        [_row_dict(row, LECTURER_COLUMNS) for row in stored["lecturers"]], lecturers
    ):
        changed.append("授课专家")
        tables.add("lecturers")
    given_claims = None if claims is None else {area.pk: text for area, text in claims.items()}
    if given_claims is not None and {c.area_id: c.explanation for c in stored["topic_claims"]} != given_claims:
        changed.append("选题范围")
        tables.add("topic_claims")
    return changed, tables


def _as_stored(rows):
    """New rows as the database gives them back: decimals to their field's places (3 → 3.0)."""
    for row in rows:
        for field in row._meta.concrete_fields:
            value = getattr(row, field.attname)
            if isinstance(field, DecimalField) and isinstance(value, Decimal):
                setattr(row, field.attname, value.quantize(Decimal(1).scaleb(-field.decimal_places)))
    return rows


def save_draft(
    application, *, fields, sessions=None, lecturers=None, claims=None, actor, expected_version, overrides=None
):
    """Save what the editor sends, all of it or nothing.

    `fields` are Application attributes (only these are written: the editor sends the fields
    whose values are valid and holds the others on the page, decision 0014); `sessions`,
    `lecturers` are lists of dicts replacing the current rows, `claims` maps TopicArea to
    explanation; a table given as None keeps its stored rows. Values equal to the stored ones
    write nothing and keep the version. A save from another version than the stored one is an
    EditConflict, unless `overrides` names that stored version: the user saw it beside their
    own (the editor's comparison) and chose to keep theirs; that overwrite is audited.
    """
    fields = {name: normalise_spaces(value) for name, value in fields.items()}
    if sessions is not None:
        sessions = [{k: normalise_spaces(v) for k, v in row.items()} for row in sessions]
    if lecturers is not None:
        lecturers = [{k: normalise_spaces(v) for k, v in row.items()} for row in lecturers]
    if claims is not None:
        claims = {area: normalise_spaces(text) for area, text in claims.items()}
    with transaction.atomic():
        current = Application.objects.select_for_update().get(pk=application.pk)
        if current.state not in EDITABLE_STATES:
            _refuse_stale(current)
        overwriting = overrides is not None and current.version == overrides != expected_version
        if current.version != expected_version and not overwriting:
            _refuse_stale(current)
        stored = _stored_rows(current)
        changed, tables = _changes(current, stored, fields, sessions, lecturers, claims)
        if not changed:
            application.version = current.version
            _keep_rows(application, stored)
            return application
        # The row is locked and its version and state were read under the lock (on SQLite the
        # transaction holds the write lock from its start): the new version is written with the fields.
        for name, value in fields.items():
            setattr(application, name, value)
        application.version = current.version + 1
        # A catalogue entry given as an instance was looked up by the caller (the editor's choice
        # lists hold the active ones); the foreign key holds it in the database.
        others = [
            f.name
            for f in Application._meta.concrete_fields
            if f.name not in fields or (f.is_relation and isinstance(fields[f.name], Model))
        ]
        application.full_clean(exclude=others, validate_unique=False, validate_constraints=False)
        application.save(update_fields=[*fields, "version", "updated_at"])
        # Only the tables whose rows change are replaced; the others keep their rows.
        if "sessions" in tables:
            application.sessions.all().delete()
            stored["sessions"] = sorted(
                _as_stored(
                    ScheduleSession.objects.bulk_create(
                        ScheduleSession(application=application, **row) for row in sessions
                    )
                ),
                key=lambda s: (s.date, HalfDay.rank(s.half_day)),  # the model's ordering
            )
        if "lecturers" in tables:
            application.lecturers.all().delete()
            stored["lecturers"] = Lecturer.objects.bulk_create(
                Lecturer(application=application, **row) for row in lecturers
            )
        if "topic_claims" in tables:
            application.topic_claims.all().delete()
            stored["topic_claims"] = sorted(
                TopicClaim.objects.bulk_create(
                    TopicClaim(application=application, area=area, explanation=text) for area, text in claims.items()
                ),
                key=lambda c: c.area.sort_order,
            )
        _keep_rows(application, stored)
        if overwriting:
            record(
                application,
                action="edit_override",
                label="保留本人修改（覆盖另一窗口保存的版本）",
                actor=actor,
                reason="、".join(changed)[:300],
                data={"overwritten_version": current.version, "fields": changed},
            )
    return application


def _keep_rows(application, stored):
    """The rows as saved, on the application: the checks after the save read them from here."""
    application._prefetched_objects_cache = {**getattr(application, "_prefetched_objects_cache", {}), **stored}


def _lock_editable(application, refusal):
    """Lock the application's row and read its state again: the workflow's submit locks the
    same row, so an upload, a deletion or a reason either lands before the submission or is refused."""
    state = Application.objects.select_for_update().values_list("state", flat=True).get(pk=application.pk)
    application.state = state
    if state not in EDITABLE_STATES:
        raise Refused(refusal)


@transaction.atomic
@transaction.atomic
def set_warning_reason(application, *, code, reason, actor):
    """The host's written reason for a warning (`code`: the check's), or none (an empty reason);
    recorded with the reason before and after."""
    if not application.adjustable_after_fallback:
        _lock_editable(application, "申报已提交，不能修改说明理由。")
    reason = reason.strip()
    before = WarningReason.objects.filter(application=application, code=code).values_list("reason", flat=True).first()
    if not reason:
        WarningReason.objects.filter(application=application, code=code).delete()
    else:
        WarningReason.objects.update_or_create(
            application=application, code=code, defaults={"reason": reason, "written_by": actor}
        )
        Application.objects.filter(pk=application.pk).update(version=F("version") + 1)
        application.refresh_from_db(fields=["version"])
    if (before or "") != reason:
        record_change(
            application,
            action="warning_reason",
            label="填写提醒的说明理由",
            actor=actor,
            before={code: before or ""},
            after={code: reason},
        )
    return reason or None


def add_attachment(application, *, uploaded, ext, kind, actor):
    with transaction.atomic():
        _lock_editable(application, "申报已提交，不能再添加附件。")
        attachment = Attachment(
            application=application,
            kind=kind,
            original_name=uploaded.name[:200],
            extension=ext,
            stored_token=secrets.token_hex(16),
            size=uploaded.size,
            uploaded_by=actor,
        )
        attachment.file.save("upload", uploaded, save=False)
        try:
            attachment.save()
            record(application, action="attach", label="上传附件", actor=actor, reason=attachment.original_name)
        except Exception:
            attachment.file.delete(save=False)
            raise
    return attachment


@transaction.atomic
def remove_attachment(attachment, *, actor):
    application = attachment.application
    _lock_editable(application, "申报已提交，不能删除附件。")
    name = attachment.original_name
    attachment.delete()
    record(application, action="detach", label="删除附件", actor=actor, reason=name)
    transaction.on_commit(lambda: attachment.file.delete(save=False))


ADJUSTABLE_AFTER_FALLBACK = {
    "start_date": "办班开始日期",
    "end_date": "办班结束日期",
    "planned_trainees": "计划招收学员人数",
    "recruitment_scope": "招收范围",
}


def adjust_after_fallback(application, *, actor, start_date, end_date, planned_trainees, recruitment_scope):
    """A national application fallen back to provincial keeps its place in the pool: its host
    adjusts dates and recruitment to the provincial rules without reapplying (decision 0009).
    The authority and the province office are told what changed."""
    require(actor, "applications.adjust_after_fallback", application)
    if not application.adjustable_after_fallback:
        raise Refused("只有转入省级、等待省人社厅遴选的申报可以调整办班时间和招收安排。")
    if end_date < start_date:
        raise Refused("结束日期早于开始日期，请检查办班时间。", errors={"end_date": "结束日期早于开始日期。"})
    if start_date <= clock.today():
        raise Refused(f"开班日期须晚于今天（{chinese_date(clock.today())}）。", errors={"start_date": "须晚于今天。"})
    if end_date > application.call.completion_date:
        raise Refused(f"应在{chinese_date(application.call.completion_date)}之前完成办班（通知二（一））。")
    if planned_trainees is None or planned_trainees < 1:
        raise Refused("请填写计划招收学员人数。", errors={"planned_trainees": "请填写人数。"})
    wanted = {
        "start_date": start_date,
        "end_date": end_date,
        "planned_trainees": planned_trainees,
        "recruitment_scope": recruitment_scope,
    }
    diff = {f: [str(getattr(application, f) or ""), str(v)] for f, v in wanted.items() if getattr(application, f) != v}
    if not diff:
        return application, {}
    with transaction.atomic():
        if not Application.objects.filter(
            pk=application.pk, state=application.state, version=application.version
        ).update(version=F("version") + 1, **wanted):
            raise Refused("刚被他人处理，请刷新页面后查看最新状态。")
        for name, value in wanted.items():
            setattr(application, name, value)
        application.version += 1
        record(application, action="adjust_after_fallback", label="转入省级后调整", actor=actor, data={"changes": diff})
        summary = "；".join(f"{ADJUSTABLE_AFTER_FALLBACK[f]}：{old} → {new}" for f, (old, new) in diff.items())
        notify(
            User.objects.filter(role=Role.PROVINCE_OFFICER, is_active=True)
            | User.objects.filter(
                role=Role.AUTHORITY_REVIEWER, authority_id=application.institution.authority_id, is_active=True
            ),
            f"【研修申报】{application}：转入省级后调整",
            f"{application.institution.name}按省级规则调整了申报：{summary}。",
            reverse("applications:detail", args=[application.pk]),
        )
    return application, diff
