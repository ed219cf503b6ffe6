"""Login throttling with django-axes: each account and each address has its limit.

Axes counts failed logins and refuses further attempts past one limit. An
account is locked after ``LOGIN_FAILURE_LIMIT`` failures; an address after
``LOGIN_ADDRESS_FAILURE_LIMIT``, a higher one because an institute's editors
share their office's address: one editor's typing mistakes must not lock the
others out, but an address trying password after password across many
accounts is stopped. Either lock lasts ``LOGIN_LOCKOUT_MINUTES`` after the
last failure that counted; an administrator can lift it before (Admin →
Users → "Unlock sign-in", or Admin → Axes → Access attempts).
"""

import ipaddress
import math
from datetime import datetime

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin
from django.db.models import Max, QuerySet, Sum
from django.shortcuts import render
from django.utils import timezone


def client_ip(request) -> str | None:
    """The client's address: the socket's, or behind our proxies the one the
    first of them saw (``PROXY_COUNT`` addresses from the right of
    X-Forwarded-For), never an address the client wrote itself."""
    remote = request.META.get("REMOTE_ADDR")
    if not settings.BEHIND_PROXY:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    if len(forwarded) < settings.PROXY_COUNT:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-settings.PROXY_COUNT].strip()))
    except ValueError:  # not an address: a proxy set up otherwise than said
        return remote


def failures(attempts: QuerySet) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class LoginThrottle(AxesDatabaseHandler):
    """Axes' database handler, with a limit of its own for addresses."""

    def limited_attempts(self, request, credentials=None) -> list[tuple]:
        """The recent failures of the account and of the address, each with
        its limit."""
        recent = AccessAttempt.objects.filter(
            attempt_time__gte=get_cool_off_threshold(request)
        )
        username = get_client_username(request, credentials)
        return [
            (settings.AXES_FAILURE_LIMIT, recent.filter(username=username)),
            (
                settings.LOGIN_ADDRESS_FAILURE_LIMIT,
                recent.filter(ip_address=request.axes_ip_address),
            ),
        ]

    def locks(self, request, credentials=None) -> list[QuerySet]:
        """The failures that lock this login out: the account's, the address's."""
        return [
            attempts
            for limit, attempts in self.limited_attempts(request, credentials)
            if failures(attempts) >= limit
        ]

    def get_failures(self, request, credentials=None) -> int:
        # Axes compares this with AXES_FAILURE_LIMIT, the account's limit: an
        # address past its own limit counts as an account at its limit.
        if self.locks(request, credentials):
            return settings.AXES_FAILURE_LIMIT
        _limit, account = self.limited_attempts(request, credentials)[0]
        return failures(account)

    def locked_until(self, request, credentials=None) -> datetime:
        """When the locks that refuse this login end at the latest."""
        last = max(
            (
                attempts.aggregate(last=Max("attempt_time"))["last"]
                for attempts in self.locks(request, credentials)
            ),
            default=None,
        )
        return (last or timezone.now()) + get_cool_off(request)


def lockout_response(request, original_response=None, credentials=None):
    """Our page for a refused login: when to try again, and whom to ask."""
    until = LoginThrottle().locked_until(request, credentials)
    seconds = max(0, (until - timezone.now()).total_seconds())
    context = {
        **admin.site.each_context(request),
        "until": until,
        "minutes": max(1, math.ceil(seconds / 60)),
    }
    # Rendered here: axes' middleware, the last, hands it on as it is.
    response = render(
        request,
        "admin/login_locked.html",
        context,
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    response["Retry-After"] = str(math.ceil(seconds))
    return response
