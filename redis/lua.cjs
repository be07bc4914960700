'use strict';
// The Lua scripts of glassix-wasm/redis. Each runs atomically in Redis, so no two clients ever
// read-then-write around each other, and each reads the one clock the fleet shares: Redis `TIME`
// (milliseconds, with the microseconds as a fraction). Arguments arrive as strings; '' means
// "none". A Lua number returned to the client is truncated to an integer, so waits are rounded
// up before they are returned.
//
// Keys (README "Many workers, one account"):
//   <prefix>:token   hash: value (the access token), response (the token response, JSON),
//                    margin (ms), holder (the API root and user name it is for); expires when
//                    the token is due for refresh
//   <prefix>:lock    string: the id of the one token fetch in progress; expires (renewed while
//                    the fetch runs)
//   <prefix>:failed  string: the lock id of the last token fetch that failed at the token
//                    endpoint, a line break, its failure (JSON); expires after lockMs
//   <prefix>:window  sorted set: one member per attempt holding a place, scored with the time
//                    its place starts to age (in flight: a lease end in the future)
//   <prefix>:pause   string: the time the fleet's 429 pause ends; expires with it
//   <prefix>:limit   string: the rate limit the fleet admits under (`requests/perMs`, `0/0`
//                    without one); expires with the window

const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
`;

/** Places attempts in the window. An attempt in flight holds its place with the score
 * now + lease (renewed while it runs, see RENEW), so a crashed process's places lapse; once its
 * `done` comes, the score is that moment, and the place counts until `perMs` after it. A place
 * counts while its score is more than `perMs` ago (an answer exactly `perMs` old no longer
 * counts, as in the single-process gate).
 * Every client on one prefix must ask under the same limit: one that asks under another while
 * the limit key lives (some client admitted within leaseMs + perMs) is refused, { -1, limit }.
 * KEYS: window, pause, limit. ARGV: requests (0: no window, only the pause), perMs, wanted,
 * leaseMs, member prefix, first member number.
 * Run twice (a reply lost to a reconnect, the command sent again), it takes the same places once.
 * Returns { admitted, wait }: `wait` (ms, ≥ 1) is when to ask again if fewer than `wanted` were
 * admitted: the pause's end, else when the oldest answered place ages out; with every place in
 * flight, 50 ms (at most `perMs`): no answer frees a place sooner than `perMs` from now, but a
 * place given back unused (CANCEL, from any process) frees it at once. */
const ADMIT = `${NOW}
local first = tonumber(ARGV[6])
-- (the same command run twice, as ioredis sends one again after a reconnect that lost its reply,
-- takes its places anew: its first run's would count as another's, held by nobody for a lease;
-- the ids are this command's alone)
for i = 0, tonumber(ARGV[3]) - 1 do redis.call('ZREM', KEYS[1], ARGV[5] .. ':' .. (first + i)) end
local limit = ARGV[1] .. '/' .. ARGV[2]
local had = redis.call('GET', KEYS[3])
if had and had ~= limit then return {-1, had} end
redis.call('SET', KEYS[3], limit, 'PX', math.ceil(tonumber(ARGV[4]) + tonumber(ARGV[2])))
local paused = tonumber(redis.call('GET', KEYS[2]) or 0)
if paused > now then return {0, math.ceil(paused - now)} end
local requests = tonumber(ARGV[1])
local wanted = tonumber(ARGV[3])
if requests == 0 then return {wanted, 0} end
local per = tonumber(ARGV[2])
local lease = tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - per)
local take = math.max(0, math.min(requests - redis.call('ZCARD', KEYS[1]), wanted))
for i = 0, take - 1 do
  redis.call('ZADD', KEYS[1], now + lease, ARGV[5] .. ':' .. (first + i))
end
if take > 0 then redis.call('PEXPIRE', KEYS[1], math.ceil(lease + per)) end
if take == wanted then return {take, 0} end
local oldest = tonumber(redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2])
-- every place in flight: none ages out sooner than perMs from now, but one may be given back
-- (its call gave up) by any process, so ask again soon
if oldest > now then return {take, math.min(math.ceil(per), 50)} end
return {take, math.max(1, math.ceil(oldest + per - now))}
`;

/** An attempt's headers came (or it ended without any): its place ages from now; a 429's Retry-After pauses the fleet until
 * now + that (the later of two pauses wins).
 * KEYS: window, pause. ARGV: member ('' without a window), pause ms (''), perMs, ms since the response headers. */
const DONE = `${NOW}
if ARGV[1] ~= '' then
  redis.call('ZADD', KEYS[1], now - tonumber(ARGV[4]), ARGV[1])
  if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[3]) then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
end
if ARGV[2] ~= '' then
  local ends = math.ceil(now + tonumber(ARGV[2]))
  if ends > tonumber(redis.call('GET', KEYS[2]) or 0) then redis.call('SET', KEYS[2], ends, 'PX', ARGV[2]) end
end
return 1
`;

/** Admitted attempts that were never sent (the call gave up first, or the admission's answer
 * never arrived): their places are given back.
 * KEYS: window. ARGV: members (at least one). */
const CANCEL = `return redis.call('ZREM', KEYS[1], unpack(ARGV))
`;

/** Extends the lease of attempts still in flight (score in the future); an answered place, or
 * one whose lease already lapsed, is left as it is.
 * KEYS: window. ARGV: leaseMs, perMs, members... */
const RENEW = `${NOW}
local lease = tonumber(ARGV[1])
local n = 0
for i = 3, #ARGV do
  local s = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if s and tonumber(s) > now then
    redis.call('ZADD', KEYS[1], now + lease, ARGV[i])
    n = n + 1
  end
end
if n > 0 then redis.call('PEXPIRE', KEYS[1], math.ceil(lease + tonumber(ARGV[2]))) end
return n
`;

/** The shared token, or the right to fetch it. A stored token equal to `rejected` (the API just
 * refused it) is dropped first, and so is one stored without a holder, or with the caller's
 * without its department (by earlier versions), when the caller names one. A token of
 * another holder is never handed out. A caller that waited for a fetch that failed (`waited`:
 * the id of the lock it last saw held) gets that fetch's failure, as the calls of one client
 * that share a token request share its failure, instead of fetching again itself.
 * KEYS: token, lock, failed. ARGV: rejected (''), lock id, lock ms, holder (''), waited ('').
 * Run twice, it finds the lock it took the first time its own.
 * Returns { 1, response JSON, ms until it is due for refresh (-1: never), margin ms },
 * { 2 } (the caller holds the lock: it fetches), { 3, the stored token's holder },
 * { 4, the failure JSON }, or { 0, ms until the lock expires, the lock's id }. */
const TOKEN = `local v = redis.call('HMGET', KEYS[1], 'value', 'response', 'margin', 'holder')
-- (a holder without the department, as the version before wrote it: the caller's own, without it)
local old = v[4] and ARGV[4]:sub(1, #v[4] + 1) == v[4] .. ' '
if v[1] and ((ARGV[1] ~= '' and v[1] == ARGV[1]) or ((not v[4] or v[4] == '' or old) and ARGV[4] ~= '')) then
  redis.call('DEL', KEYS[1])
  v[1] = false
end
if v[1] and (v[4] or '') ~= ARGV[4] then return {3, v[4]} end
-- (a token whose key has 0 ms left is due now: fetched again, never handed out as if new)
local ttl = redis.call('PTTL', KEYS[1])
if v[1] and ttl ~= 0 then return {1, v[2], ttl, v[3]} end
-- (the lock may be the caller's own: the same command run twice, after a reconnect lost its
-- reply; checked before any failure, which would leave the lock it took held)
local holds = redis.call('GET', KEYS[2])
if holds == ARGV[2] then return {2} end
if ARGV[5] ~= '' then
  local failed = redis.call('GET', KEYS[3])
  if failed and failed:sub(1, #ARGV[5] + 1) == ARGV[5] .. '\\n' then return {4, failed:sub(#ARGV[5] + 2)} end
end
if not holds and redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3]) then return {2} end
return {0, redis.call('PTTL', KEYS[2]), holds}
`;

/** A token fetch that failed at the token endpoint: releases its lock and keeps the failure (for
 * `ttl` ms) for the callers that waited for that fetch, only if the caller still holds the lock
 * (one that stalled past it has no waiters left: they moved on to the next fetch). One failure
 * is kept at a time.
 * KEYS: lock, failed. ARGV: lock id, failure JSON, ttl ms. */
const FAIL = `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('SET', KEYS[2], ARGV[1] .. '\\n' .. ARGV[2], 'PX', ARGV[3])
return 1
`;

/** Stores a fetched token (due for refresh in `stale` ms; '' never) and releases the lock if
 * the caller still holds it. A caller that no longer holds it (it stalled past lockMs: SIGSTOP,
 * a paused VM) stores nothing while another fetch holds it, nor over a token stored meanwhile
 * (the newer one): { 0 }.
 * KEYS: token, lock. ARGV: value, response JSON, margin ms, stale ms (''), lock id, holder. */
const STORE = `local holds = redis.call('GET', KEYS[2])
if holds ~= ARGV[5] then
  local ttl = redis.call('PTTL', KEYS[1])
  if holds or ttl == -1 or ttl > 0 then return 0 end
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'value', ARGV[1], 'response', ARGV[2], 'margin', ARGV[3], 'holder', ARGV[6])
if ARGV[4] ~= '' then redis.call('PEXPIRE', KEYS[1], ARGV[4]) end
if holds == ARGV[5] then redis.call('DEL', KEYS[2]) end
return 1
`;

/** Extends (ARGV[2] = ms) or releases (ARGV[2] = '') the lock, only if the caller holds it.
 * KEYS: lock. ARGV: lock id, ms. */
const LOCK = `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '' then return redis.call('DEL', KEYS[1]) end
return redis.call('PEXPIRE', KEYS[1], ARGV[2])
`;

module.exports = { ADMIT, DONE, CANCEL, RENEW, TOKEN, STORE, LOCK, FAIL };
