// The seed site's own Redis code (ioredis, sitecache.mjs) against the hub's Redis-protocol front,
// with no Redis server anywhere: getOrSetJSON with jitter and null caching, a lock released by
// its script, tag sets the hub invalidates, MULTI, SCAN, pub/sub both ways, and the cascade of
// `PUBLISH channel:inventory:change` to the keys and to a WebSocket page.
import assert from 'node:assert/strict';
import {once} from 'node:events';
import {after, before, test} from 'node:test';

import Redis from 'ioredis';
import WebSocket from 'ws';

import {publish, startHub} from '../support/hub.mjs';
import {createSiteCache, NULL_SENTINEL} from './sitecache.mjs';

let hub;
let redis;
let cache;
const extraClients = [];

function client(options = {}) {
    const made = new Redis({host: '127.0.0.1', port: hub.respPort, maxRetriesPerRequest: 1,
                            ...options});
    extraClients.push(made);
    return made;
}

before(async () => {
    hub = await startHub();
    assert.ok(hub.respPort > 0, 'the ready line names the Redis-protocol front');
    redis = client();
    cache = createSiteCache(redis);
});

after(async () => {
    for (const made of extraClients)
        made.disconnect();
    await hub?.stop();
});

async function waitFor(condition, what, timeoutMs = 10000) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
        if (await condition())
            return;
        await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.fail(`timed out waiting for ${what}`);
}

test('getOrSetJSON loads once, keeps the value with a jittered TTL, and caches a null', async () => {
    let loads = 0;
    const loader = async () => ({id: 7, name: 'pallet', loads: ++loads});
    const first = await cache.getOrSetJSON('products:detail:7', 300, loader);
    const second = await cache.getOrSetJSON('products:detail:7', 300, loader);
    assert.deepEqual(second, first);
    assert.equal(loads, 1);
    const ttl = await redis.ttl('kucun:products:detail:7');
    assert.ok(ttl >= 240 && ttl <= 360, `TTL ${ttl} within ±20 % of 300 s`);

    let missingLoads = 0;
    const nothing = async () => { ++missingLoads; return null; };
    assert.equal(await cache.getOrSetJSON('products:detail:404', 300, nothing), null);
    assert.equal(await cache.getOrSetJSON('products:detail:404', 300, nothing), null);
    assert.equal(missingLoads, 1, 'the null was cached');
    assert.equal(await redis.get('kucun:products:detail:404'), NULL_SENTINEL);
    const nullTtl = await redis.ttl('kucun:products:detail:404');
    assert.ok(nullTtl > 0 && nullTtl <= 60, `null TTL ${nullTtl}`);
});

test('a SET NX PX lock: one holder among many, released only with its token', async () => {
    const contenders = Array.from({length: 8}, () => createSiteCache(client()));
    const tokens = await Promise.all(contenders.map((site) => site.tryLock('orders:9', 30000)));
    const holders = tokens.filter((token) => token !== null);
    assert.equal(holders.length, 1, 'exactly one contender took the lock');
    assert.equal(await cache.unlock('orders:9', 'not-the-token'), 0);
    assert.equal(await redis.exists('kucun:lock:orders:9'), 1);
    const pttl = await redis.pttl('kucun:lock:orders:9');
    assert.ok(pttl > 25000 && pttl <= 30000, `lock PTTL ${pttl}`);
    assert.equal(await cache.unlock('orders:9', holders[0]), 1);
    assert.equal(await redis.exists('kucun:lock:orders:9'), 0);
    assert.ok(await cache.tryLock('orders:9', 30000), 'free again');
});

test('tag sets the site writes are what the hub invalidates', async () => {
    const written = await cache.setWithTags('products:list:page1', [1, 2], 300, ['products']);
    assert.deepEqual(written.map(([error]) => error), [null, null]);
    await cache.setWithTags('products:detail:1', {id: 1}, 300, ['products', 'products:1']);
    assert.equal(await redis.type('kucun:tag:products'), 'set');
    assert.deepEqual((await redis.smembers('kucun:tag:products')).sort(),
                     ['kucun:products:detail:1', 'kucun:products:list:page1']);

    // The hub's own invalidation (the admin's, here through its API) takes the keys and the set.
    const response = await fetch(`${hub.httpUrl}/api/invalidate`, {
        method: 'POST', headers: {'Content-Type': 'application/json'},
        body: JSON.stringify({tag: 'products'}),
    });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), {removed: 2});
    assert.equal(await redis.exists('kucun:products:list:page1', 'kucun:products:detail:1',
                                    'kucun:tag:products'), 0);

    // And the site's own script does the same.
    await cache.setWithTags('inventory:summary:3', {qty: 1}, 300, ['inventory:summary:3']);
    assert.equal(await cache.invalidateTag('inventory:summary:3'), 1);
    assert.equal(await redis.dbsize(), await countKeys('*'));
});

async function countKeys(pattern) {
    let count = 0;
    for await (const keys of redis.scanStream({match: pattern, count: 7}))
        count += keys.length;
    return count;
}

test('MULTI, pipelines, SCAN and errors as ioredis expects them', async () => {
    const results = await redis.multi().incr('kucun:counter').incrby('kucun:counter', 4)
        .hset('kucun:h', 'a', '1', 'b', '2').hgetall('kucun:h').exec();
    assert.deepEqual(results, [[null, 1], [null, 5], [null, 2], [null, {a: '1', b: '2'}]]);
    const pipelined = await redis.pipeline().set('kucun:p', 'v').get('kucun:p').exec();
    assert.deepEqual(pipelined, [[null, 'OK'], [null, 'v']]);
    for (let i = 0; i < 25; ++i)
        await redis.set(`kucun:scan:${i}`, 'x');
    assert.equal(await countKeys('kucun:scan:*'), 25);
    await assert.rejects(redis.sadd('kucun:p', 'm'), /^ReplyError: WRONGTYPE Operation against a key holding the wrong kind of value/);
    await assert.rejects(redis.call('NOSUCHCOMMAND'), /ERR unknown command 'NOSUCHCOMMAND'/);
});

test('PUBLISH channel:inventory:change cascades to the keys and to a WebSocket page', async () => {
    await redis.set('kucun:inventory:summary:42', '{}', 'EX', 300);
    await redis.sadd('kucun:tag:inventory:summary:42', 'kucun:inventory:summary:42');
    await redis.set('kucun:products:detail:43', '{}');

    const page = new WebSocket(hub.wsUrl);
    const messages = [];
    page.on('message', (data) => messages.push(JSON.parse(data.toString())));
    await once(page, 'open');
    page.send(JSON.stringify({type: 'subscribe', channel: 'inventory', id: 1}));
    await waitFor(() => messages.some((m) => m.type === 'subscribed'), 'the subscription');

    const event = {type: 'inventory:change', productId: '42', oldQuantity: 100, newQuantity: 95,
                   reason: 'sale', timestamp: Date.now()};
    await redis.publish('channel:inventory:change', JSON.stringify(event));
    await waitFor(async () => (await redis.exists('kucun:inventory:summary:42',
                                                  'kucun:tag:inventory:summary:42')) === 0,
                  'the cascade to remove the tagged key and its set');
    assert.equal(await redis.exists('kucun:products:detail:43'), 1, 'other keys stay');
    const isEvent = (m) => m.channel === 'inventory' && 'data' in m;
    await waitFor(() => messages.some(isEvent), 'the routed event');
    const delivered = messages.find(isEvent);
    assert.equal(delivered.data.newQuantity, 95);
    page.close();
});

test('subscribers hear the site, the hub and the pages', async () => {
    const subscriber = client();
    const heard = [];
    subscriber.on('pmessage', (pattern, channel, message) => heard.push({channel, message}));
    await subscriber.psubscribe('channel:*', 'ws:*');

    await redis.publish('channel:order:status', JSON.stringify({type: 'order:status'}));
    // A publish through the hub's API goes where a Redis-backed hub would send it: ws:<channel>.
    await publish(hub, {channel: 'orders', data: {orderId: 'SO-1'}});
    await waitFor(() => heard.length >= 2, 'both messages');
    const channels = heard.map((m) => m.channel).sort();
    assert.deepEqual(channels, ['channel:order:status', 'ws:orders']);
    assert.deepEqual(JSON.parse(heard.find((m) => m.channel === 'ws:orders').message),
                     {orderId: 'SO-1'});
    await subscriber.punsubscribe();
});
