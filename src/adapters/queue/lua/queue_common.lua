-- Shared by the waiting room's scripts (put before each of them at build time).
-- The store's clock in ms: the one clock every server sharing this Redis agrees on.
local function nowMs()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- Slots left in the whole campaign (jkjav:slots holds one counter per location-date), summed over
-- every counter: thousands of them in a big campaign, so only admit.lua (a few rounds a second)
-- sums them, and stores the total for join and place.
local function remainingSlots(slots)
  local total = 0
  for _, value in ipairs(redis.call('HVALS', slots)) do
    local n = tonumber(value)
    if n and n > 0 then total = total + n end
  end
  return total
end

-- The queue as a whole, as a flat name/value list (read by name in C++).
-- `remaining` is the total the last admission round stored: at most one tick stale (the ticker's
-- interval, 250 ms by default), so a sell-out still reaches joins and the snapshot within 2 s.
-- Summed here only before any round stored it.
-- paused: 1 while an operator paused admission; operatorRate: their admitPerSecond as text ('' none).
local function figures(lane, admitted, state, slots, now)
  local s = redis.call('HMGET', state, 'admittedUpTo', 'admittedTotal', 'expiredTotal', 'remaining', 'paused',
                       'admitPerSecond')
  local remaining = tonumber(s[4])
  if not remaining then remaining = remainingSlots(slots) end
  return {'now', now, 'admittedUpTo', tonumber(s[1]) or 0, 'length', redis.call('ZCARD', lane),
          'preQueued', redis.call('ZCOUNT', lane, 0, '(1'), 'outstanding', redis.call('ZCARD', admitted),
          'remaining', remaining, 'admittedTotal', tonumber(s[2]) or 0,
          'expiredTotal', tonumber(s[3]) or 0, 'paused', s[5] == '1' and 1 or 0,
          'operatorRate', s[6] or ''}
end

-- One member's place: rank (-1 before opensAt or when not in line) and admission expiry (-1: none).
local function placeOf(lane, admitted, member, now, opensAt, reply)
  local rank = -1
  if now >= opensAt then rank = redis.call('ZRANK', lane, member) or -1 end
  local expiresAt = redis.call('ZSCORE', admitted, member)
  reply[#reply + 1] = 'rank'
  reply[#reply + 1] = rank
  reply[#reply + 1] = 'expiresAt'
  reply[#reply + 1] = expiresAt and tonumber(expiresAt) or -1
  return reply
end
