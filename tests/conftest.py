"""Shared fixtures. Tests run on a fixed clock, never on today's date."""

from datetime import datetime, timedelta

import pytest

FIXED_NOW = "2026-01-10T10:00:00+08:00"


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.YANXIU_FIXED_NOW = FIXED_NOW
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
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


@pytest.fixture
def wall_clock(monkeypatch):
    """Freeze the real time sessions and passwords are measured on (core.clock.wall_now)
    and move it: wall_clock.move(minutes=31). Starts at the fixed test moment."""
    from yanxiu.core import clock as core_clock

    class WallClock:
        now = datetime.fromisoformat(FIXED_NOW)

        def move(self, **delta):
            self.now += timedelta(**delta)

    frozen = WallClock()
    monkeypatch.setattr(core_clock, "wall_now", lambda: frozen.now)
    return frozen
