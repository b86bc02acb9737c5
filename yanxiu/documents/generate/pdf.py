"""PDF through LibreOffice headless, one private profile per conversion.

Concurrent conversions sharing a profile silently lose documents, so every
call gets its own `-env:UserInstallation` directory. A fontconfig file that
maps the official Chinese faces (仿宋_GB2312, 方正小标宋简体, 黑体, 宋体) to the Noto
CJK fonts is passed to LibreOffice, so the server needs no system-wide alias.

Without LibreOffice, `convert_to_pdf` raises `ConverterMissing` with a message
for the user; the Word file stays available.
"""

import os
import shutil
import subprocess
import tempfile
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


def convert_to_pdf(data: bytes, suffix: str = ".docx", timeout: int = 120) -> bytes:
    """Convert a .docx or .xlsx (bytes) to PDF (bytes)."""
    return convert(data, suffix, "pdf", timeout)


def convert(data: bytes, suffix: str = ".docx", target_format: str = "pdf", timeout: int = 120) -> bytes:
    """Convert a document (bytes) with LibreOffice to `target_format` ("pdf", "docx", …)."""
    soffice = soffice_path()
    if soffice is None:
        raise ConverterMissing(MISSING_MESSAGE)
    with tempfile.TemporaryDirectory(prefix="yanxiu-pdf-") as workdir:
        work = Path(workdir)
        source = work / f"document{suffix}"
        source.write_bytes(data)
        profile = work / "profile"
        env = {**os.environ, "HOME": str(work)}
        if FONTCONFIG_FILE.exists():
            env["FONTCONFIG_FILE"] = str(FONTCONFIG_FILE)
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
            completed = subprocess.run(command, env=env, capture_output=True, timeout=timeout, check=False)  # noqa: S603  (fixed arguments; the one path is our own temporary file)
        except subprocess.TimeoutExpired as exc:
            raise ConversionFailed("PDF 转换超时，请稍后重试或下载 Word 版本。") from exc
        target = work / "out" / f"document.{target_format}"
        if completed.returncode != 0 or not target.exists():
            detail = (completed.stderr or completed.stdout).decode("utf-8", "replace")[-300:]
            raise ConversionFailed(f"PDF 转换失败，请下载 Word 版本。（{detail.strip()}）")
        return target.read_bytes()
