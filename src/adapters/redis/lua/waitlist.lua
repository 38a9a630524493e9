-- A waiting person's place, read or given up, atomically: the place, its queue and the position
-- in it agree, and leaving removes the place and the queue entry together.
-- KEYS: 1 this person's waitlist place (hash, see book.lua)
-- ARGV: 1 'find' or 'leave', 2 key prefix, 3 the person's id, 4... the phone number in today's
--       form, then older forms a place may hold (domain::storedPhoneForms)
-- Returns a flat name/value list, read by name: outcome NOT_FOUND; or FOUND (find) / LEFT (leave)
-- with location, date, position (1-based; for LEFT, the one just given up) and joinedAt.
--
-- The one key not in KEYS: the queue, which the place names ('queue'; built from the prefix for
-- places taken before places kept it). Safe because every jkjav key lives on one Redis (no
-- cluster, no sharding by key), and the script still runs as one atomic step there.
local person = ARGV[3]

local function isThisPhone(stored)
  for i = 4, #ARGV do
    if stored == ARGV[i] then return true end
  end
  return false
end

local place = {}
local flat = redis.call('HGETALL', KEYS[1])
for i = 1, #flat, 2 do
  place[flat[i]] = flat[i + 1]
end
-- A wrong phone number looks exactly like no place.
if not place.slot or not isThisPhone(place.phoneNumber) then
  return {'outcome', 'NOT_FOUND'}
end
local queue = place.queue or (ARGV[2] .. 'waitlist:' .. place.slot)
local index = redis.call('LPOS', queue, person)
if not index then
  -- A place whose queue entry is gone is no place: drop it, so the person may join again.
  redis.call('DEL', KEYS[1])
  return {'outcome', 'NOT_FOUND'}
end
local outcome = 'FOUND'
if ARGV[1] == 'leave' then
  redis.call('LREM', queue, 0, person)
  redis.call('DEL', KEYS[1])
  outcome = 'LEFT'
end
return {'outcome', outcome, 'location', place.location or '', 'date', place.date or '',
        'position', index + 1, 'joinedAt', place.createdAt or ''}
