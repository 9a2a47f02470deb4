package redisstore

import "github.com/redis/go-redis/v9"

// A breaker name's keys share one hash tag, so that the scripts' keys
// live in one slot of a Redis Cluster:
//
//	<prefix>:{<name>}:state  hash: s state, f forced, g generation,
//	                         u cooldown end (ms, Redis clock), c cooldown (ms),
//	                         n reopenings, o origin
//	<prefix>:{<name>}:votes  sorted set: replica -> when it opened (ms)
//	<prefix>:{<name>}:lease  string: "<generation> <holder>", with the lease's TTL
//	<prefix>:{<name>}:fails  hash: replica -> failures reported since the
//	                         last success anywhere, with a cooldown's TTL
//
// (A name that is empty or starts with '}' would make an empty hash tag,
// which Redis Cluster ignores: its keys are <prefix>:}{!<name>}:<kind>.)
//
// Every key has a TTL, but the record of a forced opening, which lasts
// until Reset. Every script dates what it does with Redis's own
// clock (TIME), so replicas never compare their clocks, and replies with
// the record as reply() builds it.

// head is the start of every script: the time, the current record, and
// reply(record, flag), which returns {state, forced, generation,
// remaining ms, cooldown ms, reopenings, origin, flag, repaired, lease
// ms}: what is left of another holder's lease, which only acquireScript
// sets.
//
// A key the scripts cannot read (another type, a record with a field out
// of place, a lease without a TTL) is deleted, and so read as no key:
// repaired says which and why, so that the breaker of that name, and only
// it, replaces the record with its own state and logs it.
const head = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local nowus = tonumber(t[1]) * 1000000 + tonumber(t[2])
local repaired = ''
local leaseleft = 0
local function repair(key, why)
  redis.call('DEL', key)
  if repaired ~= '' then repaired = repaired .. '; ' end
  repaired = repaired .. key .. ' ' .. why
end
local function typed(key, want)
  local ty = redis.call('TYPE', key)['ok']
  if ty ~= want and ty ~= 'none' then repair(key, 'held a ' .. ty .. ', not a ' .. want) end
end
typed(KEYS[1], 'hash')
local cur = redis.call('HMGET', KEYS[1], 's', 'f', 'g', 'u', 'c', 'n', 'o')
if cur[3] and not (string.match(cur[3], '^%d+$') and (cur[1] == 'open' or cur[1] == 'closed')
    and (cur[2] == '0' or cur[2] == '1') and tonumber(cur[4]) and tonumber(cur[5]) and tonumber(cur[6])) then
  repair(KEYS[1], 'held an unreadable record')
  cur = {}
end
local function reply(r, flag)
  if not r[3] then return {'', '0', '0', 0, 0, 0, '', flag, repaired, leaseleft} end
  local rem = 0
  if r[1] == 'open' and r[2] ~= '1' then rem = math.max(tonumber(r[4]) - now, 0) end
  return {r[1], r[2], r[3], rem, tonumber(r[5]), tonumber(r[6]), r[7] or '', flag, repaired, leaseleft}
end
`

// loadScript: KEYS state.
var loadScript = redis.NewScript(head + `
return reply(cur, 0)
`)

// publishScript applies a Change. KEYS state, votes. ARGV: 1 vote (0/1),
// 2 conditional (0/1), 3 base generation, 4 state, 5 forced (0/1),
// 6 cooldown ms, 7 reopenings, 8 origin, 9 quorum, 10 record TTL ms,
// 11 channel, 12 name. The flag is 1 if the record changed; then the new
// record is published as a JSON array of reply()'s first seven fields, a
// newline, and the name as it is: JSON would not carry a name that is not
// valid UTF-8, and the array holds no newline.
var publishScript = redis.NewScript(head + `
local cooldown = tonumber(ARGV[6])
typed(KEYS[2], 'zset')
if ARGV[1] == '1' then
  redis.call('ZADD', KEYS[2], now, ARGV[8])
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. string.format('%.0f', now - cooldown))
  redis.call('PEXPIRE', KEYS[2], cooldown)
  if cur[1] == 'open' and (cur[2] == '1' or tonumber(cur[4]) > now) then return reply(cur, 0) end
  if redis.call('ZCARD', KEYS[2]) < tonumber(ARGV[9]) then return reply(cur, 0) end
elseif ARGV[2] == '1' and cur[3] and cur[3] ~= ARGV[3] then
  return reply(cur, 0)
end
local gen = string.format('%.0f', math.max((tonumber(cur[3]) or 0) + 1, nowus))
local untl = 0
if ARGV[4] == 'open' and ARGV[5] ~= '1' then untl = now + cooldown end
local rec = {ARGV[4], ARGV[5], gen, string.format('%.0f', untl), ARGV[6], ARGV[7], ARGV[8]}
redis.call('HSET', KEYS[1], 's', rec[1], 'f', rec[2], 'g', rec[3], 'u', rec[4], 'c', rec[5], 'n', rec[6], 'o', rec[7])
if ARGV[4] == 'open' and ARGV[5] == '1' then
  redis.call('PERSIST', KEYS[1]) -- a forced opening lasts until Reset
else
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[10]) + math.max(untl - now, 0))
end
if ARGV[4] == 'closed' then redis.call('DEL', KEYS[2]) end
local r = reply(rec, 1)
redis.call('PUBLISH', ARGV[11], cjson.encode({r[1], r[2], r[3], r[4], r[5], r[6], r[7]}) .. '\n' .. ARGV[12])
return r
`)

// open defines open(cooldown, origin, ttl, channel, name), which opens the
// record for cooldown ms in the name of origin, gives it ttl ms past the
// cooldown, publishes it on channel under name, and replies with it.
const open = `
local function open(cooldown, origin, ttl, channel, name)
  local gen = string.format('%.0f', math.max((tonumber(cur[3]) or 0) + 1, nowus))
  local rec = {'open', '0', gen, string.format('%.0f', now + cooldown), tostring(cooldown), '0', origin}
  redis.call('HSET', KEYS[1], 's', rec[1], 'f', rec[2], 'g', rec[3], 'u', rec[4], 'c', rec[5], 'n', rec[6], 'o', rec[7])
  redis.call('PEXPIRE', KEYS[1], ttl + cooldown)
  local r = reply(rec, 1)
  redis.call('PUBLISH', channel, cjson.encode({r[1], r[2], r[3], r[4], r[5], r[6], r[7]}) .. '\n' .. name)
  return r
end
`

// reportScript adds a replica's failure evidence. KEYS state, fails.
// ARGV: 1 reset (0/1), 2 failures, 3 threshold, 4 quorum, 5 cooldown ms,
// 6 origin, 7 record TTL ms, 8 channel, 9 name. A reset clears every
// replica's failures. Once they reach the threshold, from at least quorum
// replicas, the record opens unless it is open, and the evidence starts
// again; the flag is 1 if it opened.
var reportScript = redis.NewScript(head + open + `
local cooldown = tonumber(ARGV[5])
typed(KEYS[2], 'hash')
if ARGV[1] == '1' then redis.call('DEL', KEYS[2]) end
local n = tonumber(ARGV[2])
if n == 0 then return reply(cur, 0) end
redis.call('HINCRBY', KEYS[2], ARGV[6], n)
redis.call('PEXPIRE', KEYS[2], cooldown)
if cur[1] == 'open' and (cur[2] == '1' or tonumber(cur[4]) > now) then return reply(cur, 0) end
local total, replicas = 0, 0
for _, v in ipairs(redis.call('HVALS', KEYS[2])) do
  total = total + (tonumber(v) or 0)
  replicas = replicas + 1
end
if total < tonumber(ARGV[3]) or replicas < tonumber(ARGV[4]) then return reply(cur, 0) end
redis.call('DEL', KEYS[2])
return open(cooldown, ARGV[6], tonumber(ARGV[7]), ARGV[8], ARGV[9])
`)

// acquireScript takes the probe lease, SET with a TTL if no other holder
// has it for the same generation. KEYS state, lease. ARGV: 1 generation,
// 2 holder, 3 TTL ms. The flag is 1 if the holder has the lease; if
// another holder has it, the reply says for how long.
var acquireScript = redis.NewScript(head + `
typed(KEYS[2], 'string')
local pttl = redis.call('PTTL', KEYS[2])
if pttl == -1 then repair(KEYS[2], 'had no TTL') end
if cur[3] and cur[3] ~= ARGV[1] then return reply(cur, 0) end
local v = ARGV[1] .. ' ' .. ARGV[2]
local l = redis.call('GET', KEYS[2])
if l and l ~= v and string.sub(l, 1, #ARGV[1] + 1) == ARGV[1] .. ' ' then
  leaseleft = math.max(pttl, 1) -- 0, a lease in its last millisecond, would say unknown
  return reply(cur, 0)
end
redis.call('SET', KEYS[2], v, 'PX', ARGV[3])
return reply(cur, 1)
`)
