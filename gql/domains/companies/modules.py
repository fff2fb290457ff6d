"""The licensable modules. Each domain area outside the core belongs to one."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Module:
    alias: str
    name: str
    description: str
    default_enabled: bool = True


MODULES: dict[str, Module] = {
    m.alias: m
    for m in (
        Module("invoicing", "Invoicing", "Invoices, bills, estimates, credit notes and orders"),
        Module("accounting", "Accounting", "Chart of accounts, journal entries and reports"),
        Module("banking", "Banking", "Bank accounts, feeds, rules and transfers"),
        Module("inventory", "Inventory", "Warehouses, stock moves, transfers and adjustments"),
        Module("crm", "CRM", "Pipelines, leads, deals, activities and campaigns"),
        Module("payroll", "Payroll", "Departments, employees and pay runs"),
        Module("pos", "Point of Sale", "Terminals, sessions, orders and loyalty"),
        Module("projects", "Projects", "Projects, tasks and time tracking"),
        Module("helpdesk", "Helpdesk", "Tickets, SLAs and knowledge base"),
        Module("contracts", "Contracts", "Contracts and proposals"),
    )
}
