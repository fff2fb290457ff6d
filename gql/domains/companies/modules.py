"""The licensable modules. Each domain area outside the core belongs to one."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class ModuleAlias(str, Enum):
    INVOICING = "invoicing"
    ACCOUNTING = "accounting"
    BANKING = "banking"
    INVENTORY = "inventory"
    CRM = "crm"
    PAYROLL = "payroll"
    POS = "pos"
    PROJECTS = "projects"
    HELPDESK = "helpdesk"
    CONTRACTS = "contracts"


@dataclass(frozen=True)
class Module:
    alias: ModuleAlias
    name: str
    description: str
    # Licensed to a new company: only the modules that have code behind them, so a
    # client is never told a module is on whose paths answer nothing.
    default_enabled: bool = False


MODULES: dict[ModuleAlias, Module] = {
    m.alias: m
    for m in (
        Module(
            ModuleAlias.INVOICING,
            "Invoicing",
            "Invoices, bills, estimates, credit notes and orders",
            default_enabled=True,
        ),
        Module(
            ModuleAlias.ACCOUNTING,
            "Accounting",
            "Chart of accounts, journal entries and reports",
            default_enabled=True,
        ),
        Module(
            ModuleAlias.BANKING,
            "Banking",
            "Bank accounts, feeds, rules and transfers",
            default_enabled=True,
        ),
        Module(
            ModuleAlias.INVENTORY,
            "Inventory",
            "Warehouses, stock moves, transfers and adjustments",
            default_enabled=True,
        ),
        Module(
            ModuleAlias.CRM,
            "CRM",
            "Pipelines, leads, deals, activities and campaigns",
            default_enabled=True,
        ),
        Module(
            ModuleAlias.PAYROLL,
            "Payroll",
            "Departments, employees and pay runs",
            default_enabled=True,
        ),
        Module(
            ModuleAlias.POS,
            "Point of Sale",
            "Terminals, sessions, orders and loyalty",
            default_enabled=True,
        ),
        Module(
            ModuleAlias.PROJECTS,
            "Projects",
            "Projects, tasks and time tracking",
            default_enabled=True,
        ),
        Module(
            ModuleAlias.HELPDESK,
            "Helpdesk",
            "Tickets, SLAs and knowledge base",
            default_enabled=True,
        ),
        Module(
            ModuleAlias.CONTRACTS,
            "Contracts",
            "Contracts and proposals",
            default_enabled=True,
        ),
    )
}
