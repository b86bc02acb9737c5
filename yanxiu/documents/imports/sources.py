"""Turn what the user gives (files, folders, .zip archives, .eml e-mails) into
named byte strings, refusing unsafe containers without stopping the others.
"""

import email
import email.policy
from dataclasses import dataclass
from pathlib import Path

from yanxiu.core.refusal import Refused

from .safety import check_size, max_file_bytes, open_zip, read_member

FORM_SUFFIXES = (".docx", ".doc", ".docm", ".wps")
MAX_DEPTH = 2  # a zip inside an e-mail, not deeper


@dataclass
class Source:
    name: str
    data: bytes = b""
    refused: Refused = None


def expand_bytes(name, data, depth=0):
    """Yield Sources for one named file (which may be a container)."""
    lower = name.lower()
    try:
        check_size(len(data))
    except Refused as refused:
        yield Source(name, refused=refused)
        return
    if lower.endswith(".zip"):
        if depth >= MAX_DEPTH:
            yield Source(name, refused=Refused(code="import.nested", reason="压缩包嵌套过深，已拒绝。"))
            return
        try:
            archive = open_zip(data, what="压缩包")
        except Refused as refused:
            yield Source(name, refused=refused)
            return
        for info in archive.infolist():
            if info.is_dir() or "__MACOSX" in info.filename or Path(info.filename).name.startswith("~$"):
                continue
            member = f"{name}/{info.filename}"
            if not info.filename.lower().endswith((*FORM_SUFFIXES, ".zip")):
                continue
            try:
                content = read_member(archive, info.filename, limit=max_file_bytes())
            except Refused as refused:
                yield Source(member, refused=refused)
                continue
            yield from expand_bytes(member, content, depth + 1)
        return
    if lower.endswith(".eml"):
        if depth >= MAX_DEPTH:
            yield Source(name, refused=Refused(code="import.nested", reason="邮件嵌套过深，已拒绝。"))
            return
        message = email.message_from_bytes(data, policy=email.policy.default)
        found = False
        for part in message.iter_attachments():
            filename = part.get_filename() or ""
            if not filename.lower().endswith((*FORM_SUFFIXES, ".zip")):
                continue
            found = True
            content = part.get_payload(decode=True) or b""
            yield from expand_bytes(f"{name}/{filename}", content, depth + 1)
        if not found:
            yield Source(name, refused=Refused(code="import.no_attachment", reason="邮件中没有 Word 申报表附件。"))
        return
    yield Source(name, data)


def expand_paths(paths):
    """Yield Sources for command-line paths (files, folders, archives, e-mails)."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if (
                    child.is_file()
                    and child.suffix.lower() in (*FORM_SUFFIXES, ".zip", ".eml")
                    and not child.name.startswith("~$")
                ):
                    yield from _expand_file(child)
        elif path.is_file():
            yield from _expand_file(path)
        else:
            yield Source(str(path), refused=Refused(code="import.missing_file", reason="文件或文件夹不存在。"))


def _expand_file(path):
    size = path.stat().st_size
    try:
        check_size(size)
    except Refused as refused:
        yield Source(str(path), refused=refused)
        return
    yield from expand_bytes(str(path), path.read_bytes())
