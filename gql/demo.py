"""Demo data: a small trading company with a year's worth of books to explore.

Everything goes through the real service functions, so the demo obeys the same
rules (numbering, totals, tenancy) as data entered through the API. Dates are
relative to today, so some issued invoices are always overdue. Idempotent: when the
demo user exists nothing is written.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from gql.auth.viewer import Viewer
from gql.core.errors import ErrorCode, UserInputError
from gql.db.engine import create_engine, session_factory
from gql.db.tenant import get_tenant, set_tenant
from gql.domains.bankfeeds import imports as bank_imports
from gql.domains.bankfeeds import reconcile as bank_reconcile
from gql.domains.bankfeeds import service as bankfeeds
from gql.domains.banking import service as banking
from gql.domains.catalogue import service as catalogue
from gql.domains.catalogue.models import Category, Currency, Item, ItemVariant, Tax
from gql.domains.companies import service as companies
from gql.domains.companies.models import Company, Membership, User
from gql.domains.contacts import service as contacts
from gql.domains.contacts.models import Contact
from gql.domains.contracts import service as contracts
from gql.domains.crm import service as crm
from gql.domains.crm.models import Deal
from gql.domains.documents import service as documents
from gql.domains.helpdesk import service as helpdesk
from gql.domains.inventory import service as inventory
from gql.domains.inventory.stock import StockChange, move_stock
from gql.domains.payroll import service as payroll
from gql.domains.pos import service as pos
from gql.domains.projects import service as projects
from gql.settings import Settings

DEMO_EMAIL = "demo@ledgergraph.dev"
DEMO_PASSWORD = "demo-password-1"
DEMO_COMPANY = "Demo Trading Ltd"
OTHER_EMAIL = "other@ledgergraph.dev"
OTHER_PASSWORD = "other-password-1"
OTHER_COMPANY = "Other Company"


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    company_name: str
    company_id: str
    other_email: str
    other_password: str
    other_company_name: str
    created: bool  # False when the demo data was already there


async def seed_demo(settings: Settings) -> DemoLogin:
    """Create the demo users, companies and books (once); return how to log in."""
    engine = create_engine(settings.database_url, pool_size=1)
    try:
        async with session_factory(engine)() as session:
            existing = await _existing(session)
            if existing is not None:
                return existing
            try:
                login = await _seed(session)
            except UserInputError as exc:
                # A concurrent seed registered the demo user first: theirs stands.
                if any(e.code is ErrorCode.TAKEN for e in exc.errors):
                    await session.rollback()
                    existing = await _existing(session)
                    if existing is not None:
                        return existing
                raise
            await session.commit()
            return login
    finally:
        await engine.dispose()


async def _existing(session: AsyncSession) -> DemoLogin | None:
    user = await session.scalar(select(User).where(func.lower(User.email) == DEMO_EMAIL))
    if user is None:
        return None
    companies_of = await companies.companies_of(session=session, user_id=user.id)
    company = next((c for c, _ in companies_of if c.name == DEMO_COMPANY), None)
    return _login(company, created=False)


def _login(company: Company | None, *, created: bool) -> DemoLogin:
    return DemoLogin(
        email=DEMO_EMAIL,
        password=DEMO_PASSWORD,
        company_name=company.name if company else DEMO_COMPANY,
        company_id=company.id if company else "",
        other_email=OTHER_EMAIL,
        other_password=OTHER_PASSWORD,
        other_company_name=OTHER_COMPANY,
        created=created,
    )


async def _seed(session: AsyncSession) -> DemoLogin:
    dana, company = await companies.register(
        session=session,
        data={
            "name": "Dana Demo",
            "email": DEMO_EMAIL,
            "password": DEMO_PASSWORD,
            "companyName": DEMO_COMPANY,
            "currency": "GBP",
        },
    )
    set_tenant(session, company.id)
    await _seed_demo_company(session)
    await _seed_helpdesk(session, dana)
    await _seed_projects(session, dana)
    await _seed_pos(session, dana)

    _, other = await companies.register(
        session=session,
        data={
            "name": "Olga Other",
            "email": OTHER_EMAIL,
            "password": OTHER_PASSWORD,
            "companyName": OTHER_COMPANY,
            "currency": "USD",
        },
    )
    set_tenant(session, other.id)
    await _seed_other_company(session)
    set_tenant(session, None)
    return _login(company, created=True)


# --- Demo Trading Ltd ----------------------------------------------------------------------


def _address(street: str, city: str, zip_code: str, country: str, **extra: str) -> dict[str, Any]:
    return {"street1": street, "city": city, "zipCode": zip_code, "countryRegion": country, **extra}


def _person(
    salutation: str, first: str, last: str, email: str, designation: str, **extra: str
) -> dict[str, Any]:
    return {
        "salutation": salutation,
        "firstName": first,
        "lastName": last,
        "email": email,
        "designation": designation,
        **extra,
    }


CONTACTS: list[dict[str, Any]] = [
    {
        "name": "Acme Retail Ltd",
        "type": "customer",
        "entityType": "BUSINESS",
        "companyName": "Acme Retail Ltd",
        "email": "accounts@acme-retail.example",
        "phone": "+44 20 7946 0101",
        "website": "https://acme-retail.example",
        "taxNumber": "GB123456789",
        "billingAddress": _address("12 High Street", "London", "EC1A 1BB", "United Kingdom"),
        "shippingAddress": _address(
            "Unit 4, Riverside Park", "Croydon", "CR0 2XX", "United Kingdom"
        ),
        "contactPersons": [
            _person("MS", "Priya", "Natarajan", "priya@acme-retail.example", "Finance Manager"),
            _person(
                "MR", "Tom", "Becker", "tom@acme-retail.example", "Buyer", mobile="+44 7700 900101"
            ),
        ],
        "customFields": [{"name": "Account manager", "value": "Dana Demo"}],
    },
    {
        "name": "Northwind Traders",
        "type": "customer",
        "entityType": "BUSINESS",
        "companyName": "Northwind Traders plc",
        "email": "ap@northwind.example",
        "phone": "+44 161 496 0202",
        "taxNumber": "GB987654321",
        "billingAddress": _address("1 Deansgate", "Manchester", "M3 1AZ", "United Kingdom"),
        "contactPersons": [
            _person("MR", "James", "Okafor", "james@northwind.example", "Procurement"),
        ],
    },
    {
        "name": "Blue Harbour Cafe",
        "type": "customer",
        "entityType": "BUSINESS",
        "email": "hello@blueharbour.example",
        "phone": "+44 117 496 0303",
        "billingAddress": _address("3 Harbour Walk", "Bristol", "BS1 5TY", "United Kingdom"),
    },
    {
        "name": "Greenfield Schools Trust",
        "type": "customer",
        "entityType": "BUSINESS",
        "companyName": "Greenfield Schools Trust",
        "email": "finance@greenfield.example",
        "billingAddress": _address("School Lane", "Leeds", "LS1 4AP", "United Kingdom"),
        "contactPersons": [
            _person(
                "DR", "Helen", "Marsh", "h.marsh@greenfield.example", "Bursar", department="Finance"
            ),
        ],
        "reference": "PO required on every invoice",
    },
    {
        "name": "Contoso GmbH",
        "type": "customer",
        "entityType": "BUSINESS",
        "companyName": "Contoso GmbH",
        "email": "rechnungen@contoso.example",
        "currencyCode": "EUR",
        "taxNumber": "DE811234567",
        "billingAddress": _address("Friedrichstrasse 68", "Berlin", "10117", "Germany"),
        "contactPersons": [
            _person("MRS", "Anna", "Schmidt", "anna.schmidt@contoso.example", "Einkauf"),
        ],
    },
    {
        "name": "Brightside Studios",
        "type": "customer",
        "entityType": "BUSINESS",
        "email": "studio@brightside.example",
        "website": "https://brightside.example",
        "billingAddress": _address("88 Sidney Street", "Cambridge", "CB2 3HX", "United Kingdom"),
    },
    {
        "name": "Emma Clarke",
        "type": "customer",
        "entityType": "INDIVIDUAL",
        "salutation": "MS",
        "firstName": "Emma",
        "lastName": "Clarke",
        "email": "emma.clarke@mail.example",
        "mobile": "+44 7700 900404",
        "billingAddress": _address("27 Rose Avenue", "York", "YO1 7HH", "United Kingdom"),
    },
    {
        "name": "Dr Oliver Shah",
        "type": "customer",
        "entityType": "INDIVIDUAL",
        "salutation": "DR",
        "firstName": "Oliver",
        "lastName": "Shah",
        "email": "oliver.shah@mail.example",
        "nationalId": "QQ123456C",
        "billingAddress": _address("5 Castle Mews", "Edinburgh", "EH1 2NG", "United Kingdom"),
    },
    {
        "name": "Paperworks Supplies Ltd",
        "type": "supplier",
        "entityType": "BUSINESS",
        "companyName": "Paperworks Supplies Ltd",
        "email": "sales@paperworks.example",
        "phone": "+44 121 496 0505",
        "taxNumber": "GB555666777",
        "billingAddress": _address("Mill Road", "Birmingham", "B1 1AA", "United Kingdom"),
        "contactPersons": [
            _person("MR", "Raj", "Patel", "raj@paperworks.example", "Account Manager"),
        ],
    },
    {
        "name": "CloudHost Europe BV",
        "type": "supplier",
        "entityType": "BUSINESS",
        "companyName": "CloudHost Europe B.V.",
        "email": "billing@cloudhost.example",
        "currencyCode": "EUR",
        "taxNumber": "NL123456789B01",
        "billingAddress": _address("Keizersgracht 123", "Amsterdam", "1015 CJ", "Netherlands"),
    },
    {
        "name": "Metro Office Furniture",
        "type": "supplier",
        "entityType": "BUSINESS",
        "email": "trade@metrofurniture.example",
        "billingAddress": _address("Trade Park 9", "Reading", "RG1 8AA", "United Kingdom"),
        "contactPersons": [
            _person("MS", "Lucy", "Evans", "lucy@metrofurniture.example", "Trade Sales"),
        ],
    },
    {
        "name": "Harbour Logistics Ltd",
        "type": "both",
        "entityType": "BUSINESS",
        "companyName": "Harbour Logistics Ltd",
        "email": "office@harbourlogistics.example",
        "phone": "+44 23 8049 0606",
        "billingAddress": _address("Dock Gate 4", "Southampton", "SO14 3XX", "United Kingdom"),
        "notes": "Buys office supplies from us and delivers our larger orders.",
    },
]

CATEGORIES = [
    ("Stationery", "item"),
    ("Furniture", "item"),
    ("Apparel", "item"),
    ("Books", "item"),
    ("Services", "item"),
    ("Consulting income", "income"),
    ("Hosting and software", "expense"),
]


def _item(
    name: str,
    sku: str,
    kind: str,
    category: str,
    tax: str,
    sale: str,
    purchase: str | None = None,
    unit: str | None = None,
    variants: list[tuple[str, str, str | None]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": name,
        "sku": sku,
        "type": kind,
        "category": category,
        "tax": tax,
        "salePrice": Decimal(sale),
        "purchasePrice": Decimal(purchase) if purchase else None,
        "unit": unit,
        **extra,
    }
    if variants:
        data["variants"] = [
            {
                "name": v_name,
                "sku": f"{sku}-{v_sku}",
                "salePrice": Decimal(v_sale) if v_sale else None,
            }
            for v_name, v_sku, v_sale in variants
        ]
    return data


ITEMS = [
    _item(
        "A4 Copier Paper (box of 5 reams)",
        "PAP-A4",
        "product",
        "Stationery",
        "Standard",
        "24.99",
        "15.00",
        "box",
        barcode="5012345678900",
    ),
    _item(
        "Ballpoint Pens (pack of 50)",
        "PEN-50",
        "product",
        "Stationery",
        "Standard",
        "12.50",
        "6.20",
        "pack",
        barcode="5012345678917",
    ),
    _item(
        "Ergonomic Office Chair",
        "CHR-ERG",
        "product",
        "Furniture",
        "Standard",
        "249.00",
        "140.00",
        "each",
        variants=[("Black", "BLK", None), ("Grey", "GRY", None)],
    ),
    _item(
        "Standing Desk",
        "DSK-STD",
        "product",
        "Furniture",
        "Standard",
        "499.00",
        "310.00",
        "each",
        variants=[("120 cm", "120", "499.00"), ("160 cm", "160", "579.00")],
    ),
    _item(
        "Company T-Shirt",
        "TSH",
        "product",
        "Apparel",
        "Standard",
        "18.00",
        "7.00",
        "each",
        variants=[("Small", "S", None), ("Medium", "M", None), ("Large", "L", None)],
    ),
    _item("Children's Book Set", "BK-KIDS", "product", "Books", "Zero", "35.00", "20.00", "set"),
    _item(
        "Home Energy Saving Kit",
        "KIT-ENERGY",
        "product",
        "Stationery",
        "Reduced",
        "60.00",
        "38.00",
        "kit",
    ),
    _item("IT Support", "SRV-IT", "service", "Services", "Standard", "75.00", unit="hour"),
    _item("Office Cleaning", "SRV-CLEAN", "service", "Services", "Standard", "90.00", unit="visit"),
    _item(
        "Consulting Day",
        "SRV-CONSULT",
        "service",
        "Services",
        "Standard",
        "650.00",
        unit="day",
        description="A day of on-site process and systems consulting.",
    ),
    _item("Delivery", "SRV-DELIVERY", "service", "Services", "Standard", "15.00", unit="drop"),
]

# (days ago issued, payment terms in days, what happens to it)
INVOICES = [
    (118, 30, "issue"),
    (104, 30, "issue"),
    (96, 60, "issue"),
    (88, 30, "cancel"),
    (75, 90, "issue"),
    (63, 30, "issue"),
    (55, 90, "issue"),
    (48, 30, "issue"),
    (40, 60, "issue"),
    (33, 30, "issue"),
    (26, 30, "issue"),
    (18, 30, "issue"),
    (9, 30, "draft"),
    (4, 14, "issue"),
    (1, 30, "draft"),
]
BILLS = [
    (100, 30, "issue"),
    (72, 30, "issue"),
    (50, 60, "issue"),
    (30, 30, "issue"),
    (12, 30, "draft"),
    (2, 14, "draft"),
]


async def _seed_demo_company(session: AsyncSession) -> None:
    gbp = await session.scalar(select(Currency).where(Currency.code == "GBP"))  # type: ignore[arg-type]
    assert gbp is not None
    await catalogue.update_currency(
        session=session, id=gbp.id, data={"name": "Pound sterling", "symbol": "£"}
    )
    await catalogue.create_currency(
        session=session,
        data={"code": "EUR", "name": "Euro", "rate": Decimal("1.17"), "symbol": "€"},
    )

    taxes = {t.name.split()[0]: t for t in (await session.scalars(select(Tax))).all()}
    for name, rate in (("Reduced", "5"), ("Zero", "0")):
        if name not in taxes:
            taxes[name] = await catalogue.create_tax(
                session=session, data={"name": f"{name} rate", "rate": Decimal(rate)}
            )
    if "Standard" not in taxes:
        taxes["Standard"] = await catalogue.create_tax(
            session=session, data={"name": "Standard rate", "rate": Decimal("20")}
        )

    categories: dict[str, Category] = {}
    for name, kind in CATEGORIES:
        categories[name] = await catalogue.create_category(
            session=session, data={"name": name, "type": kind}
        )

    items: list[Item] = []
    for spec in ITEMS:
        data = {k: v for k, v in spec.items() if v is not None and k not in ("category", "tax")}
        data["categoryId"] = categories[spec["category"]].id
        data["taxId"] = taxes[spec["tax"]].id
        items.append(await catalogue.create_item(session=session, data=data))
    variants = await catalogue.variants_by_item(session=session, item_ids=[i.id for i in items])

    people = [await contacts.create_contact(session=session, data=c) for c in CONTACTS]
    customers = [c for c in people if c.type in ("customer", "both")]
    suppliers = [c for c in people if c.type in ("supplier", "both")]

    rng = random.Random(20240501)  # the same demo every time
    products = [i for i in items if i.type == "product"]
    await _seed_inventory(session, products, variants)
    for n, (days_ago, terms, fate) in enumerate(INVOICES):
        rush = n % 5 == 2  # one more, free-text line: 1-5 lines in all
        count = rng.randint(1, 4 if rush else 5)
        lines = [_line(rng, rng.choice(items), variants) for _ in range(count)]
        if n % 4 == 1:
            lines[0]["discountRate"] = Decimal("10")
        if rush:
            lines.append(
                {
                    "name": "Rush handling",
                    "unitPrice": Decimal("25.00"),
                    "taxId": taxes["Standard"].id,
                }
            )
        await _document(
            session,
            "invoice",
            customers[n % len(customers)],
            days_ago,
            terms,
            fate,
            lines,
            reference=f"PO-{4100 + n}" if n % 3 == 0 else None,
        )
    for n, (days_ago, terms, fate) in enumerate(BILLS):
        lines = [_line(rng, rng.choice(products), variants) for _ in range(rng.randint(1, 4))]
        if n == 1:  # the hosting bill: a free-text line, no item
            lines = [
                {
                    "name": "Cloud hosting, monthly plan",
                    "quantity": Decimal("1"),
                    "unitPrice": Decimal("180.00"),
                    "taxId": taxes["Standard"].id,
                }
            ]
        await _document(
            session,
            "bill",
            suppliers[n % len(suppliers)],
            days_ago,
            terms,
            fate,
            lines,
            reference=f"SUP-{780 + n}",
        )
    await _seed_crm(session, customers)
    await _seed_contracts(session, customers)
    await _seed_payroll(session)
    await _seed_bank_feeds(session, categories["Hosting and software"])


async def _seed_inventory(
    session: AsyncSession, products: list[Item], variants: dict[str, list[ItemVariant]]
) -> None:
    """Two warehouses, an opening count of every product (and variant) in the main one
    (before the invoices, which take their stock from it), some moved to the annex, and
    a minimum stock alert on the first product that its stock falls below."""
    main = await inventory.create_warehouse(
        session=session, data={"name": "Main warehouse", "address": "1 Dock Road, Leeds"}
    )
    annex = await inventory.create_warehouse(session=session, data={"name": "Annex", "code": "ANX"})
    counted = [
        {"itemId": p.id, "variantId": v, "quantity": Decimal("200")}
        for p in products
        for v in [None, *(v.id for v in variants.get(p.id, []))]
    ]
    await inventory.create_adjustment(
        session=session,
        data={"warehouseId": main.id, "reason": "Opening stock count", "items": counted},
    )
    await inventory.create_transfer(
        session=session,
        data={
            "fromWarehouseId": main.id,
            "toWarehouseId": annex.id,
            "notes": "Overflow",
            "items": [{"itemId": p.id, "quantity": Decimal("20")} for p in products[:2]],
        },
    )
    await catalogue.update_item(
        session=session, id=products[0].id, data={"minStockAlert": Decimal("500")}
    )


async def _seed_crm(session: AsyncSession, customers: list[Any]) -> None:
    """A pipeline with a few deals, a lead, activities and a campaign, for GraphiQL."""
    tenant = get_tenant(session)
    owner = await session.scalar(
        select(Membership.user_id).where(Membership.company_id == tenant)  # type: ignore[call-overload]
    )
    viewer = Viewer()
    pipeline = await crm.create_pipeline(
        session=session,
        data={
            "name": "New business",
            "stages": [
                {"name": "Qualified", "probability": 20},
                {"name": "Proposal sent", "probability": 50},
                {"name": "Negotiation", "probability": 80},
            ],
        },
    )
    stages = await crm.stages_of(session, pipeline.id)
    for n, (name, value) in enumerate(
        (("Office refit", "12500"), ("Annual supplies", "4800"), ("Support contract", "2400"))
    ):
        deal = await crm.create_deal(
            session=session,
            viewer=viewer,
            data={
                "name": name,
                "pipelineId": pipeline.id,
                "stageId": stages[n].id,
                "contactId": customers[n % len(customers)].id,
                "value": Decimal(value),
                "ownerId": owner,
            },
        )
        await crm.create_activity(
            session=session,
            viewer=viewer,
            data={
                "type": ["call", "meeting", "email"][n],
                "subject": f"Follow up: {name}",
                "scheduledAt": datetime.now(UTC) + timedelta(days=2 * n - 1),
                "dealId": deal.id,
                "ownerId": owner,
            },
        )
    await crm.create_lead(
        session=session,
        data={"name": "Priya Shah", "email": "priya@example.com", "source": "website"},
    )
    await crm.create_campaign(
        session=session,
        data={
            "name": "Spring Sale",
            "type": "email",
            "startDate": date(2026, 3, 1),
            "endDate": date(2026, 3, 31),
            "budget": Decimal("500"),
        },
    )


async def _seed_contracts(session: AsyncSession, customers: list[Contact]) -> None:
    """A running support contract, one signed to start next month, one that ended, a
    draft, and proposals in each state: one accepted into its contract."""
    today = date.today()
    acme, northwind, cafe = customers[0], customers[1], customers[2]
    for title, contact, start, end, value, sign in (
        ("Acme Retail: annual support", acme, -120, 245, "6000", True),
        ("Northwind: warehouse fit-out", northwind, 30, 120, "18500", True),
        ("Blue Harbour Cafe: coffee machines lease", cafe, -400, -35, "2400", True),
        ("Acme Retail: second store", acme, 60, 425, "9000", False),
    ):
        contract = await contracts.create_contract(
            session=session,
            data={
                "title": title,
                "contactId": contact.id,
                "startDate": today + timedelta(days=start),
                "endDate": today + timedelta(days=end),
                "value": Decimal(value),
            },
        )
        if sign:  # signed a week before it started
            signed_at = datetime.combine(today + timedelta(days=min(start, 0) - 7), time(9), UTC)
            await contracts.sign_contract(
                session=session, id=contract.id, data={"signedAt": signed_at}
            )
    # The draft for Acme is written for its CRM deal, so Proposal.deal has one to show.
    acme_deal = await session.scalar(select(col(Deal.id)).where(col(Deal.contact_id) == acme.id))
    for title, contact, fate in (
        ("Northwind: loyalty scheme", northwind, "accepted"),
        ("Blue Harbour Cafe: catering menu", cafe, "sent"),
        ("Acme Retail: click and collect", acme, "declined"),
        ("Acme Retail: gift cards", acme, "draft"),
    ):
        proposal = await contracts.create_proposal(
            session=session,
            data={
                "title": title,
                "contactId": contact.id,
                "dealId": acme_deal if fate == "draft" else None,
                "value": Decimal("3200"),
                "sections": [
                    {"title": "What we will do", "body": "Design, build and launch."},
                    {"title": "Timeline", "body": "Six weeks from acceptance."},
                    {"title": "Price", "body": "GBP 3,200, half on acceptance."},
                ],
            },
        )
        if fate == "draft":
            continue
        await contracts.send_proposal(session=session, id=proposal.id)
        if fate == "accepted":
            terms = {"startDate": today, "endDate": today + timedelta(days=180)}
            await contracts.accept_proposal(
                session=session, id=proposal.id, data={"contract": terms}
            )
        elif fate == "declined":
            await contracts.decline_proposal(session=session, id=proposal.id)


def _line(rng: random.Random, item: Item, variants: dict[str, list[ItemVariant]]) -> dict[str, Any]:
    line: dict[str, Any] = {"itemId": item.id, "quantity": Decimal(rng.choice([1, 1, 2, 3, 5, 10]))}
    if item.type == "service" and item.unit in ("hour", "visit"):
        line["quantity"] = Decimal(rng.choice(["1.5", "2", "4", "7.5"]))
    options = variants.get(item.id)
    if options:
        line["variantId"] = rng.choice(options).id
    return line


async def _document(
    session: AsyncSession,
    kind: str,
    contact: Contact,
    days_ago: int,
    terms: int,
    fate: str,
    lines: list[dict[str, Any]],
    reference: str | None = None,
) -> None:
    issued = date.today() - timedelta(days=days_ago)
    doc = await documents.create_document(
        session=session,
        data={
            "kind": kind,
            "contactId": contact.id,
            "issueDate": issued,
            "dueDate": issued + timedelta(days=terms),
            "reference": reference,
            "notes": "Thank you for your business." if kind == "invoice" else None,
            "terms": f"Payment due within {terms} days.",
            "lines": lines,
        },
    )
    if fate in ("issue", "cancel"):
        await documents.issue_document(session=session, id=doc.id)
    if fate == "cancel":
        await documents.cancel_document(session=session, id=doc.id)


# --- Other Company (a second tenant, to explore isolation) ----------------------------------


async def _seed_projects(session: AsyncSession, dana: User) -> None:
    """A running website project for the first customer with two tasks and a week of
    time, the first days of it invoiced; and a planned one without a rate yet."""
    today = date.today()
    acme = await session.scalar(
        select(Contact)
        .where(col(Contact.type) == "customer")
        .order_by(col(Contact.created_at))
        .limit(1)
    )
    assert acme is not None
    site = await projects.create_project(
        session=session,
        data={
            "name": "Website rebuild",
            "customerId": acme.id,
            "budget": Decimal("8000"),
            "hourlyRate": Decimal("85"),
            "startDate": today - timedelta(days=14),
            "endDate": today + timedelta(days=60),
            "status": "active",
        },
    )
    design = await projects.create_task(
        session=session,
        data={
            "projectId": site.id,
            "name": "Design mockups",
            "assigneeId": dana.id,
            "status": "done",
        },
    )
    build = await projects.create_task(
        session=session,
        data={
            "projectId": site.id,
            "name": "Build the shop",
            "assigneeId": dana.id,
            "status": "in_progress",
            "dueDate": today + timedelta(days=30),
        },
    )
    viewer = Viewer(user=dana)
    for days_ago, task, hours, billable in (
        (7, design, 3, True),
        (6, design, 2, True),
        (5, build, 4, True),
        (4, build, 1, False),
        (3, build, 5, True),
        (2, None, 1, True),
    ):
        start = datetime.combine(today - timedelta(days=days_ago), time(9), UTC)
        await projects.create_time_entry(
            session=session,
            viewer=viewer,
            data={
                "projectId": site.id,
                "taskId": task.id if task else None,
                "startTime": start,
                "endTime": start + timedelta(hours=hours),
                "billable": billable,
                "description": "Client call" if task is None else None,
            },
        )
    await projects.invoice_time(
        session=session, id=site.id, data={"upTo": today - timedelta(days=5)}
    )
    await projects.create_project(
        session=session,
        data={"name": "Loyalty app", "customerId": acme.id, "budget": Decimal("15000")},
    )


async def _seed_pos(session: AsyncSession, dana: User) -> None:
    """A till with a loyalty programme: yesterday's session closed 0.50 short, today's
    open with a cash sale to a customer (earning points) and a card sale."""
    products = (
        await session.scalars(
            select(Item)
            .where(col(Item.type) == "product", col(Item.sale_price).is_not(None))
            .order_by(col(Item.created_at))
            .limit(2)
        )
    ).all()
    await move_stock(
        session,
        [StockChange(item.id, Decimal("50")) for item in products],
        reason="adjustment",
        source_type="stock_adjustment",
        source_id=None,
    )
    buyer = await session.scalar(
        select(Contact).where(col(Contact.type) == "customer").order_by(col(Contact.created_at))
    )
    assert buyer is not None
    await pos.create_program(session=session, data={"name": "Points Rewards", "pointsPerUnit": 1})
    till = await pos.create_terminal(
        session=session, data={"name": "Checkout 1", "location": "Shop floor"}
    )
    viewer = Viewer(user=dana)
    for counted, sales in (
        (Decimal("-0.50"), [(0, 2, "cash", None)]),
        (None, [(0, 1, "cash", buyer.id), (1, 1, "card", None)]),
    ):
        shift = await pos.open_session(
            session=session,
            viewer=viewer,
            data={"terminalId": till.id, "openingFloat": Decimal("100")},
        )
        for which, quantity, method, contact in sales:
            await pos.create_order(
                session=session,
                viewer=viewer,
                data={
                    "sessionId": shift.id,
                    "lines": [{"itemId": products[which].id, "quantity": Decimal(quantity)}],
                    "paymentMethod": method,
                    "contactId": contact,
                },
            )
        if counted is not None:
            await pos.close_session(
                session=session,
                viewer=viewer,
                id=shift.id,
                data={"countedCash": shift.expected_cash + counted},
            )


async def _seed_helpdesk(session: AsyncSession, agent: User) -> None:
    """A category, an SLA and three tickets: one answered, one waiting, one resolved;
    and a published knowledge-base article."""
    billing = await helpdesk.create_category(session=session, data={"name": "Billing"})
    standard = await helpdesk.create_sla(
        session=session,
        data={
            "name": "Standard SLA",
            "responseTime": 8,
            "resolutionTime": 48,
            "targets": [{"priority": "urgent", "responseTime": 1, "resolutionTime": 8}],
        },
    )
    customer = await session.scalar(select(Contact).order_by(Contact.name))
    common = {"slaId": standard.id, "categoryId": billing.id, "assigneeId": agent.id}
    tickets = [
        await helpdesk.create_ticket(
            session=session,
            data={
                "subject": subject,
                "priority": priority,
                "contactId": customer.id if customer else None,
                **common,
            },
        )
        for subject, priority in (
            ("Invoice sent to the wrong address", "medium"),
            ("Card payment declined twice", "urgent"),
            ("Copy of last year's statements", "low"),
        )
    ]
    viewer = Viewer(user=agent)
    await helpdesk.create_reply(
        session=session,
        viewer=viewer,
        data={"ticketId": tickets[0].id, "body": "Sorry about that: a corrected copy is attached."},
    )
    await helpdesk.create_reply(
        session=session,
        viewer=viewer,
        data={"ticketId": tickets[2].id, "body": "Sent by email today.", "public": True},
    )
    await helpdesk.update_ticket(session=session, id=tickets[2].id, data={"status": "resolved"})
    await helpdesk.create_article(
        session=session,
        data={
            "title": "Changing the billing address on an invoice",
            "body": "Reply to the invoice email with the new address; we reissue it the same day.",
            "categoryId": billing.id,
            "published": True,
        },
    )


async def _seed_other_company(session: AsyncSession) -> None:
    # It sells widgets before its bill for them is booked in: its stock may go negative.
    await inventory.update_settings(session=session, data={"allowNegativeStock": True})
    tax = await session.scalar(select(Tax))
    assert tax is not None
    item = await catalogue.create_item(
        session=session,
        data={
            "name": "Widget",
            "sku": "WID-1",
            "type": "product",
            "salePrice": Decimal("9.99"),
            "purchasePrice": Decimal("4.00"),
            "taxId": tax.id,
        },
    )
    customer = await contacts.create_contact(
        session=session,
        data={
            "name": "Globex Corporation",
            "type": "customer",
            "entityType": "BUSINESS",
            "email": "ap@globex.example",
            "billingAddress": _address("1 Globex Way", "Springfield", "49007", "United States"),
        },
    )
    supplier = await contacts.create_contact(
        session=session,
        data={"name": "Initech Supplies", "type": "supplier", "entityType": "BUSINESS"},
    )
    await _document(
        session,
        "invoice",
        customer,
        20,
        30,
        "issue",
        [{"itemId": item.id, "quantity": Decimal("12")}],
    )
    await _document(
        session,
        "invoice",
        customer,
        3,
        30,
        "draft",
        [{"itemId": item.id, "quantity": Decimal("4")}],
    )
    await _document(
        session, "bill", supplier, 15, 30, "issue", [{"itemId": item.id, "quantity": Decimal("50")}]
    )


# --- bank feeds ---------------------------------------------------------------------------


async def _seed_bank_feeds(session: AsyncSession, hosting: Category) -> None:
    """A bank account with a feed, a rule for the hosting bill, and last week's
    statement imported: the hosting line split from the rule's suggestion (posted), the
    rest unmatched, so Account.reconciliation shows a difference to work on."""
    account = await banking.create_account(
        session=session,
        data={"name": "Business current", "type": "bank", "openingBalance": Decimal("5000")},
    )
    feed = await bankfeeds.create_connection(
        session=session, data={"provider": "Demo Bank (CSV)", "accountId": account.id}
    )
    await bankfeeds.create_rule(
        session=session, data={"pattern": "cloud hosting", "categoryId": hosting.id}
    )
    day = date.today() - timedelta(days=7)
    statement = "\n".join(
        [
            "Date,Description,Amount,Reference",
            f"{day.isoformat()},CLOUD HOSTING LTD monthly,-216.00,DD-0042",
            f"{(day + timedelta(days=1)).isoformat()},Card payment Coffee Corner,-3.40,",
            f"{(day + timedelta(days=2)).isoformat()},Transfer from customer,500.00,FP-991",
        ]
    )
    result = await bank_imports.import_statement(
        session=session,
        data={
            "connectionId": feed.id,
            "format": "csv",
            "content": statement,
            "mapping": {
                "date": "Date",
                "description": "Description",
                "amount": "Amount",
                "reference": "Reference",
            },
        },
    )
    hosting_line = next(line for line in result.new if line.category_id is not None)
    await bank_reconcile.split(session=session, id=hosting_line.id, data={})


# --- payroll ------------------------------------------------------------------------------


async def _seed_payroll(session: AsyncSession) -> None:
    """Two departments, four employees (one linked to a contact, one who started this
    month), last month's pay run approved (its salary voucher posted) and this month's
    a draft."""
    today = date.today()
    this_month = today.replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    teams = {}
    for name in ("Operations", "Sales"):
        teams[name] = await payroll.create_department(session=session, data={"name": name})
    manager = await payroll.create_position(
        session=session, data={"name": "Warehouse manager", "departmentId": teams["Operations"].id}
    )
    contractor = await contacts.create_contact(
        session=session,
        data={"name": "Priya Patel", "type": "supplier", "entityType": "INDIVIDUAL"},
    )
    for first, last, team, salary, start, extra in (
        ("Sam", "Okafor", "Operations", "42000", date(2023, 4, 1), {"positionId": manager.id}),
        ("Lena", "Fischer", "Sales", "38500", date(2024, 9, 16), {}),
        ("Priya", "Patel", "Sales", "36000", date(2025, 1, 6), {"contactId": contractor.id}),
        ("Tom", "Reyes", "Operations", "29000", this_month + timedelta(days=9), {}),
    ):
        await payroll.create_employee(
            session=session,
            data={
                "firstName": first,
                "lastName": last,
                "email": f"{first.lower()}@demo-trading.example",
                "departmentId": teams[team].id,
                "salary": Decimal(salary),
                "startDate": start,
                **extra,
            },
        )
    for month, approve in ((last_month, True), (this_month, False)):
        run = await payroll.create_pay_run(
            session=session,
            data={"period": month.strftime("%Y-%m"), "payDate": month.replace(day=25)},
        )
        if approve:
            await payroll.approve_pay_run(session=session, id=run.id)
