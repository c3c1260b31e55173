#pragma once

// The Lua scripts behind SharedHistory (SPEC §6 with Redis). Each runs atomically in Redis, so a
// message's offset, its place in the history and its publication are one step that no other
// hub can come between.
namespace kucun::sharedscripts {

// KEYS: offset, epoch, history, lease, echo, once, replid.
// ARGV: channel, data (JSON text), ts, epoch for a new stream, the channel to publish on, tag,
//       the lease holder it must be ("" for a publish only this hub heard), max messages,
//       max age in ms, key time in ms, the site's channel ws:<channel> ("" when ingesting),
//       how long the once key is kept in ms ("" when the message has none), the dataset's
//       replication id.
//
// A message known by a key on every hub (an event's id) is stamped by the first hub only: the
// others find its once key taken and get 0.
//
// A hub's own publish also goes out as it is on ws:<channel> (SPEC §6: the site and every hub
// hear it there), first, and counts one echo: every hub hears it as a site's message, and the
// lease holder's ingest of it finds the echo and stamps nothing. An ingest returns 0 then.
// A stream whose offset or epoch is gone, or that was stamped in another dataset (Redis
// restarted, a replica was promoted: the last writes may be lost, and offsets given again),
// starts again at offset 1 with the new epoch: its history is lost, and clients must hear so.
// Returns {offset, epoch}, 0 for an echo, or nil when the lease is someone else's.
inline constexpr char kStamp[] = R"lua(
if ARGV[12] ~= '' and not redis.call('SET', KEYS[6], '1', 'NX', 'PX', ARGV[12]) then
  return 0
end
if ARGV[7] ~= '' then
  if redis.call('GET', KEYS[4]) ~= ARGV[7] then
    return false
  end
  local echoes = tonumber(redis.call('GET', KEYS[5]) or '0')
  if echoes > 0 then
    if echoes == 1 then
      redis.call('DEL', KEYS[5])
    else
      redis.call('DECR', KEYS[5])
    end
    return 0
  end
end
local epoch = redis.call('GET', KEYS[2])
if not epoch or redis.call('EXISTS', KEYS[1]) == 0 or redis.call('GET', KEYS[7]) ~= ARGV[13] then
  epoch = ARGV[4]
  redis.call('SET', KEYS[2], epoch)
  redis.call('SET', KEYS[1], 0)
  redis.call('SET', KEYS[7], ARGV[13])
  redis.call('DEL', KEYS[3])
end
local offset = redis.call('INCR', KEYS[1])
local envelope = '{"channel":"' .. ARGV[1] .. '","data":' .. ARGV[2] .. ',"offset":' .. offset
  .. ',"ts":' .. ARGV[3] .. '}'
local id = redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[8], '*', 'o', offset, 'm', envelope)
local idMs = tonumber(string.match(id, '^(%d+)'))
local oldest = idMs - tonumber(ARGV[9])
if oldest > 0 then
  redis.call('XTRIM', KEYS[3], 'MINID', '~', oldest)
end
redis.call('PEXPIRE', KEYS[3], ARGV[9])
redis.call('PEXPIRE', KEYS[1], ARGV[10])
redis.call('PEXPIRE', KEYS[2], ARGV[10])
redis.call('PEXPIRE', KEYS[7], ARGV[10])
if ARGV[11] ~= '' then
  redis.call('INCR', KEYS[5])
  redis.call('PEXPIRE', KEYS[5], 30000)
  redis.call('PUBLISH', ARGV[11], ARGV[2])
end
redis.call('PUBLISH', ARGV[5], epoch .. ' ' .. offset .. ' ' .. ARGV[3] .. ' ' .. ARGV[6] .. '\n'
  .. envelope)
return {offset, epoch}
)lua";

// KEYS: offset, epoch, history, replid.
// ARGV: since offset ("" for none), since epoch, epoch for a new stream, max age in ms, the key
//       time of a stream made here, max messages, the dataset's replication id.
// Returns {epoch, offset} without `since`; with it {epoch, offset, 1, envelopes…} when every
// message after `since` is still there (none when the client is up to date), else
// {epoch, offset, 0}. A channel without a stream gets one (offset 0), so that the epoch a
// subscriber is told is the one its first message will carry.
inline constexpr char kPosition[] = R"lua(
local epoch = redis.call('GET', KEYS[2])
local offset = tonumber(redis.call('GET', KEYS[1]))
if not epoch or not offset or redis.call('GET', KEYS[4]) ~= ARGV[7] then
  epoch = ARGV[3]
  offset = 0
  redis.call('SET', KEYS[2], epoch, 'PX', ARGV[5])
  redis.call('SET', KEYS[1], 0, 'PX', ARGV[5])
  redis.call('SET', KEYS[4], ARGV[7], 'PX', ARGV[5])
  redis.call('DEL', KEYS[3])
end
if ARGV[1] == '' then
  return {epoch, offset}
end
local since = tonumber(ARGV[1])
local missed = offset - since
if ARGV[2] ~= epoch or missed < 0 or missed > tonumber(ARGV[6]) then
  return {epoch, offset, 0}
end
if missed == 0 then
  return {epoch, offset, 1}
end
local entries = redis.call('XREVRANGE', KEYS[3], '+', '-', 'COUNT', missed)
if #entries < missed then
  return {epoch, offset, 0}
end
local first = entries[#entries]
local now = redis.call('TIME')
local nowMs = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local firstMs = tonumber(string.match(first[1], '^(%d+)'))
if tonumber(first[2][2]) ~= since + 1 or firstMs < nowMs - tonumber(ARGV[4]) then
  return {epoch, offset, 0}
end
local reply = {epoch, offset, 1}
for i = #entries, 1, -1 do
  reply[#reply + 1] = entries[i][2][4]
end
return reply
)lua";

// KEYS: lease. ARGV: holder, lease time in ms. 1 when the holder has the lease (renewed or
// taken), else 0.
inline constexpr char kLease[] = R"lua(
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if not holder then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
)lua";

// KEYS: lease. ARGV: holder. Lets the lease go if the holder still has it.
inline constexpr char kRelease[] = R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
)lua";

}  // namespace kucun::sharedscripts
