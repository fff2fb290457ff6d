"""Audit event loaders."""

from gql.core.loaders import ByIdLoader
from gql.domains.audit.models import AuditEvent


class AuditEventByIdLoader(ByIdLoader[AuditEvent]):
    model = AuditEvent
