-- One booking, atomically: the slot's counter, the person's booking, their waitlist place and the
-- outbox event change together or not at all.
-- KEYS: 1 slot counters (hash), 2 this person's booking (hash), 3 reference sequence,
--       4 outbox stream, 5 this person's waitlist place (hash), 6 this slot's waitlist (list),
--       7 campaign marker (hash), 8 the waiting room's admissions (sorted set: member -> expiry ms),
--       9 the waiting room's lane (sorted set)
-- ARGV: 1 slot key, 2 "1" to join the waitlist when full ("2": and a place in line is enough while
--       the campaign is sold out), 3 the person's id (their queue entry),
--       4 createdAt (the event's time), 5 the person's waiting-room member ('' when the campaign
--       has no waiting room), 6... the booking's fields as name/value pairs (every field
--       of domain::Booking but reference, which this script assigns), derived in C++ from the
--       record's description and stored as given: a new field needs no change here.
-- Returns a flat name/value list, read by name: outcome BOOKED with reference (the rest is what
-- was sent); HELD with the stored booking's fields; WAITLISTED with position; or ALREADY_BOOKED,
-- ALREADY_WAITLISTED, FULL, UNKNOWN_SLOT, NOT_SEEDED, QUEUE_REQUIRED.
--
-- The one key not in KEYS: a person waiting for another slot who books this one leaves that
-- slot's queue, and which queue that is is data, read from their place ('queue', stored from
-- KEYS[6] when they joined). Safe because every jkjav key lives on one Redis (no cluster, no
-- sharding by key), and the script still runs as one atomic step there.
--
-- Written as the function bookOne so that book_batch.lua runs these very steps for each booking
-- of a batch; book_single.lua, put after this file at build time, runs it once with the script's
-- own KEYS and ARGV. The parameters keep those names (they shadow Redis's globals) and the body
-- keeps the script's indentation, so the steps read, and change, as one script.
--
-- `batch` (book_batch.lua's; nil alone) saves a batch the calls whose answers its own earlier
-- bookings already know, without changing one: the campaign's epoch (no booking writes the marker)
-- and the reference sequence (see nextReferenceNumber).
-- The next number of the reference sequence, as INCR answers it. In a batch only its first booked
-- booking INCRs; the next ones count on from that answer, and book_batch.lua adds what they counted
-- (batch.counted) to the sequence at its end: the same numbers, in the same order, and the same
-- sequence afterwards as one INCR each, as no other step of a batch reads or writes it.
local function nextReferenceNumber(sequenceKey, batch)
  if not batch then
    return redis.call('INCR', sequenceKey)
  end
  if batch.reference then
    batch.reference = batch.reference + 1
    batch.counted = batch.counted + 1
  else
    batch.reference = redis.call('INCR', sequenceKey)
    batch.counted = 0
  end
  return batch.reference
end

local function bookOne(KEYS, ARGV, batch)
local slot = ARGV[1]
local person = ARGV[3]

-- Without the marker nobody books: a Redis that lost its data must not sell its seats again.
local epoch = batch and batch.epoch
if not epoch then
  epoch = redis.call('HGET', KEYS[7], 'epoch')
  if batch then batch.epoch = epoch end
end
if not epoch then
  return {'outcome', 'NOT_SEEDED'}
end

local remaining = redis.call('HGET', KEYS[1], slot)
if not remaining then
  return {'outcome', 'UNKNOWN_SLOT'}
end

local held = redis.call('HGET', KEYS[2], 'slot')
if held then
  if held ~= slot then
    return {'outcome', 'ALREADY_BOOKED'}
  end
  -- A repeat of the same request: answer with what is stored, change nothing.
  local reply = {'outcome', 'HELD'}
  for _, value in ipairs(redis.call('HGETALL', KEYS[2])) do
    reply[#reply + 1] = value
  end
  return reply
end

-- The waiting room's gate, after the answers that change nothing: only an admission not yet
-- expired (by the store's clock, the one all servers share) lets a booking through.
local member = ARGV[5]
if member ~= '' then
  local expiresAt = redis.call('ZSCORE', KEYS[8], member)
  local now = redis.call('TIME')
  if not expiresAt or tonumber(expiresAt) <= tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) then
    -- The waitlist offered to the line while the whole campaign is sold out (the queue closed
    -- SOLD_OUT): a place in line is enough for a waitlist place. A booking always needs an admission.
    local inLine = ARGV[2] == '2' and tonumber(remaining) <= 0 and redis.call('ZSCORE', KEYS[9], member)
    if not inLine then
      return {'outcome', 'QUEUE_REQUIRED'}
    end
    for _, left in ipairs(redis.call('HVALS', KEYS[1])) do
      if tonumber(left) > 0 then return {'outcome', 'QUEUE_REQUIRED'} end
    end
  end
end

local waitingFor = redis.call('HGET', KEYS[5], 'slot')
if tonumber(remaining) <= 0 then
  if ARGV[2] == '0' then
    return {'outcome', 'FULL'}
  end
  if waitingFor and waitingFor ~= slot then
    return {'outcome', 'ALREADY_WAITLISTED'}
  end
  if not waitingFor then
    redis.call('RPUSH', KEYS[6], person)
    -- The place keeps the keys it belongs to, so no script rebuilds them from a prefix.
    redis.call('HSET', KEYS[5], 'slot', slot, 'queue', KEYS[6], 'bookingKey', KEYS[2], unpack(ARGV, 6))
  end
  return {'outcome', 'WAITLISTED', 'position', redis.call('LPOS', KEYS[6], person) + 1}
end

-- '-1' as text: a Lua number would be formatted for Redis by printf (%.14g) on every booking.
redis.call('HINCRBY', KEYS[1], slot, '-1')
local reference = 'JK' .. epoch .. string.format('%07d', nextReferenceNumber(KEYS[3], batch))
redis.call('HSET', KEYS[2], 'slot', slot, 'reference', reference, unpack(ARGV, 6))
-- A booking uses the admission up: its share of the cap goes to the next in line.
if member ~= '' then
  redis.call('ZREM', KEYS[8], member)
end
-- Holding a booking, nobody keeps a place in a queue as well.
if waitingFor then
  local queue = redis.call('HGET', KEYS[5], 'queue')
  if not queue then
    -- A place taken before places kept their queue: the same prefix as this slot's queue.
    queue = string.sub(KEYS[6], 1, #KEYS[6] - #slot) .. waitingFor
  end
  redis.call('LREM', queue, 0, person)
  redis.call('DEL', KEYS[5])
end
-- The transactional outbox: the event exists exactly when the booking does. Its stream id
-- becomes the event id.
redis.call('XADD', KEYS[4], '*', 'type', 'booking.created', 'occurredAt', ARGV[4],
           'reference', reference, unpack(ARGV, 6))
return {'outcome', 'BOOKED', 'reference', reference}
end
