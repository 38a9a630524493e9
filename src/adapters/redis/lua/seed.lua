-- Creates the slot counters a campaign offers, never touching one that exists: a restart in the
-- middle of the rush changes nothing (DESIGN.md). Capacity is recorded for operators.
-- KEYS: 1 slot counters (hash), 2 capacities (hash)
-- ARGV: slotKey1, capacity1, slotKey2, capacity2, ...
-- Returns the number of counters created.
local created = 0
for i = 1, #ARGV, 2 do
  created = created + redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[i + 1])
  redis.call('HSETNX', KEYS[2], ARGV[i], ARGV[i + 1])
end
return created
