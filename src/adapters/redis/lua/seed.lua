-- Opens a campaign for bookings: the explicit, recorded act of `jkjav-admin seed`. Servers never
-- run it, so a Redis that lost its data stays closed until an operator decides
-- (docs/architecture.md, "Servers never seed").
-- Creates the counters the campaign offers that do not exist yet, never touching one that does,
-- and records the campaign marker that book.lua requires. Capacity is recorded for operators.
-- KEYS: 1 slot counters (hash), 2 capacities (hash), 3 campaign marker (hash)
-- ARGV: 1 campaign id, 2 epoch, 3 seededAt, 4 "1" to force, 5 "1" when the campaign has started
--       elsewhere (Kafka holds its events), then slotKey1, capacity1, ...
-- Returns {outcome, campaign id, epoch, seededAt, counters created, then the slot keys of the
-- counters created}; outcome is SEEDED,
-- ALREADY_SEEDED, ADOPTED (counters from before markers, kept), or, changing nothing,
-- OTHER_CAMPAIGN or STARTED_ELSEWHERE (an empty store for a campaign that has started: lost data).
local marker = redis.call('HMGET', KEYS[3], 'id', 'epoch', 'seededAt')
local force = ARGV[4] == '1'
if marker[1] and marker[1] ~= ARGV[1] and not force then
  return {'OTHER_CAMPAIGN', marker[1], marker[2], marker[3], 0}
end

local legacyCounters = not marker[1] and redis.call('EXISTS', KEYS[1]) == 1
if not marker[1] and not legacyCounters and ARGV[5] == '1' and not force then
  return {'STARTED_ELSEWHERE', ARGV[1], '', '', 0}
end

local outcome
if marker[1] == ARGV[1] and not force then
  outcome = 'ALREADY_SEEDED'
else
  -- Counters without a marker were seeded by a jkjav from before markers: adopt them as they are.
  outcome = legacyCounters and 'ADOPTED' or 'SEEDED'
  redis.call('HSET', KEYS[3], 'id', ARGV[1], 'epoch', ARGV[2], 'seededAt', ARGV[3])
  marker = {ARGV[1], ARGV[2], ARGV[3]}
end

local created = {}
for i = 6, #ARGV, 2 do
  if redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[i + 1]) == 1 then
    created[#created + 1] = ARGV[i]
  end
  redis.call('HSETNX', KEYS[2], ARGV[i], ARGV[i + 1])
end
local reply = {outcome, marker[1], marker[2], marker[3], #created}
for _, slot in ipairs(created) do
  reply[#reply + 1] = slot
end
return reply
