"""The forms of an organisation's staff pages and of the invitation link (decision 0024), and of the
login page's self-service password reset (decision 0023)."""

from django import forms
from django.contrib.auth.password_validation import password_validators_help_texts

from yanxiu.core.forms import HalfWidthForm


class InviteForm(forms.Form):
    username = forms.CharField(label="登录用户名", max_length=150, help_text="字母、数字和 @ . + - _")
    display_name = forms.CharField(label="姓名", max_length=50)
    email = forms.CharField(label="电子邮箱", max_length=254, help_text="邀请链接发送到这个地址")


class ReasonForm(forms.Form):
    reason = forms.CharField(label="说明", max_length=200, required=False)


class SetPasswordForm(forms.Form):
    new_password1 = forms.CharField(
        label="新密码", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    new_password2 = forms.CharField(
        label="再次输入新密码", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean()
        if data.get("new_password1") and data.get("new_password1") != data.get("new_password2"):
            self.add_error("new_password2", "两次输入的密码不一致。")
        return data


# --- self-service password reset (decision 0023) ------------------------------------------

CHANNELS = (("email", "通过电子邮箱接收重置链接"), ("sms", "通过手机接收验证码"))


class ResetRequestForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150, widget=forms.TextInput(attrs={"autofocus": True}))
    channel = forms.ChoiceField(label="找回方式", choices=CHANNELS, initial="email", widget=forms.RadioSelect)


class NewPasswordForm(SetPasswordForm):
    @staticmethod
    def rules():
        return "".join(password_validators_help_texts())


class CodeResetForm(HalfWidthForm, NewPasswordForm):
    username = forms.CharField(label="用户名", max_length=150)
    code = forms.CharField(
        label="短信验证码",
        max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    field_order = ["username", "code", "new_password1", "new_password2"]
