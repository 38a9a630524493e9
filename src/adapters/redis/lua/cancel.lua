-- Cancels one booking atomically: the slot goes to the first person waiting for it (who gets a
-- booking of their own and a booking.created event) or back to the counter.
-- KEYS: 1 slot counters (hash), 2 this person's booking (hash), 3 reference sequence, 4 outbox stream,
--       5 campaign marker (hash)
-- ARGV: 1 phoneNumber (normalised), 2 cancelledAt, 3 key prefix, 4... other forms of the same number
--       that bookings made before phone numbers were E.164 may hold (0123456789 for +60123456789)
-- The waitlist keys depend on the slot, read here: like every jkjav key they live on one Redis.
-- Returns {'NOT_FOUND'} or {'CANCELLED', <the booking's fields as book.lua returns them>, promotedId}.
local fields = {'mysejahteraId', 'firstName', 'lastName', 'address', 'location', 'phoneNumber', 'date',
                'reference', 'createdAt'}

local function isThisPhone(stored)
  if stored == ARGV[1] then return true end
  for i = 4, #ARGV do
    if stored == ARGV[i] then return true end
  end
  return false
end

local slot = redis.call('HGET', KEYS[2], 'slot')
if not slot or not isThisPhone(redis.call('HGET', KEYS[2], 'phoneNumber')) then
  return {'NOT_FOUND'}  -- a wrong phone number looks exactly like no booking
end
local epoch = redis.call('HGET', KEYS[5], 'epoch')
if not epoch then
  return {'NOT_SEEDED'}  -- no marker, no counters to give the slot back to
end
local cancelled = redis.call('HMGET', KEYS[2], unpack(fields))
cancelled[6] = ARGV[1]  -- the event and the answer carry the number in today's form
redis.call('DEL', KEYS[2])
redis.call('XADD', KEYS[4], '*', 'type', 'booking.cancelled', 'occurredAt', ARGV[2],
           'mysejahteraId', cancelled[1], 'firstName', cancelled[2], 'lastName', cancelled[3],
           'address', cancelled[4], 'location', cancelled[5], 'phoneNumber', cancelled[6],
           'date', cancelled[7], 'reference', cancelled[8])

local promoted = ''
local queue = ARGV[3] .. 'waitlist:' .. slot
while true do
  local person = redis.call('LPOP', queue)
  if not person then
    redis.call('HINCRBY', KEYS[1], slot, 1)
    break
  end
  local placeKey = ARGV[3] .. 'waiting:' .. person
  local w = redis.call('HMGET', placeKey, 'firstName', 'lastName', 'address', 'location', 'phoneNumber', 'date')
  redis.call('DEL', placeKey)
  local bookingKey = ARGV[3] .. 'booking:' .. person
  if w[1] and redis.call('EXISTS', bookingKey) == 0 then
    local reference = 'JK' .. epoch .. string.format('%07d', redis.call('INCR', KEYS[3]))
    redis.call('HSET', bookingKey, 'slot', slot, 'mysejahteraId', person, 'firstName', w[1], 'lastName', w[2],
               'address', w[3], 'location', w[4], 'phoneNumber', w[5], 'date', w[6],
               'reference', reference, 'createdAt', ARGV[2])
    redis.call('XADD', KEYS[4], '*', 'type', 'booking.created', 'occurredAt', ARGV[2], 'mysejahteraId', person,
               'firstName', w[1], 'lastName', w[2], 'address', w[3], 'location', w[4],
               'phoneNumber', w[5], 'date', w[6], 'reference', reference)
    promoted = person
    break
  end
end

table.insert(cancelled, 1, 'CANCELLED')
table.insert(cancelled, promoted)
return cancelled
