"""A plain-text picture of an application, to show what changed since it was returned."""

from ..interfaces.form_context import lecturer_text, schedule_text

FIELDS = [
    "title",
    "start_date",
    "end_date",
    "venue_city",
    "venue_place",
    "domain",
    "competent_department",
    "funding",
    "funding_source",
    "purpose",
    "content_summary",
    "lecturer_summary",
    "trainee_description",
    "planned_trainees",
    "recruitment_scope",
    "trainee_title_levels",
    "host_name",
    "host_contact",
    "host_office_phone",
    "host_mobile",
    "host_fax",
    "host_address",
    "base_status",
    "base_batch",
    "declares_independent_hosting",
    "declares_no_trainee_fees",
    "declares_mainly_offline",
]


def _display(application, name):
    field = application._meta.get_field(name)
    value = getattr(application, name)
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
    picture["选题范围"] = "\n".join(
        f"{c.area.name}：{c.explanation}" for c in application.topic_claims.select_related("area")
    )
    return picture


def diff(before, after):
    """[(label, before, after)] for every label whose text changed, in form order."""
    labels = list(after) + [label for label in before if label not in after]
    return [
        (label, before.get(label, ""), after.get(label, ""))
        for label in labels
        if before.get(label, "") != after.get(label, "")
    ]
