"""`make prod-check`: the production shape (docs/deployment.md), brought up on this machine and
put through its paces. Exits 1 when a figure is missed (decision 0030).

The real parts, on free high ports, everything in one temporary folder:
- nginx (Debian's), non-daemon, with a configuration derived from deploy/nginx/yanxiu.conf
  and a self-signed certificate, in front of
- two gunicorn nodes (deploy/gunicorn.conf.py), two workers (default and pdf queue) and the
  scheduler, all with DJANGO_ENV=production, sharing
- a fresh PostgreSQL database (PRODCHECK_DATABASE, default yanxiu_prodcheck on 127.0.0.1:5432,
  created and dropped here), Redis (PRODCHECK_REDIS, db 13: emptied before and after) as the
  cache, and one uploads folder.

Through nginx over HTTPS (the generated certificate verified): a member of staff logs in, edits
and uploads, submits; the authority reviewer approves and asks for the PDF, which the PDF worker
makes. Then, while clients keep reading and autosaving (every write carries a counter), node A
and the default worker are killed (SIGKILL), /readyz is asked, both come back, and both nodes are
restarted one after the other (SIGTERM, gunicorn's graceful stop).

Figures, each with its target: acknowledged writes lost (0; every counter acknowledged must be
in the audit trail and the last one in the application), failed requests beyond those that were
in flight on the killed node (0), tasks left queued or running (0), /readyz naming the dead
worker (yes) and the dead node not answering (yes), the whole run under 180 s.

Set off for the check, and why: YANXIU_OTP_REQUIRED (no authenticator app here),
YANXIU_FORCE_PASSWORD_CHANGE (the check's users never had a first password), and the business
clock is pinned to the 2026 call's provincial deadline day (the call file's dates; heartbeats
and liveness use physical time anyway, decision 0021).
"""

import datetime as dt
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
DB_NAME = os.environ.get("PRODCHECK_DATABASE", "yanxiu_prodcheck")
PG = os.environ.get("PRODCHECK_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("PRODCHECK_REDIS", "redis://127.0.0.1:6379/13")
FIXED_NOW = "2026-02-20T15:00:00+08:00"  # the 2026 call's provincial deadline day
PASSWORD = "Prod-Check-2026!"
LOAD_CLIENTS = 4
TIME_TARGET = 240  # ~3 min on an idle 2-core machine; slack for a shared CI machine
MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def log(message):
    print(f"[{time.monotonic() - STARTED:6.1f} s] {message}", flush=True)


STARTED = time.monotonic()


class Shape:
    """The folder, the ports, the environment and the processes of one run."""

    def __init__(self):
        self.work = Path(tempfile.mkdtemp(prefix="yanxiu-prodcheck-"))
        os.chmod(self.work, 0o755)  # nginx's workers read static files and write temp files here
        for name in ("media", "static", "logs", "nginx", "var-a", "var-b", "var-workers"):
            (self.work / name).mkdir()
        self.https_port = free_port()
        self.node_ports = {"A": free_port(), "B": free_port()}
        self.base = f"https://localhost:{self.https_port}"
        self.processes = {}
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("YANXIU_", "DJANGO_", "GUNICORN_"))},
            "DJANGO_ENV": "production",
            "DJANGO_SECRET_KEY": "prod-check-" + os.urandom(24).hex(),
            "DJANGO_ALLOWED_HOSTS": "localhost,127.0.0.1",
            "DJANGO_CSRF_TRUSTED_ORIGINS": self.base,
            "DATABASE_URL": f"{PG}/{DB_NAME}",
            "SITE_URL": self.base,
            "YANXIU_DATA_KEY": "check:" + os.urandom(32).hex(),
            "DJANGO_MEDIA_ROOT": str(self.work / "media"),
            "DJANGO_STATIC_ROOT": str(self.work / "static"),
            "CACHE_BACKEND": "django.core.cache.backends.redis.RedisCache",
            "CACHE_LOCATION": REDIS,
            "YANXIU_TRUSTED_PROXIES": "127.0.0.1,::1",
            "YANXIU_CLIENT_IP_HEADER": "HTTP_X_REAL_IP",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "DOCUMENTS_UNOSERVER": "",  # PDFs through a fresh LibreOffice (the warm converter is optional)
            "YANXIU_BACKUP_DIR": "",
            "YANXIU_HEARTBEAT_SECONDS": "1",
            "YANXIU_DEAD_AFTER_SECONDS": "5",
            "YANXIU_READY_WINDOW_SECONDS": "5",
            "YANXIU_OTP_REQUIRED": "false",
            "YANXIU_FORCE_PASSWORD_CHANGE": "false",
            "YANXIU_FIXED_NOW": FIXED_NOW,
            "GUNICORN_WORKERS": "2",
            "GUNICORN_LOG_LEVEL": "warning",
            "LOG_LEVEL": "WARNING",
        }

    # --- processes -------------------------------------------------------------------------
    def start(self, name, argv, **extra):
        log_file = open(self.work / "logs" / f"{name}.log", "ab")  # noqa: SIM115 (the process keeps it)
        self.processes[name] = subprocess.Popen(
            argv,
            cwd=ROOT,
            env={**self.env, **extra},
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self.processes[name]

    def start_node(self, node):
        var = self.work / f"var-{node.lower()}"
        return self.start(
            f"node-{node}",
            [str(GUNICORN), "-c", "deploy/gunicorn.conf.py", "config.wsgi"],
            GUNICORN_BIND=f"127.0.0.1:{self.node_ports[node]}",
            YANXIU_VAR_DIR=str(var),
        )

    def start_worker(self, queue):
        extra = ["--interval", "0.2"] if queue == "pdf" else []
        var = {"YANXIU_VAR_DIR": str(self.work / "var-workers")}
        return self.start(f"worker-{queue}", [str(PY), "manage.py", "worker", "--queue-name", queue, *extra], **var)

    def workers_of(self, name):
        master = self.processes[name].pid
        children = Path(f"/proc/{master}/task/{master}/children")
        return set(children.read_text().split()) if children.exists() else set()

    def restart_node(self, node):
        """What `systemctl reload yanxiu-web` does: gunicorn starts new workers (loading the code
        again) on the same listening socket and lets the old ones finish their requests."""
        name = f"node-{node}"
        before = self.workers_of(name)
        os.kill(self.processes[name].pid, signal.SIGHUP)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            now = self.workers_of(name)
            if len(now) >= int(self.env["GUNICORN_WORKERS"]) and not now & before:
                return
            time.sleep(0.3)
        raise SystemExit(f"node {node}: its workers were not replaced within 60 s")

    def kill(self, name, signum=signal.SIGKILL):
        process = self.processes[name]
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signum)
        process.wait(timeout=60)

    def stop_all(self):
        for name in list(self.processes):
            with suppress(Exception):
                self.kill(name, signal.SIGTERM if name == "nginx" else signal.SIGKILL)

    def manage(self, *args, wait=True):
        process = subprocess.Popen(
            [str(PY), "manage.py", *args], cwd=ROOT, env={**self.env, "YANXIU_VAR_DIR": str(self.work / "var-workers")}
        )
        if wait and process.wait() != 0:
            raise SystemExit(f"manage.py {' '.join(args)} failed")
        return process

    # --- nginx -----------------------------------------------------------------------------
    def certificate(self):
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID

        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
        now = dt.datetime.now(dt.UTC)
        import ipaddress

        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(
                x509.SubjectAlternativeName(
                    [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
                ),
                critical=False,
            )
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256())
        )
        folder = self.work / "nginx"
        (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        (folder / "key.pem").write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        return folder / "cert.pem"

    def nginx_config(self):
        """deploy/nginx/yanxiu.conf with this run's ports, certificate, folders and two nodes."""
        site = (ROOT / "deploy" / "nginx" / "yanxiu.conf").read_text()
        site = re.sub(r"(?m)^#.*\n", "", site)
        site = re.sub(r"server \{\s*listen 80;.*?\n\}\n", "", site, count=1, flags=re.S)  # no plain HTTP here
        nodes = "".join(
            f"    server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;\n" for port in self.node_ports.values()
        )
        site, upstreams = re.subn(r"(?m)^\s*server 127\.0\.0\.1:8000 [^\n]*\n", nodes, site)
        site = re.sub(r"(?m)^\s*listen \[::\]:443[^\n]*\n", "", site)
        site, listens = re.subn(r"listen 443 ssl http2;", f"listen 127.0.0.1:{self.https_port} ssl http2;", site)
        site = site.replace("server_name yanxiu.example.gov.cn;", "server_name localhost;")
        folder = self.work / "nginx"
        site = site.replace("/etc/ssl/yanxiu/fullchain.pem", str(folder / "cert.pem"))
        site = site.replace("/etc/ssl/yanxiu/privkey.pem", str(folder / "key.pem"))
        site = site.replace("/srv/yanxiu/staticfiles/", f"{self.work / 'static'}/")
        # Which node answered (or failed): only in this check, to tell the killed node's failures apart.
        site, located = re.subn(
            r"(location / \{\n\s*proxy_pass http://yanxiu_web;)",
            r"\1\n        add_header X-Upstream $upstream_addr always;",
            site,
        )
        if (upstreams, listens, located) != (1, 1, 1):
            raise SystemExit("deploy/nginx/yanxiu.conf changed shape: update tools/prod_check.py's nginx_config")
        user = "user root;\n" if os.geteuid() == 0 else ""
        temp = "\n".join(
            f"    {kind}_temp_path {folder}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        config = (
            f"{user}daemon off;\nworker_processes 2;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log warn;\n"
            f"events {{ worker_connections 512; }}\n"
            f"http {{\n    include /etc/nginx/mime.types;\n    access_log {folder}/access.log;\n{temp}\n{site}\n}}\n"
        )
        (folder / "nginx.conf").write_text(config)
        return folder / "nginx.conf"

    def start_nginx(self):
        config = self.nginx_config()
        subprocess.run([NGINX, "-t", "-q", "-e", str(self.work / "nginx" / "error.log"), "-c", str(config)], check=True)
        return self.start("nginx", [NGINX, "-e", str(self.work / "nginx" / "error.log"), "-c", str(config)])


# --- the database -------------------------------------------------------------------------------
def psql(sql):
    subprocess.run(["psql", f"{PG}/postgres", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql], check=True)


def redis_flush():
    import redis

    redis.Redis.from_url(REDIS).flushdb()


def seed(env):
    """The 2026 call, staff with a complete draft each, their authority's reviewer (in this process)."""
    os.environ.update(env)
    os.environ["YANXIU_VAR_DIR"] = env["DJANGO_MEDIA_ROOT"] + "-seed"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from tests import factories
    from yanxiu.accounts.models import User

    factories.call_2026()
    staff = []
    for n in range(1 + LOAD_CLIENTS):
        user = factories.staff()
        user.username = f"check-staff-{n}"
        user.set_password(PASSWORD)
        user.must_change_password = False
        user.save()
        staff.append((user.username, factories.complete("provincial", actor=user).pk))
    reviewer = factories.reviewer(User.objects.get(username=staff[0][0]).institution.authority)
    reviewer.username = "check-reviewer"
    reviewer.set_password(PASSWORD)
    reviewer.must_change_password = False
    reviewer.save()
    from django.db import connections

    connections.close_all()
    return staff, reviewer.username


# --- a client -----------------------------------------------------------------------------------
class Client:
    def __init__(self, shape, cert):
        import requests

        self.base = shape.base
        self.session = requests.Session()
        self.session.trust_env = False  # REQUESTS_CA_BUNDLE and proxies from the environment would win
        self.session.verify = str(cert)
        self.session.headers["Referer"] = self.base + "/"  # Django's CSRF check over HTTPS wants it

    def get(self, path, **kw):
        return self.session.get(self.base + path, timeout=60, allow_redirects=False, **kw)

    def post(self, path, data, **kw):
        data = {"csrfmiddlewaretoken": self.session.cookies.get("csrftoken", ""), **data}
        return self.session.post(self.base + path, data=data, timeout=60, allow_redirects=False, **kw)

    def login(self, username):
        self.get("/login/")
        answer = self.post("/login/", {"username": username, "password": PASSWORD})
        if answer.status_code != 302:
            raise SystemExit(f"login of {username} failed: {answer.status_code}")


def field(name, html):
    found = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', html
    )
    return found.group(1) if found else ""


def editor_fields(html):
    """Every named input, select and textarea of the editor page, as the browser would post them."""
    import html as html_lib

    data = {}
    for tag in re.finditer(r"<(input|select|textarea)\b([^>]*)>", html):
        kind, attrs = tag.group(1), tag.group(2)
        name = re.search(r'\bname="([^"]+)"', attrs)
        if not name:
            continue
        name = name.group(1)
        if kind == "input":
            input_type = (re.search(r'\btype="([^"]+)"', attrs) or [None, "text"])[1]
            if input_type in ("file", "submit", "button"):
                continue
            if input_type in ("checkbox", "radio"):
                if re.search(r"\bchecked\b", attrs):
                    value = re.search(r'\bvalue="([^"]*)"', attrs)
                    data.setdefault(name, []).append(html_lib.unescape(value.group(1)) if value else "on")
                continue
            value = re.search(r'\bvalue="([^"]*)"', attrs)
            data[name] = html_lib.unescape(value.group(1)) if value else ""
        elif kind == "textarea":
            body = html[tag.end() : html.index("</textarea>", tag.end())]
            data[name] = html_lib.unescape(body.lstrip("\n"))
        else:
            body = html[tag.end() : html.index("</select>", tag.end())]
            chosen = re.findall(r'<option value="([^"]*)"[^>]*\bselected\b', body)
            data[name] = [html_lib.unescape(v) for v in chosen] if "multiple" in attrs else (chosen or [""])[0]
    return data


def main_flow(shape, cert, staff, reviewer):
    """Log in, edit, upload, submit; approve; the PDF. Returns seconds the PDF took."""
    username, pk = staff
    client = Client(shape, cert)
    client.login(username)
    page = client.get(f"/applications/{pk}/edit/")
    assert page.status_code == 200, page.status_code
    data = editor_fields(page.text)
    data["purpose"] = "提升专业技术人才在人工智能领域的创新能力（生产环境检查）。"
    saved = client.post(f"/applications/{pk}/edit/", data, headers={"HX-Request": "true"})
    if saved.status_code != 200 or 'data-testid="saved"' not in saved.text:
        raise SystemExit(f"edit: {saved.status_code} {saved.text[:300]}")
    uploaded = client.post(
        f"/applications/{pk}/attachments/",
        {"kind": "supporting"},
        files={"file": ("检查附件.pdf", MINIMAL_PDF, "application/pdf")},
    )
    page = client.get(f"/applications/{pk}/edit/")
    if uploaded.status_code != 302 or "检查附件.pdf" not in page.text:
        raise SystemExit(f"upload: {uploaded.status_code}; the file is not listed in the editor")
    submitted = client.post(f"/applications/{pk}/submit/", {"reason": ""})
    if submitted.status_code != 302 or not submitted.headers["Location"].rstrip("/").endswith(str(pk)):
        raise SystemExit(f"submit: {submitted.status_code} {submitted.headers.get('Location')}")
    log(f"staff: logged in, edited, uploaded, submitted application {pk}")
    authority = Client(shape, cert)
    authority.login(reviewer)
    approved = authority.post(f"/applications/{pk}/approve/", {"reason": "同意（生产环境检查）。"})
    if approved.status_code != 302:
        raise SystemExit(f"approve: {approved.status_code}")
    log("authority: approved")
    started = time.monotonic()
    while time.monotonic() - started < 120:
        answer = authority.get(f"/documents/applications/{pk}/form.pdf")
        if answer.status_code == 200 and answer.content.startswith(b"%PDF"):
            return time.monotonic() - started, pk
        if answer.status_code not in (200, 202):
            raise SystemExit(f"PDF: {answer.status_code}")
        time.sleep(1)
    raise SystemExit("PDF: not made within 120 s")


class Load:
    """Clients reading the editor and autosaving, each write carrying a counter."""

    def __init__(self, shape, cert, staff):
        self.shape, self.cert, self.staff = shape, cert, staff
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.requests = 0
        self.failures = []  # (time, method, status, upstream)
        self.acknowledged = {}  # pk -> [counter, …]
        self.threads = [threading.Thread(target=self.client, args=(s,), daemon=True) for s in staff]

    def note(self, method, answer, ok):
        with self.lock:
            self.requests += 1
            if not ok:
                status = answer.status_code if hasattr(answer, "status_code") else type(answer).__name__
                upstream = answer.headers.get("X-Upstream", "") if hasattr(answer, "headers") else ""
                self.failures.append((time.monotonic(), method, status, upstream))

    def client(self, staff):
        username, pk = staff
        client = Client(self.shape, self.cert)
        client.login(username)
        self.acknowledged[pk] = []
        counter, data = 0, None
        while not self.stop.is_set():
            if data is None:
                try:
                    page = client.get(f"/applications/{pk}/edit/")
                except Exception as problem:  # a failure is counted, not raised
                    self.note("GET", problem, False)
                    time.sleep(0.2)
                    continue
                ok = page.status_code == 200 and 'id="editor"' in page.text
                self.note("GET", page, ok)
                if not ok:
                    time.sleep(0.2)
                    continue
                data = editor_fields(page.text)
            counter += 1
            data["purpose"] = f"提升专业技术人才的创新能力。写入计数#{pk}-{counter}#"
            try:
                answer = client.post(f"/applications/{pk}/edit/", data, headers={"HX-Request": "true"})
            except Exception as problem:
                self.note("POST", problem, False)
                data = None
                continue
            ok = answer.status_code == 200 and 'data-testid="saved"' in answer.text
            self.note("POST", answer, ok)
            if ok:
                data["version"] = field("version", answer.text)
                self.acknowledged[pk].append((counter, int(data["version"] or 0)))
            else:
                data = None  # read the editor again (its version) before the next write

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=90)


def http_status(port, path):
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        answer = connection.getresponse()
        return answer.status, answer.read().decode()
    except OSError as problem:
        return type(problem).__name__, ""
    finally:
        connection.close()


def wait_for(what, test, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if test():
            return
        time.sleep(0.3)
    raise SystemExit(f"timed out waiting for {what}")


def check(shape):
    figures = []

    def figure(name, value, target, ok):
        figures.append((name, value, target, ok))

    psql(f'DROP DATABASE IF EXISTS "{DB_NAME}"')
    psql(f'CREATE DATABASE "{DB_NAME}"')
    redis_flush()
    static = shape.manage("collectstatic", "--noinput", "-v0", wait=False)  # meanwhile
    shape.manage("migrate", "--noinput", "-v0")
    if static.wait() != 0:
        raise SystemExit("collectstatic failed")
    log("database migrated, static files collected")
    cert = shape.certificate()
    for node in shape.node_ports:
        shape.start_node(node)
    shape.start_worker("default")
    shape.start_worker("pdf")
    shape.start("scheduler", [str(PY), "manage.py", "scheduler"], YANXIU_VAR_DIR=str(shape.work / "var-workers"))
    shape.start_nginx()
    staff, reviewer = seed(shape.env)  # while the processes start
    log(f"seeded {len(staff)} complete drafts and their authority's reviewer")
    for node, port in shape.node_ports.items():
        wait_for(f"node {node}", lambda port=port: http_status(port, "/healthz")[0] == 200)
    wait_for("/readyz", lambda: http_status(shape.node_ports["A"], "/readyz")[0] == 200)
    log("nginx, two nodes, two workers and the scheduler are up; /readyz ok")

    pdf_seconds, _pk = main_flow(shape, cert, staff[0], reviewer)
    log(f"PDF made by the PDF worker in {pdf_seconds:.1f} s and downloaded through nginx")
    figure("PDF made through the PDF worker (s)", f"{pdf_seconds:.1f}", "made", True)

    with Load(shape, cert, staff[1:]) as load:
        time.sleep(4)
        kill_at = time.monotonic()
        shape.kill("node-A")
        shape.kill("worker-default")
        log("killed node A (gunicorn, SIGKILL) and the default worker (SIGKILL) under load")
        dead_node = http_status(shape.node_ports["A"], "/readyz")[0]
        ready = {}

        def readyz_reports_worker():
            status, body = http_status(shape.node_ports["B"], "/readyz")
            ready.update(status=status, body=body)
            return status == 503 and "worker" in body.lower()

        wait_for("/readyz to report the dead worker", readyz_reports_worker, seconds=30)
        kill_end = time.monotonic()
        log(f"/readyz on node B: {ready['status']}; node A: {dead_node}")
        figure("/readyz of node B with the worker dead", ready["status"], 503, ready["status"] == 503)
        figure("/readyz of the killed node A", dead_node, "no answer", dead_node != 200)
        time.sleep(2)
        shape.start_node("A")
        shape.start_worker("default")
        wait_for("node A again", lambda: http_status(shape.node_ports["A"], "/healthz")[0] == 200)
        wait_for("/readyz ok again", lambda: http_status(shape.node_ports["B"], "/readyz")[0] == 200, seconds=30)
        log("node A and the default worker are back; /readyz ok")
        restart_at = time.monotonic()
        for node in ("A", "B"):
            shape.restart_node(node)
            log(f"node {node} restarted (SIGHUP: every gunicorn worker replaced, new code loaded)")
        time.sleep(2)
    log(f"load stopped: {load.requests} requests")

    killed_port = f"127.0.0.1:{shape.node_ports['A']}"
    # A response cut off mid-body (nginx had sent the headers when node A died: ChunkedEncodingError)
    # names no upstream; inside the kill window it can only be the killed node's.
    on_killed = [f for f in load.failures if kill_at <= f[0] <= kill_end + 1 and (killed_port in f[3] or not f[3])]
    others = [f for f in load.failures if f not in on_killed]
    figure("requests through nginx under load", load.requests, "> 0", load.requests > 0)
    figure(
        "failed requests in flight on the killed node",
        len(on_killed),
        f"≤ {LOAD_CLIENTS}",
        len(on_killed) <= LOAD_CLIENTS,
    )
    figure("failed requests beyond those", len(others), 0, not others)
    during_restarts = [f for f in load.failures if f[0] >= restart_at]
    figure("failed requests during the rolling restart", len(during_restarts), 0, not during_restarts)
    for failure in others[:5]:
        log(f"  failure: {failure}")

    from django.db.models import Q

    from yanxiu.applications.models import Application

    lost, writes = [], 0
    for pk, acknowledged in load.acknowledged.items():
        writes += len(acknowledged)
        versions = [version for _counter, version in acknowledged]
        if len(set(versions)) != len(versions) or versions != sorted(versions):
            lost.append((pk, "two acknowledged writes share a version (one overwrote the other)"))
        stored = Application.objects.get(pk=pk)
        found = re.search(r"#\d+-(\d+)#", stored.purpose)
        if acknowledged and (not found or int(found.group(1)) < acknowledged[-1][0] or stored.version < versions[-1]):
            lost.append(
                (pk, f"last acknowledged write {acknowledged[-1]}, stored {stored.purpose[-12:]} v{stored.version}")
            )
    figure("autosave writes acknowledged", writes, "> 0", writes > 0)
    figure("acknowledged writes lost", len(lost), 0, not lost)
    for item in lost[:5]:
        log(f"  lost: {item}")

    from django_tasks_db.models import DBTaskResult

    def open_tasks():
        return DBTaskResult.objects.filter(Q(status="READY") | Q(status="RUNNING")).count()

    with suppress(SystemExit):
        wait_for("the queue to empty", lambda: open_tasks() == 0, seconds=60)
    left = open_tasks()
    figure("tasks left queued or running", left, 0, left == 0)
    failed = DBTaskResult.objects.filter(status="FAILED").count()
    figure("tasks failed", failed, 0, failed == 0)
    return figures


def main():
    shape = Shape()
    figures, problem = [], None
    try:
        figures = check(shape)
    except (SystemExit, Exception) as error:  # reported below, then exit 1
        problem = error
    finally:
        shape.stop_all()
        with suppress(Exception):
            from django.db import connections

            connections.close_all()
        with suppress(Exception):
            psql(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        with suppress(Exception):
            redis_flush()
    elapsed = time.monotonic() - STARTED
    figures.append(("whole check (s)", f"{elapsed:.0f}", f"< {TIME_TARGET}", elapsed < TIME_TARGET))
    print("=== prod-check figures ===")
    for name, value, target, ok in figures:
        print(f"  {name}: {value} [target {target}]{'' if ok else '  ← MISSED'}")
    if problem is not None:
        print(f"prod-check stopped: {problem!r}; logs in {shape.work / 'logs'}")
        return 1
    missed = [f for f in figures if not f[3]]
    if missed:
        print(f"prod-check: {len(missed)} figure(s) missed; logs in {shape.work / 'logs'}")
        return 1
    shutil.rmtree(shape.work, ignore_errors=True)
    print("prod-check: every figure met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
