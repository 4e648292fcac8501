"""Eight uploads by one submitter at the same moment, through real web processes on
the default SQLite database (issue 12, item 9): eight versions, no 500 ("database is
locked" before: deferred transactions that upgrade to a write fail at once)."""

import http.client
import sqlite3
import threading
import uuid
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

import pytest

from tests.processes import load_site, manage, site_env, web

SETUP = """
import datetime as dt
from django.contrib.auth import get_user_model
from django.utils import timezone
from results.models import Round, Submitter
from submissions.models import Membership
round_ = Round.objects.get(version="v0.7")
round_.submission_deadline = timezone.now() + dt.timedelta(days=1)
round_.save()
user = get_user_model().objects.create_user("alice", "alice@example.org", "correct horse 42")
ivatech = Submitter.objects.get(slug="ivatech")
Membership.objects.create(user=user, submitter=ivatech)
print(round_.pk, ivatech.pk)
"""


class Browser:
    """Just enough of one: cookies (Secure ones too, over loopback HTTP) and CSRF."""

    def __init__(self, base):
        self.netloc = urlsplit(base).netloc
        self.cookies = {}

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection(self.netloc, timeout=60)
        headers = {**(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        connection.close()
        return response.status

    def log_in(self, username, password):
        self.request("GET", "/accounts/login/")
        form = {"username": username, "password": password}
        return self.post_form("/accounts/login/", form)

    def post_form(self, path, data):
        body = urlencode({**data, "csrfmiddlewaretoken": self.cookies["csrftoken"]})
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        return self.request("POST", path, body.encode(), headers)

    def upload(self, fields, filename, content):
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in {**fields, "csrfmiddlewaretoken": self.cookies["csrftoken"]}.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            )
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="archive"; '
            f'filename="{filename}"\r\nContent-Type: application/gzip\r\n\r\n'
        )
        body = (
            "".join(parts).encode() + head.encode() + content + f"\r\n--{boundary}--\r\n".encode()
        )
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        return self.request("POST", "/submissions/new/", body, headers)


@pytest.mark.slow  # two gunicorn processes and eight uploads: most of a minute
def test_eight_uploads_at_once_on_sqlite_never_give_a_500(tmp_path, ivatech_archive):
    env = site_env(tmp_path, SUBMISSION_STORAGE_ROOT=str(tmp_path / "uploads"))
    load_site(env)
    round_pk, submitter_pk = manage(env, "shell", "-c", SETUP).split()[-2:]
    content = ivatech_archive.read_bytes()
    # Two processes of four threads: eight requests in the database at the same time.
    with web(env, workers=2, threads=4) as base:
        browsers = [Browser(base) for _ in range(8)]
        for browser in browsers:
            assert browser.log_in("alice", "correct horse 42") == 302
        start = threading.Barrier(8)
        statuses = []

        def send(browser):
            start.wait()
            fields = {"round": round_pk, "submitter": submitter_pk}
            statuses.append(browser.upload(fields, "iva.tar.gz", content))

        threads = [threading.Thread(target=send, args=(b,)) for b in browsers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
    assert sorted(statuses) == [302] * 8
    with sqlite3.connect(tmp_path / "site.sqlite3") as db:
        versions = [v for (v,) in db.execute("SELECT version FROM submissions_submission")]
    assert sorted(versions) == list(range(1, 9))
