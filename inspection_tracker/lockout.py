"""Login lockouts that an attacker cannot aim at an editor (django-axes, configured in settings).

* A username is locked only together with the address the failures came from (AXES_LOCKOUT_PARAMETERS),
  after AXES_FAILURE_LIMIT failures: guessing an editor's password from elsewhere never locks the editor
  out of their own address.
* An address is locked after LOGIN_ADDRESS_FAILURE_LIMIT failures, whatever the usernames (password
  spraying). django-axes has one limit for every rule, so LockoutHandler adds this one.
* A lockout lasts AXES_COOLOFF_TIME from the failure that caused it: attempts during it are refused without
  being recorded (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT off), so they cannot prolong it.
* The refusal is a 429 page with Retry-After: the seconds until the lockout ends.
* A username of any length is recorded, cut to what django-axes's tables hold (client_username).
"""

import math

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.shortcuts import render
from django.utils import timezone


# django-axes keeps usernames in varchar(255) columns: a longer one tried at the login page made PostgreSQL
# refuse the failure's record, a 500 before login. It is recorded cut to that length, and still counts.
USERNAME_KEPT = AccessAttempt._meta.get_field("username").max_length


def client_username(request, credentials=None):
    """AXES_USERNAME_CALLABLE: the username tried, as django-axes would read it, at most USERNAME_KEPT long."""
    field = settings.AXES_USERNAME_FORM_FIELD
    username = credentials.get(field) if credentials else getattr(request, "data", request.POST).get(field)
    return username[:USERNAME_KEPT] if isinstance(username, str) else username


class LockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None):
        """Failures on AXES_FAILURE_LIMIT's scale: those for this username from this address, or the limit
        itself once the address has reached its own limit."""
        failures = super().get_failures(request, credentials)
        if address_failures(request) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(failures, settings.AXES_FAILURE_LIMIT)
        return failures


def recent_attempts(request):
    since = timezone.now() - get_cool_off(request)
    return AccessAttempt.objects.filter(ip_address=request.axes_ip_address, attempt_time__gte=since)


def address_failures(request):
    return recent_attempts(request).aggregate(total=Sum("failures_since_start"))["total"] or 0


def retry_after_seconds(request, credentials):
    """Seconds until the lockout ends: the cool-off counted from the last failure that was recorded."""
    attempts = recent_attempts(request)
    if address_failures(request) < settings.LOGIN_ADDRESS_FAILURE_LIMIT:
        attempts = attempts.filter(username=get_client_username(request, credentials))
    last = attempts.aggregate(last=Max("attempt_time"))["last"]
    cool_off = get_cool_off(request)
    if last is None:
        return math.ceil(cool_off.total_seconds())
    return max(1, math.ceil((last + cool_off - timezone.now()).total_seconds()))


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the site's 429 page, saying when to try again."""
    seconds = retry_after_seconds(request, credentials)
    response = render(request, "429.html", {"minutes": math.ceil(seconds / 60)}, status=429)
    response["Retry-After"] = str(seconds)
    return response
