"""Forms for the application editor, attachments and workflow actions."""

from django import forms
from django.core.validators import MinValueValidator
from django.forms import formset_factory

from yanxiu.calls.enums import RecruitmentScope, Tier, TopicAreaCode
from yanxiu.calls.models import Call
from yanxiu.core.forms import HalfWidthForm
from yanxiu.core.validators import validate_plain_text
from yanxiu.organisations.models import Authority
from yanxiu.reference.models import CompetentDepartment, ProfessionalDomain

from .. import catalogue
from ..domain.stages import STAGE_CHOICES, in_stage
from ..enums import ApplicationState, AttachmentKind, TraineeTitleLevel
from ..models import Application, Lecturer, ScheduleSession

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"invalid": "请输入有效的日期（年-月-日）。"}

SECTIONS = [(key, label, catalogue.in_section(key)) for key, label in catalogue.SECTIONS]


class ApplicationForm(HalfWidthForm, forms.ModelForm):
    trainee_title_levels = forms.MultipleChoiceField(
        label="学员职称要求", choices=TraineeTitleLevel.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = Application
        fields = [name for _, _, names in SECTIONS for name in names]
        widgets = {
            "start_date": DATE_WIDGET,
            "end_date": DATE_WIDGET,
            "funding": forms.RadioSelect,
            "base_status": forms.RadioSelect,
            "recruitment_scope": forms.RadioSelect,
            "purpose": forms.Textarea(attrs={"rows": 5}),
            "content_summary": forms.Textarea(attrs={"rows": 3}),
            "lecturer_summary": forms.Textarea(attrs={"rows": 3}),
            "trainee_description": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "start_date": DATE_ERRORS,
            "end_date": DATE_ERRORS,
            "planned_trainees": {
                "invalid": "请输入整数人数。",
                "min_value": "学员人数至少为1人。",
                "max_value": "学员人数不能超过100000人，请检查是否多输入了数字。",
            },
            "base_batch": {
                "invalid": "请输入批次数字，如 10。",
                "min_value": "批次应为正整数（第1批起），如 10。",
            },
        }

    def __init__(self, *args, tier, **kwargs):
        super().__init__(*args, **kwargs)
        self.tier = tier
        level = CompetentDepartment.Level.NATIONAL if tier == Tier.NATIONAL else CompetentDepartment.Level.PROVINCIAL
        self.fields["competent_department"].queryset = CompetentDepartment.objects.active().filter(level=level)
        self.fields["competent_department"].label = (
            "选题所属行业主管部门（国家部委）" if tier == Tier.NATIONAL else "选题所属行业主管部门（省直部门）"
        )
        self.fields["domain"].queryset = ProfessionalDomain.objects.active()
        self.fields["domain"].label = "选题所属行业领域" if tier == Tier.NATIONAL else "选题所属专业技术领域"
        form = catalogue.NATIONAL if tier == Tier.NATIONAL else catalogue.PROVINCIAL
        for name in [name for name in self.fields if name in catalogue.FIELD and not catalogue.FIELD[name].on(form)]:
            del self.fields[name]
        if "funding" in self.fields:
            self.fields["funding"].choices = [c for c in self.fields["funding"].choices if c[0]]
        self.fields["base_status"].choices = [c for c in self.fields["base_status"].choices if c[0]]
        self.fields["recruitment_scope"].choices = [c for c in self.fields["recruitment_scope"].choices if c[0]]
        batch = self.fields["base_batch"]
        batch.min_value = 1
        # One message for 0 and −1 alike (the model's "≥ 0" would add a second one).
        batch.validators = [v for v in batch.validators if not isinstance(v, MinValueValidator)]
        batch.validators.append(MinValueValidator(1, "批次应为正整数（第1批起），如 10。"))
        self.fields["base_batch"].widget.attrs["min"] = "1"
        for name in ("domain", "competent_department"):
            self.fields[name].empty_label = "请选择"
            self.fields[name].error_messages["invalid_choice"] = "请从列表中选择。"
        for field in self.fields.values():
            field.required = False  # drafts may be incomplete: the checks say what is missing

    def _get_validation_exclusions(self):
        # The choice lists already looked the domain and the department up among the active
        # ones: the model's validation would only ask again whether they exist.
        return {*super()._get_validation_exclusions(), "domain", "competent_department"}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "结束日期早于开始日期，请检查办班时间。")
        return cleaned

    def sections(self):
        for key, label, names in SECTIONS:
            yield key, label, [self[name] for name in names if name in self.fields]


class LabelledRowForm(HalfWidthForm, forms.ModelForm):
    """A row of a table of rows: its cells have no <label>, so each input names itself
    (aria-label), with its row: "日程第2行 主讲人"."""

    row_word = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["aria-label"] = f"{self.row_label()} {field.label}"
            if isinstance(field, forms.ChoiceField):  # "请选择", not Django's "---------"
                field.choices = [(value, "请选择" if value == "" else label) for value, label in field.choices]

    def row_label(self):
        index = (self.prefix or "").rsplit("-", 1)[-1]
        return f"{self.row_word}第{int(index) + 1}行" if index.isdigit() else f"{self.row_word}新增行"


class SessionForm(LabelledRowForm):
    row_word = "日程"

    class Meta:
        model = ScheduleSession
        fields = ["date", "half_day", "topic", "speaker", "format", "mode", "class_hours"]
        widgets = {"date": DATE_WIDGET}
        error_messages = {
            "date": {**DATE_ERRORS, "required": "请填写日期。"},
            "topic": {"required": "请填写研修内容。"},
            "class_hours": {"max_value": "每个半天最多4学时。", "min_value": "学时至少0.5。"},
        }


class LecturerForm(LabelledRowForm):
    row_word = "专家"

    class Meta:
        model = Lecturer
        fields = ["name", "title", "position", "affiliation", "topic"]
        error_messages = {"name": {"required": "请填写专家姓名。"}, "affiliation": {"required": "请填写工作单位。"}}


class LabelledRowFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["aria-label"] = f"{form.row_label()} 删除此行"


SessionFormSet = formset_factory(
    SessionForm, formset=LabelledRowFormSet, extra=0, can_delete=True, max_num=60, validate_max=True
)
LecturerFormSet = formset_factory(
    LecturerForm, formset=LabelledRowFormSet, extra=0, can_delete=True, max_num=60, validate_max=True
)


class TopicScopeForm(HalfWidthForm, forms.Form):
    """One tick box and one explanation per topic-scope area of the call."""

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.areas = list(areas)
        for area in self.areas:
            self.fields[f"topic_{area.code}"] = forms.BooleanField(label=area.name, required=False)
            self.fields[f"topic_{area.code}_explanation"] = forms.CharField(
                label=f"{area.name}：说明",
                required=False,
                max_length=1000,
                validators=[validate_plain_text],
                widget=forms.Textarea(
                    attrs={
                        "rows": 2,
                        "placeholder": "说明项目如何符合这一选题范围",
                        "aria-label": f"{area.name}：说明项目如何符合",
                    }
                ),
            )

    def rows(self):
        for area in self.areas:
            yield area, self[f"topic_{area.code}"], self[f"topic_{area.code}_explanation"]

    def claims(self):
        data = self.cleaned_data
        return {
            area: data.get(f"topic_{area.code}_explanation", "").strip()
            for area in self.areas
            if data.get(f"topic_{area.code}")
        }

    @staticmethod
    def initial_for(application):
        initial = {}
        for claim in application.claims_with_areas():
            initial[f"topic_{claim.area.code}"] = True
            initial[f"topic_{claim.area.code}_explanation"] = claim.explanation
        return initial


def formset_rows(formset):
    """The rows to keep: filled in and not marked for deletion."""
    rows = []
    for form in formset.forms:
        if not form.has_changed() and not form.initial:
            continue
        data = dict(form.cleaned_data)
        if not data or data.pop("DELETE", False):
            continue
        rows.append(data)
    return rows


class AttachmentForm(HalfWidthForm, forms.Form):
    file = forms.FileField(
        label="选择文件", error_messages={"required": "请选择要上传的文件。", "empty": "文件是空的，请重新选择。"}
    )
    kind = forms.ChoiceField(label="类别", choices=AttachmentKind.choices, initial=AttachmentKind.SUPPORTING)


class ActionForm(HalfWidthForm, forms.Form):
    reason = forms.CharField(
        label="说明",
        required=False,
        max_length=2000,
        validators=[validate_plain_text],
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class WarningReasonForm(HalfWidthForm, forms.Form):
    code = forms.CharField(max_length=60)
    reason = forms.CharField(
        label="说明理由",
        required=False,
        max_length=1000,
        validators=[validate_plain_text],
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _id_choice(label):
    return forms.TypedChoiceField(label=label, coerce=int, empty_value=None, required=False)


class InboxFilterForm(HalfWidthForm, forms.Form):
    # Rows are chosen by id among (id, name) values: the filters render about 120 options on
    # every page, and a ModelChoiceField builds a model instance for each (issue 13).
    call = _id_choice("年度")
    authority = _id_choice("主管部门")
    tier = forms.ChoiceField(label="级别", choices=[("", "全部级别"), *Tier.choices], required=False)
    state = forms.ChoiceField(label="状态", required=False)
    stage = forms.ChoiceField(label="进度", choices=[("", "全部进度"), *STAGE_CHOICES], required=False)
    domain = _id_choice("专业技术领域")
    topic = forms.ChoiceField(label="选题范围", required=False)
    flagged = forms.BooleanField(label="只看有标记的", required=False)

    def __init__(self, *args, province=False, **kwargs):
        super().__init__(*args, **kwargs)
        years = Call.objects.values_list("pk", "year")
        self.fields["call"].choices = [("", "全部年度"), *((pk, f"{year}年") for pk, year in years)]
        if province:
            authorities = Authority.objects.filter(is_active=True).values_list("pk", "name")
            self.fields["authority"].choices = [("", "全部主管部门"), *authorities]
        else:
            del self.fields["authority"]
        self.fields["domain"].choices = [("", "全部领域"), *ProfessionalDomain.objects.values_list("pk", "name")]
        self.fields["state"].choices = [("", "全部状态")] + [c for c in ApplicationState.choices if c[0] != "draft"]
        self.fields["topic"].choices = [("", "全部选题范围"), *TopicAreaCode.choices]

    def apply(self, queryset):
        data = self.cleaned_data
        if data.get("call"):
            queryset = queryset.filter(call_id=data["call"])
        if data.get("authority"):
            queryset = queryset.filter(institution__authority_id=data["authority"])
        if data.get("tier"):
            queryset = queryset.filter(tier=data["tier"])
        if data.get("state"):
            queryset = queryset.filter(state=data["state"])
        if data.get("stage"):
            queryset = in_stage(queryset, data["stage"])
        if data.get("domain"):
            queryset = queryset.filter(domain_id=data["domain"])
        if data.get("topic"):
            queryset = queryset.filter(topic_claims__area__code=data["topic"])
        return queryset


class FallbackAdjustmentForm(HalfWidthForm, forms.Form):
    """What the host may change once its national application fell back to provincial."""

    start_date = forms.DateField(label="办班开始日期", widget=DATE_WIDGET, error_messages=DATE_ERRORS)
    end_date = forms.DateField(label="办班结束日期", widget=DATE_WIDGET, error_messages=DATE_ERRORS)
    planned_trainees = forms.IntegerField(
        label="计划招收学员人数",
        min_value=1,
        max_value=10000,
        error_messages={
            "invalid": "请输入整数人数。",
            "min_value": "人数至少为1。",
            "max_value": "人数不能超过10000。",
            "required": "请填写人数。",
        },
    )
    recruitment_scope = forms.ChoiceField(label="招收范围", error_messages={"invalid_choice": "请选择招收范围。"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recruitment_scope"].choices = RecruitmentScope.choices

    def _get_validation_exclusions(self):
        # The choice lists already looked the domain and the department up among the active
        # ones: the model's validation would only ask again whether they exist.
        return {*super()._get_validation_exclusions(), "domain", "competent_department"}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "结束日期早于开始日期，请检查办班时间。")
        return cleaned
