"""Clean failures and headers (issue 12, item 9): impossible input is a 400, a lost
database a 503 with Retry-After, /readyz asks the database, every response has a CSP,
pages behind a login are private, weak secret keys are refused, concurrent uploads
never give a 500."""

import threading

import pytest
from django.db import OperationalError, connection
from django.test import Client

from tests.test_settings import _run

from .conftest import make_user, upload

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/v0.7%00/",
        "/v0.7/?sort=%00",
        "/v0.7/?submitter=a%00b",
        "/v0.7/tables/open-edge-available/?page=%00",
        "/v0.7/results.csv?sort=x%01",
        "/id/0.7-%00",
        "/submissions/rounds/v0.7%00/ivatech/",
        "/accounts/login/?next=%00",
        "/admin/results/round/?q=%00",
        "/v0.7/?%00=1",
    ],
)
def test_control_characters_are_a_400_on_any_database(client, url):
    response = Client(raise_request_exception=False).get(url)
    assert response.status_code == 400


def test_a_lost_database_is_a_503_with_retry_after(monkeypatch):
    from results import selectors

    def lost(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    monkeypatch.setattr(selectors, "published_rounds", lost)
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"

    monkeypatch.setattr(selectors, "published_rounds", lambda: 1 / 0)
    assert Client(raise_request_exception=False).get("/").status_code == 500


def test_readyz_asks_the_database(client, monkeypatch):
    assert client.get("/readyz").content == b"ok"

    def refused(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(connection, "cursor", refused)
    response = client.get("/readyz")
    assert response.status_code == 503 and response["Retry-After"]
    assert client.get("/healthz").status_code == 200  # liveness: the process answers


@pytest.mark.slow  # a real web process
def test_without_its_database_a_real_process_answers_503():
    """A process whose database refuses connections (a closed port): 503 and not ready."""
    code = (
        "import django; django.setup(); from django.test import Client; "
        "c = Client(raise_request_exception=False); "
        "r = [c.get(u) for u in ('/', '/v0.7/', '/readyz', '/healthz')]; "
        "print([x.status_code for x in r], r[0].get('Retry-After'))"
    )
    result = _run(
        code,
        DATABASE_URL="postgres://postgres@127.0.0.1:9/nothing",
        DJANGO_SECRET_KEY="k" + "".join(chr(97 + i % 26) for i in range(60)),
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_TESTING="1",  # plain static files storage: no collectstatic here
    )
    assert result.stdout.strip() == "[503, 503, 503, 200] 30", result.stderr[-3000:]


def test_every_response_has_a_content_security_policy(client, admin_client):
    for c, url in (
        (client, "/"),
        (client, "/v0.7/"),
        (client, "/nope/"),
        (admin_client, "/admin/"),
    ):
        policy = c.get(url)["Content-Security-Policy"]
        assert policy.startswith("default-src 'self'")
        assert "frame-ancestors 'none'" in policy


def test_pages_behind_a_login_are_private(member_a, open_round, ivatech_archive, admin_client):
    client = Client()
    client.force_login(member_a)
    upload(client, open_round, "ivatech", ivatech_archive)
    from submissions.models import Submission

    pk = Submission.objects.get().pk
    for c, url in (
        (client, "/submissions/"),
        (client, f"/submissions/{pk}/"),
        (client, f"/submissions/{pk}/archive"),
        (client, f"/submissions/{pk}/report.json"),
        (client, "/v0.7/"),
        (admin_client, "/admin/"),
        (admin_client, "/v0.7/results.csv"),
    ):
        control = c.get(url)["Cache-Control"]
        assert "private" in control and "no-store" in control, (url, control)
        assert "public" not in control and "max-age=3" not in control
    assert "private" not in Client().get("/v0.7/").get("Cache-Control", "")


@pytest.mark.parametrize(
    "key", ["short-key", "x" * 60, "ababababab" * 6], ids=["short", "one-char", "two-chars"]
)
def test_a_weak_secret_key_is_refused(key):
    result = _run("import mlperf_site.wsgi", DJANGO_SECRET_KEY=key)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is too weak" in result.stderr


@pytest.mark.django_db(transaction=True)
def test_eight_uploads_at_once_never_give_a_500(django_user_model, v07, ivatech_archive):
    """Eight uploads by one submitter at the same moment: eight versions, no error."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("threads cannot share SQLite's in-memory test database; see the process test")
    import datetime as dt

    from django.utils import timezone

    from submissions.models import Submission

    v07.submission_deadline = timezone.now() + dt.timedelta(days=1)
    v07.save(update_fields=["submission_deadline"])
    member = make_user(django_user_model, "alice", submitters=["ivatech"])
    statuses = []
    start = threading.Barrier(8)

    def one():
        client = Client(raise_request_exception=False)
        client.force_login(member)
        start.wait()
        statuses.append(upload(client, v07, "ivatech", ivatech_archive).status_code)
        connection.close()

    threads = [threading.Thread(target=one) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert statuses == [302] * 8
    assert sorted(Submission.objects.values_list("version", flat=True)) == list(range(1, 9))
