"""A realistic company's rows, generated in memory as plain dicts ready for Core inserts.

Nothing here touches a database. Totals come from gql.domains.documents.totals, so
the stored figures are exactly what the service would have computed.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from itertools import accumulate
from typing import Any

from sqlmodel import SQLModel

from gql.core.ids import new_id
from gql.domains.catalogue.models import (
    Category,
    CategoryType,
    Currency,
    Item,
    ItemType,
    ItemVariant,
    Tax,
    TaxType,
)
from gql.domains.contacts.models import Contact, ContactType, EntityType
from gql.domains.documents.models import (
    NUMBER_PREFIX,
    Document,
    DocumentKind,
    DocumentLine,
    DocumentStatus,
)
from gql.domains.documents.totals import LineAmounts, cents, document_totals, line_amounts
from gql.domains.ledger.models import (
    FinancialYear,
    SourceType,
    Voucher,
    VoucherKind,
    VoucherLine,
    VoucherType,
)
from gql.domains.ledger.posting import to_base
from gql.domains.ledger.service import ZERO, signed_lines
from gql.domains.payroll.posting import (
    DEDUCTIONS_PAYABLE,
    SALARIES,
    WAGES_PAYABLE,
)
from gql.domains.payroll.posting import KEYS as PAYROLL_KEYS
from scripts.benchmark.config import Sizes
from scripts.benchmark.people import PeopleGenerator, PeopleRows
from scripts.benchmark.relations import RelationRows, RelationsGenerator, busy_counts
from scripts.benchmark.stock import StockGenerator, StockRows

Row = dict[str, Any]

FIRST = (
    "Ada, Ben, Cleo, Dev, Elif, Femi, Gus, Hana, Ivo, Jun, Kai, Lea, Mo, Nia, Omar, "
    "Pia, Quin, Rui, Sara, Tom, Uma, Vic, Wen, Yara"
).split(", ")
LAST = (
    "Adams, Berg, Costa, Diaz, Evans, Fischer, Garcia, Hughes, Ito, Jensen, Khan, "
    "Lopez, Moreau, Novak, Okafor, Petrov, Rossi, Silva, Tanaka, Weber"
).split(", ")
TRADE = (
    "Acme, Blue Fern, Cobalt, Driftwood, Evergreen, Foxglove, Granite, Harbor, "
    "Ironbark, Juniper, Kestrel, Lumen, Meridian, Northwind, Oakridge, Pioneer"
).split(", ")
SUFFIX = "Ltd, GmbH, LLC, & Co, Trading, Studio, Supplies, Partners".split(", ")
CITIES = "Lisbon, Berlin, Austin, Lyon, Leeds, Porto, Graz, Osaka, Denver".split(", ")
ADJ = "Basic, Premium, Compact, Heavy-duty, Eco, Classic, Smart, Mini, Pro".split(", ")
NOUN = (
    "Desk, Chair, Lamp, Cable, Router, Notebook, Bottle, Bag, Monitor, Keyboard, "
    "Mug, Shelf, Printer, Headset, Drill, Tent, Jacket, Kettle"
).split(", ")
SERVICE = (
    "Consulting, Installation, Maintenance, Training, Support plan, Audit, Design, "
    "Repair, Delivery, Setup"
).split(", ")
VARIANT_SETS = [
    ["Small", "Medium", "Large"],
    ["Red", "Blue", "Black", "White"],
    ["64 GB", "128 GB"],
]
FREE_TEXT = ["Delivery", "Rush fee", "Travel", "Handling", "Custom work"]
EXTRA_TAXES = [
    ("Reduced rate", "5", TaxType.NORMAL),
    ("Zero rate", "0", TaxType.NORMAL),
    ("Intermediate rate", "10", TaxType.NORMAL),
    ("Withholding", "3", TaxType.WITHHOLDING),
]
EXTRA_CATEGORIES = (
    "Hardware, Furniture, Office supplies, Services, Software, Outdoor, "
    "Kitchen, Audio, Tools, Apparel, Consulting income, Rent"
).split(", ")
STATUSES = [
    (DocumentStatus.DRAFT, 10),
    (DocumentStatus.SENT, 30),
    (DocumentStatus.PARTIAL, 10),
    (DocumentStatus.PAID, 45),
    (DocumentStatus.CANCELLED, 5),
]
CURRENCY_RATES = {"EUR": Decimal("0.92000000"), "GBP": Decimal("0.79000000")}
HISTORY_DAYS = 730


def defaults_of(model: type[SQLModel]) -> Row:
    """A table's column defaults as SQLModel declares them (Core inserts skip them)."""
    out: Row = {}
    for name, info in model.model_fields.items():
        if name in ("id", "created_at", "updated_at") or info.is_required():
            continue
        out[name] = info.get_default(call_default_factory=True)
    return out


_DEFAULTS: dict[type[SQLModel], Row] = {}


def row(model: type[SQLModel], company_id: str, at: datetime, **values: Any) -> Row:
    defaults = _DEFAULTS.get(model)
    if defaults is None:
        defaults = _DEFAULTS[model] = defaults_of(model)
    return {
        **defaults,
        "id": new_id(),
        "company_id": company_id,
        "created_at": at,
        "updated_at": at,
        **values,
    }


@dataclass
class Existing:
    """What registration already made for the company."""

    taxes: list[Row]
    categories: list[Row]
    base_currency: str
    accounts: dict[str, str] = field(default_factory=dict)  # system_key -> ledger account id
    years: list[Row] = field(default_factory=list)  # financial years
    members: list[str] = field(default_factory=list)  # user ids: deal owners, ticket agents


@dataclass
class CompanyRows:
    company_id: str
    taxes: list[Row] = field(default_factory=list)
    categories: list[Row] = field(default_factory=list)
    currencies: list[Row] = field(default_factory=list)
    contacts: list[Row] = field(default_factory=list)
    items: list[Row] = field(default_factory=list)
    variants: list[Row] = field(default_factory=list)
    documents: list[Row] = field(default_factory=list)
    lines: list[Row] = field(default_factory=list)
    next_numbers: dict[str, int] = field(default_factory=dict)  # kind -> next number
    years: list[Row] = field(default_factory=list)  # financial years registration did not open
    vouchers: list[Row] = field(default_factory=list)
    voucher_lines: list[Row] = field(default_factory=list)
    next_voucher_numbers: dict[str, int] = field(default_factory=dict)  # year id -> next number
    relations: RelationRows | None = None  # CRM, helpdesk, contracts (relations.py)
    people: PeopleRows | None = None  # payroll and projects (people.py)
    stock: StockRows | None = None  # warehouses, counts, transfers, moves (stock.py)

    def busiest_contact(self) -> tuple[str, int]:
        """The contact with the most documents, and how many (relations.py ranks it
        first for deals, activities and tickets too)."""
        counts = Counter(d["contact_id"] for d in self.documents)
        return counts.most_common(1)[0]

    def busiest_contact_relations(self) -> tuple[int, int, int]:
        """The busiest contact's (deals, activities, tickets)."""
        if self.relations is None:
            return 0, 0, 0
        return busy_counts(self.relations, self.busiest_contact()[0])

    def busiest_people(self) -> tuple[str, int, str, int]:
        """(employee, their payslips, project, its time entries) the people rows ask for."""
        if self.people is None or not self.people.employees or not self.people.time_entries:
            return "", 0, "", 0
        return (*self.people.busiest_employee(), *self.people.busiest_project())

    def writes_fixture(self, lines: int) -> tuple[str, tuple[str, ...]]:
        """A customer for the write rows to invoice (not the busiest contact, which a
        read row asks for) and `lines` items without variants to sell them."""
        busy, _ = self.busiest_contact()
        customer = next(
            c["id"]
            for c in self.contacts
            if c["type"] == ContactType.CUSTOMER.value and c["id"] != busy
        )
        with_variants = {v["item_id"] for v in self.variants}
        items = tuple(i["id"] for i in self.items if i["id"] not in with_variants)[:lines]
        return customer, items

    def tables(self) -> list[tuple[type[SQLModel], list[Row]]]:
        """New rows per table, parents before children."""
        return [
            (Tax, self.taxes),
            (Category, self.categories),
            (Currency, self.currencies),
            (Contact, self.contacts),
            (Item, self.items),
            (ItemVariant, self.variants),
            (Document, self.documents),
            (DocumentLine, self.lines),
            (FinancialYear, self.years),
            (Voucher, self.vouchers),
            (VoucherLine, self.voucher_lines),
            *(self.relations.tables() if self.relations else []),
            *(self.people.tables() if self.people else []),
            *(self.stock.tables() if self.stock else []),
        ]


class CompanyGenerator:
    def __init__(
        self, company_id: str, sizes: Sizes, existing: Existing, rng: random.Random, today: date
    ) -> None:
        self.sizes = sizes
        self.existing = existing
        self.rng = rng
        self.today = today
        self.out = CompanyRows(company_id)
        self.all_taxes: list[Row] = list(existing.taxes)

    def generate(self) -> CompanyRows:
        self._taxes()
        self._categories()
        self._currencies()
        self._contacts()
        self._items()
        self._documents()
        writer = self._vouchers()
        self._relations()
        self._people()
        self._stock()
        if writer is not None:
            writer.pay_runs()
            writer.number()
            self.out.next_voucher_numbers = writer.next_number
        return self.out

    # --- helpers -------------------------------------------------------------------------

    def _at(self, days_ago: int) -> datetime:
        day = self.today - timedelta(days=days_ago)
        seconds = self.rng.randint(8 * 3600, 18 * 3600)
        return datetime.combine(day, time(), tzinfo=UTC) + timedelta(seconds=seconds)

    def _new(self, model: type[SQLModel], **values: Any) -> Row:
        return row(
            model,
            self.out.company_id,
            self._at(self.rng.randint(HISTORY_DAYS, HISTORY_DAYS + 90)),
            **values,
        )

    def _price(self, low: int, high: int) -> Decimal:
        return Decimal(self.rng.randint(low * 100, high * 100)) / 100

    # --- catalogue -------------------------------------------------------------------------

    def _taxes(self) -> None:
        for name, rate, kind in EXTRA_TAXES[: max(0, self.sizes.taxes - len(self.existing.taxes))]:
            tax = self._new(Tax, name=name, rate=Decimal(rate), type=kind.value)
            self.out.taxes.append(tax)
            self.all_taxes.append(tax)

    def _categories(self) -> None:
        wanted = max(0, self.sizes.categories - len(self.existing.categories))
        for name in EXTRA_CATEGORIES[:wanted]:
            self.out.categories.append(self._new(Category, name=name, type=CategoryType.ITEM.value))

    def _currencies(self) -> None:
        for code, rate in CURRENCY_RATES.items():
            if code != self.existing.base_currency:
                self.out.currencies.append(self._new(Currency, code=code, name=code, rate=rate))

    def _contacts(self) -> None:
        rng = self.rng
        types = (
            [ContactType.CUSTOMER.value] * 60
            + [ContactType.SUPPLIER.value] * 25
            + [ContactType.BOTH.value] * 15
        )
        for i in range(self.sizes.contacts):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            business = rng.random() < 0.7
            name = (
                f"{rng.choice(TRADE)} {last} {rng.choice(SUFFIX)}"
                if business
                else f"{first} {last}"
            )
            slug = name.lower().replace(" ", ".").replace("&", "and")
            city = rng.choice(CITIES)
            self.out.contacts.append(
                self._new(
                    Contact,
                    type=rng.choice(types),
                    entity_type=(EntityType.BUSINESS if business else EntityType.INDIVIDUAL).value,
                    name=f"{name} {i + 1}",
                    company_name=name if business else None,
                    first_name=None if business else first,
                    last_name=None if business else last,
                    email=f"{slug}.{i + 1}@example.com",
                    phone=f"+1-555-{rng.randint(1000000, 9999999)}",
                    currency_code=rng.choice(list(CURRENCY_RATES)) if rng.random() < 0.1 else None,
                    tax_number=f"TX{rng.randint(10**8, 10**9 - 1)}" if business else None,
                    billing_address={
                        "street1": f"{rng.randint(1, 300)} Main St",
                        "city": city,
                        "zipCode": f"{rng.randint(10000, 99999)}",
                        "countryRegion": "US",
                    },
                    contact_persons=[
                        {
                            "firstName": first,
                            "lastName": last,
                            "email": f"{first.lower()}@{slug}.example",
                        }
                    ]
                    if business
                    else [],
                )
            )

    def _items(self) -> None:
        rng = self.rng
        item_categories = [
            c
            for c in self.existing.categories + self.out.categories
            if c["type"] in (CategoryType.ITEM.value, CategoryType.INCOME.value)
        ]
        normal = [t for t in self.all_taxes if t["type"] == TaxType.NORMAL.value]
        withholding = [t for t in self.all_taxes if t["type"] == TaxType.WITHHOLDING.value]
        for i in range(self.sizes.items):
            service = rng.random() < 0.3
            sale = self._price(20, 400) if service else self._price(2, 900)
            tax = (
                rng.choice(withholding)
                if service and withholding and rng.random() < 0.2
                else (normal[0] if rng.random() < 0.6 else rng.choice(normal))
            )
            item = self._new(
                Item,
                type=(ItemType.SERVICE if service else ItemType.PRODUCT).value,
                name=f"{rng.choice(SERVICE)} {i + 1}"
                if service
                else f"{rng.choice(ADJ)} {rng.choice(NOUN)} {i + 1}",
                sku=f"SKU-{i + 1:05d}",
                barcode=None if service else f"{rng.randint(10**12, 10**13 - 1)}",
                sale_price=sale,
                purchase_price=cents(sale * Decimal("0.6")),
                unit="h" if service else rng.choice(["pcs", "pcs", "box", "kg"]),
                category_id=rng.choice(item_categories)["id"] if item_categories else None,
                tax_id=tax["id"],
            )
            self.out.items.append(item)
            if not service and rng.random() < 0.25:
                for k, variant in enumerate(rng.choice(VARIANT_SETS)):
                    price = cents(sale * (10 + k) / 10)
                    self.out.variants.append(
                        self._new(
                            ItemVariant,
                            item_id=item["id"],
                            name=variant,
                            sku=f"{item['sku']}-{k + 1}",
                            sale_price=price,
                            purchase_price=cents(price * Decimal("0.6")),
                        )
                    )

    # --- documents ---------------------------------------------------------------------------

    def _contact_picker(self, kinds: set[str]) -> tuple[list[str], list[float]]:
        """Contacts of `kinds`, shuffled, with Zipf-like cumulative weights: a few
        customers get many documents, most get a handful."""
        pool = [c["id"] for c in self.out.contacts if c["type"] in kinds]
        self.rng.shuffle(pool)
        return pool, list(accumulate(1 / (rank + 1) ** 0.9 for rank in range(len(pool))))

    def _documents(self) -> None:
        rng = self.rng
        n = self.sizes.documents
        kinds = [
            DocumentKind.INVOICE.value if rng.random() < 0.7 else DocumentKind.BILL.value
            for _ in range(n)
        ]
        customers = self._contact_picker({ContactType.CUSTOMER.value, ContactType.BOTH.value})
        suppliers = self._contact_picker({ContactType.SUPPLIER.value, ContactType.BOTH.value})
        picks = {
            DocumentKind.INVOICE.value: iter(
                rng.choices(customers[0], cum_weights=customers[1], k=n)
            ),
            DocumentKind.BILL.value: iter(rng.choices(suppliers[0], cum_weights=suppliers[1], k=n)),
        }
        days_ago = sorted((rng.randint(0, HISTORY_DAYS) for _ in range(n)), reverse=True)
        numbers: Counter[str] = Counter()
        contacts = {c["id"]: c for c in self.out.contacts}
        variants_of: dict[str, list[Row]] = {}
        for v in self.out.variants:
            variants_of.setdefault(v["item_id"], []).append(v)
        taxes = {t["id"]: t for t in self.all_taxes}
        statuses, weights = zip(*STATUSES, strict=True)
        for kind, ago in zip(kinds, days_ago, strict=True):
            numbers[kind] += 1
            contact = contacts[next(picks[kind])]
            status = rng.choices(statuses, weights=weights)[0]
            self._document(kind, numbers[kind], contact, ago, status, variants_of, taxes)
        self.out.next_numbers = {kind: count + 1 for kind, count in numbers.items()}

    def _relations(self) -> None:
        def new(model: type[SQLModel], at: datetime, **values: Any) -> Row:
            return row(model, self.out.company_id, at, **values)

        busy = self.out.busiest_contact()[0] if self.out.documents else None
        self.out.relations = RelationsGenerator(
            new,
            self.sizes,
            self.out.contacts,
            self.existing.members,
            self.existing.base_currency,
            self.rng,
            self.today,
            busy,
        ).generate()

    def _people(self) -> None:
        """On a random stream of their own, drawn from the state the CRM rows left
        without advancing it: the rows generated before them (and the next company's,
        which seed.py draws from the same stream) are what they were without them."""

        def new(model: type[SQLModel], at: datetime, **values: Any) -> Row:
            return row(model, self.out.company_id, at, **values)

        self.out.people = PeopleGenerator(
            new,
            self.sizes,
            self.out.contacts,
            self.existing.members,
            self.existing.base_currency,
            random.Random(repr(self.rng.getstate())),  # str seeds: SHA-512, stable
            self.today,
        ).generate()

    def _stock(self) -> None:
        """On a random stream of its own (as the people rows are), so every row
        generated before or after it is what it was without it."""

        def new(model: type[SQLModel], at: datetime, **values: Any) -> Row:
            return row(model, self.out.company_id, at, **values)

        opened = datetime.combine(self.today - timedelta(days=HISTORY_DAYS), time(6), tzinfo=UTC)
        self.out.stock = StockGenerator(
            new,
            self.out.items,
            self.out.variants,
            self.out.documents,
            self.out.lines,
            random.Random(repr(self.rng.getstate()) + " stock"),
            opened,
        ).generate()

    def _vouchers(self) -> VoucherWriter | None:
        """The documents' vouchers (the pay runs' follow in generate); numbered there."""
        if not self.existing.accounts:
            return None
        writer = VoucherWriter(self.out, self.existing)
        if "receivables" in self.existing.accounts:  # else only the pay runs' (a test's)
            for doc in self.out.documents:
                writer.document(doc)
        return writer

    def _document(
        self,
        kind: str,
        number: int,
        contact: Row,
        ago: int,
        status: DocumentStatus,
        variants_of: dict[str, list[Row]],
        taxes: dict[str, Row],
    ) -> None:
        rng = self.rng
        created = self._at(ago)
        issue_date = created.date()
        currency = contact["currency_code"] or self.existing.base_currency
        doc_id = new_id()
        lines = [
            self._line(doc_id, position, kind, created, variants_of, taxes)
            for position in range(rng.randint(self.sizes.min_lines, self.sizes.max_lines))
        ]
        discount_rate = Decimal(rng.choice([2, 5])) if rng.random() < 0.08 else None
        shipping = self._price(5, 40) if rng.random() < 0.15 else Decimal("0")
        totals = document_totals(
            (LineAmounts(net=line["net"], tax=line["tax_amount"]) for line in lines),
            discount_rate=discount_rate,
            discount_amount=None,
            shipping=shipping,
        )
        if status is DocumentStatus.PARTIAL and totals.total <= 0:
            status = DocumentStatus.SENT
        paid = {
            DocumentStatus.PAID: totals.total,
            DocumentStatus.PARTIAL: cents(totals.total * Decimal(rng.randint(20, 80)) / 100),
        }
        issued_at = None if status is DocumentStatus.DRAFT else created + timedelta(hours=1)
        self.out.documents.append(
            row(
                Document,
                self.out.company_id,
                created,
                id=doc_id,
                kind=kind,
                number=f"{NUMBER_PREFIX[DocumentKind(kind)]}{number:05d}",
                status=status.value,
                contact_id=contact["id"],
                issue_date=issue_date,
                due_date=issue_date + timedelta(days=rng.choice([14, 30, 30, 45])),
                currency_code=currency,
                currency_rate=CURRENCY_RATES.get(currency, Decimal("1")),
                discount_rate=discount_rate,
                shipping=shipping,
                reference=f"PO-{rng.randint(1000, 99999)}" if rng.random() < 0.3 else None,
                subtotal=totals.subtotal,
                discount_total=totals.discount_total,
                tax_total=totals.tax_total,
                total=totals.total,
                amount_paid=paid.get(status, Decimal("0")),
                issued_at=issued_at,
                cancelled_at=created + timedelta(days=3)
                if status is DocumentStatus.CANCELLED
                else None,
            )
        )
        self.out.lines.extend(lines)

    def _line(
        self,
        doc_id: str,
        position: int,
        kind: str,
        at: datetime,
        variants_of: dict[str, list[Row]],
        taxes: dict[str, Row],
    ) -> Row:
        rng = self.rng
        sales = kind == DocumentKind.INVOICE.value
        price_key = "sale_price" if sales else "purchase_price"
        item = variant = None
        if rng.random() < 0.85:
            item = rng.choice(self.out.items)
            options = variants_of.get(item["id"])
            variant = rng.choice(options) if options and rng.random() < 0.6 else None
            tax = taxes[item["tax_id"]]
            name = f"{item['name']} - {variant['name']}" if variant else item["name"]
            price = (variant or item)[price_key]
            service = item["type"] == ItemType.SERVICE.value
            quantity = (
                Decimal(rng.choice(["0.5", "1", "1.5", "2", "4", "8"]))
                if service
                else Decimal(rng.randint(1, 20))
            )
        else:
            tax = self.all_taxes[0]
            name, price, quantity = rng.choice(FREE_TEXT), self._price(5, 150), Decimal(1)
        discount_rate = Decimal(rng.choice([5, 10])) if rng.random() < 0.1 else None
        discount_amount = Decimal("1.00") if rng.random() < 0.03 else None
        amounts = line_amounts(
            quantity=quantity,
            unit_price=price,
            discount_rate=discount_rate,
            discount_amount=discount_amount,
            tax_rate=tax["rate"],
            withholding=tax["type"] == TaxType.WITHHOLDING.value,
        )
        if amounts.net < 0:  # a flat discount larger than a tiny line: drop it
            discount_amount = None
            amounts = line_amounts(
                quantity=quantity,
                unit_price=price,
                discount_rate=discount_rate,
                discount_amount=None,
                tax_rate=tax["rate"],
                withholding=tax["type"] == TaxType.WITHHOLDING.value,
            )
        return row(
            DocumentLine,
            self.out.company_id,
            at,
            document_id=doc_id,
            position=position,
            item_id=item["id"] if item else None,
            variant_id=variant["id"] if variant else None,
            tax_id=tax["id"],
            name=name,
            quantity=quantity,
            unit_price=price,
            discount_rate=discount_rate,
            discount_amount=discount_amount,
            tax_rate=tax["rate"],
            net=amounts.net,
            tax_amount=amounts.tax,
        )


# --- the ledger ----------------------------------------------------------------------------

# gql/domains/ledger/posting.py post_document: (system account, signed amount), debits
# positive; `total`, `net` and `tax` in the base currency.
POSTINGS = {
    DocumentKind.INVOICE.value: lambda total, net, tax: (
        ("receivables", total),
        ("sales", -net),
        ("tax_payable", -tax),
    ),
    DocumentKind.BILL.value: lambda total, net, tax: (
        ("purchases", net),
        ("tax_receivable", tax),
        ("payables", -total),
    ),
}


class VoucherWriter:
    """What issuing (posting.post_document) and cancelling (posting.reverse_document)
    the generated documents would have written: balanced AUTO vouchers in the base
    currency, numbered per financial year in date order. Payments post nothing here
    (the dataset has no bank transactions)."""

    def __init__(self, out: CompanyRows, existing: Existing) -> None:
        self.out = out
        self.existing = existing
        self.years: dict[int, Row] = {
            y["start_date"].year: y for y in existing.years if y["start_date"].month == 1
        }
        self.next_number: dict[str, int] = {
            y["id"]: y["next_voucher_number"] for y in existing.years
        }

    def _year(self, on: date, at: datetime) -> Row:
        year = self.years.get(on.year)
        if year is None:
            year = row(
                FinancialYear,
                self.out.company_id,
                at,
                name=str(on.year),
                start_date=date(on.year, 1, 1),
                end_date=date(on.year, 12, 31),
                is_default=False,
                next_voucher_number=1,
            )
            self.years[on.year] = year
            self.out.years.append(year)
            self.next_number[year["id"]] = 1
        return year

    def post(
        self,
        *,
        on: date,
        at: datetime,
        description: str,
        lines: list[tuple[str, Decimal, Decimal, str | None]],  # account, debit, credit, contact
        source_type: SourceType,
        source_id: str,
        reverses_id: str | None = None,
    ) -> Row:
        voucher = row(
            Voucher,
            self.out.company_id,
            at,
            financial_year_id=self._year(on, at)["id"],
            number=0,  # see number()
            date=on,
            description=description,
            type=VoucherType.AUTO.value,
            kind=VoucherKind.REGULAR.value,
            source_type=source_type.value,
            source_id=source_id,
            reverses_id=reverses_id,
            total=cents(sum((debit for _, debit, _, _ in lines), ZERO)),
            currency_code=self.existing.base_currency,
        )
        self.out.vouchers.append(voucher)
        for position, (account_id, debit, credit, contact_id) in enumerate(lines):
            self.out.voucher_lines.append(
                row(
                    VoucherLine,
                    self.out.company_id,
                    at,
                    voucher_id=voucher["id"],
                    position=position,
                    account_id=account_id,
                    debit=cents(debit),
                    credit=cents(credit),
                    description=None,
                    contact_id=contact_id,
                )
            )
        return voucher

    def pay_runs(self) -> None:
        """The salary voucher of each approved pay run, as payroll.posting.post_pay_run
        writes it on approval (dated the pay date); its payslips point at it."""
        people = self.out.people
        accounts = self.existing.accounts
        if people is None or not all(k in accounts for k in PAYROLL_KEYS):
            return
        slips_of: dict[str, list[Row]] = {}
        for slip in people.payslips:
            slips_of.setdefault(slip["pay_run_id"], []).append(slip)
        for run in people.pay_runs:
            if run["approved_at"] is None:
                continue
            entries = [
                (accounts[SALARIES], run["gross"]),
                (accounts[DEDUCTIONS_PAYABLE], -run["deductions"]),
                (accounts[WAGES_PAYABLE], -run["net"]),
            ]
            voucher = self.post(
                on=run["pay_date"],
                at=run["approved_at"],
                description=f"Payroll {run['period']}",
                lines=[
                    (line.account_id, line.debit, line.credit, line.contact_id)
                    for line in signed_lines(entries)
                ],
                source_type=SourceType.PAY_RUN,
                source_id=run["id"],
            )
            run["voucher_id"] = voucher["id"]
            for slip in slips_of.get(run["id"], []):
                slip["voucher_id"] = voucher["id"]

    def number(self) -> None:
        """Voucher numbers per financial year, in date order (as they were posted)."""
        self.out.vouchers.sort(key=lambda v: (v["date"], v["created_at"]))
        for voucher in self.out.vouchers:
            year_id = voucher["financial_year_id"]
            voucher["number"] = self.next_number[year_id]
            self.next_number[year_id] += 1
        for year in self.out.years:
            year["next_voucher_number"] = self.next_number[year["id"]]

    def document(self, doc: Row) -> None:
        if doc["issued_at"] is None:  # a draft posts nothing
            return
        postings = POSTINGS.get(doc["kind"])
        rate = doc["currency_rate"]
        total = to_base(doc["total"], rate)
        tax = to_base(doc["tax_total"], rate)
        if postings is None or total == 0:
            return
        accounts = self.existing.accounts
        entries = [(accounts[key], amount) for key, amount in postings(total, total - tax, tax)]
        lines = [
            (line.account_id, line.debit, line.credit, line.contact_id)
            for line in signed_lines(entries, contact_id=doc["contact_id"])
        ]
        label = doc["kind"].replace("_", " ")
        voucher = self.post(
            on=doc["issue_date"],
            at=doc["issued_at"],
            description=f"{label.capitalize()} {doc['number']}",
            lines=lines,
            source_type=SourceType.DOCUMENT,
            source_id=doc["id"],
        )
        cancelled = doc["cancelled_at"]
        if cancelled is not None:
            self.post(
                on=cancelled.date(),
                at=cancelled,
                description=f"Cancelled {doc['number']}",
                lines=[(a, credit, debit, c) for a, debit, credit, c in lines],
                source_type=SourceType.VOUCHER,
                source_id=voucher["id"],
                reverses_id=voucher["id"],
            )


def generate_company(
    company_id: str, sizes: Sizes, existing: Existing, rng: random.Random, today: date | None = None
) -> CompanyRows:
    return CompanyGenerator(company_id, sizes, existing, rng, today or date.today()).generate()
