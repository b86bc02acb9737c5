"""The forms of an organisation's staff pages and of the invitation link (decision 0024)."""

from django import forms


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
