-- One more wrong phone number for an id. KEYS[1] the id's failure count; ARGV: window (ms),
-- the count that locks, lock duration (ms). The first failure opens the window; the one that
-- reaches the limit makes the count live for the lock's duration from then on.
local failures = redis.call('INCR', KEYS[1])
if failures == 1 then
    redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
if failures == tonumber(ARGV[2]) then
    redis.call('PEXPIRE', KEYS[1], ARGV[3])
end
return failures
