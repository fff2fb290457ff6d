"""The standard small-business chart of accounts every company starts with.

Four levels, as Forbix has them: general > subsidiary > detailed > account. Codes
grow with depth ("1" > "11" > "111" > "1110"), so the Numbors flat list sorted by
code reads top-down. `system` names the accounts automatic postings use.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ChartEntry:
    code: str
    name: str
    slug: str
    children: tuple[ChartEntry, ...] = field(default_factory=tuple)
    system: str | None = None


def _acc(code: str, name: str, slug: str, system: str | None = None) -> ChartEntry:
    return ChartEntry(code, name, slug, (), system)


def _node(code: str, name: str, slug: str, *children: ChartEntry) -> ChartEntry:
    return ChartEntry(code, name, slug, tuple(children))


# What approving a pay run owes: net pay to the employees, deductions to whoever they
# are withheld for (gql/domains/payroll/posting.py).
PAYROLL_LIABILITIES = _node(
    "214",
    "Payroll liabilities",
    "payroll-liabilities",
    _acc("2400", "Wages payable", "wages-payable", "wages_payable"),
    _acc("2410", "Payroll deductions payable", "payroll-deductions-payable", "payroll_deductions"),
)

# (type, nature, tree)
STANDARD_CHART: tuple[tuple[str, str, ChartEntry], ...] = (
    (
        "asset",
        "debit",
        _node(
            "1",
            "Assets",
            "assets",
            _node(
                "11",
                "Current assets",
                "current-assets",
                _node(
                    "111",
                    "Cash and bank",
                    "cash-and-bank",
                    _acc("1110", "Bank", "bank", "bank"),
                    _acc("1120", "Cash on hand", "cash", "cash"),
                ),
                _node(
                    "112",
                    "Receivables",
                    "receivables",
                    _acc("1200", "Accounts receivable", "accounts-receivable", "receivables"),
                ),
                _node(
                    "113",
                    "Tax assets",
                    "tax-assets",
                    _acc("1300", "VAT receivable", "vat-receivable", "tax_receivable"),
                ),
                _node(
                    "114",
                    "Inventory",
                    "inventory",
                    _acc("1400", "Stock", "stock", "stock"),
                ),
            ),
            _node(
                "12",
                "Non-current assets",
                "non-current-assets",
                _node(
                    "121",
                    "Fixed assets",
                    "fixed-assets",
                    _acc("1500", "Equipment", "equipment"),
                ),
            ),
        ),
    ),
    (
        "liability",
        "credit",
        _node(
            "2",
            "Liabilities",
            "liabilities",
            _node(
                "21",
                "Current liabilities",
                "current-liabilities",
                _node(
                    "211",
                    "Payables",
                    "payables",
                    _acc("2100", "Accounts payable", "accounts-payable", "payables"),
                ),
                _node(
                    "212",
                    "Tax liabilities",
                    "tax-liabilities",
                    _acc("2200", "VAT payable", "vat-payable", "tax_payable"),
                ),
                _node(
                    "213",
                    "Credit cards",
                    "credit-cards",
                    _acc("2300", "Credit cards", "credit-card", "credit_card"),
                ),
                PAYROLL_LIABILITIES,
            ),
        ),
    ),
    (
        "equity",
        "credit",
        _node(
            "3",
            "Equity",
            "equity",
            _node(
                "31",
                "Owner's equity",
                "owners-equity",
                _node(
                    "311",
                    "Capital",
                    "capital",
                    _acc("3100", "Owner's capital", "owners-capital", "capital"),
                    _acc("3200", "Retained earnings", "retained-earnings", "retained_earnings"),
                    _acc(
                        "3300",
                        "Opening balance equity",
                        "opening-balance-equity",
                        "opening_balance",
                    ),
                ),
            ),
        ),
    ),
    (
        "income",
        "credit",
        _node(
            "4",
            "Income",
            "income",
            _node(
                "41",
                "Operating income",
                "operating-income",
                _node(
                    "411",
                    "Sales",
                    "sales",
                    _acc("4000", "Sales", "sales-income", "sales"),
                ),
                _node(
                    "412",
                    "Other income",
                    "other-income",
                    _acc("4900", "Other income", "other-income-account", "other_income"),
                ),
            ),
        ),
    ),
    (
        "expense",
        "debit",
        _node(
            "5",
            "Expenses",
            "expenses",
            _node(
                "51",
                "Cost of sales",
                "cost-of-sales",
                _node(
                    "511",
                    "Purchases",
                    "purchases",
                    _acc("5000", "Purchases", "purchases-expense", "purchases"),
                ),
            ),
            _node(
                "52",
                "Operating expenses",
                "operating-expenses",
                _node(
                    "521",
                    "General expenses",
                    "general-expenses",
                    _acc("6000", "General expenses", "general-expenses-account", "expenses"),
                    _acc("6100", "Office supplies", "office-supplies"),
                    _acc("6200", "Rent", "rent"),
                    _acc("6300", "Salaries", "salaries", "salaries"),
                    _acc("6900", "Bank charges", "bank-charges", "bank_charges"),
                ),
            ),
        ),
    ),
)

LEVELS = ("general", "subsidiary", "detailed", "account")
