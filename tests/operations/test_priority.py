"""Background processes run below the web's CPU priority (decision 0032)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = (
    "import django; django.setup()\n"
    "from yanxiu.operations.domain.priority import yield_to_web\n"
    "import sys; print(yield_to_web(int(sys.argv[1])) if sys.argv[1] else yield_to_web())\n"
)


def niceness_after(argument, *, prefix=(), **env):
    """The niceness a fresh process reports after yield_to_web(argument) (not this test process's)."""
    environment = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings", **env)
    command = [*prefix, sys.executable, "-c", SCRIPT, argument]
    return int(subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, check=True, text=True).stdout)


def test_a_background_process_lowers_its_priority_to_the_setting():
    assert niceness_after("") == 10
    assert niceness_after("", YANXIU_BACKGROUND_NICE="5") == 5
    assert niceness_after("7") == 7


def test_a_process_already_lower_stays_there():
    """systemd's Nice= or an operator's `nice` may put it lower; it never raises itself back."""
    assert niceness_after("7", prefix=("nice", "-n", "12")) == 12


def test_the_production_units_run_the_workers_and_the_converter_below_the_web():
    units = ROOT / "deploy" / "systemd"
    for name in ("yanxiu-worker", "yanxiu-pdf-worker", "yanxiu-pdf-converter"):
        assert "\nNice=10\n" in (units / f"{name}.service").read_text(), name
    assert "Nice=" not in (units / "yanxiu-web.service").read_text()


def test_the_worker_lowers_its_priority_before_it_takes_a_task(transactional_db, monkeypatch, settings):
    # transactional_db: the worker closes its database connection when its batch is done.
    from django.core.management import call_command

    from yanxiu.operations.domain import priority

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "pdf"]}}
    asked = []
    monkeypatch.setattr(priority, "yield_to_web", asked.append)
    call_command("worker", "--queue-name", "pdf", "--batch", "--no-startup-delay", "--nice", "3")
    call_command("worker", "--queue-name", "pdf", "--batch", "--no-startup-delay")
    assert asked == [3, None]  # None: the setting's value
