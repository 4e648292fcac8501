"""Bad input through the upload form, one case at a time (the issue's matrix).

Each case is an otherwise valid upload (closed/IVATech) with one hostile
thing in it, or an archive that is hostile as a whole. For each: the report
has a finding (or the upload a rejection) that names the file and the rule;
nothing is written outside that submission's own storage; the database
changes only by that submission's record and report; the site keeps serving.
"""

import io
import json
import os
import tarfile
import zipfile
from pathlib import Path

import pytest
from django.apps import apps

from submissions.models import Submission

from .conftest import REPO_ROOT, upload

IVA = "closed/IVATech"
OFFLINE = f"{IVA}/results/iva-fpga-1/resnet/Offline"


def tar_of(tree: Path, target: Path, *, extra=(), replace=None, mode="w:gz") -> Path:
    """The IVATech tree as a tar, with members replaced or added."""
    replace = replace or {}
    with tarfile.open(target, mode, format=tarfile.GNU_FORMAT) as archive:
        for path in sorted(tree.rglob("*")):
            name = str(path.relative_to(tree))
            if name in replace:
                continue
            archive.add(path, arcname=name, recursive=False)
        for name, data in replace.items():
            add_bytes(archive, name, data)
        for item in extra:
            if isinstance(item, tarfile.TarInfo):
                archive.addfile(item)
            else:
                add_bytes(archive, *item)
    return target


def add_bytes(archive, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    archive.addfile(info, io.BytesIO(data))


def special(name, kind, link=""):
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = link
    return info


def system_json(tree, **changes):
    data = json.loads((tree / IVA / "systems/iva-fpga-1.json").read_text())
    data.update(changes)
    return json.dumps(data).encode()


def bomb(tree, target):
    with tarfile.open(target, "w:gz") as archive:
        info = tarfile.TarInfo(f"{IVA}/results/big.bin")
        info.size = 200 << 20
        archive.addfile(info, io.BytesIO(bytes(info.size)))
    return target


def truncated(tree, target):
    whole = tar_of(tree, target.with_name("whole.tar.gz"))
    target.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    return target


def zip_bad_crc(tree, target):
    with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as archive:
        for path in sorted(tree.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(tree))
    data = bytearray(target.read_bytes())
    spot = data.index(b"Result is : VALID")
    data[spot] = ord("r")
    target.write_bytes(bytes(data))
    return target


def empty_archive(tree, target):
    with tarfile.open(target, "w:gz"):
        pass
    return target


def not_an_archive(tree, target):
    target.write_bytes(b"%PDF-1.4 this is a report, not a submission\n" * 100)
    return target


def tar(**kwargs):
    return lambda tree, target: tar_of(tree, target, **kwargs)


def lazy(fn):
    """Build the tar arguments from the tree (for cases that edit a real file)."""
    return lambda tree, target: tar_of(tree, target, **fn(tree))


DEEP = "/".join([IVA] + ["d"] * 40 + ["f.txt"])
LONG = f"{IVA}/" + "x" * 2000 + ".txt"

# (id, build, settings overrides, expected status, rule, where the finding points)
CASES = [
    ("dotdot", tar(extra=[("../../escape.txt", b"x")]), {}, "failed", "IN2", "../../escape.txt"),
    (
        "dotdot-inside",
        tar(extra=[(f"{IVA}/../../../escape.txt", b"x")]),
        {},
        "failed",
        "IN2",
        "../../../escape.txt",
    ),
    ("absolute", tar(extra=[("/tmp/escape.txt", b"x")]), {}, "failed", "IN2", "/tmp/escape.txt"),
    (
        "symlink",
        tar(extra=[special(f"{IVA}/systems/x.json", tarfile.SYMTYPE, "/etc/passwd")]),
        {},
        "failed",
        "IN3",
        f"{IVA}/systems/x.json",
    ),
    (
        "hardlink",
        tar(extra=[special(f"{IVA}/systems/h.json", tarfile.LNKTYPE, "/etc/passwd")]),
        {},
        "failed",
        "IN3",
        f"{IVA}/systems/h.json",
    ),
    (
        "device",
        tar(extra=[special(f"{IVA}/dev", tarfile.CHRTYPE)]),
        {},
        "failed",
        "IN3",
        f"{IVA}/dev",
    ),
    (
        "fifo",
        tar(extra=[special(f"{IVA}/fifo", tarfile.FIFOTYPE)]),
        {},
        "failed",
        "IN3",
        f"{IVA}/fifo",
    ),
    ("bomb-ratio", bomb, {}, "failed", "IN4", f"{IVA}/results/big.bin"),
    ("too-many-files", tar(), {"max_files": 50}, "failed", "IN4", IVA),
    ("too-big-unpacked", tar(), {"max_total_bytes": 200_000}, "failed", "IN4", IVA),
    ("deep-path", tar(extra=[(DEEP, b"x")]), {}, "failed", "IN4", f"{IVA}/d/d/d"),
    ("long-path", tar(extra=[(LONG, b"x")]), {}, "failed", "IN4", f"{IVA}/xxxx"),
    (
        "nested-archive",
        tar(extra=[(f"{IVA}/inner.tar.gz", b"\x1f\x8b")]),
        {},
        "passed",
        "IN3",
        f"{IVA}/inner.tar.gz",
    ),
    ("truncated-gzip", truncated, {}, "failed", "IN1", "ivatech.tar.gz"),
    ("zip-bad-crc", zip_bad_crc, {}, "failed", "IN1", "ivatech.tar.gz"),
    ("non-utf8-name", tar(extra=[(f"{IVA}/caf\udce9.json", b"{}")]), {}, "failed", "IN2", "caf"),
    (
        "control-char-name",
        tar(extra=[(f"{IVA}/bad\x1bname.json", b"{}")]),
        {},
        "failed",
        "IN2",
        "bad",
    ),
    (
        "other-submitter",
        tar(extra=[("closed/Mobilint/systems/x.json", b"{}")]),
        {},
        "failed",
        "IN6",
        "closed/Mobilint",
    ),
    (
        "other-division",
        tar(extra=[("preview/IVATech/x.txt", b"x")]),
        {},
        "passed",
        "IN6",
        "preview",
    ),
    (
        "systems-not-json",
        tar(replace={f"{IVA}/systems/iva-fpga-1.json": b"\x89PNG\r\n\x1a\n\x00\x00garbage"}),
        {},
        "failed",
        "S1",
        f"{IVA}/systems/iva-fpga-1.json",
    ),
    (
        "systems-wrong-types",
        lazy(
            lambda t: {
                "replace": {
                    f"{IVA}/systems/iva-fpga-1.json": system_json(
                        t, system_name=["a"], number_of_nodes={"n": 1}
                    )
                }
            }
        ),
        {},
        "failed",
        "S1",
        f"{IVA}/systems/iva-fpga-1.json",
    ),
    (
        "binary-accuracy-txt",
        tar(replace={f"{OFFLINE}/accuracy/accuracy.txt": os.urandom(3000)}),
        {},
        "failed",
        "A2",
        f"{OFFLINE}/accuracy/accuracy.txt",
    ),
    (
        "binary-summary",
        tar(replace={f"{OFFLINE}/performance/run_1/mlperf_log_summary.txt": os.urandom(3000)}),
        {},
        "failed",
        "P1",
        f"{OFFLINE}/performance/run_1/mlperf_log_summary.txt",
    ),
    ("empty-archive", empty_archive, {}, "failed", "IN1", ""),
    ("not-an-archive", not_an_archive, {}, "failed", "IN1", "ivatech.tar.gz"),
]


def model_counts():
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        # Proxy models (the review queue) count the rows of their concrete model again.
        if model._meta.app_label in ("results", "submissions", "auth", "django_tasks_db")
        and not model._meta.proxy
    }


@pytest.mark.parametrize(
    ("build", "limits", "status", "rule", "where"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_hostile_upload(
    client, member_a, open_round, ivatech_tree, tmp_path, settings, upload_storage,
    build, limits, status, rule, where,
):  # fmt: skip
    settings.SUBMISSION_LIMITS = {**settings.SUBMISSION_LIMITS, **limits}
    archive = build(ivatech_tree, tmp_path / "ivatech.tar.gz")
    client.force_login(member_a)
    before = model_counts()

    response = upload(client, open_round, "ivatech", archive)

    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.status == status, submission.report.get("findings")
    finding = next(
        (f for f in submission.report["findings"] if f["rule"] == rule and where in f["path"]),
        None,
    )
    assert finding is not None, (rule, where, submission.report["findings"][:5])
    assert finding["section"].startswith("§") and finding["message"]
    if status == "failed":
        assert any(f["level"] == "error" for f in submission.report["findings"])

    # The report page names the file and the rule.
    page = client.get(f"/submissions/{submission.pk}/report/?level={finding['level']}")
    assert rule in page.content.decode()

    # Only that submission's record changed in the database...
    after = model_counts()
    assert after.pop("submissions.Submission") == before.pop("submissions.Submission") + 1
    assert after == before
    # ...and only its archive was written, inside its own storage.
    written = [p for p in upload_storage.rglob("*") if p.is_file()]
    assert written == [upload_storage / submission.archive.name]
    for folder in (upload_storage, upload_storage.parent, tmp_path, Path.cwd(), REPO_ROOT):
        assert not (folder / "escape.txt").exists()
    assert not Path("/tmp/escape.txt").exists()

    # The site keeps serving.
    assert client.get("/").status_code == 200
    assert client.get("/healthz").status_code == 200


def test_an_empty_file_is_refused_by_the_form(client, member_a, open_round, tmp_path):
    empty = tmp_path / "nothing.tar.gz"
    empty.write_bytes(b"")
    client.force_login(member_a)
    response = upload(client, open_round, "ivatech", empty)
    assert response.status_code == 400
    assert "“nothing.tar.gz” is empty, not an archive; rule IN1." in response.content.decode()
    assert not Submission.objects.exists()


def test_nul_and_lone_surrogates_in_a_system_json_are_stored_escaped(
    client, member_a, open_round, ivatech_tree, tmp_path
):
    # Valid JSON, valid types: a NUL and a lone surrogate, which PostgreSQL's jsonb refuses.
    text = system_json(ivatech_tree, system_name="IVA\x00 \ud800 FPGA").decode()
    assert "\\u0000" in text and "\\ud800" in text
    archive = tar_of(
        ivatech_tree,
        tmp_path / "ivatech.tar.gz",
        replace={f"{IVA}/systems/iva-fpga-1.json": text.encode()},
    )
    client.force_login(member_a)
    upload(client, open_round, "ivatech", archive)
    submission = Submission.objects.get()
    assert submission.status == "passed"
    assert submission.report["systems"][0]["name"] == "IVA\\x00 \\ud800 FPGA"
    assert client.get(f"/submissions/{submission.pk}/preview/").status_code == 200


def test_markup_in_names_and_descriptions_is_shown_as_text(
    client, member_a, open_round, ivatech_tree, tmp_path
):
    script = "<script>alert(1)</script>"
    archive = tar_of(
        ivatech_tree,
        tmp_path / "ivatech.tar.gz",
        replace={f"{IVA}/systems/iva-fpga-1.json": system_json(ivatech_tree, system_name=script)},
        extra=[(f"{IVA}/../{script}.txt", b"x")],
    )
    client.force_login(member_a)
    upload(client, open_round, "ivatech", archive)
    submission = Submission.objects.get()
    for url in (f"/submissions/{submission.pk}/preview/", f"/submissions/{submission.pk}/report/"):
        page = client.get(url).content.decode()
        assert script not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
