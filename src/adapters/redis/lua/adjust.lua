-- Changes one slot's capacity by a signed amount, atomically (`jkjav-admin adjust`). Never below
-- what is booked: the remaining seats may not go under 0. Seats added go first to the people in the
-- slot's waitlist, exactly as a cancelled seat does (promote.lua), then to the counter.
-- KEYS: 1 slot counters (hash), 2 capacities (hash), 3 reference sequence, 4 outbox stream,
--       5 campaign marker (hash)
-- ARGV: 1 slot key, 2 by (a non-zero integer), 3 adjustedAt (the promotions' time), 4 key prefix
-- Returns a flat name/value list, read by name: outcome UNKNOWN_SLOT or NOT_SEEDED; BELOW_BOOKED
-- (nothing changed) or ADJUSTED, each with capacityBefore, remainingBefore, capacity, remaining
-- (capacities '' for a counter seeded before capacities were kept) and promoted (the ids given a
-- seat, first come first).
--
-- Runs after promote.lua (its functions: keyFor, readRecord, promoteFirstWaiting).
local slot = ARGV[1]
local by = tonumber(ARGV[2])

local epoch = redis.call('HGET', KEYS[5], 'epoch')
if not epoch then
  return {'outcome', 'NOT_SEEDED'}
end
local remainingBefore = redis.call('HGET', KEYS[1], slot)
if not remainingBefore then
  return {'outcome', 'UNKNOWN_SLOT'}
end
remainingBefore = tonumber(remainingBefore)
local capacityBefore = redis.call('HGET', KEYS[2], slot)

local function answer(outcome, remaining, capacity, promoted)
  return {'outcome', outcome, 'capacityBefore', capacityBefore or '', 'remainingBefore', remainingBefore,
          'capacity', capacity or '', 'remaining', remaining, 'promoted', promoted}
end

if remainingBefore + by < 0 then
  return answer('BELOW_BOOKED', remainingBefore, capacityBefore, {})
end

local promoted = {}
for _ = 1, math.max(by, 0) do
  local person = promoteFirstWaiting(ARGV[4], slot, epoch, ARGV[3], KEYS[3], KEYS[4])
  if not person then
    break
  end
  promoted[#promoted + 1] = person
end
local remaining = redis.call('HINCRBY', KEYS[1], slot, by - #promoted)
local capacity = nil
if capacityBefore then
  capacity = redis.call('HINCRBY', KEYS[2], slot, by)
end
return answer('ADJUSTED', remaining, capacity, promoted)
