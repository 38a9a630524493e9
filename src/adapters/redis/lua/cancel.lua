-- Cancels one booking atomically: the slot goes to the first person waiting for it (who gets a
-- booking of their own and a booking.created event) or back to the counter.
-- KEYS: 1 slot counters (hash), 2 this person's booking (hash), 3 reference sequence, 4 outbox stream,
--       5 campaign marker (hash)
-- ARGV: 1 phoneNumber (normalised), 2 cancelledAt, 3 key prefix, 4... other forms of the same number
--       that bookings made before phone numbers were E.164 may hold (0123456789 for +60123456789)
-- Returns a flat name/value list, read by name: outcome NOT_FOUND or NOT_SEEDED; or CANCELLED with
-- promoted (the id given the slot, or '') and the cancelled booking's fields.
--
-- Keys not in KEYS, because they are data read here: the cancelled slot's queue, and the place and
-- booking of the person first in it. A place stores its queue and booking keys (see book.lua), so
-- only the queue of a booking and the places of people who joined before places kept their keys
-- are built from the prefix (keyFor). Safe because every jkjav key lives on one Redis (no cluster,
-- no sharding by key) and the script still runs as one atomic step there.
local function keyFor(kind, id)
  return ARGV[3] .. kind .. ':' .. id
end

local function isThisPhone(stored)
  if stored == ARGV[1] then return true end
  for i = 4, #ARGV do
    if stored == ARGV[i] then return true end
  end
  return false
end

-- A hash's fields by name, and as the flat list the record's own fields (not the store's
-- bookkeeping, nor those in `drop`) for HSET, XADD and the answer.
local bookkeeping = {slot = true, queue = true, bookingKey = true}
local function readRecord(key, drop)
  local flat = redis.call('HGETALL', key)
  local byName, pairsOut = {}, {}
  for i = 1, #flat, 2 do
    local name, value = flat[i], flat[i + 1]
    byName[name] = value
    if not bookkeeping[name] and not drop[name] then
      pairsOut[#pairsOut + 1] = name
      pairsOut[#pairsOut + 1] = value
    end
  end
  return byName, pairsOut
end

local booking, cancelled = readRecord(KEYS[2], {phoneNumber = true})
if not booking.slot or not isThisPhone(booking.phoneNumber) then
  return {'outcome', 'NOT_FOUND'}  -- a wrong phone number looks exactly like no booking
end
local epoch = redis.call('HGET', KEYS[5], 'epoch')
if not epoch then
  return {'outcome', 'NOT_SEEDED'}  -- no marker, no counters to give the slot back to
end
local slot = booking.slot
-- The event and the answer carry the number in today's form.
cancelled[#cancelled + 1] = 'phoneNumber'
cancelled[#cancelled + 1] = ARGV[1]
redis.call('DEL', KEYS[2])
redis.call('XADD', KEYS[4], '*', 'type', 'booking.cancelled', 'occurredAt', ARGV[2], unpack(cancelled))

local promoted = ''
local queue = keyFor('waitlist', slot)
while true do
  local person = redis.call('LPOP', queue)
  if not person then
    redis.call('HINCRBY', KEYS[1], slot, 1)
    break
  end
  local placeKey = keyFor('waiting', person)
  local place, fields = readRecord(placeKey, {mysejahteraId = true, createdAt = true})
  redis.call('DEL', placeKey)
  local bookingKey = place.bookingKey or keyFor('booking', person)
  if place.firstName and redis.call('EXISTS', bookingKey) == 0 then
    local reference = 'JK' .. epoch .. string.format('%07d', redis.call('INCR', KEYS[3]))
    redis.call('HSET', bookingKey, 'slot', slot, 'mysejahteraId', person, 'reference', reference,
               'createdAt', ARGV[2], unpack(fields))
    redis.call('XADD', KEYS[4], '*', 'type', 'booking.created', 'occurredAt', ARGV[2], 'mysejahteraId', person,
               'reference', reference, 'createdAt', ARGV[2], unpack(fields))
    promoted = person
    break
  end
end

local reply = {'outcome', 'CANCELLED', 'promoted', promoted}
for i = 1, #cancelled do
  reply[#reply + 1] = cancelled[i]
end
return reply
