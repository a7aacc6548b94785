-- Mixed workload across many challengers (bench/run.sh part b).
-- Usage: wrk -t1 -c50 -d10s -s mixed.lua http://127.0.0.1:PORT -- GUIDS_FILE
-- Every request picks a random challenger from GUIDS_FILE (one GUID per line) and one
-- of these, by weight:
--   30 GET /api/todos            15 GET /api/todos/{id}     10 GET /api/challenges
--   15 POST /api/todos (create)  10 PUT /api/todos/{id}      5 POST /api/todos/{id}
--   15 DELETE /api/todos/{id}
-- Ids are drawn near the newest id this thread has created for that challenger, so
-- deletes mostly hit and the list stays under the 20-todo limit; misses (404) and
-- limit refusals (409) are expected and counted, not errors. Any 5xx is a failure.

local guids = {}
local creates = {}      -- per challenger index: creates issued by this thread
statuses = {}           -- status code -> count; global so done() can thread:get it
local threads = {}
local next_thread = 0

local JSON = { ["Content-Type"] = "application/json" }

function setup(thread)
  next_thread = next_thread + 1
  thread:set("thread_number", next_thread)
  table.insert(threads, thread)
end

function init(args)
  local path = args[1]
  local file = assert(io.open(path, "r"), "cannot open GUID file " .. tostring(path))
  for line in file:lines() do
    if #line > 0 then table.insert(guids, line) end
  end
  file:close()
  assert(#guids > 0, "no GUIDs in " .. path)
  for i = 1, #guids do creates[i] = 0 end
  math.randomseed(os.time() * 100 + (thread_number or 0))
end

-- An id among the twenty newest this challenger can have.
local function recent_id(i)
  local top = 10 + creates[i]
  return math.random(math.max(1, top - 19), top)
end

local function headers_for(guid, with_body)
  local h = { ["X-CHALLENGER"] = guid }
  if with_body then h["Content-Type"] = JSON["Content-Type"] end
  return h
end

function request()
  local i = math.random(#guids)
  local guid = guids[i]
  local roll = math.random(100)
  if roll <= 30 then
    return wrk.format("GET", "/api/todos", headers_for(guid))
  elseif roll <= 45 then
    return wrk.format("GET", "/api/todos/" .. recent_id(i), headers_for(guid))
  elseif roll <= 55 then
    return wrk.format("GET", "/api/challenges", headers_for(guid))
  elseif roll <= 70 then
    creates[i] = creates[i] + 1
    return wrk.format("POST", "/api/todos", headers_for(guid, true),
      '{"title":"bench todo","doneStatus":false,"description":"made by wrk"}')
  elseif roll <= 80 then
    return wrk.format("PUT", "/api/todos/" .. recent_id(i), headers_for(guid, true),
      '{"title":"bench put","doneStatus":true,"description":"replaced"}')
  elseif roll <= 85 then
    return wrk.format("POST", "/api/todos/" .. recent_id(i), headers_for(guid, true),
      '{"doneStatus":true}')
  else
    return wrk.format("DELETE", "/api/todos/" .. recent_id(i), headers_for(guid))
  end
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local mix = {}
  for _, thread in ipairs(threads) do
    local counts = thread:get("statuses")
    for status, n in pairs(counts or {}) do mix[status] = (mix[status] or 0) + n end
  end
  local codes, five_xx = {}, 0
  for status, _ in pairs(mix) do table.insert(codes, status) end
  table.sort(codes)
  local parts = {}
  for _, status in ipairs(codes) do
    table.insert(parts, string.format("s%d=%d", status, mix[status]))
    if status >= 500 then five_xx = five_xx + mix[status] end
  end
  local errors = summary.errors
  io.write(string.format(
    "STATS rps=%.0f requests=%d p50_us=%d p99_us=%d p999_us=%d max_us=%d socket_errors=%d five_xx=%d\n",
    summary.requests / (summary.duration / 1e6), summary.requests,
    latency:percentile(50), latency:percentile(99), latency:percentile(99.9), latency.max,
    errors.connect + errors.read + errors.write + errors.timeout, five_xx))
  io.write("MIX " .. table.concat(parts, " ") .. "\n")
end
