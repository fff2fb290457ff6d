-- The load of one benchmark row (or of a sequence of rows, e.g. create then issue),
-- for wrk: scripts/benchmark/wrk.py runs `wrk -t N -c N -s <this, with the steps and
-- the output file filled in>`. One connection per thread, so each thread's request() and
-- response() alternate: a step's latency is the time between them, and an answer's
-- id can feed the next step's request ("__BENCH_ID__" in its body).

local steps = __STEPS__ -- {method, path, headers, body, style ("graphql"/"rest"), captures}
local out_path = __OUT__

local ffi = require("ffi")
ffi.cdef([[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock_id, bench_timespec *tp);
]])
local clock = ffi.new("bench_timespec")
local function now_us()
  ffi.C.clock_gettime(1, clock) -- CLOCK_MONOTONIC
  return tonumber(clock.tv_sec) * 1e6 + tonumber(clock.tv_nsec) / 1e3
end

local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

-- Per thread (each has its own Lua state); globals, so done() can thread:get() them.
-- Flat tables only: wrk 4.1 crashes copying nested ones, so each step's latencies
-- have a global of their own, "latencies_<step>".
oks, failures, samples = {}, {}, {}
local latencies = {}
local step, started, captured = 1, nil, nil

function init(args)
  for i = 1, #steps do
    latencies[i], oks[i], failures[i] = {}, 0, 0
    _G["latencies_" .. i] = latencies[i]
  end
end

function request()
  if started ~= nil then
    -- No answer to the last request: wrk reconnected after a socket error (which it
    -- counts), or it was the request wrk builds once to verify the script. Start over.
    step, captured = 1, nil
  end
  local s = steps[step]
  local body = s.body
  if captured ~= nil then
    body = string.gsub(body, "__BENCH_ID__", captured)
  end
  started = now_us()
  return wrk.format(s.method, s.path, s.headers, body)
end

local function good(s, status, body)
  if s.style == "graphql" then
    return status == 200
      and body:find('"errors"', 1, true) == nil
      and body:find('"userErrors":[{', 1, true) == nil
  end
  return status >= 200 and status < 300 and body:find('"success":true', 1, true) ~= nil
end

function response(status, headers, body)
  local elapsed = now_us() - started
  started = nil
  local s = steps[step]
  local ok = good(s, status, body)
  if ok and s.captures then
    captured = body:match('"id":"([^"]+)"')
    ok = captured ~= nil
  end
  table.insert(latencies[step], elapsed)
  if ok then
    oks[step] = oks[step] + 1
    step = step % #steps + 1
  else
    failures[step] = failures[step] + 1
    if #samples < 5 then
      table.insert(samples, "step " .. step .. ": HTTP " .. status .. ": " .. body:sub(1, 300))
    end
    step = 1
  end
  if step == 1 then
    captured = nil
  end
end

local function quote(text)
  return '"' .. text:gsub('[%c"\\]', function(c)
    return string.format("\\u%04x", c:byte())
  end) .. '"'
end

function done(summary, latency, requests)
  local parts = {}
  for i = 1, #steps do
    local lat, ok, failed = {}, 0, 0
    for _, thread in ipairs(threads) do
      for _, v in ipairs(thread:get("latencies_" .. i)) do
        table.insert(lat, string.format("%.1f", v))
      end
      ok = ok + thread:get("oks")[i]
      failed = failed + thread:get("failures")[i]
    end
    table.insert(parts, string.format('{"ok":%d,"failed":%d,"latencies_us":[%s]}', ok, failed,
      table.concat(lat, ",")))
  end
  local messages = {}
  for _, thread in ipairs(threads) do
    for _, m in ipairs(thread:get("samples")) do
      table.insert(messages, quote(m))
    end
  end
  local e = summary.errors
  local file = assert(io.open(out_path, "w"))
  file:write(string.format(
    '{"duration_us":%d,"socket_errors":%d,"samples":[%s],"steps":[%s]}\n',
    summary.duration, e.connect + e.read + e.write + e.timeout,
    table.concat(messages, ","), table.concat(parts, ",")))
  file:close()
end
