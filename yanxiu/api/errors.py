"""Stable error bodies: a code and a Chinese message, the same for every endpoint."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as RequestInvalid

from yanxiu.applications.domain.editing import EditConflict
from yanxiu.core.refusal import Refused

from .domain.tokens import TokenRefused


class ErrorOut(Schema):
    code: str
    message: str
    errors: dict[str, str] = {}


# Declared on every endpoint, so the schema says what a client must handle.
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
NOT_FOUND = "没有找到，或您无权查看。"


def responses(ok):
    return {200: ok, **ERRORS}


def install(api):
    def answer(request, status, code, message, errors=None):
        body = {"code": code, "message": message, "errors": errors or {}}
        return api.create_response(request, body, status=status)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return answer(
            request, 401, "unauthenticated", "请先登录，或在请求头中提供有效的 API 令牌（Authorization: Bearer …）。"
        )

    @api.exception_handler(TokenRefused)
    def token_refused(request, exc):
        return answer(request, 401, "token_refused", exc.reason)

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return answer(request, 403, "forbidden", str(exc) or "您无权执行此操作。")

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return answer(request, 404, "not_found", NOT_FOUND)

    @api.exception_handler(EditConflict)
    def conflict(request, exc):
        return answer(request, 409, "edit_conflict", str(exc))

    @api.exception_handler(Refused)
    def refused(request, exc):
        return answer(request, 409, exc.code or "refused", exc.reason, {k: str(v) for k, v in exc.errors.items()})

    @api.exception_handler(ValidationError)
    def invalid_model(request, exc):
        return answer(request, 422, "invalid", "；".join(exc.messages))

    @api.exception_handler(HttpError)
    def unreadable(request, exc):
        # ninja raises HttpError(400, "Cannot parse request body") for a body that is not JSON:
        # answered like any other invalid request, in Chinese, with a status the schema declares.
        if exc.status_code == 400:
            return answer(request, 422, "unreadable_body", "请求内容不是有效的 JSON。")
        return answer(request, exc.status_code, "error", "请求未能处理。")

    @api.exception_handler(RequestInvalid)
    def invalid_request(request, exc):
        errors = {}
        for error in exc.errors:
            location = ".".join(str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path"))
            errors[location or "request"] = _chinese(error)
        return answer(
            request, 422, "invalid", "请求内容不正确：" + "；".join(f"{k} {v}" for k, v in errors.items()), errors
        )


def _chinese(error):
    kind = error.get("type", "")
    if kind == "missing":
        return "必填"
    if kind.startswith("int"):
        return "应为整数"
    if kind.startswith("date"):
        return "应为日期（年-月-日）"
    if kind.startswith("bool"):
        return "应为 true 或 false"
    if "too_long" in kind or "too_short" in kind:
        return "长度不符合要求"
    if "greater_than" in kind or "less_than" in kind:
        return "超出允许范围"
    return "格式不正确"
