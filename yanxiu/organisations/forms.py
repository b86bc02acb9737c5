from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator

from yanxiu.core.forms import HalfWidthForm, half_width
from yanxiu.core.uploads import SCAN_TYPES, validate_attachment
from yanxiu.core.validators import validate_mobile, validate_plain_text, validate_uscc

from .enums import AuthorityKind, BaseStatus, InstitutionType
from .models import Authority, Institution

BASE_BATCH_RANGE = "批次为1至99的整数（如第3批填3）。"


class InstitutionProfileForm(HalfWidthForm, forms.ModelForm):
    """What an institution maintains itself. Name, USCC and authority are the province's."""

    base_batch = forms.IntegerField(
        label="国家级基地批次",
        required=False,
        min_value=1,
        max_value=99,
        error_messages={"min_value": BASE_BATCH_RANGE, "max_value": BASE_BATCH_RANGE, "invalid": BASE_BATCH_RANGE},
    )

    class Meta:
        model = Institution
        fields = [
            "type",
            "city",
            "address",
            "contact_person",
            "office_phone",
            "mobile",
            "fax",
            "email",
            "base_status",
            "base_batch",
            "can_issue_training_invoice",
        ]
        widgets = {"base_status": forms.RadioSelect, "type": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Radio buttons: every choice is a real answer, no "---------" one.
        for name in ("type", "base_status"):
            field = self.fields[name]
            field.choices = [(value, label) for value, label in field.choices if value != ""]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("base_status") == "national" and "base_batch" in cleaned and cleaned["base_batch"] is None:
            self.add_error("base_batch", "国家级继续教育基地请填写批次。")
        return cleaned


class RegistrationForm(HalfWidthForm, forms.Form):
    """The public registration page: the institution, its contact (each channel proved by a code),
    its administrator account, and the stamped authorisation letter (organisations.domain.registration)."""

    uscc = half_width(forms.CharField(label="统一社会信用代码", max_length=18, validators=[validate_uscc]))
    name = forms.CharField(label="单位名称", max_length=100, validators=[validate_plain_text])
    type = forms.ChoiceField(label="单位类型", choices=InstitutionType.choices, widget=forms.RadioSelect)
    # A base that reports directly is its own authority, set up by the province office: not a choice here.
    authority = forms.ModelChoiceField(
        label="主管部门",
        queryset=Authority.objects.filter(is_active=True).exclude(kind=AuthorityKind.BASE),
        empty_label="请选择主管部门",
    )
    base_status = forms.ChoiceField(
        label="是否继续教育基地", choices=BaseStatus.choices, initial=BaseStatus.NONE, widget=forms.RadioSelect
    )
    base_batch = forms.IntegerField(
        label="国家级基地批次",
        required=False,
        min_value=1,
        max_value=99,
        error_messages={"min_value": BASE_BATCH_RANGE, "max_value": BASE_BATCH_RANGE, "invalid": BASE_BATCH_RANGE},
    )
    can_issue_training_invoice = forms.BooleanField(label="能开具培训费发票", required=False)
    contact_person = forms.CharField(label="联系人", max_length=50, validators=[validate_plain_text])
    mobile = half_width(forms.CharField(label="联系人手机", max_length=20, validators=[validate_mobile]))
    mobile_code = half_width(forms.CharField(label="手机验证码", max_length=6, required=False))
    email = forms.EmailField(label="联系人电子邮箱", max_length=254)
    email_code = half_width(forms.CharField(label="邮箱验证码", max_length=6, required=False))
    username = forms.CharField(
        label="管理员账号（用户名）",
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text="登录用的用户名：字母、数字和 @ . + - _。",
    )
    password1 = forms.CharField(
        label="密码", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label="再次输入密码", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    letter = forms.FileField(label="盖章授权书", help_text="加盖单位公章的授权书扫描件（PDF 或图片）。")

    # What a "发送验证码" button needs of the form: only its own field.
    CODE_FIELDS = {"mobile": "mobile", "email": "email"}

    def clean_uscc(self):
        return self.cleaned_data["uscc"].upper()

    def clean_letter(self):
        letter = self.cleaned_data["letter"]
        validate_attachment(letter, SCAN_TYPES)
        return letter

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("base_status") == BaseStatus.NATIONAL and cleaned.get("base_batch") is None:
            self.add_error("base_batch", "国家级继续教育基地请填写批次。")
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", "两次输入的密码不一致。")
        for name in ("mobile_code", "email_code"):
            if not cleaned.get(name):
                self.add_error(name, "请填写收到的验证码。")
        return cleaned

    def target(self, kind):
        """The mobile or address a "发送验证码" button sends to, if that one field is valid."""
        field = self.fields[self.CODE_FIELDS[kind]]
        try:
            return field.clean(self.data.get(self.add_prefix(kind), ""))
        except forms.ValidationError as error:
            self.send_error = (kind, error.messages[0])
            return None


class ResubmitRegistrationForm(forms.Form):
    """A refused registration sent again: a new stamped letter, and the authority (to correct it)."""

    authority = forms.ModelChoiceField(
        label="主管部门", queryset=Authority.objects.filter(is_active=True).exclude(kind=AuthorityKind.BASE)
    )
    letter = forms.FileField(label="新的盖章授权书", help_text="PDF 或图片。")

    def clean_letter(self):
        letter = self.cleaned_data["letter"]
        validate_attachment(letter, SCAN_TYPES)
        return letter
