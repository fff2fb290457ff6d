"""Points a worker has paid its company's bucket ahead of its next requests, so that a
steady stream of compiled reads pays the database once in a while, not on every read.

The bucket stays the one in the database (gql/core/throttle.py). A worker holds at
most a share of the bucket (`throttle_prepay_share`, at least one request's cost) for
each company it reads, paid ahead: its next reads of that company spend them without
paying (no payment statement in their round trip). Every `throttle_prepay_seconds`,
or once they run short, a read checks in with the database instead: it pays its own
cost and tops the points held back up to the share, that is it pays again what was
spent since, not the share again. The bucket is thus drawn down by what the reads
spend: points held but not spent are never paid twice, whatever the period. (When
they lapsed unspent and each check-in took a whole share again, a worker drained the
share every period: a big bucket with a slower restore sank to half and stayed there,
and nearly every read paid the database.)

The database takes the top-up only while the level stays at half the bucket or above,
so the points a request can be refused for are always counted in the database, shared
by every worker alike. Held points were taken from the bucket before they are spent,
so a company never spends more than its bucket holds; at worst each worker holds one
share unspent. The level a read reports counts what the worker still holds: the
bucket's level at the last check-in, restored since, plus them.

One check-in at a time per company: while one is under way, the worker's other reads
of that company that cannot spend held points pay their own cost, as before.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace
from typing import Any

from gql.core.lru import LRU
from gql.core.throttle import Bill, ThrottleStatus


@dataclass
class _Held:
    points: int  # paid ahead, not yet spent
    level: float  # the bucket's level in the database at the last check-in (to report)
    at: float  # time.monotonic() of the last check-in
    until: float  # when the next read checks in (and tops them up)


class Prepaid:
    """One worker's prepaid points, per company."""

    def __init__(self, share: float, seconds: float) -> None:
        self.share = share
        self.seconds = seconds
        self._held: LRU[str, _Held] = LRU(maxsize=4096)
        self._asking: set[str] = set()

    def spend(self, company_id: str, bill: Bill) -> ThrottleStatus | None:
        """`bill` paid from the points held for the company (the bucket's state then),
        or None when they cannot pay it (then the database is paid)."""
        held = self._held.get(company_id)
        now = time.monotonic()
        if held is None or now >= held.until or held.points < bill.charged:
            return None
        held.points -= bill.charged
        restored = min(bill.size, held.level + bill.rate * (now - held.at))
        return _status(bill, restored + held.points)

    def give_back(self, company_id: str, bill: Bill) -> None:
        """A spent bill's points back (the read was not answered: its access changed)."""
        held = self._held.get(company_id)
        if held is not None:
            held.points += bill.charged

    def asking(self, company_id: str, bill: Bill) -> Bill:
        """`bill` as a check-in, topping the points held back up to the share, when a
        share covers at least one more such request and no other payment of this
        worker is checking in for the company; else `bill` as it is."""
        share = math.floor(bill.size * self.share)
        if share < max(bill.charged, 1) or company_id in self._asking:
            return bill
        self._asking.add(company_id)
        held = self._held.get(company_id)
        left = held.points if held is not None else 0
        return replace(bill, prepay=max(0, share - left), checks_in=True)

    def settle(self, company_id: str, bill: Bill, level: Any, taken: Any) -> ThrottleStatus:
        """What the database took for `bill`: for a check-in (asking()'s), the points
        beyond its cost join those still held, for another period; the bucket's state
        is reported with them."""
        now_level = float(level)
        if not bill.checks_in:
            return _status(bill, now_level)
        topped_up = max(0, int(taken) - bill.charged)  # none: the bucket is below half
        held = self._held.get(company_id)
        points = (held.points if held is not None else 0) + topped_up
        now = time.monotonic()
        self._held.put(company_id, _Held(points, now_level, now, now + self.seconds))
        return _status(bill, now_level + points)

    def done_asking(self, company_id: str, bill: Bill) -> None:
        if bill.checks_in:
            self._asking.discard(company_id)


def _status(bill: Bill, available: float) -> ThrottleStatus:
    return ThrottleStatus(bill.size, math.floor(min(available, bill.size)), bill.rate)
