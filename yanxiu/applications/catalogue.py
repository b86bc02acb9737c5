"""The application's fields, declared once (issue 21; decision 0031).

Every field of 附件1 / 附件2 that an institution fills is one `Field` here: its model name, its
label (and each form's own wording), the editor's section, its Word slot, whether the notice requires
it, its type in the REST API and its key in the export. The lists that used to be kept by hand are
read from this table (`DERIVED_BY` names them); `tests/applications/test_catalogue.py` holds the
model and every derived list to it.

Adding a plain text field to 附件2 touches `ADD_A_FIELD`: the model (and its migration), this
table (one `Field`, one `WordSlot`) and the blank form `documents/blanks/att2.docx` (the row). The
editor, the required check, the change diff, the Word form, the import (tagged or by label), the
HTML preview, the JSON export and the API read it from here.

This module imports nothing of the project: it is the bottom of the app (contract in-app, beside
`enums`), so models, domain, interfaces, documents and the API may all read it.
"""

from dataclasses import dataclass, field
from datetime import date

NATIONAL, PROVINCIAL = "att1", "att2"
BOTH = (NATIONAL, PROVINCIAL)

# The editor's sections, in the form's order: key, heading.
SECTIONS = (
    ("basic", "基本信息"),
    ("topic", "选题范围"),
    ("purpose", "研修目的和作用"),
    ("content", "研修内容和方式"),
    ("lecturers", "授课专家情况"),
    ("trainees", "研修对象"),
    ("host", "承办单位信息"),
    ("declarations", "承诺事项"),
)

# Printed hints inside value cells ("（包括但不限于……）"): generation keeps a hint only while the
# field is empty; import strips a hint left in front of the typed text.
HINT_CONTENT = "（包括但不限于主题报告、专题研讨、学术交流、现场教学）"
HINT_LECTURERS = "（如有院士或省部级领导出席，请重点阐述）"
HINT_TRAINEES_NATIONAL = "（应面向全国招收，研修学员一般应是具有中高级职称的专业技术人员，或是在管理岗位工作的经营管理人员，并应向基层一线人才倾斜）"


@dataclass(frozen=True)
class WordSlot:
    """A place on the official form, named by its content-control tag (`yx:<key>`).

    `cells`: its (table row, cell index in the row) on each form that prints it (documents.layout
    makes its `TEXT_SLOTS` of the text cells, and its tick-box and opinion cells of the others, so a
    row added to a blank form renumbers the rows below it here only); a slot without cells lives
    inside another's cell (funding.source, base.batch). `kind`: "text" (written as text), "ticks"
    (tick boxes) or "opinion" (the authority's stamped opinion). `labels`: a form's own wording
    where it differs from `label`. `aliases`: other labels an imported form may carry for it.
    """

    key: str
    label: str
    cells: dict = field(default_factory=dict)
    labels: dict = field(default_factory=dict)
    hints: dict = field(default_factory=dict)
    aliases: tuple = ()
    kind: str = "text"

    def label_on(self, form):
        return self.labels.get(form, self.label)


SLOTS = (
    WordSlot("title", "项目名称", {NATIONAL: (0, 1), PROVINCIAL: (0, 1)}),
    WordSlot("period", "办班时间", {NATIONAL: (1, 1), PROVINCIAL: (1, 1)}),
    WordSlot("venue", "办班地点", {NATIONAL: (1, 3), PROVINCIAL: (1, 3)}),
    WordSlot(
        "domain",
        "选题所属领域",
        {NATIONAL: (2, 1), PROVINCIAL: (2, 1)},
        labels={NATIONAL: "选题所属行业领域", PROVINCIAL: "选题所属专业技术领域"},
    ),
    WordSlot("department", "选题所属行业主管部门", {NATIONAL: (2, 3), PROVINCIAL: (2, 3)}),
    WordSlot("funding", "申报项目类别", {NATIONAL: (3, 1)}, kind="ticks"),
    WordSlot("funding.source", "自筹经费来源"),
    WordSlot("scope", "是否符合选题范围", {NATIONAL: (4, 1), PROVINCIAL: (3, 1)}, kind="ticks"),
    WordSlot("purpose", "研修目的和作用", {NATIONAL: (5, 1), PROVINCIAL: (4, 1)}),
    WordSlot(
        "content",
        "研修内容和方式",
        {NATIONAL: (6, 1), PROVINCIAL: (5, 1)},
        hints={NATIONAL: HINT_CONTENT, PROVINCIAL: HINT_CONTENT},
    ),
    WordSlot("lecturers", "授课专家情况", {NATIONAL: (7, 1), PROVINCIAL: (6, 1)}, hints={NATIONAL: HINT_LECTURERS}),
    WordSlot(
        "trainees",
        "研修（培训）对象",
        {NATIONAL: (8, 1), PROVINCIAL: (7, 1)},
        labels={NATIONAL: "研修对象", PROVINCIAL: "培训对象"},
        hints={NATIONAL: HINT_TRAINEES_NATIONAL},
    ),
    # Rows 9-11 of 附件1 (申报单位信息) belong to the province office: left empty (附件4 第2条).
    # The 承办单位信息 rows: read by label within that section (申报单位信息 has the same labels).
    WordSlot("host.name", "承办单位名称", {NATIONAL: (12, 2), PROVINCIAL: (8, 2)}, aliases=("单位名称",)),
    WordSlot("host.contact", "联系人", {NATIONAL: (12, 4), PROVINCIAL: (8, 4)}),
    WordSlot("host.office_phone", "办公电话", {NATIONAL: (13, 2), PROVINCIAL: (9, 2)}),
    WordSlot("host.mobile", "手机", {NATIONAL: (13, 4), PROVINCIAL: (9, 4)}),
    WordSlot("host.fax", "传真", {NATIONAL: (14, 2), PROVINCIAL: (10, 2)}),
    WordSlot("host.address", "地址", {NATIONAL: (14, 4), PROVINCIAL: (10, 4)}),
    WordSlot("base", "是否继续教育基地", {NATIONAL: (15, 2), PROVINCIAL: (11, 2)}, kind="ticks"),
    WordSlot("base.batch", "国家级基地批次"),
    WordSlot(
        "opinion", "审核意见", {PROVINCIAL: (12, 1)}, aliases=("省直主管单位或设区市人社部门审核意见",), kind="opinion"
    ),
)
SLOT = {slot.key: slot for slot in SLOTS}


@dataclass(frozen=True)
class Api:
    """The field in the REST API: the type a draft sends (`of`, with pydantic limits) and the one a
    reader gets (`out`; by default `of`, `| None` where the model allows no value)."""

    of: type
    out: object = None
    limits: dict = field(default_factory=dict)


def text(max_length):
    return Api(str, limits={"max_length": max_length})


@dataclass(frozen=True)
class Field:
    """One field an institution fills.

    name: the model field; label: its name in messages (a form's own wording in `labels`);
    section: the editor's section; forms: which forms carry it (附件1 `att1`, 附件2 `att2`);
    slot: the `WordSlot` it is printed in (several fields may share one: 办班时间 holds both dates);
    key: its key in the JSON export and the import record, for a field printed as typed in a slot of
    its own (`verbatim`); required: the notice asks for it (`required_message` where 请填写 is wrong).
    """

    name: str
    label: str
    section: str
    api: Api
    forms: tuple = BOTH
    labels: dict = field(default_factory=dict)
    slot: str = ""
    key: str = ""
    required: bool = False
    required_message: str = ""

    def label_on(self, form):
        return self.labels.get(form, self.label)

    def on(self, form):
        return form in self.forms

    @property
    def verbatim(self):
        """Printed as typed in a Word slot of its own, read back as is: generation, import and
        export handle it with no code of its own."""
        return bool(self.key)


LONG = text(5000)

FIELDS = (
    Field("title", "项目名称", "basic", text(200), slot="title", key="title", required=True),
    Field("start_date", "办班开始日期", "basic", Api(date), slot="period", required=True),
    Field("end_date", "办班结束日期", "basic", Api(date), slot="period", required=True),
    Field("venue_city", "办班城市", "basic", text(100), slot="venue", required=True),
    Field("venue_place", "办班地点", "basic", text(200), slot="venue", required=True),
    Field(
        "domain",
        "选题所属专业技术领域",
        "basic",
        Api(int, out=str, limits={"description": "专业技术领域编号"}),
        labels={NATIONAL: "选题所属行业领域"},
        slot="domain",
        required=True,
    ),
    Field(
        "competent_department",
        "选题所属行业主管部门",
        "basic",
        Api(int, out=str, limits={"description": "行业主管部门编号"}),
        slot="department",
        required=True,
    ),
    Field("funding", "申报项目类别", "basic", text(20), forms=(NATIONAL,), slot="funding"),
    Field("funding_source", "自筹经费来源", "basic", text(200), forms=(NATIONAL,), slot="funding.source"),
    Field("purpose", "研修目的和作用", "purpose", LONG, slot="purpose", key="purpose", required=True),
    Field("content_summary", "研修内容和方式", "content", LONG, slot="content"),
    Field("lecturer_summary", "授课专家情况", "lecturers", LONG, slot="lecturers"),
    Field(
        "trainee_description",
        "研修对象",
        "trainees",
        LONG,
        labels={PROVINCIAL: "培训对象"},
        slot="trainees",
        required=True,
    ),
    Field(
        "planned_trainees",
        "计划招收学员人数",
        "trainees",
        Api(int, limits={"ge": 0, "le": 1_000_000}),
        slot="trainees",
        required=True,
    ),
    Field("recruitment_scope", "招收范围", "trainees", text(20), slot="trainees", required=True),
    Field(
        "trainee_title_levels",
        "学员职称要求",
        "trainees",
        Api(list[str], limits={"max_length": 10}),
        required=True,
        required_message="请选择学员职称要求。",
    ),
    Field("host_name", "承办单位名称", "host", text(200), slot="host.name", key="host", required=True),
    Field("host_contact", "联系人", "host", text(100), slot="host.contact", key="contact", required=True),
    Field(
        "host_office_phone", "办公电话", "host", text(50), slot="host.office_phone", key="office_phone", required=True
    ),
    Field("host_mobile", "手机", "host", text(50), slot="host.mobile", key="mobile", required=True),
    Field("host_fax", "传真", "host", text(50), slot="host.fax", key="fax"),
    Field("host_address", "地址", "host", text(300), slot="host.address", key="address", required=True),
    Field("base_status", "是否继续教育基地", "host", text(20), slot="base", required=True),
    Field("base_batch", "国家级基地批次", "host", Api(int, limits={"ge": 0, "le": 1000}), slot="base.batch"),
    Field("declares_independent_hosting", "独立承办", "declarations", Api(bool)),
    Field("declares_no_trainee_fees", "不向学员收费", "declarations", Api(bool)),
    Field("declares_mainly_offline", "以线下研修为主", "declarations", Api(bool)),
)
FIELD = {f.name: f for f in FIELDS}

# The model's fields an institution does not fill: the workflow, the authority and the system set them.
NOT_FILLED = frozenset(
    {
        "id",
        "call",
        "tier",
        "institution",
        "state",
        "version",
        "check_summary",
        "authority_opinion",
        "authority_opinion_at",
        "authority_rank",
        "fallback_from_national",
        "batch",
        "created_by",
        "created_at",
        "updated_at",
        "submitted_at",
    }
)

# The modules that read this table instead of keeping a list of their own.
DERIVED_BY = (
    "yanxiu/applications/domain/snapshot.py",  # FIELDS: the change diff's fields
    "yanxiu/applications/domain/checks.py",  # REQUIRED_FIELDS and each form's labels
    "yanxiu/applications/interfaces/forms.py",  # the editor's SECTIONS and fields per form
    "yanxiu/applications/interfaces/form_context.py",  # OfficialForm.texts and the preview's rows
    "yanxiu/documents/layout.py",  # TEXT_SLOTS, FIELD_LABELS, FORM_LABELS, the hints
    "yanxiu/documents/generate/forms_docx.py",  # the verbatim slots it fills
    "yanxiu/documents/imports/parse_forms.py",  # LABELS and the verbatim slots it reads
    "yanxiu/documents/imports/importer.py",  # READ_FROM and the verbatim fields it maps
    "yanxiu/documents/interfaces/export.py",  # FORM_KEYS and the verbatim keys
    "yanxiu/api/routers/applications.py",  # DraftFieldsIn and ApplicationDetailOut
)

# The files a new plain text field of 附件2 touches by hand (tools/house.py prints how many); its
# migration is written by `makemigrations`.
ADD_A_FIELD = (
    "yanxiu/applications/models.py",  # the column (and its migration)
    "yanxiu/applications/catalogue.py",  # one Field, one WordSlot
    "yanxiu/documents/blanks/att2.docx",  # the row on the blank form
)


def for_form(form):
    return [f for f in FIELDS if f.on(form)]


def names():
    return [f.name for f in FIELDS]


def in_section(section):
    return [f.name for f in FIELDS if f.section == section]


def required():
    return [f for f in FIELDS if f.required]


def verbatim(form=None):
    return [f for f in FIELDS if f.verbatim and (form is None or f.on(form))]


def read_from(name, form):
    """The label, as the form prints it, of the slot model field `name` is read from."""
    slot = FIELD[name].slot if name in FIELD else ""
    return SLOT[slot].label_on(form) if slot else name
