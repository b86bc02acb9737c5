"""The configured unified-identity providers (settings.YANXIU_OIDC_PROVIDERS, from the
environment) and what their claims say, in our names (decision 0025)."""

from dataclasses import dataclass, field

from django.conf import settings
from django.http import Http404

from yanxiu.core.validators import normalise_code

from ..enums import Kind

# Our name -> the provider's claim name, unless the provider's settings say otherwise.
DEFAULT_CLAIMS = {
    "subject": "sub",  # the open id
    "name": "name",
    "user_type": "user_type",  # person or legal entity
    "cert_type": "cert_type",
    "cert_no": "cert_no",
    "uscc": "uscc",  # a legal entity's 统一社会信用代码
}
PERSON_TYPES = {"person", "natural_person", "1", "个人", "自然人"}
LEGAL_ENTITY_TYPES = {"legal_entity", "legal_person", "2", "法人", "单位"}
# The certificate types that are a resident identity card (GA/T 517 code 111).
ID_CARD_TYPES = {"id_card", "111", "居民身份证", "身份证"}


@dataclass(frozen=True)
class Provider:
    key: str
    name: str
    issuer: str
    client_id: str
    client_secret: str
    claims: dict = field(default_factory=dict)

    def claim(self, ours):
        return self.claims.get(ours) or DEFAULT_CLAIMS[ours]


def configured():
    """The providers with an issuer and a client id, in the order configured."""
    found = []
    for key, values in getattr(settings, "YANXIU_OIDC_PROVIDERS", {}).items():
        if values.get("issuer") and values.get("client_id"):
            found.append(
                Provider(
                    key=key,
                    name=values.get("name") or key,
                    issuer=values["issuer"].rstrip("/"),
                    client_id=values["client_id"],
                    client_secret=values.get("client_secret", ""),
                    claims=dict(values.get("claims") or {}),
                )
            )
    return found


def get(key):
    for provider in configured():
        if provider.key == key:
            return provider
    raise Http404("没有这个统一身份认证方式。")


@dataclass(frozen=True)
class Identity:
    """What one login at a provider asserted, read through the provider's claim names."""

    provider: Provider
    subject: str
    kind: str  # Kind, or "" when the provider said neither
    name: str
    cert_type: str
    cert_no: str
    uscc: str

    @property
    def has_id_card(self):
        return self.cert_type.strip().lower() in ID_CARD_TYPES and bool(self.cert_no)

    @property
    def label(self):
        """How the audit trail names this identity when it is no account: "闽政通:<open id>"."""
        return f"{self.provider.name}:{self.subject}"[:150]


def _text(claims, name):
    value = claims.get(name)
    return "" if value is None else str(value).strip()


def identity_from_claims(provider, claims):
    """The claims (ID token and userinfo, merged) as an `Identity`."""
    user_type = _text(claims, provider.claim("user_type")).lower()
    kind = Kind.PERSON if user_type in PERSON_TYPES else Kind.LEGAL_ENTITY if user_type in LEGAL_ENTITY_TYPES else ""
    return Identity(
        provider=provider,
        subject=_text(claims, provider.claim("subject")),
        kind=kind,
        name=_text(claims, provider.claim("name"))[:100],
        cert_type=_text(claims, provider.claim("cert_type")),
        cert_no=normalise_code(_text(claims, provider.claim("cert_no"))).upper(),
        uscc=normalise_code(_text(claims, provider.claim("uscc"))).upper(),
    )
