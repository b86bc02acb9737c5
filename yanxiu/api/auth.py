"""Who is calling: a personal API token (Authorization: Bearer yx_…) or the browser's session."""

from ninja.security import HttpBearer, django_auth

from .domain import tokens


class TokenAuth(HttpBearer):
    openapi_description = "个人 API 令牌：在“API 令牌”页面创建，请求头 Authorization: Bearer yx_…"

    def authenticate(self, request, token):
        user = tokens.authenticate(token)
        if user is None:
            return None
        request.user = user
        return user


AUTH = [TokenAuth(), django_auth]
