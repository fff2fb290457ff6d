"""Point of sale loaders: rows by id, and an order's lines."""

from __future__ import annotations

from gql.core.loaders import ByForeignKeyLoader, ByIdLoader
from gql.domains.pos.models import (
    LoyaltyMember,
    LoyaltyProgram,
    PosOrder,
    PosOrderLine,
    PosSession,
    PosTerminal,
)


class PosTerminalByIdLoader(ByIdLoader[PosTerminal]):
    model = PosTerminal


class PosSessionByIdLoader(ByIdLoader[PosSession]):
    model = PosSession


class PosOrderByIdLoader(ByIdLoader[PosOrder]):
    model = PosOrder


class PosOrderLineByIdLoader(ByIdLoader[PosOrderLine]):
    model = PosOrderLine


class PosOrderLinesByOrderIdLoader(ByForeignKeyLoader[PosOrderLine]):
    model = PosOrderLine
    foreign_key = "order_id"
    order_by = ("position", "id")


class LoyaltyProgramByIdLoader(ByIdLoader[LoyaltyProgram]):
    model = LoyaltyProgram


class LoyaltyMemberByIdLoader(ByIdLoader[LoyaltyMember]):
    model = LoyaltyMember
