-- One admission round, atomically; every server's ticker runs it, and its sums (the only copy of
-- them) run on the store's clock and bookkeeping, so two tickers never double the rate: each round
-- admits only what fell due since the last round of any server.
-- tests/adapters/queue_store_test.cpp (AdmitLua) holds these sums to a table of cases.
-- KEYS: 1 lane, 2 admissions, 3 bookkeeping, 4 slot counters
-- ARGV: 1 opensAt ms, 2 admitPerSecond (the campaign's; the bookkeeping's `admitPerSecond`, an
--       operator's, wins), 3 admission length ms, 4 overAdmitFactor, 5 max catch-up ms
-- While the bookkeeping's `paused` is "1" nobody is admitted (lapsed admissions still expire), and
-- the clock of the rounds runs on with nothing carried, so resuming admits at the rate from then on,
-- never the paused time's backlog.
-- Returns admittedNow, expiredNow and the figures, as a flat name/value list.
local now = nowMs()
local opensAt = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local maxCatchUp = tonumber(ARGV[5])

-- Lapsed admissions first: their share of the cap goes to the next in line.
local expired = redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
if expired > 0 then redis.call('HINCRBY', KEYS[3], 'expiredTotal', expired) end
-- The exact total, summed once a round and stored for join.lua and place.lua (queue_common.lua).
local remaining = remainingSlots(KEYS[4])
redis.call('HSET', KEYS[3], 'remaining', remaining)

local admittedNow = 0
if now >= opensAt then
  local state = redis.call('HMGET', KEYS[3], 'admittedUpTo', 'lastAdmitMs', 'carry', 'paused', 'admitPerSecond')
  local upTo = tonumber(state[1]) or 0
  local last = math.max(tonumber(state[2]) or opensAt, opensAt)
  local carry = tonumber(state[3]) or 0
  rate = tonumber(state[5]) or rate
  if state[4] == '1' then
    last = now
    carry = 0
  end
  -- What fell due: the time since the last round (capped), at the rate, plus the carried fraction.
  local elapsed = math.min(math.max(now - last, 0), maxCatchUp)
  local exact = elapsed * rate / 1000 + carry
  local due = math.floor(exact)
  carry = exact - due
  -- The cap: a round admits only while outstanding < floor(remaining x factor), and never past it.
  -- Bookings between rounds lower outstanding and remaining alike; the next round judges again.
  local cap = 0
  if remaining > 0 then cap = math.floor(remaining * tonumber(ARGV[4])) end
  local outstanding = redis.call('ZCARD', KEYS[2])
  local waiting = redis.call('ZCARD', KEYS[1]) - upTo
  admittedNow = math.max(0, math.min(due, cap - outstanding, waiting))
  if admittedNow > 0 then
    local expiresAt = now + tonumber(ARGV[3])
    for _, member in ipairs(redis.call('ZRANGE', KEYS[1], upTo, upTo + admittedNow - 1)) do
      redis.call('ZADD', KEYS[2], expiresAt, member)
    end
    upTo = upTo + admittedNow
    redis.call('HINCRBY', KEYS[3], 'admittedTotal', admittedNow)
    -- The cap this round admitted under: outstanding stays at or below it until the next admitting
    -- round (bookings and expiries only lower it), which is what docs/waiting-room.md promises.
    redis.call('HSET', KEYS[3], 'lastAdmissionCap', cap)
  end
  -- What was not admitted for want of room or people is not saved up: only the fraction carries.
  redis.call('HSET', KEYS[3], 'admittedUpTo', upTo, 'lastAdmitMs', now, 'carry', tostring(carry))
end
local reply = figures(KEYS[1], KEYS[2], KEYS[3], KEYS[4], now)
reply[#reply + 1] = 'admittedNow'
reply[#reply + 1] = admittedNow
reply[#reply + 1] = 'expiredNow'
reply[#reply + 1] = expired
return reply
