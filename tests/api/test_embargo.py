"""The permission matrix of the API: a round not published now (embargoed, or a draft
with no date) is absent from every endpoint for everyone, staff and its own submitter's
members included: the API is anonymous and reads no session."""

import datetime as dt

import pytest
from django.utils import timezone

from results import services
from submissions.models import Membership
from tests.factories import make_result, make_round, make_system

SECRET = "SECRET-BOX-9000"


@pytest.fixture
def hidden_rounds(db):
    later = (timezone.now() + dt.timedelta(days=3)).isoformat()
    rounds = [
        make_round("v2.0", version="v9.9", published_at=later),
        make_round("v2.0", version="v9.8", published_at=None),
    ]
    for round_ in rounds:
        system = make_system(round_, "Acme", "box", name=SECRET)
        result = make_result(system, "resnet", "Offline", 1234.5, power=(412.0, "W"))
        make_result(system, "resnet", "Server", 1000.0)
        services.withdraw_result(result, reason=f"{SECRET} withdrawn")
    return rounds


@pytest.fixture(params=["anonymous", "member", "staff"])
def visitor(request, client, django_user_model, hidden_rounds):
    if request.param == "member":
        user = django_user_model.objects.create_user("member")
        system = hidden_rounds[0].systems.get()
        Membership.objects.create(user=user, submitter=system.submitter)
        client.force_login(user)
    elif request.param == "staff":
        client.force_login(
            django_user_model.objects.create_user("staff", is_staff=True, is_superuser=True)
        )
    return client


def test_hidden_rounds_are_on_no_endpoint(api_get, visitor, hidden_rounds, v07):
    # The public pages agree: the round pages of both are 404 for anonymous visitors.
    rounds = api_get("/api/v1/rounds/", on=visitor).json()["results"]
    assert [r["version"] for r in rounds] == ["v0.7"]
    for round_ in hidden_rounds:
        base = f"/api/v1/rounds/{round_.version}/"
        for path in ("", "benchmarks/", "systems/", "results/", "corrections/"):
            response = api_get(base + path, on=visitor)
            assert response.status_code == 404, (base + path, response.content)
            assert SECRET.encode() not in response.content
        filtered = api_get(base + "results/", {"submitter": "acme"}, on=visitor)
        assert filtered.status_code == 404


def test_nothing_of_theirs_leaks_into_a_public_round(api_get, visitor, hidden_rounds, v07):
    base = "/api/v1/rounds/v0.7/"
    for path in ("", "benchmarks/", "systems/", "results/", "corrections/"):
        response = api_get(base + path, {"page_size": 1000} if path else None, on=visitor)
        assert response.status_code == 200
        assert SECRET.encode() not in response.content
    # Their submitter has no system in v0.7: the filter refuses it as the page does.
    assert api_get(base + "systems/", {"submitter": "acme"}, on=visitor).status_code == 400


def test_a_round_shows_once_its_embargo_ends(api_get, client, hidden_rounds):
    embargoed = hidden_rounds[0]
    embargoed.published_at = timezone.now() - dt.timedelta(seconds=1)
    embargoed.save()
    versions = [r["version"] for r in api_get("/api/v1/rounds/").json()["results"]]
    assert "v9.9" in versions and "v9.8" not in versions
    systems = api_get("/api/v1/rounds/v9.9/systems/").json()["results"]
    assert [s["name"] for s in systems] == [SECRET]
