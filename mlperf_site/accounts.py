"""Accounts: the password reset, throttled and mailed from a task.

Login and admin login are throttled by django-axes (settings, "Throttling"). The
reset form is throttled here with django-ratelimit, per address and per e-mail
address; over the limit, the visitor sees the same "check your mail" page and
nothing is sent. The mail itself (the user lookup, the token, SMTP) is sent by a
task, so the request costs the same whether the address has an account or not.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.views import PasswordResetView
from django.http import HttpResponseRedirect
from django_ratelimit.core import is_ratelimited
from django_tasks import task


def client_ip(request) -> str:
    """The visitor's address: REMOTE_ADDR, or the header the proxy sets when one is named
    (DJANGO_CLIENT_IP_HEADER, e.g. HTTP_X_REAL_IP); axes and the reset throttle share it."""
    header = settings.CLIENT_IP_HEADER
    value = request.META.get(header, "") if header else ""
    # X-Forwarded-For may list hops: the last one is what our proxy saw.
    return value.split(",")[-1].strip() or request.META.get("REMOTE_ADDR", "")


def _ip_key(group, request) -> str:
    return client_ip(request)


def _email_key(group, request) -> str:
    return request.POST.get("email", "").strip().lower()


@task()
def send_password_reset(email: str, domain: str, use_https: bool) -> None:
    """Mail a reset link to each active account with this address (none: nothing)."""
    form = PasswordResetForm({"email": email})
    if form.is_valid():
        form.save(domain_override=domain, use_https=use_https)


class QueuedPasswordResetForm(PasswordResetForm):
    def save(self, *, request=None, use_https=False, domain_override=None, **kwargs):
        send_password_reset.enqueue(
            self.cleaned_data["email"], domain_override or request.get_host(), use_https
        )


class ThrottledPasswordResetView(PasswordResetView):
    form_class = QueuedPasswordResetForm

    def form_valid(self, form):
        limited = [
            is_ratelimited(
                self.request, group=f"password-reset-{name}", key=key, rate=rate, increment=True
            )
            for name, key, rate in (
                ("ip", _ip_key, settings.PASSWORD_RESET_RATE_PER_ADDRESS),
                ("email", _email_key, settings.PASSWORD_RESET_RATE_PER_ACCOUNT),
            )
        ]
        if any(limited):
            # The same answer as a sent mail: it tells nothing about the address.
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)
