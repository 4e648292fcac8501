"""Who sees an upload: every upload, report and preview URL x (anonymous, member
of A, member of B, staff). Members of A and staff see A's uploads; a member of
B gets the same 404 as for an upload that does not exist; anonymous users are
sent to the login page whether the upload exists or not."""

import re
import uuid

import pytest
from django.test import Client

from results.models import Result
from submissions.models import Submission

from .conftest import upload


@pytest.fixture
def uploads_of_a(member_a, open_round, ivatech_archive):
    """Two versions uploaded by a member of A (IVATech), from a browser of their own."""
    browser = Client()
    browser.force_login(member_a)
    upload(browser, open_round, "ivatech", ivatech_archive)
    upload(browser, open_round, "ivatech", ivatech_archive)
    return list(Submission.objects.order_by("version"))


def upload_urls(pk):
    return [
        f"/submissions/{pk}/",
        f"/submissions/{pk}/report/",
        f"/submissions/{pk}/report/?level=info",
        f"/submissions/{pk}/report.json",
        f"/submissions/{pk}/preview/",
        f"/submissions/{pk}/archive",
    ]


SUBMITTER_URLS = [
    "/submissions/rounds/v0.7/ivatech/",
    "/submissions/rounds/v0.7/ivatech/compare/",
    "/submissions/rounds/v0.7/ivatech/compare/?from=1&to=2",
]


def all_urls(submissions):
    return [url for s in submissions for url in upload_urls(s.pk)] + SUBMITTER_URLS


@pytest.fixture(params=["anonymous", "member_a", "member_b", "staff"])
def who(request, client):
    if request.param != "anonymous":
        client.force_login(request.getfixturevalue(request.param))
    return request.param


EXPECTED = {"anonymous": 302, "member_a": 200, "member_b": 404, "staff": 200}


def test_matrix(client, who, uploads_of_a):
    for url in all_urls(uploads_of_a):
        response = client.get(url)
        assert response.status_code == EXPECTED[who], (who, url)
        if who == "anonymous":
            assert response["Location"].startswith("/accounts/login/?next=/submissions/")
        if response.status_code == 200 and hasattr(response, "content"):
            assert b"sha256" in response.content.lower() or b"IVATech" in response.content


def test_unknown_uploads_look_the_same_as_other_peoples(client, who, uploads_of_a):
    """No response tells an outsider whether an upload ID or a submitter exists."""
    missing = uuid.uuid4()
    real = uploads_of_a[0].pk
    for url_real, url_missing in zip(upload_urls(real), upload_urls(missing), strict=True):
        response = client.get(url_missing)
        if who == "anonymous":
            assert response.status_code == 302
        else:
            assert response.status_code == 404
        if who in ("anonymous", "member_b"):
            other = client.get(url_real)
            assert other.status_code == response.status_code
            # The same page but for the ID in its address (and the CSRF token's mask).
            assert page(other, real) == page(response, missing)
            if who == "anonymous":
                assert other["Location"].replace(str(real), "ID") == response["Location"].replace(
                    str(missing), "ID"
                )
    for url in ("/submissions/rounds/v0.7/nosuchorg/", "/submissions/rounds/v9/ivatech/"):
        assert client.get(url).status_code == (302 if who == "anonymous" else 404)


def page(response, pk) -> bytes:
    content = response.content.replace(str(pk).encode(), b"ID")
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)


def test_index_lists_only_what_one_may_see(client, who, uploads_of_a):
    response = client.get("/submissions/")
    if who == "anonymous":
        assert response.status_code == 302
        return
    page = response.content.decode()
    shown = str(uploads_of_a[0].pk) in page or "ivatech.tar.gz" in page
    assert shown == (who in ("member_a", "staff"))


def test_nothing_reaches_the_public_pages(client, uploads_of_a):
    """Passed uploads stay out of the catalogue, the round page and the downloads."""
    assert all(s.status == "passed" for s in uploads_of_a)
    assert (
        not Result.objects.filter(entry__system__submitter__slug="ivatech")
        .exclude(entry__system__round__version="v0.7")
        .exists()
    )
    csv = b"".join(client.get("/v0.7/results.csv").streaming_content).decode()
    # The bundled round has IVATech's two published closed results; the uploads add none.
    assert (
        csv.count(",IVATech,")
        == Result.objects.filter(entry__system__submitter__slug="ivatech").count()
    )
    assert client.get("/v0.7/results.csv").status_code == 200


def test_admin_is_for_staff_only(client, member_a, uploads_of_a):
    client.force_login(member_a)
    response = client.get(f"/admin/submissions/submission/{uploads_of_a[0].pk}/change/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
