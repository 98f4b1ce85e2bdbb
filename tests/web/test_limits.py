"""Limits that keep the server alive, in one table: coalitions of more than 10 allies, sweeps
over 1,000 draws, analyses on the 81 economies (Nash, coalitions, escalation) and the other
caps are refused with a 422 at the field, saying what is allowed; the long kinds that are
accepted run as jobs on the long lane, the sweep with a longer time limit."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tradewar.web import WebSettings
from tradewar.web._kinds import JOB_KINDS, LONG_JOB, job_example

from .conftest import assert_refused

ALLIES_11 = ["JPN", "KOR", "EU27", "GBR", "CAN", "MEX", "AUS", "IND", "TWN", "VNM", "BRA"]


@pytest.mark.parametrize(("body", "loc", "words"), [
    ({"kind": "coalitions", "allies": ALLIES_11}, "allies",
     "11 allies make 2,048 coalitions; allowed: at most 10 allies"),
    ({"kind": "coalitions", "allies": ALLIES_11[:4], "retaliation": "optimal"}, "retaliation",
     "allowed with at most 3 allies"),
    ({"kind": "coalitions", "regions": None}, "regions", "the 81 economies are refused"),
    ({"kind": "escalation", "allies": ALLIES_11}, "allies", "allowed: at most 10 allies"),
    ({"kind": "escalation", "allies": ["JPN", "KOR"], "retaliation": "optimal"}, "retaliation",
     "allowed with at most 1 ally"),
    ({"kind": "escalation", "regions": None}, "regions", "the 81 economies are refused"),
    ({"kind": "talks", "regions": None}, "regions", "the 81 economies are refused"),
    ({"kind": "talks", "players": ["USA", "CHN", "JPN", "KOR", "EU27"]}, "players",
     "allowed: at most 4"),
    ({"kind": "uncertainty", "scenario": "us-china-april-11", "draws": 1001}, "draws",
     "1,001 draws; allowed: 0 to 1,000"),
    ({"kind": "compare", "scenarios": ["tpp"] * 9}, "scenarios", "at most 8"),
])
def test_requests_over_a_limit_are_refused_at_their_field(client: TestClient, body: dict[str, Any],
                                                          loc: str, words: str) -> None:
    assert_refused(client, body, ["body", loc], words)


def test_the_long_kinds_run_on_the_long_lane_within_a_time_limit() -> None:
    default = WebSettings().job_time_limit
    for name in ("coalitions", "escalation", "talks", "exposure", "uncertainty"):
        kind = JOB_KINDS[name]
        assert kind.priority == LONG_JOB, name  # never the last free worker
        assert (kind.time_limit or default) >= default, name
    assert JOB_KINDS["uncertainty"].time_limit is not None
    assert JOB_KINDS["uncertainty"].time_limit > default  # up to 1,000 draws: a longer limit


def test_every_kind_has_a_valid_example(client: TestClient) -> None:
    examples = client.get("/api/options").json()["job_examples"]
    assert set(examples) == set(JOB_KINDS)
    for name, body in examples.items():
        assert body == job_example(name)
        JOB_KINDS[name].params.model_validate(body)
