-- wrk client of bench.performance_entries (run by bench/_load.py's run_wrk_script).
--
-- wrk runs one thread per connection (-t N -c N), so a thread is one client: it sends one request,
-- waits for the answer, sends the next. Its employees (a comma-separated group of tokens: one per
-- client under load, several for the client alone) take turns; each posts its own distinct 5-minute
-- slots (06:30-18:00) of the open days in order, the same slots as the Python client's `slots()`,
-- so every post is a valid new entry. Mode "baseline" GETs /bench/json with the same headers.
--
-- At its first request after the deadline a client is done: it prints WRKSTOP (the caller ends wrk
-- once every client has) and from then on only GETs /bench/json, which changes nothing and is not
-- counted. It must not simply stop: gunicorn's sync workers close every connection, wrk opens the
-- next one at once, and an idle open connection holds a worker until the client goes away. So no
-- post is left in flight and the entries in the database are exactly those answered 201.
--
-- The script times the counted requests itself (request() is called just before wrk writes, and
-- response() when the answer is complete), so the uncounted tail is in no figure. done() prints
-- one WRKJSON line: per client the latencies, the first send and last answer, the 201s per
-- employee, the other answers (a few bodies), and whether it ran out of slots.
--
-- Arguments: mode, duration (s), path, activity id, open days (comma-separated), then one token
-- group per thread.

local ffi = require("ffi")
ffi.cdef([[
typedef struct { long tv_sec; long tv_nsec; } praja_timespec;
int clock_gettime(int clock_id, praja_timespec *tp);
]])
local CLOCK_MONOTONIC = 1
local timespec = ffi.new("praja_timespec")

local function now()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, timespec)
  return tonumber(timespec.tv_sec) + tonumber(timespec.tv_nsec) / 1e9
end

local function split(text)
  local items = {}
  for item in string.gmatch(text, "[^,]+") do
    items[#items + 1] = item
  end
  return items
end

local FIRST_SLOT, LAST_SLOT_END, SLOT_MINUTES = 6 * 60 + 30, 18 * 60, 5
local SLOTS_PER_DAY = math.floor((LAST_SLOT_END - FIRST_SLOT) / SLOT_MINUTES)
local KEPT_SAMPLES = 5

-- Main state: number the threads (wrk calls setup just before each thread's init).
local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
  thread:set("id", #threads)
end

-- Thread state. The globals are what done() reads back with thread:get().
local mode, path, activity, days, tokens, deadline
local turn, used, in_flight, sent_at, finished = 0, {}, nil, 0, false
latencies, created, answered_other, samples, ran_out = {}, {}, 0, {}, false
first_sent, last_answer = nil, nil

function init(args)
  mode, path, activity = args[1], args[3], args[4]
  days = split(args[5])
  tokens = split(args[5 + id])
  deadline = now() + tonumber(args[2])
  for index = 1, #tokens do
    used[index], created[index] = 0, 0
  end
end

local function hhmm(minutes)
  return string.format("%02d:%02d", math.floor(minutes / 60), minutes % 60)
end

-- The next employee in turn with a slot left, or nil when every one has used all of theirs.
local function next_employee()
  for _ = 1, #tokens do
    turn = turn % #tokens + 1
    if used[turn] < #days * SLOTS_PER_DAY then
      return turn
    end
  end
  return nil
end

-- wrk calls request() once more before the threads start (to check the request parses): that post
-- is never sent, so its employee skips one slot.
function request()
  local employee = nil
  if not finished and now() < deadline then
    employee = mode == "baseline" and 1 or next_employee()
    ran_out = employee == nil
  end
  if employee == nil then
    if not finished then
      finished = true
      io.write("WRKSTOP\n")
      io.stdout:flush()
    end
    in_flight = nil
    return wrk.format("GET", "/bench/json")
  end
  in_flight, sent_at = employee, now()
  if mode == "baseline" then
    return wrk.format("GET", path, {
      ["Authorization"] = "Token " .. tokens[1],
      ["Accept"] = "application/json",
    })
  end
  local slot = used[employee]
  used[employee] = slot + 1
  local day = days[math.floor(slot / SLOTS_PER_DAY) + 1]
  local start = FIRST_SLOT + (slot % SLOTS_PER_DAY) * SLOT_MINUTES
  return wrk.format("POST", path, {
    ["Authorization"] = "Token " .. tokens[employee],
    ["Content-Type"] = "application/json",
    ["Accept"] = "application/json",
  }, string.format(
    '{"date": "%s", "start_time": "%s", "end_time": "%s", "activity": %s, "volume": 1, '
      .. '"output": "1 berkas diverifikasi"}',
    day, hhmm(start), hhmm(start + SLOT_MINUTES), activity
  ))
end

function response(status, headers, body)
  if in_flight == nil then
    return
  end
  local answered = now()
  latencies[#latencies + 1] = answered - sent_at
  first_sent = first_sent or sent_at
  last_answer = answered
  if mode ~= "baseline" and status == 201 then
    created[in_flight] = created[in_flight] + 1
  elseif not (mode == "baseline" and status == 200) then
    answered_other = answered_other + 1
    if #samples < KEPT_SAMPLES then
      samples[#samples + 1] = status .. ": " .. string.sub(body or "", 1, 200)
    end
  end
  in_flight = nil
end

local function json_string(text)
  local escaped = string.gsub(text, '[%c"\\]', function(char)
    return string.format("\\u%04x", string.byte(char))
  end)
  return '"' .. escaped .. '"'
end

local function json_numbers(values, format)
  local texts = {}
  for index = 1, #values do
    texts[index] = string.format(format, values[index])
  end
  return "[" .. table.concat(texts, ", ") .. "]"
end

function done(summary, latency, requests)
  local parts = {}
  for index, thread in ipairs(threads) do
    local texts = {}
    for _, sample in ipairs(thread:get("samples") or {}) do
      texts[#texts + 1] = json_string(sample)
    end
    parts[index] = string.format(
      '{"latencies_s": %s, "first_sent": %.6f, "last_answer": %.6f, "created": %s, '
        .. '"other_answers": %d, "samples": [%s], "ran_out": %s}',
      json_numbers(thread:get("latencies") or {}, "%.6f"),
      thread:get("first_sent") or 0, thread:get("last_answer") or 0,
      json_numbers(thread:get("created") or {}, "%d"),
      thread:get("answered_other") or 0, table.concat(texts, ", "),
      tostring(thread:get("ran_out") == true)
    )
  end
  local errors = summary.errors
  io.write(string.format(
    'WRKJSON {"connect_errors": %d, "read_errors": %d, "write_errors": %d, "timeouts": %d, '
      .. '"threads": [%s]}\n',
    errors.connect, errors.read, errors.write, errors.timeout, table.concat(parts, ", ")
  ))
end
