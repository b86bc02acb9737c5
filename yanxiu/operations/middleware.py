"""`/healthz` and `/readyz` for a load balancer, answered first in the middleware chain: no
session, no host check (a probe asks by address), no HTTPS redirect, no login."""

from django.http import JsonResponse

from .domain.readiness import readiness

HEALTHZ, READYZ = "/healthz", "/readyz"


class ProbeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == HEALTHZ:
            return JsonResponse({"status": "ok"}, headers={"Cache-Control": "no-store"})
        if request.path == READYZ:
            ok, checks = readiness()
            return JsonResponse(
                {"status": "ok" if ok else "fail", "checks": checks},
                status=200 if ok else 503,
                headers={"Cache-Control": "no-store"},
                json_dumps_params={"ensure_ascii": False},
            )
        return self.get_response(request)
