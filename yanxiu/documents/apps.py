from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "yanxiu.documents"
    verbose_name = "文书（申报表生成与导入）"
