"""Throttling (issue 12, item 6): login and admin login lock out per account and per
address (django-axes); password-reset requests are limited per address and per e-mail
address (django-ratelimit) and the mail goes out from a task, not from the request."""

import pytest
from django.core import mail
from django.test import Client

from .conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"


def attempt(url, username, password, ip="192.0.2.1"):
    client = Client(REMOTE_ADDR=ip)
    response = client.post(url, {"username": username, "password": password})
    return response, client


@pytest.mark.parametrize("url", [LOGIN, ADMIN_LOGIN])
def test_thirty_wrong_passwords_then_the_right_one_is_refused(url, member_a, staff):
    user = staff if url == ADMIN_LOGIN else member_a
    statuses = [attempt(url, user.username, "wrong")[0].status_code for _ in range(30)]
    assert statuses[:4] == [200] * 4  # the form again, with its error
    assert set(statuses[5:]) == {429}
    response, client = attempt(url, user.username, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_one_account_locks_whatever_the_address(member_a):
    for n in range(5):
        attempt(LOGIN, "alice", "wrong", ip=f"198.51.100.{n}")
    assert attempt(LOGIN, "alice", PASSWORD, ip="203.0.113.7")[0].status_code == 429


def test_one_address_locks_whatever_the_account(member_a, member_b):
    for n in range(5):
        attempt(LOGIN, f"guess{n}", "wrong", ip="198.51.100.9")
    assert attempt(LOGIN, "bob", PASSWORD, ip="198.51.100.9")[0].status_code == 429
    # Another address and another account are not touched.
    response, client = attempt(LOGIN, "bob", PASSWORD, ip="203.0.113.8")
    assert response.status_code == 302 and client.session["_auth_user_id"]


def test_a_good_login_before_the_limit_starts_the_count_again(member_a):
    for _ in range(4):
        attempt(LOGIN, "alice", "wrong")
    assert attempt(LOGIN, "alice", PASSWORD)[0].status_code == 302
    for _ in range(4):
        attempt(LOGIN, "alice", "wrong")
    assert attempt(LOGIN, "alice", PASSWORD)[0].status_code == 302


def reset(email, ip="192.0.2.1"):
    return Client(REMOTE_ADDR=ip).post("/accounts/password_reset/", {"email": email})


def test_reset_mails_are_limited_per_account(member_a):
    responses = [reset("alice@example.org", ip=f"198.51.100.{n}") for n in range(10)]
    assert {r["Location"] for r in responses} == {"/accounts/password_reset/done/"}
    assert len(mail.outbox) == 3


def test_reset_requests_are_limited_per_address(django_user_model):
    for n in range(8):
        make_user(django_user_model, f"user{n}")
    responses = [reset(f"user{n}@example.org", ip="198.51.100.20") for n in range(8)]
    assert {r.status_code for r in responses} == {302}
    assert len(mail.outbox) == 5
    assert reset("user7@example.org", ip="198.51.100.21").status_code == 302
    assert len(mail.outbox) == 6


def test_the_reset_mail_is_sent_by_a_task_not_the_request(settings, member_a):
    """With a queue (here the dummy backend, which keeps tasks and runs none), the request
    only enqueues: no user lookup, no token, no SMTP, the same for any address."""
    from django_tasks import task_backends

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    backend = task_backends["default"]
    for email in ("alice@example.org", "nobody@example.org"):
        assert reset(email)["Location"] == "/accounts/password_reset/done/"
    assert mail.outbox == []
    queued = [(r.task.name, r.args) for r in backend.results]
    assert queued == [
        ("send_password_reset", ["alice@example.org", "testserver", False]),
        ("send_password_reset", ["nobody@example.org", "testserver", False]),
    ]
    # The worker sends it: one mail for the account, none for the unknown address.
    for result in backend.results:
        result.task.call(*result.args)
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
    assert "/accounts/reset/" in mail.outbox[0].body
