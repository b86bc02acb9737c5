"""The OpenID Connect conversation with a provider, through Authlib's Django client.

Authlib does the protocol: discovery (<issuer>/.well-known/openid-configuration), the
authorisation redirect with state, nonce and PKCE (S256) kept in the session, the code
exchange, and the ID token's checks (signature against the provider's JWKS, issuer, audience,
expiry, nonce). The claims then come from the ID token and the userinfo endpoint (whose
subject must be the ID token's). What an identity may reach is `domain/bindings.py`'s.
"""

from authlib.integrations.base_client import OAuthError
from authlib.integrations.django_client import OAuth
from requests.exceptions import RequestException

from yanxiu.core.refusal import Refused

from ..domain.providers import identity_from_claims

SCOPE = "openid profile"
TIMEOUT_SECONDS = 10
PROVIDER_FAILED = "统一身份认证没有完成（{provider}）：{detail}。请重新登录，或使用用户名和密码登录。"


def _client(provider):
    """A client for this provider, built from the settings of this moment (tests and a
    changed environment need no restart); the discovery document is read once per login."""
    registry = OAuth()
    return registry.register(
        provider.key,
        client_id=provider.client_id,
        client_secret=provider.client_secret,
        server_metadata_url=f"{provider.issuer}/.well-known/openid-configuration",
        client_kwargs={"scope": SCOPE, "code_challenge_method": "S256", "timeout": TIMEOUT_SECONDS},
    )


def _failed(provider, detail):
    return Refused(PROVIDER_FAILED.format(provider=provider.name, detail=detail), code="identity_provider")


def redirect_to_provider(request, provider, redirect_uri):
    try:
        return _client(provider).authorize_redirect(request, redirect_uri)
    except (OAuthError, RequestException, ValueError) as error:
        raise _failed(provider, "无法连接身份提供方") from error


def identity_from_callback(request, provider):
    """The verified identity of the login the provider sent back here (or Refused)."""
    client = _client(provider)
    try:
        token = client.authorize_access_token(request)
        claims = dict(token.get("userinfo") or {})
        if not claims:
            raise OAuthError(description="no ID token")
        extra = client.userinfo(token=token)
    except OAuthError as error:
        detail = "您在身份提供方取消了登录" if error.error == "access_denied" else "身份提供方的应答未通过校验"
        raise _failed(provider, detail) from error
    except (RequestException, ValueError) as error:
        raise _failed(provider, "无法连接身份提供方") from error
    if extra.get("sub") != claims.get("sub"):
        raise _failed(provider, "用户信息与身份令牌不一致")
    return identity_from_claims(provider, {**extra, **claims})
