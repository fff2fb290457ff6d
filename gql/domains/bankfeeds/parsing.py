"""Statement files into lines: CSV with a column mapping, OFX through ofxtools.

Every problem names the field and the row it is on (`content`, the row's number in the
file, the column) so a client can point at it; a file with bad rows is refused whole.
"""

from __future__ import annotations

import base64
import binascii
import csv
import hashlib
import io
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from ofxtools.Parser import OFXTree

from gql.core.errors import ErrorCode, FieldError, UserInputError

MAX_LINES = 5000
MAX_ERRORS = 20
CENT = Decimal("0.01")
# Date formats as clients write them, to strptime's.
DATE_TOKENS = (("YYYY", "%Y"), ("YY", "%y"), ("MM", "%m"), ("DD", "%d"))
DATE_FORMAT = re.compile(r"(YYYY|YY|MM|DD|[-/. ])+")
AMOUNT = re.compile(r"[+-]?\d+(\.\d+)?")

Report = Callable[[int, str, str], None]  # (row, column key, message)
Cell = Callable[[str], str]  # a column key -> the row's text in it


@dataclass(frozen=True)
class Mapping:
    """Which CSV columns (by header name) hold what. `amount` is signed (money in is
    positive); or `debit` (money out) and `credit` (money in), one of them filled."""

    date: str
    description: str
    amount: str | None = None
    debit: str | None = None
    credit: str | None = None
    reference: str | None = None
    counterparty: str | None = None
    date_format: str = "YYYY-MM-DD"
    decimal_separator: str = "."
    delimiter: str = ","


@dataclass(frozen=True)
class Line:
    date: date
    amount: Decimal
    description: str
    reference: str | None
    counterparty: str | None
    fitid: str | None  # the bank's own id of the line (OFX)


@dataclass(frozen=True)
class Statement:
    lines: list[Line]
    closing_balance: Decimal | None = None
    closing_date: date | None = None


def decode(content: str, base64_encoded: bool) -> str:
    if not base64_encoded:
        return content
    try:
        raw = base64.b64decode(content, validate=True)
    except (binascii.Error, ValueError):
        raise UserInputError.single("content", "is not valid base64") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("latin-1")  # the usual encoding of older bank exports


def fingerprint(account_id: str, line: Line, occurrence: int) -> str:
    """The bank's FITID when the file gives one; otherwise a hash of what the line says
    and how many identical lines came before it in the file (so two equal coffees on
    one day are two lines, and the same file imported again gives the same keys)."""
    if line.fitid:
        return f"fitid:{line.fitid}"[:100]
    text = "|".join(
        (account_id, line.date.isoformat(), str(line.amount), line.description, str(occurrence))
    )
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def fingerprints(account_id: str, lines: list[Line]) -> list[str]:
    seen: Counter[tuple[date, Decimal, str]] = Counter()
    out = []
    for line in lines:
        key = (line.date, line.amount, line.description)
        out.append(fingerprint(account_id, line, seen[key]))
        seen[key] += 1
    return out


# --- CSV ------------------------------------------------------------------------------------


def _strptime_format(value: str) -> str:
    if not DATE_FORMAT.fullmatch(value) or not all(t in value for t in ("MM", "DD")):
        raise UserInputError.single(
            ("mapping", "dateFormat"),
            "must be written with YYYY (or YY), MM and DD, e.g. DD/MM/YYYY",
        )
    out = value
    for token, directive in DATE_TOKENS:
        out = out.replace(token, directive)
    return out


def _amount(raw: str, separator: str) -> Decimal | None:
    """A bank's amount: thousands separators and spaces dropped, the decimal separator
    made a point; at most two decimals. None when it is not a number."""
    text = raw.strip().replace(" ", "").replace("\u00a0", "")
    other = "," if separator == "." else "."
    text = text.replace(other, "").replace(separator, ".")
    if not AMOUNT.fullmatch(text):
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value == value.quantize(CENT) and abs(value) < Decimal("1e15") else None


def _check_mapping(mapping: Mapping) -> None:
    if mapping.amount is None and (mapping.debit is None or mapping.credit is None):
        raise UserInputError.single(
            ("mapping", "amount"), "give amount, or debit and credit", ErrorCode.REQUIRED
        )
    if mapping.decimal_separator not in (".", ","):
        raise UserInputError.single(("mapping", "decimalSeparator"), "must be . or ,")
    if len(mapping.delimiter) != 1 or mapping.delimiter in ('"', "\n", "\r"):
        raise UserInputError.single(("mapping", "delimiter"), "must be one character")


def parse_csv(text: str, mapping: Mapping) -> Statement:
    _check_mapping(mapping)
    date_format = _strptime_format(mapping.date_format)
    reader = csv.reader(io.StringIO(text), delimiter=mapping.delimiter)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise UserInputError.single("content", "The file is empty") from None
    except csv.Error as exc:
        raise UserInputError.single(("content", "1"), f"row 1: {exc}") from None
    columns = {
        key: name
        for key, name in (
            ("date", mapping.date),
            ("description", mapping.description),
            ("amount", mapping.amount),
            ("debit", mapping.debit),
            ("credit", mapping.credit),
            ("reference", mapping.reference),
            ("counterparty", mapping.counterparty),
        )
        if name is not None
    }
    missing = [
        FieldError(("mapping", key), f"no column '{name}' in the file's header", ErrorCode.INVALID)
        for key, name in columns.items()
        if name not in header
    ]
    if missing:
        raise UserInputError(missing)
    index = {key: header.index(name) for key, name in columns.items()}
    lines: list[Line] = []
    errors: list[FieldError] = []

    def bad(row: int, key: str, message: str) -> None:
        errors.append(FieldError(("content", str(row), key), f"row {row}: {message}"))

    row_number = 1
    try:
        for row_number, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue  # blank lines between and after the rows
            if len(lines) >= MAX_LINES:
                raise UserInputError.single("content", f"at most {MAX_LINES} lines per file")
            line = _csv_line(cells, index, mapping, date_format, row_number, bad)
            if line is not None:
                lines.append(line)
            if len(errors) >= MAX_ERRORS:
                break
    except csv.Error as exc:
        bad(row_number, "row", str(exc))
    if errors:
        raise UserInputError(errors)
    return Statement(lines)


def _csv_line(
    cells: list[str],
    index: dict[str, int],
    mapping: Mapping,
    date_format: str,
    row: int,
    report: Report,
) -> Line | None:
    def cell(key: str) -> str:
        position = index.get(key)
        return cells[position].strip() if position is not None and position < len(cells) else ""

    ok = True
    raw_date = cell("date")
    try:
        day = datetime.strptime(raw_date, date_format).date()
    except ValueError:
        report(row, "date", f"'{raw_date[:40]}' is not a date as {mapping.date_format}")
        ok = False
    amount = _line_amount(cell, mapping, row, report)
    if amount is None:
        ok = False
    description = cell("description")
    if not description:
        report(row, "description", "is empty")
        ok = False
    if not ok:
        return None
    assert amount is not None
    return Line(
        date=day,
        amount=amount,
        description=description[:500],
        reference=cell("reference")[:100] or None,
        counterparty=cell("counterparty")[:200] or None,
        fitid=None,
    )


def _line_amount(read: Cell, mapping: Mapping, row: int, report: Report) -> Decimal | None:
    sep = mapping.decimal_separator
    if mapping.amount is not None:
        raw = read("amount")
        value = _amount(raw, sep)
        if value is None or value == 0:
            report(row, "amount", f"'{raw[:40]}' is not a non-zero amount")
        return value if value else None
    debit_raw, credit_raw = read("debit"), read("credit")
    debit = _amount(debit_raw, sep) if debit_raw else Decimal(0)
    credit = _amount(credit_raw, sep) if credit_raw else Decimal(0)
    if debit is None or credit is None:
        key, raw = ("debit", debit_raw) if debit is None else ("credit", credit_raw)
        report(row, key, f"'{raw[:40]}' is not an amount")
        return None
    value = abs(credit) - abs(debit)
    if value == 0:
        report(row, "amount", "has neither a debit nor a credit")
        return None
    return value.quantize(CENT)


# --- OFX ------------------------------------------------------------------------------------


def parse_ofx(text: str) -> Statement:
    """The first statement of an OFX file (v1 SGML or v2 XML), with its ledger balance."""
    parser = OFXTree()
    try:
        parser.parse(io.BytesIO(text.encode("utf-8")))
        ofx = parser.convert()
        statements = ofx.statements
    except Exception as exc:  # ofxtools raises many kinds; each means a bad file
        raise UserInputError.single("content", f"is not an OFX statement: {exc}"[:300]) from None
    if not statements:
        raise UserInputError.single("content", "The OFX file holds no bank statement")
    statement = statements[0]
    lines: list[Line] = []
    for number, tx in enumerate(statement.transactions, start=1):
        amount = Decimal(tx.trnamt).quantize(CENT)
        if amount == 0:
            continue
        if len(lines) >= MAX_LINES:
            raise UserInputError.single("content", f"at most {MAX_LINES} lines per file")
        name = (tx.name or (tx.payee and tx.payee.name) or "").strip()
        description = (tx.memo or name or tx.trntype or "").strip()
        if not description:
            raise UserInputError.single(
                ("content", str(number), "description"), f"transaction {number}: no name or memo"
            )
        lines.append(
            Line(
                date=tx.dtposted.date(),
                amount=amount,
                description=description[:500],
                reference=(tx.fitid or tx.refnum or tx.checknum or None),
                counterparty=name[:200] or None,
                fitid=tx.fitid or None,
            )
        )
    balance = statement.ledgerbal
    return Statement(
        lines,
        closing_balance=Decimal(balance.balamt).quantize(CENT) if balance else None,
        closing_date=balance.dtasof.date() if balance else None,
    )
