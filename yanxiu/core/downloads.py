"""File downloads with a Chinese file name (RFC 5987), for every generated document.

Generated files are built per user from permission-checked data and many carry
personal data (contacts' mobiles, trainees' names and IDs): none is kept by a
browser or proxy cache (`Cache-Control: no-store`)."""

from urllib.parse import quote

from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"


def attachment(data, filename, content_type):
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    return response
