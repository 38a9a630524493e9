-- A place in the waiting room, atomically: one per person (joining again answers the same place).
-- KEYS: 1 lane (sorted set), 2 admissions (sorted set), 3 bookkeeping (hash), 4 slot counters (hash),
--       5 the person's booking (hash), 6 campaign marker (hash)
-- ARGV: 1 member (the person's pseudonym), 2 draw key in [0, 1), 3 opensAt ms, 4 preQueueOpensAt ms
-- Returns outcome JOINED with the figures and the place, or ALREADY_BOOKED, TOO_EARLY (with now),
-- NOT_SEEDED.
--
-- Before opensAt a member's score is their draw key, so at opensAt the pre-queue is ordered by keys
-- drawn uniformly at random: a uniformly random permutation. After it the score is 1 + an arrival
-- number, so later arrivals rank behind the whole draw, in arrival order. Places are never removed,
-- so a rank, once drawn, never changes: tickets can carry it.
local now = nowMs()
if not redis.call('HGET', KEYS[6], 'epoch') then
  return {'outcome', 'NOT_SEEDED'}
end
if redis.call('EXISTS', KEYS[5]) == 1 then
  return {'outcome', 'ALREADY_BOOKED'}
end
local member = ARGV[1]
local opensAt = tonumber(ARGV[3])
if not redis.call('ZSCORE', KEYS[1], member) then
  if now < tonumber(ARGV[4]) then
    return {'outcome', 'TOO_EARLY', 'now', now}
  end
  local score
  -- Once admission has begun, never draw again, even if Redis's clock stepped back across opensAt:
  -- a drawn place would rank before people already admitted.
  if now < opensAt and redis.call('HEXISTS', KEYS[3], 'lastAdmitMs') == 0 then
    score = ARGV[2]
  else
    score = 1 + redis.call('HINCRBY', KEYS[3], 'seq', 1)
  end
  -- Joining while closed still takes a place: slots that come back go to the line in order.
  redis.call('ZADD', KEYS[1], score, member)
end
local reply = figures(KEYS[1], KEYS[2], KEYS[3], KEYS[4], now)
table.insert(reply, 1, 'JOINED')
table.insert(reply, 1, 'outcome')
return placeOf(KEYS[1], KEYS[2], member, now, opensAt, reply)
