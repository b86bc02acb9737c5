"""The application as plain text: the official form's wording of the schedule and the
lecturers (printed by form_context, matched by documents.embedded on import), and the
field-by-field picture that shows what changed since an application was returned."""

from yanxiu.core.masks import mask_phone

from .. import catalogue

FIELDS = catalogue.names()  # every field the institution fills, in the form's order


def schedule_text(application):
    lines = []
    if application.content_summary:
        lines.append(application.content_summary)
    for s in application.sessions.all():
        speaker = f"（主讲：{s.speaker}）" if s.speaker else ""
        online = "，线上" if s.mode == "online" else ""
        lines.append(
            f"{s.date.month}月{s.date.day}日{s.get_half_day_display()} {s.get_format_display()}：{s.topic}{speaker}{online}"
        )
    return "\n".join(lines)


def lecturer_text(application):
    lines = []
    if application.lecturer_summary:
        lines.append(application.lecturer_summary)
    for lecturer in application.lecturers.all():
        mark = "★" if lecturer.is_highlighted else ""
        position = lecturer.position or lecturer.get_title_display()
        topic = f"，授课内容：{lecturer.topic}" if lecturer.topic else ""
        lines.append(f"{mark}{lecturer.name}，{lecturer.affiliation}{position}{topic}")
    return "\n".join(lines)


# Kept in the audit trail: a personal number is stored masked there (it is encrypted on the application).
MASKED = {"host_mobile": mask_phone}


def _display(application, name):
    field = application._meta.get_field(name)
    value = getattr(application, name)
    if name in MASKED:
        return MASKED[name](value)
    if field.choices and value:
        return str(getattr(application, f"get_{name}_display")())
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(value)
    return "" if value is None else str(value)


def snapshot(application):
    """{label: text} for every field of the form, with the schedule, lecturers and topic claims."""
    picture = {str(application._meta.get_field(name).verbose_name): _display(application, name) for name in FIELDS}
    picture["日程安排"] = schedule_text(application)
    picture["授课专家"] = lecturer_text(application)
    picture["选题范围"] = "\n".join(f"{c.area.name}：{c.explanation}" for c in application.claims_with_areas())
    return picture


def diff(before, after):
    """[(label, before, after)] for every label whose text changed, in form order."""
    labels = list(after) + [label for label in before if label not in after]
    return [
        (label, before.get(label, ""), after.get(label, ""))
        for label in labels
        if before.get(label, "") != after.get(label, "")
    ]
