from django.apps import AppConfig


class BatchesConfig(AppConfig):
    name = "yanxiu.batches"
    verbose_name = "主管部门报送批次"
