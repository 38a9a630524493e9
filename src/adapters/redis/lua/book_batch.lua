
-- A batch of bookings in one script call: book.lua's bookOne (put before this file at build time)
-- for each, in the order given, so each answer is what book.lua would have answered had the
-- bookings come one after another.
-- KEYS: 1 slot counters, 2 reference sequence, 3 outbox stream, 4 campaign marker, 5 the waiting
--       room's admissions, 6 its lane (shared by every booking); then three for each booking
--       i = 0, 1, ...: 6+3i+1 its person's booking, 6+3i+2 their waitlist place, 6+3i+3 its slot's
--       waitlist.
-- ARGV: 1 n, how many arguments each booking has; then booking i's are ARGV[2+n*i .. 1+n*(i+1)],
--       exactly book.lua's ARGV.
-- Returns one reply per booking, in order: book.lua's flat name/value list, or outcome ERROR with
-- the error when that booking's steps failed (the others still run, as they would have one by one);
-- a READONLY refusal fails the whole call instead.
local shared = 6
local perBooking = tonumber(ARGV[1])
local replies = {}
-- What the bookings of this batch have learnt for the next ones (bookOne's `batch`).
local batch = {}
-- One KEYS and one ARGV table for every booking, refilled: bookOne keeps neither, and the same
-- count of arguments each time overwrites all of the previous booking's.
local keys = {KEYS[1], nil, KEYS[2], KEYS[3], nil, nil, KEYS[4], KEYS[5], KEYS[6]}
local args = {}
for i = 0, (#KEYS - shared) / 3 - 1 do
  local k = shared + 3 * i
  keys[2], keys[5], keys[6] = KEYS[k + 1], KEYS[k + 2], KEYS[k + 3]
  local first = 1 + perBooking * i
  for j = 1, perBooking do
    args[j] = ARGV[first + j]
  end
  local ok, reply = pcall(bookOne, keys, args, batch)
  if not ok then
    -- redis.call raises a table ({err = ...}); Lua itself raises a string.
    local err = type(reply) == 'table' and reply.err or tostring(reply)
    if string.find(err, 'READONLY', 1, true) == 1 then
      -- A demoted primary (a replica now): nothing here was written and nothing read is current. The
      -- whole call fails with READONLY, so the connection goes to find the new primary.
      return redis.error_reply(err)
    end
    reply = {'outcome', 'ERROR', 'error', err}
  end
  replies[#replies + 1] = reply
end
-- The reference numbers counted on from the batch's one INCR (nextReferenceNumber).
if batch.counted and batch.counted > 0 then
  redis.call('INCRBY', KEYS[2], batch.counted)
end
return replies
