// One connection's life: welcome, requests and their replies, unsubscribe and close().

import {mock, test} from 'node:test';
import assert from 'node:assert/strict';
import {HubError} from '../../../resources/web/client/kucun-hub.js';
import {HUB_URL, settle, track, useFakeTimers} from './fake-hub.mjs';

const start = useFakeTimers();

test('nothing is sent before the welcome; the welcome opens and subscribes the channels option', async () => {
    const c = start({channels: ['inventory', 'orders']});
    assert.equal(c.sockets.length, 1);
    assert.equal(c.socket.url, HUB_URL);
    assert.deepEqual(c.states, ['connecting']);
    assert.deepEqual(c.socket.sent, []);

    await c.socket.welcome('5f0c');
    assert.equal(c.state, 'open');
    assert.equal(c.hub.state, 'open');
    assert.equal(c.hub.clientId, '5f0c');
    assert.deepEqual(c.details.at(-1), {clientId: '5f0c', reconnected: false});
    const subscribes = c.socket.requests('subscribe');
    assert.deepEqual(subscribes.map((frame) => frame.channel), ['inventory', 'orders']);
    assert.equal(new Set(subscribes.map((frame) => frame.id)).size, 2, 'each subscribe has its own id');
    for (const frame of subscribes) {
        assert.notEqual(frame.id, undefined);
        assert.equal('since' in frame, false, 'a first subscribe has nothing to recover');
    }
});

test('subscribe() resolves with the subscribed reply, not before', async () => {
    const c = start();
    await c.socket.welcome();
    const subscribing = track(c.hub.subscribe('inventory'));
    await settle();
    assert.equal(subscribing.state, 'pending');

    const request = await c.socket.subscribed('inventory', 4, 'e1');
    await settle();
    assert.equal(subscribing.state, 'resolved');
    assert.deepEqual(subscribing.value,
                     {type: 'subscribed', channel: 'inventory', offset: 4, epoch: 'e1', recovered: false, id: request.id});
    assert.deepEqual(c.hub.channels, ['inventory']);
    assert.deepEqual(c.recovered, [], 'a first subscribe is no recovery');
});

test('subscribe() before the welcome is sent once open and resolves with its reply', async () => {
    const c = start();
    const subscribing = track(c.hub.subscribe('orders'));
    assert.deepEqual(c.socket.sent, []);
    await c.socket.welcome();
    assert.equal(c.socket.requests('subscribe').length, 1);
    await c.socket.subscribed('orders', 0, 'e1');
    await settle();
    assert.equal(subscribing.state, 'resolved');
    assert.equal(subscribing.value.channel, 'orders');
});

test('replies in reverse order resolve the promise of the request each answers', async () => {
    const c = start();
    await c.socket.welcome();
    const first = track(c.hub.publish('orders', {orderId: 'SO-7'}));
    const second = track(c.hub.publish('orders', {orderId: 'SO-8'}));
    const [one, two] = c.socket.requests('publish');
    assert.deepEqual(one.data, {orderId: 'SO-7'});
    assert.deepEqual(two.data, {orderId: 'SO-8'});
    assert.notEqual(one.id, two.id);

    await c.socket.receive({type: 'published', channel: 'orders', offset: 13, id: two.id});
    await settle();
    assert.equal(first.state, 'pending');
    assert.equal(second.state, 'resolved');
    assert.equal(second.value.offset, 13);

    await c.socket.receive({type: 'published', channel: 'orders', offset: 12, id: one.id});
    await settle();
    assert.equal(first.state, 'resolved');
    assert.equal(first.value.offset, 12);
});

test('an error reply rejects its request with the hub\'s code and leaves the connection open', async () => {
    const c = start();
    await c.socket.welcome();
    const refused = track(c.hub.publish('products', {}));
    const other = track(c.hub.publish('orders', {}));
    await c.socket.answer('publish', {type: 'error', code: 'forbidden', message: 'the token does not allow channel \'products\''},
                    'products');
    await settle();
    assert.equal(refused.state, 'rejected');
    assert.ok(refused.error instanceof HubError);
    assert.equal(refused.error.code, 'forbidden');
    assert.equal(refused.error.message, 'the token does not allow channel \'products\'');
    assert.equal(other.state, 'pending');
    assert.equal(c.hub.state, 'open');
    assert.deepEqual(c.errors, [], 'an error a request waits for is not reported again');
});

test('an error reply no request waits for goes to onError', async () => {
    const c = start();
    await c.socket.welcome();
    await c.socket.receive({type: 'error', code: 'rate_limited', message: 'more than 100 requests per second'});
    assert.equal(c.errors.length, 1);
    assert.equal(c.errors[0].code, 'rate_limited');
});

test('a request with no reply within requestTimeout rejects with timeout', async () => {
    const c = start({requestTimeout: 2000});
    await c.socket.welcome();
    const publishing = track(c.hub.publish('orders', {}));
    mock.timers.tick(1999);
    await settle();
    assert.equal(publishing.state, 'pending');
    mock.timers.tick(1);
    await settle();
    assert.equal(publishing.state, 'rejected');
    assert.equal(publishing.error.code, 'timeout');

    // The late reply changes nothing and harms nothing.
    await c.socket.answer('publish', {type: 'published', channel: 'orders', offset: 1});
    assert.equal(c.hub.state, 'open');
});

test('publish while not open rejects with not_connected and sends nothing', async () => {
    const c = start();
    const early = track(c.hub.publish('orders', {}));
    await c.socket.welcome();
    await c.socket.drop(1006);
    const away = track(c.hub.publish('orders', {}));
    await settle();
    for (const publishing of [early, away]) {
        assert.equal(publishing.state, 'rejected');
        assert.equal(publishing.error.code, 'not_connected');
    }
    assert.deepEqual(c.socket.requests('publish'), []);
});

test('close() rejects what waits with closed, closes the socket and never reconnects', async () => {
    const c = start({channels: ['inventory']});
    await c.socket.welcome();
    const publishing = track(c.hub.publish('orders', {}));
    const subscribing = track(c.hub.subscribe('orders'));
    c.hub.close();
    await settle();
    assert.equal(publishing.state, 'rejected');
    assert.equal(publishing.error.code, 'closed');
    assert.equal(subscribing.state, 'rejected');
    assert.equal(subscribing.error.code, 'closed');
    assert.equal(c.state, 'closed');
    assert.equal(c.socket.closedWith.code, 1000);

    mock.timers.tick(10 * 60 * 1000);
    assert.equal(c.sockets.length, 1);
    assert.equal(c.states.filter((state) => state !== 'closed').length, 2, 'nothing after closed');
});

test('close() while waiting to reconnect cancels the reconnect and rejects later subscribes', async () => {
    const c = start();
    await c.socket.welcome();
    await c.socket.drop(1006);
    const subscribing = track(c.hub.subscribe('inventory'));
    c.hub.close();
    await settle();
    assert.equal(subscribing.state, 'rejected');
    assert.equal(subscribing.error.code, 'closed');
    mock.timers.tick(60000);
    assert.equal(c.sockets.length, 1);
    assert.equal(c.state, 'closed');
});

test('unsubscribe() stops the channel\'s messages and resolves with the reply', async () => {
    const c = start({channels: ['inventory', 'orders']});
    await c.socket.welcome();
    await c.socket.subscribed('inventory', 0, 'e1');
    await c.socket.subscribed('orders', 0, 'e2');
    await c.socket.message('inventory', 1);
    await c.socket.message('orders', 1);

    const leaving = track(c.hub.unsubscribe('inventory'));
    const request = c.socket.lastRequest('unsubscribe');
    assert.equal(request.channel, 'inventory');
    assert.deepEqual(c.hub.channels, ['orders']);
    // Messages the hub sent before it read the unsubscribe are no longer the page's.
    await c.socket.message('inventory', 2);
    await c.socket.receive({type: 'unsubscribed', channel: 'inventory', id: request.id});
    await c.socket.message('inventory', 3);
    await c.socket.message('orders', 2);
    await settle();
    assert.equal(leaving.state, 'resolved');
    assert.deepEqual(c.offsets('inventory'), [1]);
    assert.deepEqual(c.offsets('orders'), [1, 2]);

    // Nor does a reconnect bring it back.
    await c.socket.drop(1006);
    mock.timers.tick(500);
    await c.socket.welcome();
    assert.deepEqual(c.socket.requests('subscribe').map((frame) => frame.channel), ['orders']);
});
