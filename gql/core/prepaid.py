"""Points a worker has paid its company's bucket ahead of its next requests, so that a
steady stream of compiled reads pays the database once in a while, not on every read.

The bucket stays the one in the database (gql/core/throttle.py). When a compiled read
pays and its company's bucket is well filled, the payment also takes `prepay` points
more: a share of the bucket (`throttle_prepay_share`, at least the request's own cost).
The database takes them only while the level stays at half the bucket or above, so
the points a request can be refused for are always counted in the database, shared
by every worker alike. The worker then spends them on its next reads of that company
without paying (no payment statement in their round trip), for at most
`throttle_prepay_seconds`; what it has not spent by then lapses, already paid.

Prepaid points were taken from the bucket before they are spent, so a company never
spends more than its bucket holds; at worst each worker holds one share unspent, while
the bucket is more than half full. The level a read reports counts what the worker
still holds: the bucket's level when they were taken, restored since, plus them.

One asker at a time per company: while a payment asks for points ahead, the worker's
other reads of that company pay their own cost, as before.
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
    level: float  # the bucket's level in the database once they were taken (to report)
    at: float  # time.monotonic() when they were taken
    until: float  # when what is left lapses


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
        """`bill`, asking for points ahead when a share of the bucket covers at least one
        more such request and no other payment of this worker is asking for them."""
        ahead = math.floor(bill.size * self.share)
        if ahead < max(bill.charged, 1) or company_id in self._asking:
            return bill
        self._asking.add(company_id)
        return replace(bill, prepay=ahead)

    def settle(self, company_id: str, bill: Bill, level: Any, taken: Any) -> ThrottleStatus:
        """What the database took for `bill` (asking()'s): the points beyond its cost
        are held, and the bucket's state is reported with them."""
        ahead = int(taken) - bill.charged if bill.prepay else 0
        now_level = float(level)
        if ahead > 0:
            now = time.monotonic()
            held = self._held.get(company_id)
            if held is not None and now < held.until:
                ahead += held.points  # what is left of the last points is kept too
            self._held.put(company_id, _Held(ahead, now_level, now, now + self.seconds))
        return _status(bill, now_level + ahead)

    def done_asking(self, company_id: str, bill: Bill) -> None:
        if bill.prepay:
            self._asking.discard(company_id)


def _status(bill: Bill, available: float) -> ThrottleStatus:
    return ThrottleStatus(bill.size, math.floor(min(available, bill.size)), bill.rate)
