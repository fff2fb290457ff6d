"""The per-request context every resolver receives."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

import strawberry
from aiodataloader import DataLoader
from starlette.requests import Request

from gql.auth.viewer import Viewer
from gql.core.pagination import PageArgs
from gql.db.engine import RequestSession
from gql.settings import Settings

L = TypeVar("L", bound=DataLoader[Any, Any])


@dataclass
class Loaders:
    """Dataloaders of one request, created on first use and bound to its session
    (and so to its tenant). Nothing here outlives the request."""

    session: RequestSession
    _made: dict[type[Any], Any] = field(default_factory=dict)

    def get(self, loader_class: type[L]) -> L:
        loader = self._made.get(loader_class)
        if loader is None:
            loader = self._made[loader_class] = loader_class(self.session)  # type: ignore[call-arg,arg-type]
        return loader  # type: ignore[no-any-return]

    def clear(self) -> None:
        """Forget every loaded value: after a write (or its rollback), a field resolved
        later in the same operation loads what the database has now."""
        self._made.clear()


@dataclass
class Context:
    request: Request
    session: RequestSession
    viewer: Viewer
    settings: Settings
    request_id: str
    loaders: Loaders
    response: Any = None

    @property
    def tenant_id(self) -> str | None:
        return self.viewer.company_id

    def page_args(
        self,
        *,
        first: int | None,
        after: str | None,
        last: int | None,
        before: str | None,
    ) -> PageArgs:
        return PageArgs.parse(
            first=first,
            after=after,
            last=last,
            before=before,
            max_size=self.settings.max_page_size,
            default_size=self.settings.default_page_size,
        )


Info = strawberry.Info[Context, None]
