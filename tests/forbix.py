"""The Forbix document's response shapes, field by field, and a check against them.

Each shape maps a documented field to the JSON types its value may have (None where
the field can be empty); a nested shape is a dict, a list of them a one-item list."""

from __future__ import annotations

from typing import Any

S = (str, type(None))  # a string field, empty when there is nothing to say
N = (int, float, type(None))  # a number (simplejson reads decimals as float)
B = (bool,)

ADDRESS = {
    k: S for k in ("street1", "street2", "city", "countryRegion", "state", "zipCode", "phone")
}
PERSON = {
    k: S
    for k in (
        "salutation",
        "firstName",
        "lastName",
        "workPhone",
        "mobile",
        "designation",
        "department",
        "email",
    )
}
CUSTOMER_FIELDS: dict[str, Any] = {
    "_id": (str,),
    "version": (int,),  # ours: the row's version, its ETag (If-Match)
    "type": (str,),
    "companyId": (str,),
    "salutation": S,
    "firstName": S,
    "lastName": S,
    "companyName": S,
    "customerDisplayName": (str,),
    "email": S,
    "phone": S,
    "mobile": S,
    "nationalId": S,
    "economicId": S,
    "billingAddress": (dict, type(None)),
    "shippingAddress": (dict, type(None)),
    "contactPerson": (dict, type(None)),
    "contacts": [PERSON],
    "creatorUserId": S,
    "createDate": (int,),
    "deleted": B,
    "deletedAt": N,
    "deletedById": S,
    "comments": (list,),
    "customerCategory": (str,),
    "crmGroupId": (list,),
    "customFields": (list,),
    "rfiUpdatable": B,
    "accCode": N,
    "avatarUrl": S,
    "isEmployee": B,
    "employeeTitle": S,
    "isUser": S,
}


def check_shape(value: Any, shape: Any, where: str = "data") -> None:
    """`value` has every field of `shape`, each of a documented type."""
    if isinstance(shape, dict):
        assert isinstance(value, dict), f"{where}: {value!r} is not an object"
        missing = set(shape) - set(value)
        assert not missing, f"{where}: missing {sorted(missing)}"
        for key, inner in shape.items():
            check_shape(value[key], inner, f"{where}.{key}")
    elif isinstance(shape, list):
        assert isinstance(value, list), f"{where}: {value!r} is not a list"
        for n, item in enumerate(value):
            check_shape(item, shape[0], f"{where}[{n}]")
    else:
        assert isinstance(value, shape), f"{where}: {value!r} is not {shape}"


INVOICE_LIST_FIELDS: dict[str, Any] = {
    "_id": (str,),
    "version": (int,),  # ours: the row's version, its ETag (If-Match)
    "companyId": (str,),
    "customerId": (str,),
    "state": (str,),
    "deliveryStatus": (str,),
    "totalInvoicePrice": N,
    "invoiceNumber": (str,),
    "createDate": (int,),
}
INVOICE_ITEM_FIELDS = {
    "_id": S,
    "name": (str,),
    "price": N,
    "quantity": N,
    "vatPercent": N,
    "imageUrl": S,
}
INVOICE_FIELDS: dict[str, Any] = {
    "_id": (str,),
    "version": (int,),  # ours: the row's version, its ETag (If-Match)
    "type": (str,),
    "invoiceNumber": (str,),
    "generatedNumber": (str,),
    "number": N,
    "companyInfo": (dict,),
    "customerInfo": CUSTOMER_FIELDS,
    "referenceNumber": S,
    "creator": (dict, type(None)),
    "returnsCount": (int,),
    "attachmentUrl": S,
    "attachments": (list,),
    "items": [INVOICE_ITEM_FIELDS],
    "sentDate": N,
    "dueDate": N,
    "subTotal": N,
    "tax": S,
    "debitOrCredit": (str,),
    "discounts": S,
    "discountFlat": N,
    "discountRate": N,
    "shippingAmount": N,
    "payments": N,
    "paymentDescription": S,
    "amountDue": N,
    "gatewayIds": (list,),
    "termsAndConditions": S,
    "notes": S,
    "totalPrice": N,
    "totalVat": N,
    "state": (str,),
    "deleted": B,
    "wasEstimate": B,
    "createDate": (int,),
    "deletedAt": N,
    "deletedById": S,
    "isArchived": B,
    "voucherId": S,
    "deliveryNotes": (list,),
    "totalInvoicePrice": N,
}


VOUCHER_ITEM_FIELDS = {
    "generalType": S,
    "subsidiaryType": S,
    "detailedType": S,
    "accountSlug": (str,),
    "defaultDebitCredit": S,
    "accountSlug2": S,
    "accountSlug4": S,
    "accountSlug3": S,
    "debitAmount": N,
    "creditAmount": N,
}
VOUCHER_FIELDS: dict[str, Any] = {
    "version": (int,),  # ours: the row's version, its ETag (If-Match)
    "companyId": (str,),
    "companyFinancialYearId": (str,),
    "number": (int,),
    "description": (str,),
    "createDate": (int,),
    "type": (str,),
    "autoOptions": (dict,),
    "deletedBy": N,
    "voucherItems": [VOUCHER_ITEM_FIELDS],
    "creatorId": S,
    "isOpenningVoucher": B,
    "voucherKind": (str,),
}
NODE = {"slug": (str,), "name": (str,), "debitCredit": (str,), "lock": B, "_id": (str,)}
LEAF = {
    **NODE,
    "pin": B,
    "accountType": S,
    "quickExpenseFrom": (bool, type(None)),
    "quickIncomceTo": (bool, type(None)),
}
CHART_FIELDS: dict[str, Any] = {
    "companyId": (str,),
    "companyFinancialYearId": S,
    "_id": (str,),
    "generalTypes": [
        {
            **NODE,
            "subsidiaryTypes": [
                {**NODE, "detailedTypes": [{**NODE, "pin": B, "accountSlugs": [LEAF]}]}
            ],
        }
    ],
}


BARCODE = (dict, type(None))
VARIANT_FIELDS: dict[str, Any] = {
    "_id": (str,),
    "version": (int,),  # ours: the row's version, its ETag (If-Match)
    "variantInfo": (dict,),
    "sku": S,
    "inventoryCount": N,
    "unitPrice": N,
    "purchaseUnitPrice": N,
    "discountRate": N,
    "discountFlat": N,
    "barcode": BARCODE,
    "isArchived": B,
}
ITEM_FIELDS: dict[str, Any] = {
    "_id": (str,),
    "version": (int,),  # ours: the row's version, its ETag (If-Match)
    "companyId": (str,),
    "name": (str,),
    "type": (str,),
    "govId": S,
    "barcode": BARCODE,
    "barcodeUrl": S,
    "imageUrl": S,
    "isInternalUseOnly": B,
    "description": S,
    "catalogDescription": S,
    "sku": S,
    "inventoryCount": N,
    "unitPrice": N,
    "purchaseUnitPrice": N,
    "unit": S,
    "taxable": S,
    "itemCategory": S,
    "itemSubCategory": S,
    "minimumStockAlert": S,
    "openingStockDate": N,
    "discountRate": N,
    "discountFlat": N,
    "images": (list,),
    "attachments": (list,),
    "hideInCatalog": B,
    "isArchived": B,
    "availableVariants": [VARIANT_FIELDS],
    "appointmentPlans": (list,),
    "creatorUserId": S,
    "createDate": (int,),
    "updateDate": (int,),
}
