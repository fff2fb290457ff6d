"""The load generator: `wrk` (a C program, so it does not compete with the server for
the CPU the way a Python client would), driven by wrk.lua for the POST bodies, the
headers, the answer checks and sequences of steps (create, then issue what was
created). One wrk thread per connection; latencies are timed per step in Lua.

`load.py` is the Python fallback, used only when wrk cannot be had."""

from __future__ import annotations

import asyncio
import json
import math
import shutil
import tempfile
from pathlib import Path

from scripts.benchmark.load import MAX_SAMPLES, LoadResult
from scripts.benchmark.targets import ID_PLACEHOLDER, Probe

LUA = Path(__file__).with_name("wrk.lua")


def available() -> str | None:
    return shutil.which("wrk")


def _lua_string(value: str) -> str:
    """A Lua string literal: bytes outside printable ASCII as decimal escapes."""
    out = []
    for byte in value.encode():
        char = chr(byte)
        if char in '"\\' or not 32 <= byte < 127:
            out.append(f"\\{byte:03d}")  # three digits: a digit may follow
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _step(probe: Probe, headers: dict[str, str]) -> str:
    body = probe.body_text()
    all_headers = {**headers, **({"Content-Type": "application/json"} if body else {})}
    lua_headers = ", ".join(
        f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in all_headers.items()
    )
    return (
        f"{{method = {_lua_string(probe.method)}, path = {_lua_string(probe.path_with_query())}, "
        f"headers = {{{lua_headers}}}, body = {_lua_string(body) if body else 'nil'}, "
        f"style = {_lua_string(probe.style)}, captures = {str(probe.captures_id).lower()}}}"
    )


def script(probes: list[Probe], headers: dict[str, str], out: Path) -> str:
    steps = "{\n  " + ",\n  ".join(_step(p, headers) for p in probes) + "\n}"
    text = LUA.read_text()
    return text.replace("__STEPS__", steps, 1).replace("__OUT__", _lua_string(str(out)), 1)


async def run(
    base_url: str,
    probes: list[Probe],
    headers: dict[str, str],
    *,
    concurrency: int,
    duration: float,
) -> list[LoadResult]:
    """Load `probes` (a sequence: each connection sends them in turn) for `duration`
    seconds (whole seconds: wrk's unit); one result per probe."""
    if len(probes) > 1 and not probes[0].captures_id and ID_PLACEHOLDER in probes[1].body_text():
        raise ValueError("a later step uses an id no earlier step captures")
    seconds = max(1, math.ceil(duration))
    with tempfile.TemporaryDirectory(prefix="bench-wrk-") as folder:
        out = Path(folder) / "result.json"
        lua = Path(folder) / "load.lua"
        lua.write_text(script(probes, headers, out))
        process = await asyncio.create_subprocess_exec(
            "wrk",
            f"-t{concurrency}",
            f"-c{concurrency}",
            f"-d{seconds}s",
            "--timeout",
            "30s",
            "-s",
            str(lua),
            base_url,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        output, _ = await process.communicate()
        if process.returncode != 0 or not out.exists():
            raise RuntimeError(f"wrk failed ({process.returncode}): {output.decode()[-2000:]}")
        raw = json.loads(out.read_bytes().decode(errors="replace"))
    elapsed = raw["duration_us"] / 1e6
    results = []
    for i, step in enumerate(raw["steps"]):
        result = LoadResult(ok=step["ok"], errors=step["failed"], elapsed_s=elapsed)
        result.latencies_ms = [us / 1000 for us in step["latencies_us"]]
        mine = [s for s in raw["samples"] if s.startswith(f"step {i + 1}:")]
        result.error_samples = mine[:MAX_SAMPLES]
        results.append(result)
    if raw["socket_errors"]:
        results[0].errors += raw["socket_errors"]
        results[0].error_samples.append(f"{raw['socket_errors']} socket errors or timeouts")
    return results
