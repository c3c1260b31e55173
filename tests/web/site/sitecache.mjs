// A site's cache layer as the seed writes it on ioredis (SPEC §3): getOrSetJSON with TTL jitter
// and null caching, a SET NX PX lock released by a compare-and-delete script, keys written with
// their tag sets, and a tag invalidation in one script. The tests run it against the hub's
// Redis-protocol front, unchanged, as a site would.
import {randomBytes} from 'node:crypto';

export const NULL_SENTINEL = '__NULL__';

// The release script every Redis lock library uses: delete only while the token is still ours.
export const RELEASE_SCRIPT = `
if redis.call("get", KEYS[1]) == ARGV[1] then
    return redis.call("del", KEYS[1])
else
    return 0
end`;

// Removes every key of the tag set and the set itself, atomically; answers how many keys went.
export const INVALIDATE_TAG_SCRIPT = `
local keys = redis.call("smembers", KEYS[1])
local removed = 0
for i = 1, #keys do
    removed = removed + redis.call("del", keys[i])
end
redis.call("del", KEYS[1])
return removed`;

export function createSiteCache(redis, {namespace = 'kucun', random = Math.random} = {}) {
    const full = (key) => `${namespace}:${key}`;
    const jittered = (seconds) => Math.max(1, Math.round(seconds * (0.8 + 0.4 * random())));

    return {
        full,
        async getOrSetJSON(key, ttlSeconds, loader, {nullTtlSeconds = Math.min(ttlSeconds, 60)} = {}) {
            const cached = await redis.get(full(key));
            if (cached !== null)
                return cached === NULL_SENTINEL ? null : JSON.parse(cached);
            const value = await loader();
            if (value === null || value === undefined) {
                await redis.set(full(key), NULL_SENTINEL, 'EX', nullTtlSeconds);
                return null;
            }
            await redis.set(full(key), JSON.stringify(value), 'EX', jittered(ttlSeconds));
            return value;
        },
        async setWithTags(key, value, ttlSeconds, tags) {
            const pipeline = redis.multi();
            pipeline.set(full(key), JSON.stringify(value), 'EX', ttlSeconds);
            for (const tag of tags)
                pipeline.sadd(full(`tag:${tag}`), full(key));
            return pipeline.exec();
        },
        async invalidateTag(tag) {
            return redis.eval(INVALIDATE_TAG_SCRIPT, 1, full(`tag:${tag}`));
        },
        async tryLock(key, ttlMs) {
            const token = randomBytes(16).toString('hex');
            const taken = await redis.set(full(`lock:${key}`), token, 'PX', ttlMs, 'NX');
            return taken === 'OK' ? token : null;
        },
        async unlock(key, token) {
            return redis.eval(RELEASE_SCRIPT, 1, full(`lock:${key}`), token);
        },
    };
}
