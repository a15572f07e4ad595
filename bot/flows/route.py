"""The whole route: the flows in the order a client meets them.

The six blocks a client sees as "stap N van 6": 1 intake, 2 network, 3 ratings,
4 the map together, 5 goal and barriers, 6 practising the ask (the overview closes).
"""

from __future__ import annotations

from bot.flows import (
    barriers,
    checkin,
    goal,
    intake,
    mapview,
    network,
    overview,
    practice,
    ratings,
)
from bot.flows.base import Flow, Step

FLOWS: tuple[Flow, ...] = (
    intake.FLOW,
    network.FLOW,
    ratings.FLOW,
    mapview.FLOW,
    goal.FLOW,
    barriers.FLOW,
    practice.FLOW,
    overview.FLOW,
    checkin.FLOW,
)
FIRST_STATE = intake.WELCOME
TOTAL_BLOCKS = 6

STEPS: dict[str, Step] = {state: step for flow in FLOWS for state, step in flow.steps.items()}
