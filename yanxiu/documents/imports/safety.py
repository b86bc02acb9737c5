"""Opening untrusted files: refuse what is not a plain .docx before parsing.

Every refusal is a `Refused` with a stable code and a Chinese message; the
importer records it for the file and goes on with the others.
"""

import io
import re
import zipfile

from django.conf import settings
from lxml import etree

from yanxiu.core.refusal import Refused

from ..embedded import MAX_PART_BYTES, is_rows_part

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"

MAX_ENTRIES = 2000
MAX_RATIO = 200  # uncompressed / compressed, per member above 1 MB


def max_file_bytes():
    return getattr(settings, "DOCUMENTS_IMPORT_MAX_BYTES", 20 * 1024 * 1024)


def max_unpacked_bytes():
    return getattr(settings, "DOCUMENTS_IMPORT_MAX_UNPACKED_BYTES", 100 * 1024 * 1024)


def _mb(n):
    return f"{n / (1024 * 1024):.0f} MB"


def check_size(size):
    if size == 0:
        raise Refused(code="import.empty", reason="文件是空的。")
    if size > max_file_bytes():
        raise Refused(code="import.too_large", reason=f"文件过大（超过 {_mb(max_file_bytes())}），已拒绝。")


def sniff(data: bytes):
    """Refuse executables, encrypted and legacy Office files, and non-zip data."""
    head = data[:8]
    if head[:2] == b"MZ" or head[:4] == b"\x7fELF":
        raise Refused(code="import.executable", reason="这是一个可执行程序，不是 Word 文档，已拒绝。")
    if head == OLE_MAGIC:
        if "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data:
            raise Refused(code="import.encrypted", reason="文件有密码保护（已加密），无法读取。请取消密码后重新提交。")
        raise Refused(
            code="import.legacy_doc",
            reason="这是旧版 Word 97-2003 文件（.doc），请在 Word 或 WPS 中另存为 .docx 后再导入。",
        )
    if head[:4] != ZIP_MAGIC:
        raise Refused(code="import.not_docx", reason="文件不是有效的 Word（.docx）文档：可能已损坏，或只是改了扩展名。")


def open_zip(data: bytes, *, what="Word 文档"):
    """A ZipFile after checking for zip bombs (entries, total and ratio)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise Refused(code="import.corrupt", reason=f"{what}已损坏，无法打开。") from exc
    if len(infos) > MAX_ENTRIES:
        raise Refused(code="import.zip_bomb", reason=f"{what}包含的条目过多（{len(infos)} 个），疑似恶意文件，已拒绝。")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise Refused(code="import.encrypted", reason=f"{what}有密码保护（已加密），无法读取。")
        total += info.file_size
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise Refused(code="import.zip_bomb", reason=f"{what}的压缩比异常（疑似“压缩炸弹”），已拒绝。")
    if total > max_unpacked_bytes():
        raise Refused(
            code="import.zip_bomb",
            reason=f"{what}解压后过大（超过 {_mb(max_unpacked_bytes())}），疑似“压缩炸弹”，已拒绝。",
        )
    return archive


def read_member(archive, name, limit=None):
    """Read one member, never more than `limit` bytes whatever its header says."""
    limit = limit or max_unpacked_bytes()
    try:
        with archive.open(name) as member:
            data = member.read(limit + 1)
    except KeyError:
        return None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise Refused(code="import.corrupt", reason="Word 文档已损坏，无法读取其内容。") from exc
    if len(data) > limit:
        raise Refused(code="import.zip_bomb", reason="Word 文档解压后过大，疑似“压缩炸弹”，已拒绝。")
    return data


XML_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
)


def parse_xml(data: bytes):
    if b"<!DOCTYPE" in data[:2048] or b"<!ENTITY" in data[:4096]:
        raise Refused(
            code="import.malicious", reason="Word 文档内含不允许的 XML 声明（DOCTYPE/ENTITY），疑似恶意文件，已拒绝。"
        )
    try:
        return etree.fromstring(data, XML_PARSER)
    except etree.XMLSyntaxError as exc:
        raise Refused(code="import.corrupt", reason="Word 文档的内容已损坏（XML 格式错误），无法读取。") from exc


class OpenedDocx:
    def __init__(self, document, identifier, embedded=None, embedded_refused=None):
        self.document = document  # parsed word/document.xml
        self.identifier = identifier  # docProps/core.xml dc:identifier ("uscc:…" if the system made it)
        self.embedded = embedded  # the parsed rows part the system embeds (see embedded.py), or None
        self.embedded_refused = embedded_refused  # a Refused for a rows part that could not be read


CUSTOM_ITEM_RE = re.compile(r"^customXml/item\d+\.xml$")
MAX_CUSTOM_ITEMS = 50


def read_embedded_rows(archive, names):
    """(parsed rows part or None, Refused or None): never refuses the form itself.

    Only custom XML items are looked at (a few, each read with a hard size
    limit), and only the one carrying the system's namespace is parsed, with
    the same DOCTYPE/ENTITY refusal as every other part.
    """
    items = sorted(name for name in names if CUSTOM_ITEM_RE.match(name))[:MAX_CUSTOM_ITEMS]
    for name in items:
        try:
            with archive.open(name) as member:
                head = member.read(1024)
        except (KeyError, zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
            continue  # someone else's part, unreadable: not ours to judge
        if not is_rows_part(head):
            continue
        try:
            return parse_xml(read_member(archive, name, limit=MAX_PART_BYTES)), None
        except Refused as refused:
            return None, refused  # reported by the parser as a warning
    return None, None


def open_docx(data: bytes):
    """An OpenedDocx for a .docx given as bytes, or Refused."""
    check_size(len(data))
    sniff(data)
    archive = open_zip(data)
    names = set(archive.namelist())
    if "word/document.xml" not in names:
        if "xl/workbook.xml" in names:
            raise Refused(
                code="import.not_docx", reason="这是 Excel 文件，不是 Word 申报表；汇总表请以 Word（.docx）格式提交。"
            )
        raise Refused(code="import.not_docx", reason="文件不是 Word（.docx）文档（缺少正文部分）。")
    document = parse_xml(read_member(archive, "word/document.xml"))
    identifier = ""
    if "docProps/core.xml" in names:
        try:
            core = parse_xml(read_member(archive, "docProps/core.xml", limit=1024 * 1024))
            found = core.find("{http://purl.org/dc/elements/1.1/}identifier")
            identifier = (found.text or "").strip() if found is not None else ""
        except Refused:
            identifier = ""  # the properties are optional: never refuse a form for them
    embedded, embedded_refused = read_embedded_rows(archive, names)
    return OpenedDocx(document, identifier, embedded, embedded_refused)
