"""Upload limits and content checks for attachments.

The size limit is enforced while the body streams in, so a 200 MB upload is
cut off after the limit instead of being written to disk whole.
"""

import io
import re
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, StopUpload


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops storing a file once it passes the limit; the form fields before it
    (the CSRF token among them) are still read, so the user gets a message."""

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > settings.ATTACHMENT_MAX_BYTES:
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


# Each allowed type: extensions, and a check on the first bytes of the file.
def _is_pdf(head, f):
    return head.startswith(b"%PDF-")


def _is_png(head, f):
    return head.startswith(b"\x89PNG\r\n\x1a\n")


def _is_jpeg(head, f):
    return head.startswith(b"\xff\xd8\xff")


def _is_ole_doc(head, f):
    return head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


def _is_docx(head, f):
    if not head.startswith(b"PK\x03\x04"):
        return False
    f.seek(0)
    try:
        with zipfile.ZipFile(f) as archive:
            names = set(archive.namelist())
            return "word/document.xml" in names and "[Content_Types].xml" in names
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        f.seek(0)


ATTACHMENT_TYPES = {
    ".pdf": ("PDF", _is_pdf),
    ".png": ("PNG 图片", _is_png),
    ".jpg": ("JPEG 图片", _is_jpeg),
    ".jpeg": ("JPEG 图片", _is_jpeg),
    ".docx": ("Word 文档", _is_docx),
    ".doc": ("Word 97-2003 文档", _is_ole_doc),
}


SCAN_TYPES = (".pdf", ".png", ".jpg", ".jpeg")


def validate_attachment(uploaded, allowed_extensions=None) -> str:
    """Return the file's extension if name and content agree; else raise."""
    name = uploaded.name or ""
    ext = name[name.rfind(".") :].lower() if "." in name else ""
    permitted = allowed_extensions or tuple(ATTACHMENT_TYPES)
    if ext not in permitted:
        allowed = "、".join(sorted({ATTACHMENT_TYPES[e][0] for e in permitted}))
        raise ValidationError(f"不支持的文件类型“{ext or '无扩展名'}”。可上传：{allowed}。")
    if uploaded.size == 0:
        raise ValidationError("文件是空的，请重新选择。")
    if uploaded.size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(f"文件过大：单个附件不能超过 {settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)} MB。")
    label, matches = ATTACHMENT_TYPES[ext]
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(0)
    if not matches(head, uploaded):
        raise ValidationError(f"文件内容与扩展名不符：它不是有效的{label}。请上传真实的文件，不要只改扩展名。")
    return ext


# --- spreadsheets uploaded for import (any app; documents/imports/safety.py does the same for Word) ---

XLSX_MAX_ENTRIES = 2000
XLSX_MAX_UNPACKED = 100 * 1024 * 1024
XLSX_MAX_RATIO = 200  # uncompressed / compressed, per member above 1 MB
_XML_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


class NotASpreadsheet(ValueError):
    """The file is no .xlsx at all (not a zip, or no workbook in it), as opposed to a dangerous one."""


def refuse_unsafe_xlsx(data: bytes, *, what="Excel 文件"):
    """Before openpyxl opens an uploaded .xlsx: raise ValueError (Chinese) for a file that is not a zip,
    is encrypted, is a zip bomb (entries, ratio, unpacked size) or has a part declaring a DOCTYPE or an
    ENTITY (openpyxl resolves entities when defusedxml is absent)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise NotASpreadsheet(f"文件不是有效的{what}（.xlsx）：可能已损坏，或只是改了扩展名。") from None
    if len(infos) > XLSX_MAX_ENTRIES:
        raise ValueError(f"{what}包含的条目过多（{len(infos)} 个），疑似恶意文件，已拒绝。")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise ValueError(f"{what}有密码保护（已加密），无法读取。请取消密码后重新上传。")
        total += info.file_size
        if info.file_size > 1024 * 1024 and info.file_size > XLSX_MAX_RATIO * max(info.compress_size, 1):
            raise ValueError(f"{what}的压缩比异常（疑似“压缩炸弹”），已拒绝。")
    if total > XLSX_MAX_UNPACKED:
        raise ValueError(f"{what}解压后过大，疑似“压缩炸弹”，已拒绝。")
    if "xl/workbook.xml" not in {info.filename for info in infos}:
        raise NotASpreadsheet(f"文件不是有效的{what}（.xlsx）：缺少工作簿部分。")
    for info in infos:
        if not info.filename.endswith((".xml", ".rels", ".vml")):
            continue
        try:
            with archive.open(info) as member:
                part = member.read(XLSX_MAX_UNPACKED + 1)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
            raise ValueError(f"{what}已损坏，无法读取其内容。") from None
        texts = [part]
        if part[:2] in (b"\xff\xfe", b"\xfe\xff"):
            texts.append(part.decode("utf-16", errors="ignore").encode("utf-8"))
        if any(_XML_DECLARATION.search(text) for text in texts):
            raise ValueError(f"{what}内含不允许的 XML 声明（DOCTYPE/ENTITY），疑似恶意文件，已拒绝。")
