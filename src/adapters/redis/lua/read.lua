-- The campaign marker and every slot counter, read together so that a snapshot never shows
-- counters without knowing whether the campaign is open.
-- KEYS: 1 campaign marker (hash), 2 slot counters (hash)
-- Returns {{id, epoch, seededAt} (nil fields without a marker), {slotKey1, remaining1, ...}}.
return {redis.call('HMGET', KEYS[1], 'id', 'epoch', 'seededAt'), redis.call('HGETALL', KEYS[2])}
