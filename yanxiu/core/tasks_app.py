"""django-tasks-db under a Chinese name in the admin (INSTALLED_APPS names this config)."""

from django_tasks_db.apps import TasksAppConfig


class TasksDatabaseConfig(TasksAppConfig):
    """Its label, and so its tables and migrations, unchanged."""

    verbose_name = "后台任务"
