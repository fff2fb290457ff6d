"""Ids: every row's object id, and the Relay global ids (base64("TypeName:objectid"),
opaque to clients) that wrap them."""

from __future__ import annotations

import base64
import binascii
import os
import threading
import time

_counter_lock = threading.Lock()
_counter = int.from_bytes(os.urandom(3), "big")
_process_random = os.urandom(5)


def new_id() -> str:
    """A 24-hex-character id shaped like a MongoDB ObjectId (time, random, counter)."""
    global _counter
    with _counter_lock:
        _counter = (_counter + 1) % 0xFFFFFF
        count = _counter
    return (int(time.time()).to_bytes(4, "big") + _process_random + count.to_bytes(3, "big")).hex()


def is_object_id(value: str) -> bool:
    return len(value) == 24 and all(c in "0123456789abcdef" for c in value)


def to_global_id(type_name: str, pk: str) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode().rstrip("=")


def from_global_id(global_id: str) -> tuple[str, str] | None:
    """(type name, object id), or None when the id is not one of ours."""
    try:
        padded = global_id + "=" * (-len(global_id) % 4)
        raw = base64.urlsafe_b64decode(padded.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    type_name, sep, pk = raw.partition(":")
    if not sep or not type_name or not is_object_id(pk):
        return None
    return type_name, pk


def decode_id(global_id: str, expected_type: str) -> str | None:
    """The object id inside `global_id` when it names `expected_type`; also accepts a raw
    object id, as the REST dialects use them."""
    if is_object_id(global_id):
        return global_id
    decoded = from_global_id(global_id)
    if decoded is None or decoded[0] != expected_type:
        return None
    return decoded[1]
