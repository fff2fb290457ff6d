"""Forbix Open-API: /openapi/customers, the same rows as the graph's contacts.

Their names and ours: `customerDisplayName` is the contact's name, `type` (BUSINESS /
INDIVIDUAL) its entity type, `customerCategory` (CUSTOMER / SUPPLIER / BOTH) its
type, `contacts` its contact persons (`contactPerson` the first of them),
`crmGroupId` its group ids; `isEmployee` is what payroll says (an employee linked to
the contact), `deleted` a disabled contact.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from gql.core.errors import FieldError
from gql.core.graph import list_page
from gql.core.loaders import computed_values
from gql.domains.contacts import service
from gql.domains.contacts.models import Contact, ContactType, EntityType
from gql.domains.contacts.rest import contact_json
from gql.domains.contacts.schema import CONTACTS
from gql.domains.payroll.computed import IS_EMPLOYEE
from gql.rest import forbix
from gql.rest.numbors import RestContext, bool_param, choice_param, read_json, text_param
from gql.rest.openapi import ID_ONLY, ApiRoute, choice, flag, millis, text, whole
from gql.rest.renames import Renames

NAMES = Renames(
    {
        "customerDisplayName": "name",
        "type": "entityType",
        "customerCategory": "type",
        "contacts": "contactPersons",
        "crmGroupId": "crmGroupIds",
    }
)
CATEGORIES = {t.value.upper(): t.value for t in ContactType}
SORT_COLUMNS = {
    "createDate": Contact.created_at,
    "customerDisplayName": Contact.name,
    "accCode": Contact.acc_code,
    "email": Contact.email,
    "type": Contact.entity_type,
}
EMPLOYEE_FIELD = "isEmployee"


def customer_json(row: Contact, *, is_employee: bool) -> dict[str, Any]:
    data = contact_json(row)  # camelCase, addresses and persons as the client sent them
    persons = data["contactPersons"]
    return {
        **forbix.identity(row),
        "type": row.entity_type,
        "companyId": row.company_id,
        "salutation": row.salutation,
        "firstName": row.first_name,
        "lastName": row.last_name,
        "companyName": row.company_name,
        "customerDisplayName": row.name,
        "email": row.email,
        "phone": row.phone,
        "mobile": row.mobile,
        "nationalId": row.national_id,
        "economicId": row.economic_id,
        "billingAddress": data["billingAddress"],
        "shippingAddress": data["shippingAddress"],
        "contactPerson": persons[0] if persons else None,
        "contacts": persons,
        "creatorUserId": row.created_by_id,
        # Not kept by this server: who disabled a contact and when, comments on it,
        # and whether it is a user of Forbix's customer club.
        "createDate": forbix.millis(row.created_at),
        "deleted": not row.enabled,
        "deletedAt": None,
        "deletedById": None,
        "comments": [],
        "customerCategory": row.type.upper(),
        "crmGroupId": row.crm_group_ids,
        "customFields": data["customFields"],
        "rfiUpdatable": True,
        "accCode": row.acc_code,
        "avatarUrl": row.avatar_url,
        "isEmployee": is_employee,
        "employeeTitle": row.employee_title,
        "isUser": None,
    }


async def customers_json(ctx: RestContext, rows: list[Contact]) -> list[dict[str, Any]]:
    """Rows with payroll's isEmployee, one statement for all of them."""
    flags = await computed_values(ctx.session, Contact, [IS_EMPLOYEE], [r.id for r in rows])
    return [customer_json(r, is_employee=flags[r.id][0]) for r in rows]


async def _body(ctx: RestContext, *, create: bool) -> dict[str, Any]:
    body = await read_json(ctx.request)
    if create:
        forbix.require_fields(body, "type", "customerDisplayName", "crmGroupId")
    if isinstance(body.get("crmGroupId"), str):  # one id, or a list of them
        body["crmGroupId"] = [body["crmGroupId"]]
    if body.pop(EMPLOYEE_FIELD, None) is True:
        message = "is set by payroll: link an employee to this customer there"
        raise forbix.invalid([FieldError((EMPLOYEE_FIELD,), message)])
    category = body.get("customerCategory")
    if isinstance(category, str) and category.upper() in CATEGORIES:
        body["customerCategory"] = CATEGORIES[category.upper()]
    return NAMES.to_ours(body)


@forbix.endpoint(write=True, names=NAMES)
async def create_customer(ctx: RestContext) -> Response:
    data = await _body(ctx, create=True)
    row = await service.create_contact(session=ctx.session, data=data, viewer=ctx.viewer)
    return forbix.saved(row)


@forbix.endpoint(write=True, names=NAMES)
async def update_customer(ctx: RestContext) -> Response:
    data = await _body(ctx, create=False)
    row = await service.update_contact(
        session=ctx.session, id=ctx.request.path_params["customerId"], data=data
    )
    return forbix.saved(row, status=200)


@forbix.endpoint()
async def get_customer(ctx: RestContext) -> Response:
    row = await service.get_contact(session=ctx.session, id=ctx.request.path_params["customerId"])
    return forbix.ok((await customers_json(ctx, [row]))[0])


@forbix.endpoint()
async def list_customers(ctx: RestContext) -> Response:
    request, settings = ctx.request, ctx.settings
    page = forbix.page_params(request, settings)
    category = choice_param(request, "customerCategory", list(CATEGORIES))
    where = service.ContactFilter(
        type=CATEGORIES[category] if category else None,
        entity_type=choice_param(request, "type", [t.value for t in EntityType]),
        full_name=text_param(request, "fullName", settings),
        email=text_param(request, "email", settings),
        phone=text_param(request, "phone", settings),
        mobile=text_param(request, "mobile", settings),
        crm_group_id=text_param(request, "crmGroupId", settings),
        is_employee=bool_param(request, "isEmployee"),
        acc_code=forbix.int_param(request, "accCode"),
        created_from=forbix.millis_param(request, "createDateFrom"),
        created_to=forbix.millis_param(request, "createDateTo"),
    )
    if bool_param(request, "isUser"):
        # No contact is a Forbix club user here (isUser is always null): none match.
        return forbix.listed([], total=0, page=page)
    order = forbix.sort_params(request, Contact, SORT_COLUMNS, "createDate")
    result = await list_page(ctx.session, CONTACTS, page.args, where=where, order_by=order)
    return forbix.listed(await customers_json(ctx, result.rows), total=result.total, page=page)


FILTERS = [
    choice("customerCategory", CATEGORIES),
    choice("type", EntityType),
    *(text(n) for n in ("fullName", "email", "phone", "mobile", "crmGroupId")),
    flag("isEmployee"),
    flag("isUser"),
    whole("accCode"),
    millis("createDateFrom"),
    millis("createDateTo"),
]
routes = [
    ApiRoute(
        "/customers", list_customers, "GET", summary="List customers", row=Contact, query=FILTERS
    ),
    ApiRoute(
        "/customers",
        create_customer,
        "POST",
        summary="Create a customer",
        row=ID_ONLY,
        body=service.ContactCreate,
    ),
    ApiRoute("/customers/{customerId}", get_customer, "GET", summary="Get a customer", row=Contact),
    ApiRoute(
        "/customers/{customerId}",
        update_customer,
        "PUT",
        summary="Update a customer",
        row=ID_ONLY,
        body=service.ContactUpdate,
    ),
]
