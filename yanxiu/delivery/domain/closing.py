"""What a host hands in after the class, and the checks before it may submit."""

from django.db import transaction

from yanxiu.audit.log import record
from yanxiu.core import clock
from yanxiu.core.refusal import Refused
from yanxiu.core.uploads import validate_attachment

from ..enums import AccountsKind, EnrolmentState, FileKind, ProgrammeState
from ..models import Accounts, Attendance, ProgrammeFile
from .money import check_accounts
from .programmes import require_host

ALLOWED = {
    FileKind.CLOSURE_REPORT: (".pdf", ".docx", ".doc"),
    FileKind.PHOTO: (".jpg", ".jpeg", ".png"),
    FileKind.ACCOUNTS_SCAN: (".pdf", ".jpg", ".jpeg", ".png"),
    FileKind.ENROLMENT_NOTICE: (".pdf", ".docx", ".doc"),
}
MAX_PHOTOS = 20


def upload(programme, kind, uploaded, actor):
    require_host(actor, programme)
    if programme.state != ProgrammeState.PREPARING:
        raise Refused("结业材料已提交，不能再上传。")
    ext = validate_attachment(uploaded, ALLOWED[kind])
    with transaction.atomic():
        if kind == FileKind.PHOTO and programme.files.filter(kind=kind).count() >= MAX_PHOTOS:
            raise Refused(f"照片最多{MAX_PHOTOS}张。")
        if kind == FileKind.CLOSURE_REPORT:
            programme.files.filter(kind=kind).delete()  # one report: the newest replaces the old
        item = ProgrammeFile(
            programme=programme,
            kind=kind,
            original_name=(uploaded.name or "")[-200:],
            extension=ext,
            size=uploaded.size,
            uploaded_by=actor,
            uploaded_at=clock.now(),
        )
        item.file.save(f"{item.stored_token}{ext}", uploaded, save=False)
        item.save()
        record(
            programme,
            action="upload_" + kind,
            label=f"上传{FileKind(kind).label}",
            actor=actor,
            data={"file": item.original_name},
        )
    return item


def closing_problems(programme):
    problems = []
    kinds = set(programme.files.values_list("kind", flat=True))
    if FileKind.CLOSURE_REPORT not in kinds:
        problems.append("未上传总结报告")
    if FileKind.PHOTO not in kinds:
        problems.append("未上传办班照片")
    if not programme.trainees.filter(state=EnrolmentState.APPROVED).exists():
        problems.append("没有录取的学员")
    if not Attendance.objects.filter(trainee__programme=programme).exists():
        problems.append("未记录考勤")
    accounts = Accounts.objects.filter(application=programme.application, kind=AccountsKind.FINAL).first()
    if accounts is None:
        problems.append("未填写经费决算")
    else:
        errors = [r for r in check_accounts(accounts) if r.is_error]
        if errors:
            problems.append("经费决算未通过核对（" + errors[0].message + "）")
    return problems
