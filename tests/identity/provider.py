"""A real OpenID Connect provider for the tests: node runs tools/oidc_provider/provider.mjs
(the certified `oidc-provider` package from npm, installed into .node/ by `make test`) on a
free loopback port, with a password login form and three test accounts (decision 0025)."""

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import requests

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tools" / "oidc_provider" / "provider.mjs"
PACKAGE = ROOT / ".node" / "node_modules" / "oidc-provider" / "package.json"

KEY = "mzt"
NAME = "闽政通"
CLIENT_ID = "yanxiu-test"
CLIENT_SECRET = "a-client-secret-for-tests-only-0123456789"
PASSWORD = "provider-pw-1"

PERSON_ID = "350102198001011233"  # 张三, institution staff here
PROVINCE_ID = "350102197505054566"  # 李四, a province officer here
LEGAL_USCC = "91350200MA2YQ0001G"  # 福建测试科技有限公司, a host institution here
ACCOUNTS = [
    {
        "login": "zhangsan",
        "password": PASSWORD,
        "sub": "mzt-person-0001",
        "claims": {"name": "张三", "user_type": "person", "cert_type": "111", "cert_no": PERSON_ID},
    },
    {
        "login": "lisi",
        "password": PASSWORD,
        "sub": "mzt-person-0002",
        "claims": {"name": "李四", "user_type": "person", "cert_type": "111", "cert_no": PROVINCE_ID},
    },
    {
        "login": "fjkj",
        "password": PASSWORD,
        "sub": "mzt-legal-0001",
        "claims": {"name": "福建测试科技有限公司", "user_type": "legal_entity", "uscc": LEGAL_USCC},
    },
]


@dataclass
class RunningProvider:
    issuer: str
    process: subprocess.Popen

    def settings(self):
        """YANXIU_OIDC_PROVIDERS as config/settings.py builds it from the environment."""
        return {
            KEY: {
                "name": NAME,
                "issuer": self.issuer,
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "claims": {},
            }
        }

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


def start(redirect_uris, folder):
    """Start the provider for a client with these redirect URIs; return when it serves."""
    node = shutil.which("node")
    if node is None or not PACKAGE.exists():
        raise RuntimeError("node and .node/node_modules/oidc-provider are needed: run `make test` (it installs them)")
    config = folder / "oidc-provider.json"
    config.write_text(
        json.dumps(
            {
                "port": 0,
                "clients": [{"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "redirect_uris": redirect_uris}],
                "accounts": ACCOUNTS,
            }
        )
    )
    process = subprocess.Popen(
        [node, str(SCRIPT), str(config)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT
    )
    for line in process.stdout:  # warnings go to stderr; the first stdout line says where it listens
        if line.startswith("listening "):
            return RunningProvider(issuer=line.split()[1], process=process)
    process.wait(timeout=10)
    raise RuntimeError(f"the OpenID Connect provider did not start (exit {process.returncode})")


def log_in_at_provider(authorize_url, login, password=PASSWORD, *, back_to):
    """What a browser does at the provider: open its login form, fill it, follow its redirects
    until they lead back to this system (`back_to`); return that URL (the callback with code and state)."""
    session = requests.Session()
    page = session.get(authorize_url, timeout=10)
    action = re.search(r'<form method="post" action="([^"]+)"', page.text).group(1)
    response = session.post(
        urljoin(page.url, action), data={"login": login, "password": password}, allow_redirects=False, timeout=10
    )
    while True:
        location = urljoin(response.url, response.headers["Location"])
        if location.startswith(back_to):
            return location
        response = session.get(location, allow_redirects=False, timeout=10)
