"""PDF through LibreOffice: a warm unoserver when one is configured, else a pool of profiles.

Two ways to convert, tried in this order:

1. **A warm converter** (`settings.DOCUMENTS_UNOSERVER`, "host:port"): one
   LibreOffice kept running by `manage.py pdf_converter` (unoserver). Its
   XML-RPC server handles one request at a time, so concurrent conversions
   queue and never mix; each document goes in and comes out as bytes.
2. **A fresh `soffice --convert-to`** with a profile from a small pool
   (`settings.DOCUMENTS_SOFFICE_POOL`, 2 by default). A new profile costs
   LibreOffice about a second of start-up on every call; a pooled one is made
   once. A profile is locked (flock) for the whole conversion, so no two
   conversions ever share one (sharing silently loses documents); the
   documents themselves live in a private temporary directory per call.

A fontconfig file that maps the official Chinese faces (仿宋_GB2312, 方正小标宋简体,
黑体, 宋体) to the Noto CJK fonts is passed to LibreOffice, so the server needs no
system-wide alias.

Without LibreOffice, `convert_to_pdf` raises `ConverterMissing` with a message
for the user; the Word file stays available. Web requests never call this
module directly: PDFs are made by the background worker (tasks.make_pdf).
"""

import contextlib
import fcntl
import http.client
import os
import shutil
import subprocess
import tempfile
import xmlrpc.client
from pathlib import Path

from django.conf import settings

FONTCONFIG_FILE = Path(__file__).resolve().parent.parent / "fontconfig" / "fonts.conf"
MISSING_MESSAGE = (
    "服务器未安装 PDF 转换组件（LibreOffice），暂时无法生成 PDF。请下载 Word 版本，"
    "或联系系统管理员安装 libreoffice-writer-nogui。"
)


class ConverterMissing(Exception):
    """LibreOffice is not installed on this server."""


class ConversionFailed(Exception):
    pass


def soffice_path():
    configured = getattr(settings, "DOCUMENTS_SOFFICE", "")
    if configured:
        return configured if Path(configured).exists() else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def is_available():
    return soffice_path() is not None


def libreoffice_env(home):
    env = {**os.environ, "HOME": str(home)}
    if FONTCONFIG_FILE.exists():
        env["FONTCONFIG_FILE"] = str(FONTCONFIG_FILE)
    return env


def convert_to_pdf(data: bytes, suffix: str = ".docx", timeout: int = 120) -> bytes:
    """Convert a .docx or .xlsx (bytes) to PDF (bytes)."""
    return convert(data, suffix, "pdf", timeout)


def convert(data: bytes, suffix: str = ".docx", target_format: str = "pdf", timeout: int = 120) -> bytes:
    """Convert a document (bytes) with LibreOffice to `target_format` ("pdf", "docx", …)."""
    if soffice_path() is None:
        raise ConverterMissing(MISSING_MESSAGE)
    address = getattr(settings, "DOCUMENTS_UNOSERVER", "")
    if address:
        try:
            return convert_with_unoserver(address, data, target_format, timeout)
        except (ConnectionError, OSError, http.client.HTTPException):
            pass  # not running (yet): a pooled soffice does it, only slower
    return convert_with_soffice(data, suffix, target_format, timeout)


# --- 1. the warm converter (unoserver) -------------------------------------------------------


class _TimeoutTransport(xmlrpc.client.Transport):
    def __init__(self, timeout):
        super().__init__()
        self.timeout = timeout

    def make_connection(self, host):
        connection = super().make_connection(host)
        connection.timeout = self.timeout
        return connection


def convert_with_unoserver(address, data, target_format="pdf", timeout=120):
    """One conversion through unoserver's XML-RPC API (version 3)."""
    proxy = xmlrpc.client.ServerProxy(f"http://{address}", allow_none=True, transport=_TimeoutTransport(timeout))
    try:
        result = proxy.convert(None, xmlrpc.client.Binary(data), None, target_format, None, [], True, None, None)
    except xmlrpc.client.Fault as fault:
        raise ConversionFailed(f"PDF 转换失败，请下载 Word 版本。（{fault.faultString[-300:]}）") from fault
    except TimeoutError as exc:
        raise ConversionFailed("PDF 转换超时，请稍后重试或下载 Word 版本。") from exc
    if result is None or not result.data:
        raise ConversionFailed("PDF 转换失败，请下载 Word 版本。")
    return result.data


def unoserver_alive(address, timeout=2):
    proxy = xmlrpc.client.ServerProxy(f"http://{address}", allow_none=True, transport=_TimeoutTransport(timeout))
    try:
        proxy.info()
    except (ConnectionError, OSError, http.client.HTTPException, xmlrpc.client.Error):
        return False
    return True


# --- 2. a fresh soffice with a pooled profile ------------------------------------------------


def pool_root():
    configured = getattr(settings, "DOCUMENTS_SOFFICE_PROFILES", "")
    root = Path(configured) if configured else Path(tempfile.gettempdir()) / f"yanxiu-lo-profiles-{os.getuid()}"
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    return root


@contextlib.contextmanager
def pooled_profile():
    """A LibreOffice profile directory nobody else uses while the block runs."""
    size = max(1, int(getattr(settings, "DOCUMENTS_SOFFICE_POOL", 2)))
    root = pool_root()
    handles = []
    try:
        chosen = None
        for slot in range(size):
            handle = open(root / f"slot{slot}.lock", "w")  # noqa: SIM115 (held until the block ends)
            handles.append(handle)
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue
            chosen = slot
            break
        if chosen is None:  # every profile busy: wait for one (by process id, to spread the waiters)
            chosen = os.getpid() % size
            fcntl.flock(handles[chosen], fcntl.LOCK_EX)
        yield root / f"profile{chosen}"
    finally:
        for handle in handles:
            handle.close()  # closing releases the lock


def convert_with_soffice(data, suffix=".docx", target_format="pdf", timeout=120):
    soffice = soffice_path()
    if soffice is None:
        raise ConverterMissing(MISSING_MESSAGE)
    with pooled_profile() as profile, tempfile.TemporaryDirectory(prefix="yanxiu-pdf-") as workdir:
        work = Path(workdir)
        source = work / f"document{suffix}"
        source.write_bytes(data)
        command = [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            target_format,
            "--outdir",
            str(work / "out"),
            str(source),
        ]
        try:
            completed = subprocess.run(  # noqa: S603 (our own arguments)
                command, env=libreoffice_env(work), capture_output=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired as exc:
            raise ConversionFailed("PDF 转换超时，请稍后重试或下载 Word 版本。") from exc
        target = work / "out" / f"document.{target_format}"
        if completed.returncode != 0 or not target.exists():
            detail = (completed.stderr or completed.stdout).decode("utf-8", "replace")[-300:]
            raise ConversionFailed(f"PDF 转换失败，请下载 Word 版本。（{detail.strip()}）")
        return target.read_bytes()


# --- starting the warm converter ---------------------------------------------------------------


def uno_python():
    """A Python that can `import uno` (LibreOffice's: Debian's python3 with python3-uno)."""
    configured = getattr(settings, "DOCUMENTS_UNO_PYTHON", "")
    candidates = [configured] if configured else ["/usr/bin/python3", "/usr/lib/libreoffice/program/python"]
    for candidate in candidates:
        if candidate and Path(candidate).exists():
            probe = subprocess.run([candidate, "-c", "import uno"], capture_output=True, check=False)  # noqa: S603
            if probe.returncode == 0:
                return candidate
    return None


def unoserver_command(port, uno_port, profile, python=None):
    """(command, env) that runs unoserver under LibreOffice's Python.

    unoserver is installed in the project's virtualenv, whose Python has no
    `uno`; LibreOffice's Python gets a path holding only the unoserver package
    (and its metadata), nothing else of the virtualenv.
    """
    import unoserver  # noqa: PLC0415 (only needed to start the converter)

    python = python or uno_python()
    if python is None:
        raise ConverterMissing("未找到带 uno 模块的 Python（Debian：apt-get install python3-uno）。")
    package = Path(unoserver.__file__).resolve().parent
    shim = Path(profile).parent / "unoserver-path"
    shim.mkdir(parents=True, exist_ok=True)
    for source in [package, *package.parent.glob("unoserver-*.dist-info")]:
        link = shim / source.name
        if not link.exists():
            link.symlink_to(source)
    env = libreoffice_env(Path(profile).parent)
    env["PYTHONPATH"] = str(shim)
    command = [
        python,
        "-m",
        "unoserver.server",
        "--interface",
        "127.0.0.1",
        "--port",
        str(port),
        "--uno-port",
        str(uno_port),
        "--user-installation",
        str(profile),
        "--conversion-timeout",
        "120",
    ]
    executable = soffice_path()
    if executable:
        command += ["--executable", executable]
    return command, env
