"""The permission matrix, generated from the URL configuration (issue 12): every URL
of the site, the admin included, GET by anonymous, a member of submitter A, a member of
B, a curator, view-only staff and a superuser, with a published and an embargoed round.

Each URL is filled with real objects (A's upload, a system of each round, one object of
each model in the admin) and each cell checked against the policy below; a URL pattern
the test cannot fill fails it, so a new view cannot be left out. 0 leaks: no cell gives
a 200 the policy does not allow.
"""

import datetime as dt
import re
import uuid

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from results import services
from results.models import Round
from submissions.models import Submission
from tests.test_curation import enter_phone

from .conftest import make_user, upload

pytestmark = pytest.mark.django_db

WHO = ["anonymous", "member_a", "member_b", "curator", "viewer", "superuser"]
STAFF = {"curator", "viewer", "superuser"}


def walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else None
            yield prefix + str(pattern.pattern), name


@pytest.fixture
def world(django_user_model, member_a, member_b, open_round, ivatech_archive, v07):
    embargoed = Round.objects.create(
        version="v9.9",
        title="Embargoed",
        result_id_prefix="9.9",
        published_at=timezone.now() + dt.timedelta(days=30),
    )
    services.copy_rules(v07, embargoed)
    hidden = enter_phone(embargoed)
    client = Client()
    client.force_login(member_a)
    upload(client, open_round, "ivatech", ivatech_archive)
    curator = make_user(django_user_model, "cora", staff=True)
    curator.groups.add(Group.objects.get(name="Curators"))
    viewer = make_user(django_user_model, "vera", staff=True)
    viewer.user_permissions.add(*Permission.objects.filter(codename__startswith="view_"))
    superuser = django_user_model.objects.create_superuser("root", "r@example.org", "x")
    published = v07.systems.select_related("submitter").first()
    return {
        "users": {
            "member_a": member_a,
            "member_b": member_b,
            "curator": curator,
            "viewer": viewer,
            "superuser": superuser,
        },
        "upload": Submission.objects.get(),
        "systems": {"published": published, "embargoed": hidden},
    }


def public_cells(world):
    """(url, kind) for the public pages, in both rounds."""
    published, hidden = world["systems"]["published"], world["systems"]["embargoed"]
    cells = [("/", "public"), ("/id/0.7-001", "public-redirect"), ("/id/9.9-001", "missing")]
    for version, system, table, kind in (
        ("v0.7", published, "open-edge-available", "public"),
        ("v9.9", hidden, "closed-mobile-phone-available", "embargoed"),
    ):
        cells += [
            (f"/{version}/", kind),
            (f"/{version}/changes/", kind),
            (f"/{version}/tables/{table}/", kind),
            (f"/{version}/rank/resnet/Offline/", kind),
            (f"/{version}/results.csv", kind),
            (f"/{version}/results.json", kind),
            (f"/{version}/results.xlsx", kind),
            (system.get_absolute_url(), kind),
            (f"/charts/{version}/resnet/Offline/", kind),
            (f"/charts/{version}/resnet/Offline/chart.svg", kind),
            (f"/charts/{version}/resnet/Offline/accuracy/", kind),
        ]
    today = timezone.localdate().isoformat()
    cells += [
        # A snapshot is of what was public: an embargoed round has none, even for staff.
        (f"/v0.7/snapshot/{today}/results.csv", "public"),
        (f"/v9.9/snapshot/{today}/results.csv", "missing"),
        ("/charts/history/resnet50/Offline/", "public"),
        ("/search/?q=Embargoed", "public"),
        # The API is anonymous-public: an embargoed round is missing for everyone.
        ("/api/v1/rounds/", "public"),
        ("/api/v1/schema/", "public"),
        ("/api/v1/docs/", "public"),
        ("/api/v1/rounds/v0.7/", "public"),
        ("/api/v1/rounds/v9.9/", "missing"),
        *[
            (f"/api/v1/rounds/{version}/{endpoint}/", kind)
            for version, kind in (("v0.7", "public"), ("v9.9", "missing"))
            for endpoint in ("benchmarks", "systems", "results", "corrections")
        ],
    ]
    # Compare and history read published rounds only, for everyone (staff too).
    hidden_id = hidden.entries.first().result_id or "9.9-001"
    cells += [
        ("/compare/?ids=0.7-001&ids=0.7-002", "public"),
        (f"/compare/?ids=0.7-001&ids={hidden_id}", "missing"),
        ("/accelerators/", "public"),
        ("/accelerators/nvidia-t4/", "public"),
        ("/accelerators/acme-npu/", "missing"),  # only the embargoed round has it
        (f"/systems/{published.submitter.slug}/{published.folder_id}/", "public"),
        (f"/systems/{hidden.submitter.slug}/{hidden.folder_id}/", "missing"),
    ]
    return cells


def admin_cells(world):
    """(url, kind, (model admin, permission codename or None, object)) for the admin."""
    cells = []
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        base = f"admin:{opts.app_label}_{opts.model_name}"
        objects = list(model._default_manager.order_by("pk")[:1])
        if model is world["users"]["superuser"].__class__:
            objects = [world["users"]["member_a"], world["users"]["superuser"]]
        if model is Round:
            objects = list(Round.objects.order_by("version"))
        cells.append((reverse(f"{base}_changelist"), "admin", (model_admin, "view", None)))
        cells.append((reverse(f"{base}_add"), "admin", (model_admin, "add", None)))
        if not objects:  # none stored (no login lockouts, no task rows): an ID that is not
            missing = uuid.uuid4() if opts.pk.get_internal_type() == "UUIDField" else 999999
            for action in ("change", "history", "delete"):
                cells.append((reverse(f"{base}_{action}", args=[missing]), "admin-missing", None))
        for obj in objects:
            for action, need in (("change", "view"), ("history", "view"), ("delete", "delete")):
                url = reverse(f"{base}_{action}", args=[obj.pk])
                cells.append((url, "admin", (model_admin, need, obj)))
            cells.append((f"/admin/{opts.app_label}/{opts.model_name}/{obj.pk}/", "redirect", None))
    users = world["users"]
    for user in (users["member_a"], users["superuser"]):
        url = reverse("admin:auth_user_password_change", args=[user.pk])
        kind = "staff-password" if user.is_staff else "admin"
        cells.append((url, kind, (admin.site._registry[type(user)], "change", user)))
    upload_ = world["upload"]
    for name in ("submission", "submissionforreview"):
        url = reverse(f"admin:submissions_{name}_review", args=[upload_.pk])
        model_admin = next(a for m, a in admin.site._registry.items() if m._meta.model_name == name)
        cells.append((url, "admin", (model_admin, "view", upload_)))
    system_admin = admin.site._registry[world["systems"]["published"].__class__]
    cells.append((reverse("admin:results_system_enter"), "admin", (system_admin, "change", None)))
    for app in ("auth", "results", "submissions", "admin", "axes", "django_tasks_database"):
        cells.append((reverse("admin:app_list", args=[app]), "admin-app", app))
    from django.contrib.contenttypes.models import ContentType

    hidden = world["systems"]["embargoed"]
    ct = ContentType.objects.get_for_model(hidden)
    cells += [
        (f"/admin/r/{ct.pk}/{hidden.pk}/", "redirect", None),
        ("/admin/", "admin-index", None),
        ("/admin/password_change/", "admin-index", None),
        ("/admin/password_change/done/", "admin-index", None),
        ("/admin/jsi18n/", "admin-index", None),
        ("/admin/autocomplete/", "admin-other", None),
        ("/admin/no-such-page/", "admin-other", None),
        ("/admin/login/", "admin-login", None),
        ("/admin/logout/", "admin-logout", None),
    ]
    return cells


def site_cells(world):
    pk = world["upload"].pk
    return [
        ("/healthz", "public"),
        ("/readyz", "public"),
        ("/accounts/login/", "login"),
        ("/accounts/logout/", "post-only"),
        ("/accounts/password_change/", "login-required"),
        ("/accounts/password_change/done/", "login-required"),
        ("/accounts/password_reset/", "public"),
        ("/accounts/password_reset/done/", "public"),
        ("/accounts/reset/MQ/made-up-token/", "public"),
        ("/accounts/reset/done/", "public"),
        ("/submissions/", "login-required"),
        ("/submissions/new/", "login-required"),
        *[
            (f"/submissions/{pk}/{tail}", "upload-of-a")
            for tail in ("", "report/", "report.json", "preview/", "archive")
        ],
        ("/submissions/rounds/v0.7/ivatech/", "upload-of-a"),
        ("/submissions/rounds/v0.7/ivatech/compare/", "upload-of-a"),
    ]


def allowed(who, kind, extra, user):
    """The statuses the policy allows for one cell."""
    anonymous = who == "anonymous"
    if kind == "public":
        return {200}
    if kind == "public-redirect":
        return {302}
    if kind == "missing":
        return {404}
    if kind == "embargoed":
        return {200} if who in STAFF else {404}
    if kind == "login":
        return {200}
    if kind == "admin-login":  # staff already in: to the index
        return {302} if who in STAFF else {200}
    if kind == "admin-logout":  # a POST for staff; anyone else is sent to log in
        return {405} if who in STAFF else {302}
    if kind == "post-only":
        return {405}
    if kind == "login-required":
        return {302} if anonymous else {200}
    if kind == "upload-of-a":
        return {302} if anonymous else {404} if who == "member_b" else {200}
    if who not in STAFF:  # the admin: the login page for anyone else
        return {302}
    if kind == "redirect":
        return {302}
    if kind == "admin-index":
        return {200}
    if kind == "admin-other":
        return {403, 404}
    if kind == "admin-missing":
        return {302, 403}  # to the index ("does not exist"), or refused
    if kind == "admin-app":
        has_any = user.has_module_perms(extra)
        return {200} if has_any else {404}
    if kind == "staff-password":
        return {200} if who == "superuser" else {403}
    model_admin, need, obj = extra
    opts = model_admin.model._meta
    codes = [f"{opts.app_label}.{need}_{opts.model_name}"]
    if need == "view":
        codes.append(f"{opts.app_label}.change_{opts.model_name}")
    if not any(user.has_perm(code) for code in codes):
        return {403}  # no permission for it: never a 200
    # Held: the admin may still refuse (nothing is deleted, uploads are never added ...).
    return {200, 403}


@pytest.mark.slow  # every URL against six kinds of user: half a minute
def test_the_permission_matrix(world):
    resolver_routes = list(walk(get_resolver().url_patterns))
    cells = (
        [(url, kind, None) for url, kind in public_cells(world)]
        + admin_cells(world)
        + [(url, kind, None) for url, kind in site_cells(world)]
    )
    # Every pattern of the URL configuration is exercised by at least one cell.
    urls = [url for url, _, _ in cells]
    for route, name in resolver_routes:
        regex = re.compile("^" + route_regex(route))
        assert any(regex.match(url.lstrip("/").split("?")[0]) for url in urls), (route, name)

    leaks, wrong = [], []
    for who in WHO:
        user = world["users"].get(who)
        client = Client(raise_request_exception=True)
        if user is not None:
            client.force_login(user)
        for url, kind, extra in cells:
            status = client.get(url).status_code
            expected = allowed(who, kind, extra, user)
            if status not in expected:
                (leaks if status == 200 else wrong).append((who, url, status, sorted(expected)))
    assert leaks == [], leaks
    assert wrong == [], "\n".join(map(str, wrong))
    assert len(cells) * len(WHO) > 600  # the matrix, not a sample


def route_regex(route: str) -> str:
    """A route as a regex over the URL's path, converters as [^/]+ (path: .+)."""
    if route.startswith("^") or "(?P<" in route:
        # Anchors of the included regex, not the [^/] inside it.
        return route.lstrip("^").replace("/^", "/").rstrip("$") + "$"
    out = re.escape(route)
    out = re.sub(r"<path:\w+>", ".+", out.replace("\\<", "<").replace("\\>", ">"))
    out = re.sub(r"<(?:\w+:)?\w+>", "[^/]+", out)
    return out + "$"
