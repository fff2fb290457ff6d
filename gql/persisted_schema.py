"""`persistedDocumentsAdd`: a deployment admin registers a client's documents.

There is no deployment-level role in the books (roles are per company), so a deployment
admin is a user whose email is in LEDGERGRAPH_ADMIN_EMAILS; in development, company
owners are admins too (a laptop has no operator)."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError, parse
from strawberry.permission import BasePermission

from gql.auth.viewer import Viewer
from gql.core.errors import FieldError, ForbiddenError, UnauthenticatedError, UserInputError
from gql.core.mutations import UserError, mutation
from gql.db.engine import RequestSession
from gql.domains.companies.models import Role
from gql.persisted import Client, add_documents, document_id
from gql.settings import Settings


def is_deployment_admin(viewer: Viewer, settings: Settings) -> bool:
    admins = {email.lower() for email in settings.admin_emails}
    if viewer.user is not None and viewer.user.email.lower() in admins:
        return True
    return settings.env.lower() == "development" and viewer.role == Role.OWNER


class IsDeploymentAdmin(BasePermission):
    def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
        viewer, settings = info.context.viewer, info.context.settings
        if viewer.user is None:
            raise UnauthenticatedError(viewer.auth_error or "authentication required")
        if not is_deployment_admin(viewer, settings):
            raise ForbiddenError("Only a deployment admin can register persisted documents")
        return True


@strawberry.input
class PersistedDocumentsAddInput:
    documents: list[str] = strawberry.field(description="GraphQL documents, each as sent.")
    client_name: str | None = strawberry.field(default=None, description="e.g. web-app")
    client_version: str | None = strawberry.field(default=None, description="e.g. 1.4.0")


@strawberry.type
class PersistedDocumentsAddPayload:
    document_ids: list[str] | None = strawberry.field(
        default=None, description='Each document\'s id, "sha256:<hex>", in input order.'
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list)


async def _add(
    *, session: RequestSession, settings: Settings, data: dict[str, Any]
) -> dict[str, Any]:
    errors: list[FieldError] = []
    for i, body in enumerate(data["documents"]):
        if len(body) > settings.max_query_length:
            errors.append(FieldError(("documents", str(i)), "is longer than queries may be"))
            continue
        try:
            parse(body, max_tokens=settings.max_tokens)
        except GraphQLError as exc:
            errors.append(FieldError(("documents", str(i)), f"is not GraphQL: {exc.message}"))
    for name in ("client_name", "client_version"):
        if len(data.get(name) or "") > 100:
            errors.append(FieldError((name,), "is longer than 100 characters"))
    if errors:
        raise UserInputError(errors)
    client = Client(data.get("client_name"), data.get("client_version"))
    await add_documents(session, data["documents"], client)
    return {"document_ids": [document_id(body) for body in data["documents"]]}


@strawberry.type
class Mutation:
    persisted_documents_add = mutation(
        input=PersistedDocumentsAddInput,
        payload=PersistedDocumentsAddPayload,
        run=_add,
        permission=[IsDeploymentAdmin],
        description="Register GraphQL documents as persisted (trusted) documents, by their"
        " sha256 (deployment admins only).",
    )
