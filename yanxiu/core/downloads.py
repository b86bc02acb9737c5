"""File downloads with a Chinese file name (RFC 5987), for every generated document.

Generated files are built per user from permission-checked data and many carry
personal data (contacts' mobiles, trainees' names and IDs): none is kept by a
browser or proxy cache (`Cache-Control: no-store`)."""

from urllib.parse import quote

from django.http import FileResponse, Http404, HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
ZIP = "application/zip"


def attachment(data, filename, content_type):
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    return response


def stored_file(field, filename):
    """An uploaded file as a download; a file missing from storage is a Chinese 404, not a 500."""
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError, OSError):
        raise Http404(f"文件“{filename}”已不在服务器上，请联系上传单位重新上传。") from None
    response = FileResponse(handle, as_attachment=True, filename=filename)
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    return response
