"""The heap of a serving process (gql/app.py: app_factory, and the benchmark's bare
ceiling): nothing else imported, so any process can settle its heap the same way."""

from __future__ import annotations

import gc

# The young generation's collection threshold in a serving process (CPython's is 700,
# which concurrent requests' live objects alone pass many times a second).
GC_YOUNG_THRESHOLD = 10_000


def settle_heap() -> None:
    """A serving process's modules, schema and plans live as long as it does: frozen out
    of the cycle collector, its full collections scan only what requests add (they took
    about 250 ms each over the whole heap, stalling every request in flight), and the
    young generation is collected less often (requests free what they make by reference
    counting; cycles are rare). Measured in the README's Performance section."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])
