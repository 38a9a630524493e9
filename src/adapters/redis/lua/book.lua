-- One booking, atomically: the slot's counter, the person's booking, their waitlist place and the
-- outbox event change together or not at all.
-- KEYS: 1 slot counters (hash), 2 this person's booking (hash), 3 reference sequence,
--       4 outbox stream, 5 this person's waitlist place (hash), 6 this slot's waitlist (list),
--       7 campaign marker (hash)
-- ARGV: 1 slot key, 2 mysejahteraId, 3 firstName, 4 lastName, 5 address, 6 location, 7 phoneNumber,
--       8 date, 9 createdAt, 10 "1" to join the waitlist when full, 11 key prefix
-- Returns {outcome, mysejahteraId, firstName, lastName, address, location, phoneNumber, date,
--          reference, createdAt} for BOOKED and HELD; {WAITLISTED, position}; or {outcome} for
--          ALREADY_BOOKED, ALREADY_WAITLISTED, FULL, UNKNOWN_SLOT, NOT_SEEDED.
local fields = {'mysejahteraId', 'firstName', 'lastName', 'address', 'location', 'phoneNumber', 'date',
                'reference', 'createdAt'}

-- Without the marker nobody books: a Redis that lost its data must not sell its seats again.
local epoch = redis.call('HGET', KEYS[7], 'epoch')
if not epoch then
  return {'NOT_SEEDED'}
end

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

local waitingFor = redis.call('HGET', KEYS[5], 'slot')
if tonumber(remaining) <= 0 then
  if ARGV[10] ~= '1' then
    return {'FULL'}
  end
  if waitingFor and waitingFor ~= ARGV[1] then
    return {'ALREADY_WAITLISTED'}
  end
  if not waitingFor then
    redis.call('RPUSH', KEYS[6], ARGV[2])
    redis.call('HSET', KEYS[5], 'slot', ARGV[1], 'firstName', ARGV[3], 'lastName', ARGV[4],
               'address', ARGV[5], 'location', ARGV[6], 'phoneNumber', ARGV[7], 'date', ARGV[8])
  end
  return {'WAITLISTED', redis.call('LPOS', KEYS[6], ARGV[2]) + 1}
end

redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
local reference = 'JK' .. epoch .. string.format('%07d', redis.call('INCR', KEYS[3]))
redis.call('HSET', KEYS[2], 'slot', ARGV[1], 'mysejahteraId', ARGV[2], 'firstName', ARGV[3],
           'lastName', ARGV[4], 'address', ARGV[5], 'location', ARGV[6], 'phoneNumber', ARGV[7],
           'date', ARGV[8], 'reference', reference, 'createdAt', ARGV[9])
-- Holding a booking, nobody keeps a place in a queue as well.
if waitingFor then
  redis.call('LREM', ARGV[11] .. 'waitlist:' .. waitingFor, 0, ARGV[2])
  redis.call('DEL', KEYS[5])
end
-- The transactional outbox: the event exists exactly when the booking does. Its stream id
-- becomes the event id.
redis.call('XADD', KEYS[4], '*', 'type', 'booking.created', 'occurredAt', ARGV[9], 'mysejahteraId', ARGV[2],
           'firstName', ARGV[3], 'lastName', ARGV[4], 'address', ARGV[5], 'location', ARGV[6],
           'phoneNumber', ARGV[7], 'date', ARGV[8], 'reference', reference)
return {'BOOKED', ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8], reference, ARGV[9]}
