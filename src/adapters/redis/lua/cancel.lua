-- Cancels one booking atomically: the slot goes to the first person waiting for it (who gets a
-- booking of their own and a booking.created event) or back to the counter.
-- KEYS: 1 slot counters (hash), 2 this person's booking (hash), 3 reference sequence, 4 outbox stream,
--       5 campaign marker (hash)
-- ARGV: 1 phoneNumber (normalised), 2 cancelledAt, 3 key prefix, 4 who cancels: 'person' (the phone
--       number must match) or 'operator' (jkjav-admin cancel: no phone check), 5 reason ('' for none;
--       the event carries it when given), 6... other forms of the same number that bookings made
--       before phone numbers were E.164 may hold (0123456789 for +60123456789)
-- Returns a flat name/value list, read by name: outcome NOT_FOUND or NOT_SEEDED; or CANCELLED with
-- promoted (the id given the slot, or '') and the cancelled booking's fields.
--
-- Runs after promote.lua (its functions: keyFor, readRecord, promoteFirstWaiting).
local prefix = ARGV[3]
local byOperator = ARGV[4] == 'operator'

local function isThisPhone(stored)
  if stored == ARGV[1] then return true end
  for i = 6, #ARGV do
    if stored == ARGV[i] then return true end
  end
  return false
end

local booking, cancelled = readRecord(KEYS[2], {phoneNumber = true})
if not booking.slot or (not byOperator and not isThisPhone(booking.phoneNumber)) then
  return {'outcome', 'NOT_FOUND'}  -- a wrong phone number looks exactly like no booking
end
local epoch = redis.call('HGET', KEYS[5], 'epoch')
if not epoch then
  return {'outcome', 'NOT_SEEDED'}  -- no marker, no counters to give the slot back to
end
local slot = booking.slot
-- The event and the answer carry the number in today's form (an operator's cancel: when the
-- stored number is one of the forms given, else as it is stored).
cancelled[#cancelled + 1] = 'phoneNumber'
cancelled[#cancelled + 1] = isThisPhone(booking.phoneNumber) and ARGV[1] or booking.phoneNumber
redis.call('DEL', KEYS[2])
local event = {'type', 'booking.cancelled', 'occurredAt', ARGV[2]}
if ARGV[5] ~= '' then
  event[#event + 1] = 'reason'
  event[#event + 1] = ARGV[5]
end
for i = 1, #cancelled do
  event[#event + 1] = cancelled[i]
end
redis.call('XADD', KEYS[4], '*', unpack(event))

local promoted = promoteFirstWaiting(prefix, slot, epoch, ARGV[2], KEYS[3], KEYS[4])
if not promoted then
  redis.call('HINCRBY', KEYS[1], slot, 1)
end

local reply = {'outcome', 'CANCELLED', 'promoted', promoted or ''}
for i = 1, #cancelled do
  reply[#reply + 1] = cancelled[i]
end
return reply
