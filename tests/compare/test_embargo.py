"""Nothing of a round under embargo shows on the compare and history pages, for anyone:
anonymous, a submitter of another organisation or of its own, staff (the pages are
permalinks, public by nature)."""

import pytest
from django.contrib.auth.models import User

from results.models import Submitter
from submissions.models import Membership

from .conftest import rid

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["anonymous", "other-org", "own-org", "staff"])
def visitor(request, client, db):
    if request.param in ("other-org", "own-org"):
        # Even NVIDIA's own members: a permalink shows what everyone sees.
        user = User.objects.create_user("someone", password="pw")
        slug = "other" if request.param == "other-org" else "nvidia"
        org, _ = Submitter.objects.get_or_create(slug=slug, defaults={"name": slug.title()})
        Membership.objects.create(user=user, submitter=org)
        client.force_login(user)
    elif request.param == "staff":
        client.force_login(User.objects.create_user("staffer", password="pw", is_staff=True))
    return client


def test_an_embargoed_id_is_not_found_like_an_unknown_one(visitor, v20, embargoed):
    secret = visitor.get("/compare/", {"ids": ["0.7-066", "5.1-0001"]})
    unknown = visitor.get("/compare/", {"ids": ["0.7-066", "5.1-0009"]})
    assert secret.status_code == unknown.status_code == 404
    for response in (secret, unknown):
        html = response.content.decode()
        assert "SECRET" not in html and "123456" not in html
    assert "No published result has the ID 5.1-0001" in secret.content.decode()


def test_history_pages_leave_the_embargoed_round_out(visitor, v20, embargoed):
    family = visitor.get("/systems/nvidia/T4x1_TRT/")
    assert family.status_code == 200
    html = family.content.decode()
    assert "v2.0" in html and "v0.7" in html
    assert "SECRET" not in html and "v5.1" not in html and "123,456" not in html
    t4 = visitor.get("/accelerators/nvidia-t4/").content.decode()
    assert "v2.0" in t4 and "SECRET" not in t4 and "v5.1" not in t4
    # An accelerator only the embargoed round has, and a system only it has: not found.
    assert visitor.get("/accelerators/secret-chip-x/").status_code == 404
    assert visitor.get("/systems/acme/hush/").status_code == 404


def test_the_system_page_lists_no_embargoed_round(client, v20, embargoed):
    html = client.get("/v2.0/closed/nvidia/T4x1_TRT/").content.decode()
    assert "SECRET" not in html and "v5.1" not in html
    assert rid(v20, "T4x1_TRT")  # the published one has its ID
