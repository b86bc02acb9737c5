"""The login page's self-service password reset forms (accounts.public_views)."""

from django import forms
from django.contrib.auth.password_validation import password_validators_help_texts

from yanxiu.core.forms import HalfWidthForm

CHANNELS = (("email", "通过电子邮箱接收重置链接"), ("sms", "通过手机接收验证码"))


class ResetRequestForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150, widget=forms.TextInput(attrs={"autofocus": True}))
    channel = forms.ChoiceField(label="找回方式", choices=CHANNELS, initial="email", widget=forms.RadioSelect)


class NewPasswordForm(forms.Form):
    new_password1 = forms.CharField(
        label="新密码", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    new_password2 = forms.CharField(
        label="再次输入新密码", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    @staticmethod
    def rules():
        return "".join(password_validators_help_texts())

    def clean(self):
        data = super().clean()
        if data.get("new_password1") and data.get("new_password1") != data.get("new_password2"):
            self.add_error("new_password2", "两次输入的新密码不一致。")
        return data


class CodeResetForm(HalfWidthForm, NewPasswordForm):
    username = forms.CharField(label="用户名", max_length=150)
    code = forms.CharField(
        label="短信验证码",
        max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    field_order = ["username", "code", "new_password1", "new_password2"]
