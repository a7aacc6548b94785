-- wrk script for bench/soak.sh: a random mix of todo-API requests spread across many
-- challengers. Challenger GUIDs are read from the file named by SOAK_CHALLENGERS.
--
-- Status codes are counted per thread in the `response` hook and summed in `done`.
-- The deliberate 500 (PATCH /api/heartbeat) is sent with `Accept: text/csv`, a type no
-- other request in the mix asks for, so a 500 whose Content-Type is text/csv is known to
-- be deliberate and any other 5xx is counted as non-deliberate.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

-- Globals, not locals: `thread:get` in `done` reads a thread's globals.
guids = {}
counts = {}
deliberate = 0
unexpected = 0
-- Highest todo id this thread has seen created per challenger (from the 201 body and the
-- X-CHALLENGER echo), so id-addressed requests mostly hit live todos rather than 404s.
local newest = {}

function init(args)
  local path = os.getenv("SOAK_CHALLENGERS") or "challengers.txt"
  for line in io.lines(path) do
    if #line > 0 then
      guids[#guids + 1] = line
    end
  end
  if #guids == 0 then
    error("no challenger GUIDs in " .. path)
  end
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
end

local json = { ["Content-Type"] = "application/json", ["Accept"] = "application/json" }

local function headers_for(guid, extra)
  local h = { ["X-CHALLENGER"] = guid }
  for k, v in pairs(extra) do h[k] = v end
  return h
end

-- Weighted mix (weights sum to 100).
function request()
  local guid = guids[math.random(#guids)]
  local top = newest[guid] or 10
  local id = math.random(math.max(1, top - 19), top + 1)
  local r = math.random(100)
  if r <= 30 then
    return wrk.format("GET", "/api/todos", headers_for(guid, { Accept = "application/json" }))
  elseif r <= 50 then
    return wrk.format("GET", "/api/todos/" .. id, headers_for(guid, { Accept = "application/json" }))
  elseif r <= 62 then
    local body = '{"title":"soak ' .. id .. '","doneStatus":false,"description":"load"}'
    return wrk.format("POST", "/api/todos", headers_for(guid, json), body)
  elseif r <= 70 then
    local body = '{"title":"put ' .. id .. '","doneStatus":true}'
    return wrk.format("PUT", "/api/todos/" .. id, headers_for(guid, json), body)
  elseif r <= 78 then
    local body = '{"doneStatus":true}'
    return wrk.format("POST", "/api/todos/" .. id, headers_for(guid, json), body)
  elseif r <= 86 then
    return wrk.format("DELETE", "/api/todos/" .. id, headers_for(guid, {}))
  elseif r <= 95 then
    return wrk.format("GET", "/api/challenges", headers_for(guid, { Accept = "application/json" }))
  else
    return wrk.format("PATCH", "/api/heartbeat", headers_for(guid, { Accept = "text/csv" }))
  end
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
  if status == 201 then
    local guid = headers["x-challenger"] or headers["X-CHALLENGER"]
    local id = tonumber(body:match('"id":(%d+)'))
    if guid and id and id > (newest[guid] or 0) then
      newest[guid] = id
    end
  end
  if status >= 500 then
    local ct = headers["Content-Type"] or headers["content-type"] or ""
    if status == 500 and ct:sub(1, 8) == "text/csv" then
      deliberate = deliberate + 1
    else
      unexpected = unexpected + 1
    end
  end
end

function done(summary, latency, requests)
  local total = {}
  local deliberate_total, unexpected_total = 0, 0
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("counts")) do
      total[status] = (total[status] or 0) + n
    end
    deliberate_total = deliberate_total + thread:get("deliberate")
    unexpected_total = unexpected_total + thread:get("unexpected")
  end
  local statuses = {}
  for status in pairs(total) do statuses[#statuses + 1] = status end
  table.sort(statuses)
  io.write("--- soak summary ---\n")
  io.write(string.format("requests=%d duration_s=%.1f rps=%.0f\n", summary.requests,
    summary.duration / 1e6, summary.requests / (summary.duration / 1e6)))
  io.write(string.format("socket_errors connect=%d read=%d write=%d timeout=%d status=%d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.timeout, summary.errors.status))
  for _, status in ipairs(statuses) do
    io.write(string.format("status %d: %d\n", status, total[status]))
  end
  io.write(string.format("deliberate_500=%d non_deliberate_5xx=%d\n",
    deliberate_total, unexpected_total))
  io.write(string.format("latency_ms p50=%.2f p99=%.2f max=%.2f\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
