-- One member's place and the queue's figures, read in one atomic step.
-- KEYS: 1 lane, 2 admissions, 3 bookkeeping, 4 slot counters
-- ARGV: 1 member, 2 opensAt ms
local now = nowMs()
local reply = figures(KEYS[1], KEYS[2], KEYS[3], KEYS[4], now)
return placeOf(KEYS[1], KEYS[2], ARGV[1], now, tonumber(ARGV[2]), reply)
