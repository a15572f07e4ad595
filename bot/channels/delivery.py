"""Sending with care: retry what certainly did not arrive, never send twice.

Telegram has no idempotency key, so a retry is only safe when the request cannot
have been processed: a 5xx answer, a 429 (the rate limiter waits and retries), or a
connection that was never made. A read time-out is ambiguous (the message may have
arrived), so it is not retried; the client can always /start to see the question.
A 403 means the client blocked the bot: the caller marks them unreachable.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

import httpx
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

log = logging.getLogger(__name__)
T = TypeVar("T")

ATTEMPTS = 4
FIRST_DELAY = 0.2


class _Stopping:
    """Set once the bot is asked to stop: from then on nothing is retried, so a send
    that fails (Telegram out of reach) ends at once instead of holding the stop up."""

    now = False


def stop_retrying() -> None:
    _Stopping.now = True


def safe_to_retry(error: Exception) -> bool:
    if isinstance(error, Forbidden | BadRequest):
        return False
    if isinstance(error, RetryAfter):
        return True
    if isinstance(error, TimedOut):
        # Connect and pool time-outs happen before anything was sent.
        return isinstance(error.__cause__, httpx.ConnectTimeout | httpx.PoolTimeout)
    return isinstance(error, NetworkError)


async def with_retries(call: Callable[[], Awaitable[T]], what: str) -> T:
    delay = FIRST_DELAY
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return await call()
        except Exception as error:
            if attempt == ATTEMPTS or _Stopping.now or not safe_to_retry(error):
                raise
            wait = _wait(error, delay)
            log.warning(
                "%s failed (%s), retry %d in %.1fs", what, type(error).__name__, attempt, wait
            )
            await asyncio.sleep(wait)
            delay *= 2
    raise AssertionError("unreachable")


def _wait(error: Exception, delay: float) -> float:
    if isinstance(error, RetryAfter):
        # `_retry_after` is the timedelta the public attribute will become in PTB 23;
        # reading the public one warns about that change.
        return float(error._retry_after.total_seconds()) + 0.1
    return delay
