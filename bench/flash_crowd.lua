-- Flash crowd for jkjav: every request is POST /booking for a DIFFERENT person.
--
--   wrk -t2 -c64 -d10s --latency -s bench/flash_crowd.lua http://127.0.0.1:3000
--
-- Ids are valid MyKad numbers: YYMMDD (a real date) + a 6-digit serial. Each wrk thread gets its own
-- YYMMDD "block" (thread 0: 900101, thread 1: 900102, ...), so two threads never produce the same id;
-- within a thread the serial counts up. A thread that uses up its 1,000,000 serials moves on to a block
-- no other thread uses (block = thread index + 64 * round; up to 64 wrk threads).
--
-- Dates cycle through the campaign's dates (FLASH_FROM .. FLASH_DAYS, defaults match
-- bench/campaign.json: 20210516 for 30 days) and the location is FLASH_LOCATION (default PWTC).
--
-- Every thread counts statuses in response(); done() adds the per-thread counters up (thread:get)
-- and prints a human summary plus one machine-readable line starting with "FLASH_RESULT".

local location = os.getenv("FLASH_LOCATION") or "PWTC"
local firstDate = os.getenv("FLASH_FROM") or "20210516"
local days = tonumber(os.getenv("FLASH_DAYS") or "30")

-- ---------------------------------------------------------------- main Lua state: thread set-up
local threads = {}
local threadCount = 0

function setup(thread)
  thread:set("tindex", threadCount)
  threadCount = threadCount + 1
  table.insert(threads, thread)
end

-- ---------------------------------------------------------------- per-thread Lua state
local function isLeap(y) return (y % 4 == 0 and y % 100 ~= 0) or y % 400 == 0 end
local monthDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}
local function daysIn(y, m) if m == 2 and isLeap(y) then return 29 end return monthDays[m] end

-- The campaign's dates as YYYYMMDD strings.
local dates = {}
do
  local y = tonumber(firstDate:sub(1, 4))
  local m = tonumber(firstDate:sub(5, 6))
  local d = tonumber(firstDate:sub(7, 8))
  for _ = 1, days do
    table.insert(dates, string.format("%04d%02d%02d", y, m, d))
    d = d + 1
    if d > daysIn(y, m) then d = 1; m = m + 1; if m > 12 then m = 1; y = y + 1 end end
  end
end

-- Block n -> a real YYMMDD: day 1..28 of each month (always valid), years 90, 89, 88, ...
local function yymmdd(block)
  local day = block % 28 + 1
  local month = math.floor(block / 28) % 12 + 1
  local year = 90 - math.floor(block / 336)
  return string.format("%02d%02d%02d", year % 100, month, day)
end

-- Counters, globals of this thread's state so that done() can read them with thread:get().
sent = 0          -- bookings handed to wrk to send (each a distinct person)
ok200 = 0         -- booked
full409 = 0       -- 409 FULL
already409 = 0    -- 409 ALREADY_BOOKED (should never happen: every person is new)
other409 = 0
s4xx = 0          -- other 4xx (400 INVALID_REQUEST, 415, ...)
s5xx = 0          -- 503 STORE_UNAVAILABLE etc.
sother = 0        -- anything else

local stride = 64  -- >= the number of wrk threads, so blocks of different threads never meet

function init(args)
  -- tindex was set by setup() (main state) before init() runs in this thread's state.
  tindex = tonumber(tindex) or 0
end

-- A request is three fixed pieces with the serial and the date between them. The pieces are built
-- once per block of 1,000,000 serials (the body's length never changes: a 12-digit id, an 8-digit
-- date), so each request costs one format and a concatenation. Formatting the whole body and
-- calling wrk.format for every request cost the load generator about 1.3 us more a request, on the same
-- two cores as the server and Redis (the bytes sent are identical).
local head, middle, round

local function buildPieces(block)
  local before = '{"mysejahteraId":"' .. block
  middle = '","firstName":"Flash","lastName":"Crowd' .. tindex .. '","address":"Kuala Lumpur",' ..
    '"location":"' .. location .. '","phoneNumber":"0123456789","date":"'
  local sample = before .. "000000" .. middle .. dates[1] .. '"}'
  local whole = wrk.format("POST", "/booking", {["Content-Type"] = "application/json"}, sample)
  head = whole:sub(1, #whole - #sample) .. before
end

function request()
  local serial = sent % 1000000
  local thisRound = (sent - serial) / 1000000
  if thisRound ~= round then
    round = thisRound
    buildPieces(yymmdd(tindex + stride * round))
  end
  local date = dates[sent % #dates + 1]
  sent = sent + 1
  return head .. string.format("%06d", serial) .. middle .. date .. '"}'
end

function response(status, headers, body)
  if status == 200 then
    ok200 = ok200 + 1
  elseif status == 409 then
    if body:find('"FULL"', 1, true) then
      full409 = full409 + 1
    elseif body:find('"ALREADY_BOOKED"', 1, true) then
      already409 = already409 + 1
    else
      other409 = other409 + 1
    end
  elseif status >= 400 and status < 500 then
    s4xx = s4xx + 1
  elseif status >= 500 then
    s5xx = s5xx + 1
  else
    sother = sother + 1
  end
end

-- ---------------------------------------------------------------- main Lua state: the report
function done(summary, latency, requests)
  local keys = {"sent", "ok200", "full409", "already409", "other409", "s4xx", "s5xx", "sother"}
  local total = {}
  for _, k in ipairs(keys) do total[k] = 0 end
  for _, thread in ipairs(threads) do
    for _, k in ipairs(keys) do total[k] = total[k] + (tonumber(thread:get(k)) or 0) end
  end
  local seconds = summary.duration / 1e6
  local rps = summary.requests / seconds
  local p50 = latency:percentile(50) / 1000
  local p99 = latency:percentile(99) / 1000
  local maxMs = latency.max / 1000
  local e = summary.errors
  local answered = total.ok200 + total.full409 + total.already409 + total.other409 + total.s4xx + total.s5xx + total.sother
  local inflight = total.sent - answered

  io.write("---- flash crowd (POST /booking, one distinct person per request) ----\n")
  io.write(string.format("requests answered %d in %.2f s = %.1f req/s\n", summary.requests, seconds, rps))
  io.write(string.format("latency p50 %.2f ms  p99 %.2f ms  max %.2f ms\n", p50, p99, maxMs))
  io.write(string.format("200 booked %d | 409 FULL %d | 409 ALREADY_BOOKED %d | 409 other %d | other 4xx %d | 5xx %d | other %d\n",
    total.ok200, total.full409, total.already409, total.other409, total.s4xx, total.s5xx, total.sother))
  io.write(string.format("requests generated %d, unanswered when wrk stopped %d\n", total.sent, inflight))
  io.write(string.format("socket errors: connect %d, read %d, write %d, timeout %d\n",
    e.connect, e.read, e.write, e.timeout))
  io.write(string.format(
    "FLASH_RESULT rps=%.1f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f requests=%d sent=%d inflight=%d " ..
    "s200=%d s409full=%d s409already=%d s409other=%d s4xx=%d s5xx=%d sother=%d " ..
    "err_connect=%d err_read=%d err_write=%d err_timeout=%d\n",
    rps, p50, p99, maxMs, summary.requests, total.sent, inflight,
    total.ok200, total.full409, total.already409, total.other409, total.s4xx, total.s5xx, total.sother,
    e.connect, e.read, e.write, e.timeout))
end
