// Offsets, recovery after a reconnect, the waits between reconnects and what each close code does.

import {mock, test} from 'node:test';
import assert from 'node:assert/strict';
import {assertReconnectsAfter, settle, useFakeTimers} from './fake-hub.mjs';

const start = useFakeTimers();

/** A connection subscribed to `inventory` (epoch e1, at offset 40) that has been delivered 41 and 42. */
async function delivered42(options = {}) {
    const c = start({channels: ['inventory'], ...options});
    await c.socket.welcome();
    await c.socket.subscribed('inventory', 40, 'e1');
    await c.socket.message('inventory', 41);
    await c.socket.message('inventory', 42);
    return c;
}

test('messages are delivered once each, in order; offsets already seen are dropped', async () => {
    const c = start({channels: ['inventory', 'orders']});
    await c.socket.welcome();
    await c.socket.subscribed('inventory', 0, 'e1');
    await c.socket.subscribed('orders', 7, 'e2');
    await c.socket.receive({channel: 'inventory', data: {type: 'inventory:change', productId: '42'}, ts: 1700000000123, offset: 1});
    for (const offset of [2, 2, 1, 3])
        await c.socket.message('inventory', offset);
    await c.socket.message('orders', 7); // the reply said the channel was already at 7
    await c.socket.message('orders', 8);
    await c.socket.message('news', 1); // not subscribed

    assert.deepEqual(c.messages[0], {channel: 'inventory', data: {type: 'inventory:change', productId: '42'},
                                     ts: 1700000000123, offset: 1});
    assert.deepEqual(c.offsets('inventory'), [1, 2, 3]);
    assert.deepEqual(c.offsets('orders'), [8]);
    assert.deepEqual(c.offsets('news'), []);
});

test('after 1006 the client waits the backoff, resubscribes with since and skips what it already has', async () => {
    const c = await delivered42();
    await c.socket.drop(1006);
    assert.equal(c.state, 'reconnecting');
    assert.equal(c.details.at(-1).code, 1006);
    assert.equal(c.details.at(-1).delay, 500);

    assertReconnectsAfter(assert, c, 500);
    const socket = c.socket;
    assert.deepEqual(socket.sent, [], 'nothing before the welcome');
    await socket.welcome('client-2');
    assert.equal(c.state, 'open');
    assert.equal(c.details.at(-1).reconnected, true);
    assert.deepEqual(socket.lastRequest('subscribe').since, {offset: 42, epoch: 'e1'});

    // The replay overlaps what was delivered before the close.
    for (const offset of [41, 42, 43, 44])
        await socket.message('inventory', offset);
    await socket.subscribed('inventory', 44, 'e1', true);
    assert.deepEqual(c.recovered, [['inventory', true]]);
    await socket.message('inventory', 44);
    await socket.message('inventory', 45);
    assert.deepEqual(c.offsets('inventory'), [41, 42, 43, 44, 45]);
});

test('recovered:false tells the page to refetch, and the new epoch\'s offsets are delivered', async () => {
    const c = await delivered42();
    await c.socket.drop(1001, 'the hub is stopping');
    mock.timers.tick(500);
    await c.socket.welcome('client-2');
    assert.deepEqual(c.socket.lastRequest('subscribe').since, {offset: 42, epoch: 'e1'});
    await c.socket.subscribed('inventory', 3, 'e9', false);
    assert.deepEqual(c.recovered, [['inventory', false]]);

    // Lower than what the old epoch reached, and new all the same.
    await c.socket.message('inventory', 3);
    await c.socket.message('inventory', 4);
    await c.socket.message('inventory', 5);
    assert.deepEqual(c.offsets('inventory'), [41, 42, 4, 5]);

    // The next recovery starts from the new epoch.
    await c.socket.drop(1006);
    mock.timers.tick(1000);
    await c.socket.welcome('client-3');
    assert.deepEqual(c.socket.lastRequest('subscribe').since, {offset: 5, epoch: 'e9'});
});

test('recovered:false in the same epoch (history trimmed) moves the position to the reply\'s offset', async () => {
    const c = await delivered42();
    await c.socket.drop(1006);
    mock.timers.tick(500);
    await c.socket.welcome('client-2');
    await c.socket.subscribed('inventory', 1500, 'e1', false);
    assert.deepEqual(c.recovered, [['inventory', false]]);

    // Recovering from 42 again would fail again: the page has refetched up to 1500.
    await c.socket.drop(1006);
    mock.timers.tick(1000);
    await c.socket.welcome('client-3');
    assert.deepEqual(c.socket.lastRequest('subscribe').since, {offset: 1500, epoch: 'e1'});
});

test('a subscribed notice unasked moves the position to a new stream and tells the page', async () => {
    const c = await delivered42();
    // Redis went away under the hub: its stream goes on locally, in another epoch, from 42.
    await c.socket.receive({type: 'subscribed', channel: 'inventory', offset: 42, epoch: 'local-1', recovered: false});
    assert.deepEqual(c.recovered, [['inventory', false]]);
    await c.socket.message('inventory', 43);
    // Back on Redis's stream, whose offsets are lower than what the page has: new all the same.
    await c.socket.receive({type: 'subscribed', channel: 'inventory', offset: 2, epoch: 'shared-2', recovered: false});
    await c.socket.message('inventory', 3);
    assert.deepEqual(c.offsets('inventory'), [41, 42, 43, 3]);
    assert.deepEqual(c.recovered, [['inventory', false], ['inventory', false]]);
    // A notice for a channel the page does not hold changes nothing.
    await c.socket.receive({type: 'subscribed', channel: 'news', offset: 9, epoch: 'x', recovered: false});
    assert.equal(c.recovered.length, 2);

    await c.socket.drop(1006);
    mock.timers.tick(500);
    await c.socket.welcome('client-2');
    assert.deepEqual(c.socket.lastRequest('subscribe').since, {offset: 3, epoch: 'shared-2'});
});

test('successive failed connects wait 0.5, 1, 2, 4, 8 s', async () => {
    const c = start({channels: ['inventory']});
    for (const wait of [500, 1000, 2000, 4000, 8000]) {
        await c.socket.drop(1006);
        assert.equal(c.details.at(-1).delay, wait);
        assertReconnectsAfter(assert, c, wait);
        assert.equal(c.state, 'reconnecting');
    }
});

test('after a connection that lived 30 s the wait starts at 0.5 s again', async () => {
    const c = start();
    for (const wait of [500, 1000, 2000]) {
        await c.socket.drop(1006);
        mock.timers.tick(wait);
    }
    await c.socket.welcome();
    mock.timers.tick(30000);
    await c.socket.drop(1006);
    assertReconnectsAfter(assert, c, 500);
});

test('after a connection shorter than 30 s the wait keeps growing', async () => {
    const c = start();
    for (const wait of [500, 1000, 2000]) {
        await c.socket.drop(1006);
        mock.timers.tick(wait);
    }
    await c.socket.welcome();
    mock.timers.tick(29999);
    await c.socket.drop(1006);
    assertReconnectsAfter(assert, c, 4000);
});

test('4003 closes for good: no new socket, however long', async () => {
    const c = await delivered42();
    await c.socket.drop(4003, 'disconnected by an administrator');
    assert.equal(c.state, 'closed');
    assert.deepEqual(c.details.at(-1), {code: 4003, reason: 'disconnected by an administrator'});
    mock.timers.tick(60 * 60 * 1000);
    assert.equal(c.sockets.length, 1);
    assert.equal(c.hub.state, 'closed');
});

test('4029 waits 5 s before the next try', async () => {
    const c = start({channels: ['inventory']});
    await c.socket.drop(4029, 'the hub has its maximum of 10000 clients');
    assert.equal(c.state, 'reconnecting');
    assertReconnectsAfter(assert, c, 5000);
});

test('4029 with the lowest jitter still waits 4 s', async () => {
    const c = start({random: () => 0});
    await c.socket.drop(4029);
    assertReconnectsAfter(assert, c, 4000);
});

test('4001 without getToken closes for good', async () => {
    const c = start({token: 'stale', channels: ['inventory']});
    await c.socket.welcome();
    assert.deepEqual(c.socket.sent.map((frame) => frame.type), ['auth']);
    await c.socket.drop(4001, 'the token has expired');
    assert.equal(c.state, 'closed');
    mock.timers.tick(60000);
    assert.equal(c.sockets.length, 1);
});

test('4001 with getToken: a fresh token is sent in auth before any subscribe', async () => {
    let asked = 0;
    const c = start({token: 't1', channels: ['inventory'], getToken: async () => `t${++asked + 1}`});
    await c.socket.welcome();
    assert.deepEqual(c.socket.lastRequest('auth').token, 't1');
    await c.socket.answer('auth', {type: 'authed', sub: 'picker-1'});
    await settle();
    assert.equal(c.state, 'open');
    await c.socket.subscribed('inventory', 40, 'e1');
    await c.socket.message('inventory', 41);

    await c.socket.drop(4001, 'the token has expired');
    assert.equal(asked, 1);
    assert.equal(c.state, 'reconnecting');
    await settle();
    assertReconnectsAfter(assert, c, 500);
    assert.equal(c.socket.url.includes('t2'), false, 'the token never goes in the URL');

    await c.socket.welcome('client-2');
    assert.deepEqual(c.socket.sent.map((frame) => frame.type), ['auth'], 'nothing but auth before authed');
    assert.equal(c.socket.lastRequest('auth').token, 't2');
    await c.socket.answer('auth', {type: 'authed', sub: 'picker-1'});
    await settle();
    assert.equal(c.state, 'open');
    assert.deepEqual(c.socket.sent.map((frame) => frame.type), ['auth', 'subscribe']);
    assert.deepEqual(c.socket.lastRequest('subscribe').since, {offset: 41, epoch: 'e1'});
    assert.equal(asked, 1);
});

test('4001 and a getToken that throws: closed', async () => {
    const c = start({token: 't1', getToken: () => {
        throw new Error('the login expired');
    }});
    await c.socket.welcome();
    await c.socket.drop(4001, 'the token has expired');
    await settle();
    assert.equal(c.state, 'closed');
    assert.match(c.details.at(-1).reason, /the login expired/);
    mock.timers.tick(60000);
    assert.equal(c.sockets.length, 1);
});

test('a token source whose every token is refused is asked three times, then the client stays closed', async () => {
    let asked = 0;
    const c = start({token: 't0', getToken: () => `t${++asked}`});
    for (const wait of [500, 1000, 2000]) {
        await c.socket.welcome();
        await c.socket.drop(4001, 'bad signature');
        await settle();
        assertReconnectsAfter(assert, c, wait);
    }
    await c.socket.welcome();
    assert.equal(c.socket.lastRequest('auth').token, 't3');
    await c.socket.drop(4001, 'bad signature');
    await settle();
    assert.equal(c.state, 'closed');
    assert.equal(asked, 3);
    mock.timers.tick(60000);
    assert.equal(c.sockets.length, 4);
});

test('a hub silent past idleMs is pinged; no pong within pongTimeout means reconnect', async () => {
    const c = start({idleMs: 30000, pongTimeout: 10000});
    await c.socket.welcome();
    mock.timers.tick(29999);
    assert.deepEqual(c.socket.requests('ping'), []);
    mock.timers.tick(1);
    await c.socket.answer('ping', {type: 'pong', ts: 1700000000000});
    mock.timers.tick(29999);
    assert.equal(c.socket.requests('ping').length, 1, 'the pong restarted the wait');
    mock.timers.tick(1);
    assert.equal(c.socket.requests('ping').length, 2);
    mock.timers.tick(9999);
    assert.equal(c.socket.closedWith, null);

    mock.timers.tick(1);
    assert.notEqual(c.socket.closedWith, null, 'the dead socket is closed');
    assert.equal(c.state, 'reconnecting');
    assertReconnectsAfter(assert, c, 500);
});

test('a hub that keeps talking is never pinged', async () => {
    const c = start({idleMs: 30000, pongTimeout: 10000, channels: ['inventory']});
    await c.socket.welcome();
    await c.socket.subscribed('inventory', 0, 'e1');
    for (let offset = 1; offset <= 12; ++offset) {
        mock.timers.tick(10000);
        await c.socket.message('inventory', offset);
    }
    assert.deepEqual(c.socket.requests('ping'), []);
    assert.equal(c.state, 'open');
    // Quiet from the last message on: the ping comes a whole idle period after it.
    mock.timers.tick(29999);
    assert.deepEqual(c.socket.requests('ping'), []);
    mock.timers.tick(1);
    assert.equal(c.socket.requests('ping').length, 1);
});
