-- Giving a freed seat to the first person waiting for it: shared by cancel.lua (a cancelled
-- booking) and adjust.lua (capacity added), put before each when they are embedded
-- (src/adapters/CMakeLists.txt), so a promotion is the same whichever frees the seat.
--
-- Keys not in KEYS, because they are data read here: the slot's queue, and the place and booking
-- of the person first in it. A place stores its queue and booking keys (see book.lua), so only the
-- queue and the places of people who joined before places kept their keys are built from the
-- prefix. Safe because every jkjav key lives on one Redis (no cluster, no sharding by key) and the
-- script still runs as one atomic step there.

local function keyFor(prefix, kind, id)
  return prefix .. kind .. ':' .. id
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

-- Gives one seat of `slot` to the first person in its queue who can still take it (a place without
-- details, or of someone who holds a booking by now, is dropped): their booking and its
-- booking.created event, at `at`. Returns their id, or nil when nobody waits: the caller then
-- gives the seat to the counter. Leaves the counter alone either way.
local function promoteFirstWaiting(prefix, slot, epoch, at, sequenceKey, outboxKey)
  local queue = keyFor(prefix, 'waitlist', slot)
  while true do
    local person = redis.call('LPOP', queue)
    if not person then
      return nil
    end
    local placeKey = keyFor(prefix, 'waiting', person)
    local place, fields = readRecord(placeKey, {mysejahteraId = true, createdAt = true})
    redis.call('DEL', placeKey)
    local bookingKey = place.bookingKey or keyFor(prefix, 'booking', person)
    if place.firstName and redis.call('EXISTS', bookingKey) == 0 then
      local reference = 'JK' .. epoch .. string.format('%07d', redis.call('INCR', sequenceKey))
      redis.call('HSET', bookingKey, 'slot', slot, 'mysejahteraId', person, 'reference', reference,
                 'createdAt', at, unpack(fields))
      redis.call('XADD', outboxKey, '*', 'type', 'booking.created', 'occurredAt', at, 'mysejahteraId', person,
                 'reference', reference, 'createdAt', at, unpack(fields))
      return person
    end
  end
end

