"""Security headers on every response: pages, CSV, errors, redirects, static files.

Django's ``SecurityMiddleware`` sets nosniff, the referrer policy and HSTS, and
``XFrameOptionsMiddleware`` sets ``X-Frame-Options``; this middleware sits outside both
(first in ``MIDDLEWARE``) and adds the Content-Security-Policy, filling in the others
where a response skipped them (an error raised inside those middlewares, a response
made before they ran).

The policy allows no inline script anywhere. The admin (``/admin/``, including the
review flow under it) may use inline *styles*: the review pages ship a ``<style>``
block and django-simple-history's history table a ``style`` attribute. Styles cannot
run code, so that relaxation is scoped to the admin and nothing else; scripts stay
``'self'`` only there too (Django 5.2's admin has no inline script: its constants are
``<script src=... data-...>`` and ``json_script`` data).
"""

from __future__ import annotations

from django.conf import settings

BASE_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "object-src": "'none'",
}


def _render(policy: dict[str, str]) -> str:
    return "; ".join(f"{name} {value}" for name, value in policy.items())


CONTENT_SECURITY_POLICY = _render(BASE_POLICY)
ADMIN_CONTENT_SECURITY_POLICY = _render({**BASE_POLICY, "style-src": "'self' 'unsafe-inline'"})


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        admin = request.path_info.startswith("/admin/")
        response.headers.setdefault(
            "Content-Security-Policy",
            ADMIN_CONTENT_SECURITY_POLICY if admin else CONTENT_SECURITY_POLICY,
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault(
            "Referrer-Policy", getattr(settings, "SECURE_REFERRER_POLICY", None) or "same-origin"
        )
        if not getattr(response, "xframe_options_exempt", False):
            response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response
