"""Shared fixtures. Tests run on a fixed clock, never on today's date."""

import pytest

FIXED_NOW = "2026-01-10T10:00:00+08:00"


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.YANXIU_FIXED_NOW = FIXED_NOW
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default", "pdf"]}
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def clock(settings):
    """Move the system's clock: clock("2026-01-16T23:59:00+08:00")."""

    def move(moment):
        settings.YANXIU_FIXED_NOW = moment

    return move
