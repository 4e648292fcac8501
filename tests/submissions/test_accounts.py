"""Accounts: log in, log out, change and reset a password; mail settings; memberships."""

import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.core import mail

from results.models import Submitter
from submissions.models import Membership

from .conftest import PASSWORD


def test_login_page_works_without_javascript(client, db):
    page = client.get("/accounts/login/").content.decode()
    assert (
        "Submitter log in" in page and 'name="username"' in page and "csrfmiddlewaretoken" in page
    )
    assert 'href="/accounts/password_reset/"' in page


def test_log_in_and_out(client, member_a):
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/submissions/"
    page = client.get("/submissions/").content.decode()
    assert "Log out" in page and "IVATech" in page
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/submissions/").status_code == 302


def test_wrong_password(client, member_a):
    response = client.post("/accounts/login/", {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_login_returns_to_the_page_asked_for(client, member_a):
    response = client.get("/submissions/new/")
    assert response["Location"] == "/accounts/login/?next=/submissions/new/"
    response = client.post(
        "/accounts/login/?next=/submissions/new/",
        {"username": "alice", "password": PASSWORD, "next": "/submissions/new/"},
    )
    assert response["Location"] == "/submissions/new/"


def test_change_password(client, member_a):
    client.force_login(member_a)
    assert client.get("/accounts/password_change/").status_code == 200
    response = client.post(
        "/accounts/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "another long passphrase 42",
            "new_password2": "another long passphrase 42",
        },
    )
    assert response["Location"] == "/accounts/password_change/done/"
    member_a.refresh_from_db()
    assert member_a.check_password("another long passphrase 42")


def test_reset_password_by_mail(client, member_a):
    page = client.get("/accounts/password_reset/").content.decode()
    assert "Reset your password" in page
    response = client.post("/accounts/password_reset/", {"email": "alice@example.org"})
    assert response["Location"] == "/accounts/password_reset/done/"
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    assert "Choose a new password" in response.content.decode()
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "a fresh passphrase 77", "new_password2": "a fresh passphrase 77"},
    )
    assert response["Location"] == "/accounts/reset/done/"
    member_a.refresh_from_db()
    assert member_a.check_password("a fresh passphrase 77")


def test_reset_for_an_unknown_address_says_the_same(client, db):
    response = client.post("/accounts/password_reset/", {"email": "nobody@example.org"})
    assert response["Location"] == "/accounts/password_reset/done/"
    assert mail.outbox == []


def settings_value(name, **env):
    code = (
        f"import django; django.setup(); from django.conf import settings; print(settings.{name})"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={
            "PATH": os.environ.get("PATH", ""),
            "DJANGO_SETTINGS_MODULE": "mlperf_site.settings",
            "DJANGO_DEBUG": "1",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.slow  # starts Django in subprocesses
def test_mail_goes_to_the_console_unless_an_smtp_host_is_set():
    assert settings_value("EMAIL_BACKEND") == "django.core.mail.backends.console.EmailBackend"
    smtp = {"EMAIL_HOST": "smtp.example.org", "EMAIL_PORT": "2525", "EMAIL_USE_TLS": "0"}
    assert settings_value("EMAIL_BACKEND", **smtp) == "django.core.mail.backends.smtp.EmailBackend"
    assert settings_value("EMAIL_PORT", **smtp) == "2525"
    assert settings_value("EMAIL_USE_TLS", **smtp) == "False"


def test_tasks_run_on_the_database_worker_outside_tests():
    assert settings_value("TASKS['default']['BACKEND']") == "django_tasks_db.DatabaseBackend"
    assert settings.TASKS["default"]["BACKEND"].endswith("ImmediateBackend")


@pytest.mark.django_db
def test_staff_keep_memberships_on_the_user_page(admin_client, member_b):
    page = admin_client.get(f"/admin/auth/user/{member_b.pk}/change/").content.decode()
    assert "submitters this user uploads for" in page.lower()
    assert admin_client.get("/admin/submissions/membership/").status_code == 200
    ivatech = Submitter.objects.get(slug="ivatech")
    response = admin_client.post(
        "/admin/submissions/membership/add/", {"user": member_b.pk, "submitter": ivatech.pk}
    )
    assert response.status_code == 302
    assert set(
        Membership.objects.filter(user=member_b).values_list("submitter__slug", flat=True)
    ) == {
        "mobilint",
        "ivatech",
    }
