"""The checker's view of a round: its profile, as staff keep it on the round."""

from __future__ import annotations

from mlperf.profiles import RoundRules

from .models import Round


def rules_for_round(round_: Round) -> RoundRules:
    """The round's profile, validated (``mlperf.ProfileError`` if staff broke it)."""
    return RoundRules.from_dict(round_.rules)
