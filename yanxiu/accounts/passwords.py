"""Password rules (GB/T 22239-2019 8.1.4.1 a: 口令复杂度), with Chinese messages.

At least 8 characters from at least 3 of the 4 classes (upper case, lower
case, digits, symbols), not containing the username, not a common password.
Configured in AUTH_PASSWORD_VALIDATORS; the numbers come from settings.
"""

import re
import secrets

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError

CLASSES = (
    ("大写字母", re.compile(r"[A-Z]")),
    ("小写字母", re.compile(r"[a-z]")),
    ("数字", re.compile(r"[0-9]")),
    ("符号", re.compile(r"[^A-Za-z0-9]")),
)


def classes_in(password):
    return [name for name, pattern in CLASSES if pattern.search(password)]


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(f"密码太短：至少需要 {self.min_length} 个字符。", code="password_too_short")

    def get_help_text(self):
        return f"至少 {self.min_length} 个字符。"


class CharacterClassesValidator:
    def __init__(self, min_classes=3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if len(classes_in(password)) < self.min_classes:
            raise ValidationError(
                f"密码须包含大写字母、小写字母、数字、符号四类中的至少 {self.min_classes} 类。",
                code="password_too_simple",
            )

    def get_help_text(self):
        return f"包含大写字母、小写字母、数字、符号中的至少 {self.min_classes} 类。"


class NotUsernameValidator:
    def validate(self, password, user=None):
        username = (getattr(user, "username", "") or "").strip().lower()
        if username and username in password.lower():
            raise ValidationError("密码不能包含用户名。", code="password_contains_username")

    def get_help_text(self):
        return "不能包含用户名。"


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    def validate(self, password, user=None):
        if password.lower().strip() in self.passwords:
            raise ValidationError("这个密码太常见，容易被猜中，请换一个。", code="password_too_common")

    def get_help_text(self):
        return "不能是常见密码。"


class NotRecentPasswordValidator:
    """Not the current password, nor one of the last YANXIU_PASSWORD_HISTORY (GB/T 22239-2019
    8.1.4.1 a: 定期更换): a forced or expired change must really change the password."""

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        recent = [user.password, *user.password_history.values_list("password", flat=True)]
        recent = recent[: settings.YANXIU_PASSWORD_HISTORY + 1]
        if any(encoded and check_password(password, encoded) for encoded in recent):
            raise ValidationError(
                f"新密码不能与当前密码或最近 {settings.YANXIU_PASSWORD_HISTORY} 次用过的密码相同。",
                code="password_reused",
            )

    def get_help_text(self):
        return f"不能与当前密码或最近 {settings.YANXIU_PASSWORD_HISTORY} 次用过的密码相同。"


def policy_password(length=14):
    """A random password that meets the rules (an initial or reset password)."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(length - 2)) + "-" + secrets.choice("23456789")
        if len(classes_in(candidate)) == len(CLASSES):
            return candidate
