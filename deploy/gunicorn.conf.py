"""gunicorn for one web node (deploy/systemd/yanxiu-web.service runs
`gunicorn -c deploy/gunicorn.conf.py config.wsgi`). Every value can be set from the
environment file (/etc/yanxiu/yanxiu.env)."""

import multiprocessing
import os

# nginx (on this server or the load-balancer host) connects here; never expose it directly.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: PDFs and exports run in the background workers, so a request never waits long.
workers = int(os.environ.get("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 9)))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30  # on restart, requests in flight finish (systemctl reload: zero failed requests)
keepalive = 5
max_requests = 2000  # a worker is replaced after this many requests (memory), at random offsets
max_requests_jitter = 200
# Only nginx may set X-Forwarded-Proto; the client's address is YANXIU_CLIENT_IP_HEADER, checked by the app.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# No client address and no query string in the access log (they may hold personal data).
access_log_format = "%({x-request-id}i)s %(m)s %(U)s %(s)s %(b)s %(M)sms"


def child_exit(server, worker):
    """Prometheus multiprocess mode (PROMETHEUS_MULTIPROC_DIR): forget a worker's live gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess  # noqa: PLC0415 (only when metrics are on)

        multiprocess.mark_process_dead(worker.pid)
