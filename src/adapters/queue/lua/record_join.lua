-- A person's first join, kept: when and the wait they were told (one hash field per member, never
-- overwritten), so joining again gives the same ticket and the estimate's error can be measured.
-- KEYS: 1 join records (hash)
-- ARGV: 1 member, 2 joined at ms, 3 estimated wait s
-- Returns the record kept, "<joinedAtMs>:<estimateSeconds>".
redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2] .. ':' .. ARGV[3])
return redis.call('HGET', KEYS[1], ARGV[1])
