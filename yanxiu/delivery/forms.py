from django import forms
from django.db.models import Case, When

from yanxiu.applications.enums import TraineeTitleLevel
from yanxiu.core.forms import HalfWidthForm, half_width
from yanxiu.core.validators import normalise_code, validate_plain_text
from yanxiu.reference.models import LectureFeeStandard, TrainingCostStandard

from .domain import programmes
from .enums import ATTENDANCE_HALF_DAY_CHOICES, PROVINCES, FileKind, Gender, Sector
from .models import Accounts, DeliverySettings, SurveyResponse

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def as_text(bound):
    """A form field's value as a reader sees it (for those who may look but not change)."""
    value, field = bound.value(), bound.field
    if value in (None, "", []):
        return "未填写"
    if isinstance(field, forms.ModelChoiceField):
        chosen = field.queryset.filter(pk=getattr(value, "pk", value)).first()
        return str(chosen) if chosen else "未填写"
    if isinstance(field, forms.BooleanField):
        return "是" if value else "否"
    if isinstance(field, forms.ChoiceField):
        return {str(k): label for k, label in field.choices}.get(str(value), str(value))
    return str(value)


class ArrangementsForm(HalfWidthForm, forms.Form):
    start_date = forms.DateField(label="开班日期（含报到）", widget=DATE)
    end_date = forms.DateField(label="结束日期（含返程）", widget=DATE)
    venue = forms.CharField(label="办班地点", max_length=200)
    capacity = forms.IntegerField(label="招收名额", min_value=1, max_value=1000)
    schedule = forms.CharField(
        label="日程安排", widget=forms.Textarea(attrs={"rows": 5}), required=False, max_length=5000
    )
    experts = forms.CharField(
        label="授课专家", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=3000
    )
    reason = forms.CharField(
        label="变更理由（开班时间或地点与计划不同时必填）",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=1000,
    )


class FullExportForm(HalfWidthForm, forms.Form):
    """Whole ID numbers and mobiles in an export: the user says what for; it is logged."""

    reason = forms.CharField(label="导出完整身份证号和手机号的用途", min_length=2, max_length=200)

    def clean_reason(self):
        reason = " ".join(self.cleaned_data["reason"].split())
        validate_plain_text(reason)
        if len(reason) < 2:
            raise forms.ValidationError("请说明用途。")
        return reason


class EnrolmentNoticeForm(HalfWidthForm, forms.Form):
    notice = forms.CharField(
        label="招生通知", widget=forms.Textarea(attrs={"rows": 5}), max_length=5000, required=False
    )
    deadline = forms.DateField(label="报名截止日期", widget=DATE, required=False)
    open = forms.BooleanField(label="开放报名（在公开页面显示报名表）", required=False)
    waiting_list = forms.BooleanField(label="名额满后接受候补报名（不勾选则名额满后停止报名）", required=False)


class EnrolmentForm(HalfWidthForm, forms.Form):
    """The public form; the rules live in domain/enrolment.validate_trainee."""

    name = forms.CharField(label="姓名", max_length=30)
    id_number = half_width(
        forms.CharField(
            label="身份证号",
            max_length=18,
            min_length=18,
            error_messages={"min_length": "身份证号应为18位。", "max_length": "身份证号应为18位。"},
        )
    )
    gender = forms.ChoiceField(label="性别", choices=Gender.choices, widget=forms.RadioSelect)
    employer = forms.CharField(label="工作单位", max_length=100)
    position = forms.CharField(label="职务", max_length=50, required=False)
    title_level = forms.ChoiceField(label="职称等级", choices=[("", "请选择"), *TraineeTitleLevel.choices])
    professional_field = forms.CharField(label="专业领域", max_length=50)
    mobile = half_width(forms.CharField(label="手机", max_length=11))
    province = forms.ChoiceField(label="所在省份", choices=[("", "请选择"), *PROVINCES])
    is_grassroots = forms.BooleanField(label="基层一线专业技术人员", required=False)
    sector = forms.ChoiceField(label="单位性质", choices=Sector.choices, initial=Sector.PUBLIC)
    consent = forms.BooleanField(
        label="同意承办单位和省人社厅为办班和继续教育学时登记使用以上信息",
        error_messages={"required": "请阅读并同意个人信息的使用说明。"},
    )
    website = forms.CharField(required=False, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))

    def __init__(self, *args, fujian_only=False, **kwargs):
        super().__init__(*args, **kwargs)
        if fujian_only:
            self.fields["province"].choices = [("35", "福建省")]
            self.fields["province"].initial = "35"


class AttendanceForm(HalfWidthForm, forms.Form):
    date = forms.DateField(label="日期", widget=DATE)
    half_day = forms.ChoiceField(label="时段", choices=ATTENDANCE_HALF_DAY_CHOICES)


CLASS_ORDER = ["一类", "二类", "三类", "四类"]


class AccountsForm(HalfWidthForm, forms.ModelForm):
    class Meta:
        model = Accounts
        fields = ["cost_standard", "trainees", "days", *Accounts.ITEMS, "charged_to_trainees", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, counted=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cost_standard"].queryset = TrainingCostStandard.objects.order_by(
            "standard", Case(*(When(training_class=c, then=n) for n, c in enumerate(CLASS_ORDER)), default=99)
        )
        self.fields["cost_standard"].error_messages["invalid_choice"] = "请从列表中选择培训费标准。"
        self.fields["cost_standard"].required = False
        self.fields["cost_standard"].empty_label = "请选择培训费标准"
        if counted is not None:
            # Final accounts: counted from the roster and attendance, never typed (decision 0009).
            for name, value in zip(("trainees", "days"), counted, strict=True):
                self.fields[name].disabled = True
                self.fields[name].initial = self.initial[name] = value
                self.fields[name].help_text = (
                    "按学员名册和考勤自动计算" if name == "trainees" else "按办班日期计算（含报到返程）"
                )
        for name in (*Accounts.ITEMS, "charged_to_trainees"):
            self.fields[name].min_value = 0
            self.fields[name].widget.attrs["min"] = "0"


class LectureForm(HalfWidthForm, forms.Form):
    date = forms.DateField(label="日期", widget=DATE)
    half_day = forms.ChoiceField(label="时段", choices=[("", "—"), *ATTENDANCE_HALF_DAY_CHOICES])
    lecturer = forms.CharField(label="授课专家", max_length=50)
    fee_standard = forms.ModelChoiceField(
        label="职称",
        queryset=LectureFeeStandard.objects.all(),
        empty_label="请选择",
        error_messages={"invalid_choice": "请从列表中选择职称。", "required": "请选择职称。"},
    )
    class_hours = forms.DecimalField(
        label="学时",
        min_value=0.5,
        max_value=12,
        decimal_places=1,
        error_messages={
            "invalid": "请输入学时数，如 3 或 1.5。",
            "max_decimal_places": "学时最多保留1位小数。",
            "min_value": "学时至少为0.5。",
            "max_value": "学时不能超过12。",
        },
    )
    fee = forms.DecimalField(
        label="讲课费（元）",
        min_value=0,
        max_digits=10,
        decimal_places=2,
        error_messages={
            "invalid": "请输入金额，如 1500 或 1500.50。",
            "max_decimal_places": "金额最多保留2位小数。",
            "min_value": "金额不能为负数。",
            "max_digits": "金额过大，请检查。",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        index = (self.prefix or "").rsplit("-", 1)[-1]
        row = f"讲课费第{int(index) + 1}行" if index.isdigit() else "讲课费新增行"
        for field in self.fields.values():  # cells of a table: each input names itself
            field.widget.attrs["aria-label"] = f"{row} {field.label}"


LectureFormSet = forms.formset_factory(LectureForm, extra=2, max_num=100, validate_max=True)


class UploadForm(HalfWidthForm, forms.Form):
    kind = forms.ChoiceField(
        label="材料类别", choices=[c for c in FileKind.choices if c[0] != FileKind.ENROLMENT_NOTICE]
    )
    file = forms.FileField(label="文件")


SCORE_MEANINGS = {5: "非常满意", 4: "满意", 3: "一般", 2: "不满意", 1: "非常不满意"}


class SurveyForm(HalfWidthForm, forms.Form):
    mobile = half_width(forms.CharField(label="手机号", max_length=11))
    id_last4 = half_width(forms.CharField(label="身份证号后四位", max_length=4, min_length=4))
    comment = forms.CharField(
        label="意见和建议", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        comment = self.fields.pop("comment")  # asked last, after the ratings
        for key, label in SurveyResponse.QUESTIONS:
            self.fields[key] = forms.TypedChoiceField(
                label=label,
                coerce=int,
                widget=forms.RadioSelect,
                choices=[(i, f"{i}分 {SCORE_MEANINGS[i]}") for i in range(5, 0, -1)],
                error_messages={"required": "请选择评分。", "invalid_choice": "请选择1至5分。"},
            )
        self.fields["comment"] = comment


class DeliverySettingsForm(HalfWidthForm, forms.ModelForm):
    class Meta:
        model = DeliverySettings
        fields = list(programmes.SETTINGS_FIELDS)


class CostStandardForm(HalfWidthForm, forms.ModelForm):
    class Meta:
        model = TrainingCostStandard
        fields = ["accommodation", "meals", "venue_materials_transport", "other", "total_per_person_day", "source"]


def without_spaces(text):
    """A name as compared on the verification page: every space (also 全角) removed, nothing else."""
    return "".join((text or "").split())


class CertificateLookupForm(HalfWidthForm, forms.Form):
    """Find a certificate by its serial number and its holder's name (both must match)."""

    serial = forms.CharField(
        label="证书编号", max_length=40, error_messages={"required": "请填写证书编号。", "max_length": "证书编号过长。"}
    )
    name = forms.CharField(
        label="持证人姓名", max_length=40, error_messages={"required": "请填写持证人姓名。", "max_length": "姓名过长。"}
    )

    def clean_serial(self):
        return without_spaces(normalise_code(self.cleaned_data["serial"])).upper()

    def clean_name(self):
        return without_spaces(self.cleaned_data["name"])


class CheckInForm(HalfWidthForm, forms.Form):
    """A trainee's confirmation of a QR check-in: the ID number and the name as enrolled."""

    id_number = half_width(
        forms.CharField(label="身份证号", max_length=20, error_messages={"required": "请填写身份证号。"})
    )
    name = forms.CharField(label="姓名", max_length=30, error_messages={"required": "请填写姓名。"})
