"""`manage.py check --deploy` is clean with production settings."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_check_deploy_is_clean_in_production():
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": "a-long-random-production-secret-key-for-the-check-0123456789-abcdefghij",
        "DJANGO_ALLOWED_HOSTS": "yanxiu.example.gov.cn",
        "YANXIU_DATA_KEY": "k2026:" + "5a" * 32,
    }
    # Only what production sets: the browser tests' async flag must not leak in.
    for name in ("DJANGO_DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, "DJANGO_ENV": "production", "DJANGO_SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def _production_check(**variables):
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": "a-long-random-production-secret-key-for-the-check-0123456789-abcdefghij",
        "DJANGO_ALLOWED_HOSTS": "yanxiu.example.gov.cn",
        **variables,
    }
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_to_start_without_the_data_key():
    result = _production_check(YANXIU_DATA_KEY="")
    assert result.returncode != 0
    assert "YANXIU_DATA_KEY must be set in production" in result.stderr


def test_production_refuses_a_malformed_key_or_the_development_key():
    from yanxiu.core.crypto import DEV_KEY

    malformed = _production_check(YANXIU_DATA_KEY="k1:tooshort")
    assert malformed.returncode != 0
    assert "YANXIU_DATA_KEY k1: the key must be 16 to 64 random bytes (got 6)." in malformed.stderr
    dev = _production_check(YANXIU_DATA_KEY=DEV_KEY)
    assert dev.returncode != 0
    assert "the development key cannot be used in production" in dev.stderr


def test_an_unknown_upload_storage_is_refused_at_start():
    key = "check:" + "ab" * 32
    assert _production_check(YANXIU_DATA_KEY=key, YANXIU_STORAGE="filesystem").returncode == 0
    result = _production_check(YANXIU_DATA_KEY=key, YANXIU_STORAGE="ftp")
    assert result.returncode != 0
    assert "YANXIU_STORAGE must be filesystem or s3" in result.stderr


def test_prod_check_runs_nginx_with_the_deployed_configuration_for_two_nodes(tmp_path):
    """tools/prod_check.py derives its nginx configuration from deploy/nginx/yanxiu.conf: both nodes in
    the upstream, TLS on the free port, the deployed retry rule kept; nginx itself accepts it."""
    import shutil

    from tools import prod_check

    shape = prod_check.Shape()
    try:
        shape.certificate()
        config = shape.nginx_config().read_text()
        for port in shape.node_ports.values():
            assert f"server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;" in config
        assert f"listen 127.0.0.1:{shape.https_port} ssl http2;" in config
        assert "proxy_next_upstream error timeout http_502 http_503;" in config
        assert "listen 80" not in config
        if shutil.which("nginx") or os.path.exists("/usr/sbin/nginx"):
            tested = subprocess.run(
                [
                    prod_check.NGINX,
                    "-t",
                    "-q",
                    "-e",
                    str(shape.work / "nginx" / "error.log"),
                    "-c",
                    str(shape.work / "nginx" / "nginx.conf"),
                ],
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            assert tested.returncode == 0, tested.stderr
    finally:
        shutil.rmtree(shape.work, ignore_errors=True)


def test_the_environment_example_has_no_comment_after_a_value():
    # systemd's EnvironmentFile keeps "value   # comment" whole as the value (a SITE_URL with a
    # comment in it would go into every certificate's QR code).
    lines = (ROOT / "deploy" / "yanxiu.env.example").read_text().splitlines()
    settings = [line for line in lines if "=" in line and not line.startswith("#")]
    assert len(settings) > 30
    assert [line for line in settings if "#" in line.split("=", 1)[1]] == []
