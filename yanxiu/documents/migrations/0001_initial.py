import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("applications", "0001_initial"),
        ("calls", "0001_initial"),
        ("organisations", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SummarySheet",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("authority_name", models.CharField(blank=True, max_length=200, verbose_name="主管部门或申报单位（表上所填）")),
                ("filled_on", models.DateField(blank=True, null=True, verbose_name="填表日期")),
                ("source_name", models.CharField(max_length=300, verbose_name="来源文件")),
                ("rows", models.JSONField(default=list, verbose_name="汇总行")),
                ("imported_at", models.DateTimeField(auto_now_add=True, verbose_name="导入时间")),
                ("applications", models.ManyToManyField(blank=True, related_name="summary_sheets", to="applications.application")),
                ("authority", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to="organisations.authority", verbose_name="主管部门")),
                ("call", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to="calls.call", verbose_name="年度通知")),
                ("imported_by", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL)),
            ],
            options={"verbose_name": "汇总表（导入）", "verbose_name_plural": "汇总表（导入）", "ordering": ["-imported_at"]},
        ),
        migrations.CreateModel(
            name="ExportJob",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("description", models.CharField(max_length=200, verbose_name="范围")),
                ("state", models.CharField(choices=[("queued", "排队中"), ("running", "生成中"), ("done", "已完成"), ("failed", "失败")], default="queued", max_length=20, verbose_name="状态")),
                ("total", models.PositiveIntegerField(default=0, verbose_name="文件总数")),
                ("done", models.PositiveIntegerField(default=0, verbose_name="已完成")),
                ("file", models.FileField(blank=True, max_length=300, upload_to="exports/", verbose_name="压缩包")),
                ("error", models.TextField(blank=True, verbose_name="错误")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="创建时间")),
                ("finished_at", models.DateTimeField(blank=True, null=True, verbose_name="完成时间")),
                ("call", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="calls.call", verbose_name="年度通知")),
                ("requested_by", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to=settings.AUTH_USER_MODEL)),
            ],
            options={"verbose_name": "批量导出", "verbose_name_plural": "批量导出", "ordering": ["-created_at"]},
        ),
    ]
