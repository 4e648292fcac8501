"""Roles that hold (issue 12, item 2): a curator keeps memberships and accounts of
submitters, with no path to superuser, staff flags, groups, permissions or another
staff member's password; every admin action states the permission it needs."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.test import Client

from .conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator(django_user_model):
    user = make_user(django_user_model, "cora", staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    return user


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.org", PASSWORD)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def change_form(user, **changes):
    data = {
        "username": user.username,
        "first_name": "",
        "last_name": "",
        "email": user.email,
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "groups": [g.pk for g in Group.objects.all()],
        "user_permissions": [p.pk for p in Permission.objects.all()[:20]],
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        **changes,
    }
    return data


def test_a_curator_cannot_make_themselves_superuser(curator):
    client = logged_in(curator)
    url = f"/admin/auth/user/{curator.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200  # they may look at their own account ...
    assert b'name="is_superuser"' not in page.content
    response = client.post(url, change_form(curator))
    assert response.status_code == 403  # ... not change it
    curator.refresh_from_db()
    assert not curator.is_superuser
    assert list(curator.groups.values_list("name", flat=True)) == ["Curators"]


@pytest.mark.parametrize("target", ["superuser", "other_staff", "self"])
def test_a_curator_cannot_set_a_staff_password(
    request, curator, superuser, target, django_user_model
):
    victim = {
        "superuser": superuser,
        "other_staff": make_user(django_user_model, "stan", staff=True),
        "self": curator,
    }[target]
    client = logged_in(curator)
    url = f"/admin/auth/user/{victim.pk}/password/"
    assert client.get(url).status_code == 403
    response = client.post(
        url, {"password1": "a new pass phrase 42", "password2": "a new pass phrase 42"}
    )
    assert response.status_code == 403
    victim.refresh_from_db()
    assert victim.check_password(PASSWORD)


def test_a_curator_keeps_a_submitters_account_without_touching_roles(curator, member_a):
    from results.models import Submitter

    client = logged_in(curator)
    url = f"/admin/auth/user/{member_a.pk}/change/"
    page = client.get(url).content.decode()
    for field in ("is_superuser", "is_staff", "groups", "user_permissions"):
        assert f'name="{field}"' not in page
    mobilint = Submitter.objects.get(slug="mobilint")
    response = client.post(
        url,
        change_form(
            member_a,
            email="alice@new.example.org",
            **{
                "memberships-TOTAL_FORMS": "1",
                "memberships-0-submitter": mobilint.pk,
                "memberships-0-user": member_a.pk,
            },
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    member_a.refresh_from_db()
    assert member_a.email == "alice@new.example.org"
    assert (member_a.is_staff, member_a.is_superuser) == (False, False)
    assert not member_a.groups.exists() and not member_a.user_permissions.exists()
    assert set(member_a.memberships.values_list("submitter__slug", flat=True)) == {
        "ivatech",
        "mobilint",
    }
    # And may set a submitter's password (an account they created).
    response = client.post(
        f"/admin/auth/user/{member_a.pk}/password/",
        {"password1": "a new pass phrase 42", "password2": "a new pass phrase 42"},
    )
    assert response.status_code == 302


def test_a_superuser_still_manages_roles(superuser, member_a):
    client = logged_in(superuser)
    response = client.post(
        f"/admin/auth/user/{member_a.pk}/change/",
        change_form(
            member_a,
            groups=[Group.objects.get(name="Curators").pk],
            user_permissions=[],
            is_superuser="",
            date_joined_0="2026-01-01",
            date_joined_1="00:00:00",
        ),
    )
    assert response.status_code == 302
    member_a.refresh_from_db()
    assert member_a.is_staff and member_a.groups.filter(name="Curators").exists()


def test_every_admin_action_states_its_permission(rf, superuser):
    request = rf.get("/admin/")
    request.user = superuser
    missing = []
    for model, model_admin in admin.site._registry.items():
        for func, name, _ in model_admin._get_base_actions():
            if not getattr(func, "allowed_permissions", None):
                missing.append(f"{model._meta.label}.{name}")
    assert missing == []


def test_view_only_staff_run_no_action(django_user_model, v07):
    """Staff who may only view see no action and cannot post one."""
    viewer = make_user(django_user_model, "vera", staff=True)
    viewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_round", "view_submission"])
    )
    client = logged_in(viewer)
    for url, action, pk in (
        ("/admin/results/round/", "hand_out_result_ids", v07.pk),
        ("/admin/submissions/submission/", "check_again", None),
    ):
        page = client.get(url)
        assert page.status_code == 200
        assert action.encode() not in page.content
        if pk is not None:
            before = (v07.numbered_at, v07.next_result_number)
            client.post(url, {"action": action, "_selected_action": [pk]})
            v07.refresh_from_db()
            assert (v07.numbered_at, v07.next_result_number) == before
