"""Rounds for the compare and history tests, beside the session's v0.7.

- v2.0, published (2022), from its profile: NVIDIA's T4x1_TRT again (MultiStream now a
  latency in ms, 3D U-Net on KiTS19), with power; and a two-node system of Acme;
- v5.1 under embargo (published in 2099), whose row has a result ID as it would if
  staff moved a publication back: nothing of it may show.
"""

import datetime as dt

import pytest
from django.utils import timezone

from results.models import Accelerator, Entry, Round
from results.services import publish_round
from tests.factories import make_result, make_round, make_system


@pytest.fixture
def v20(db, v07, t4):
    round_ = make_round("v2.0")
    t4 = make_system(
        round_, "NVIDIA", "T4x1_TRT", name="T4 box v2", accelerator=t4, accelerator_count=1
    )
    make_result(t4, "resnet", "Offline", 6000.0, power=(100.0, "W"))
    make_result(t4, "resnet", "SingleStream", 0.5)
    make_result(t4, "resnet", "MultiStream", 3.0)
    make_result(t4, "3d-unet-99", "Offline", 9.0)
    chip = Accelerator.objects.create(name="Acme Chip 9")
    acme = make_system(
        round_, "Acme", "big", name="Acme big", accelerator=chip, accelerator_count=4, nodes=2
    )
    make_result(acme, "resnet", "Offline", 80000.0, power=(2000.0, "W"))
    make_result(acme, "resnet", "SingleStream", 0.25)
    make_result(acme, "bert-99", "Offline", 100.0)
    publish_round(round_)
    return round_


def rid(round_: Round, folder_id: str) -> str:
    result_id = Entry.objects.get(system__round=round_, system__folder_id=folder_id).result_id
    assert result_id
    return result_id


@pytest.fixture
def embargoed(db, v07, t4):
    round_ = make_round("v5.1", published_at=None)
    Round.objects.filter(pk=round_.pk).update(published_at=timezone.now() + dt.timedelta(days=3))
    secret = make_system(
        round_, "NVIDIA", "T4x1_TRT", name="SECRET T4 box", accelerator=t4, accelerator_count=1
    )
    make_result(secret, "resnet", "Offline", 123456.0)
    other = make_system(
        round_,
        "Acme",
        "hush",
        name="SECRET hush",
        accelerator=Accelerator.objects.create(name="Secret Chip X"),
        accelerator_count=2,
    )
    make_result(other, "resnet", "Offline", 654321.0)
    Entry.objects.filter(system=other).update(result_id="5.1-0002", number=2)
    Entry.objects.filter(system=secret).update(result_id="5.1-0001", number=1)
    return round_


@pytest.fixture
def t4(db):
    from results.models import Accelerator

    return Accelerator.objects.get(name="NVIDIA T4")
