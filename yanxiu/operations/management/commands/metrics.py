"""`manage.py metrics`: Prometheus metrics on YANXIU_METRICS_ADDRESS only (yanxiu/operations/metrics.py)."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from prometheus_client import start_http_server

from yanxiu.operations.metrics import registry


class Command(BaseCommand):
    help = "在 YANXIU_METRICS_ADDRESS（如 127.0.0.1:9108）提供 Prometheus 监控指标（不经 nginx，不对外）"

    def handle(self, *args, **options):
        address = getattr(settings, "YANXIU_METRICS_ADDRESS", "")
        host, _, port = address.rpartition(":")
        if not host or not port.isdigit():
            raise CommandError("请设置 YANXIU_METRICS_ADDRESS（如 127.0.0.1:9108），指标只在该地址提供。")
        start_http_server(int(port), addr=host, registry=registry())
        self.stdout.write(f"监控指标：http://{address}/metrics")
        self.stdout.flush()
        while True:
            time.sleep(3600)
