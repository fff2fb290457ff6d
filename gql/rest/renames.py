"""Field renames between a REST dialect's request names and ours, both ways, so a
client's error names the field it sent."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Renames:
    theirs_to_ours: dict[str, str]
    nested: dict[str, Renames] = field(default_factory=dict)  # keyed by OUR name
    # Our names that a handler derives from one of theirs (a journal line's `account`
    # becomes accountId or accountCode): errors about them name theirs.
    derived: dict[str, str] = field(default_factory=dict)  # ours -> theirs

    def to_ours(self, body: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in body.items():
            ours = self.theirs_to_ours.get(key, key)
            if ours in out:  # sent under both names: keep ours, and let validation see both
                ours = key
            inner = self.nested.get(ours)
            if inner is not None and isinstance(value, list):
                value = [inner.to_ours(v) if isinstance(v, dict) else v for v in value]
            elif inner is not None and isinstance(value, dict):
                value = inner.to_ours(value)
            out[ours] = value
        return out

    def to_theirs_path(self, path: tuple[str, ...]) -> tuple[str, ...]:
        if not path:
            return path
        head, rest = path[0], path[1:]
        inner = self.nested.get(head)
        if inner is not None and rest:
            if rest[0].isdigit():
                rest = (rest[0], *inner.to_theirs_path(rest[1:]))
            else:
                rest = inner.to_theirs_path(rest)
        return (self._ours_to_theirs.get(head, head), *rest)

    @property
    def _ours_to_theirs(self) -> dict[str, str]:
        return {**{v: k for k, v in self.theirs_to_ours.items()}, **self.derived}


SAME_NAMES = Renames({})  # a dialect that names every field as we do
