-- One booking, atomically (DESIGN.md, "The booking, atomically").
-- KEYS: 1 slot counters (hash), 2 this person's booking (hash), 3 reference sequence, 4 outbox stream
-- ARGV: 1 slot key, 2 mysejahteraId, 3 firstName, 4 lastName, 5 address, 6 location, 7 phoneNumber,
--       8 date, 9 createdAt
-- Returns {outcome, mysejahteraId, firstName, lastName, address, location, phoneNumber, date,
--          reference, createdAt}; outcome is BOOKED, HELD, ALREADY_BOOKED, FULL or UNKNOWN_SLOT.
local fields = {'mysejahteraId', 'firstName', 'lastName', 'address', 'location', 'phoneNumber', 'date',
                'reference', 'createdAt'}

local remaining = redis.call('HGET', KEYS[1], ARGV[1])
if not remaining then
  return {'UNKNOWN_SLOT'}
end

local held = redis.call('HGET', KEYS[2], 'slot')
if held then
  if held ~= ARGV[1] then
    return {'ALREADY_BOOKED'}
  end
  -- A repeat of the same request: answer with what is stored, change nothing.
  local stored = redis.call('HMGET', KEYS[2], unpack(fields))
  table.insert(stored, 1, 'HELD')
  return stored
end

if tonumber(remaining) <= 0 then
  return {'FULL'}
end

redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
local reference = string.format('JK%010d', redis.call('INCR', KEYS[3]))
redis.call('HSET', KEYS[2], 'slot', ARGV[1], 'mysejahteraId', ARGV[2], 'firstName', ARGV[3],
           'lastName', ARGV[4], 'address', ARGV[5], 'location', ARGV[6], 'phoneNumber', ARGV[7],
           'date', ARGV[8], 'reference', reference, 'createdAt', ARGV[9])
-- The transactional outbox: the event exists exactly when the booking does. Its stream id
-- becomes the event id (unique even if Redis were ever wiped and references restarted).
redis.call('XADD', KEYS[4], '*', 'type', 'booking.created',
           'occurredAt', ARGV[9], 'mysejahteraId', ARGV[2], 'firstName', ARGV[3], 'lastName', ARGV[4],
           'address', ARGV[5], 'location', ARGV[6], 'phoneNumber', ARGV[7], 'date', ARGV[8],
           'reference', reference)
return {'BOOKED', ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8], reference, ARGV[9]}
