// What keeps the client sane when the hub or the page does something unusual: long-lived tokens,
// a hub that never welcomes, refusals of a resubscribe, calls after close.

import {mock, test} from 'node:test';
import assert from 'node:assert/strict';
import {assertReconnectsAfter, settle, track, useFakeTimers} from './fake-hub.mjs';

const start = useFakeTimers();

function tokenExpiringIn(ms) {
    const part = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
    return `${part({alg: 'HS256'})}.${part({sub: 'p', exp: Math.floor((Date.now() + ms) / 1000)})}.sig`;
}

test('a token good for months is not refreshed in a loop', async () => {
    let asked = 0;
    const c = start({token: tokenExpiringIn(90 * 24 * 3600 * 1000), getToken: async () => {
        ++asked;
        return tokenExpiringIn(90 * 24 * 3600 * 1000);
    }});
    await c.socket.welcome();
    await c.socket.answer('auth', {type: 'authed', sub: 'p'});
    for (let n = 0; n < 10; ++n) {
        mock.timers.tick(1000);
        await settle();
    }
    assert.equal(asked, 0);
    assert.equal(c.socket.requests('auth').length, 1);
    // A day later it looks again, and still has nothing to do.
    mock.timers.tick(24 * 3600 * 1000);
    await settle();
    assert.equal(asked, 0);
});

test('a hub that accepts the socket but never welcomes counts as a failed attempt', async () => {
    const c = start({connectTimeout: 15000});
    mock.timers.tick(14999);
    assert.equal(c.socket.closedWith, null);
    mock.timers.tick(1);
    assert.notEqual(c.socket.closedWith, null, 'the silent socket is closed');
    assert.equal(c.state, 'reconnecting');
    assert.equal(c.details.at(-1).code, 1006);
    assertReconnectsAfter(assert, c, 500);
    await c.socket.welcome();
    // Open now: the timer is gone with the welcome.
    mock.timers.tick(60000);
    assert.equal(c.state, 'open');
    assert.equal(c.sockets.length, 2);
});

test('a resubscribe refused as rate-limited is asked again a second later', async () => {
    const c = start({channels: ['inventory']});
    await c.socket.welcome();
    await c.socket.answer('subscribe', {type: 'error', code: 'rate_limited', message: 'slow down'});
    assert.equal(c.socket.requests('subscribe').length, 1);
    assert.deepEqual(c.hub.channels, ['inventory']);
    mock.timers.tick(1000);
    assert.equal(c.socket.requests('subscribe').length, 2);
    await c.socket.subscribed('inventory', 3, 'e1');
    await c.socket.message('inventory', 4);
    assert.deepEqual(c.offsets('inventory'), [4]);
});

test('a resubscribe refused for good lets the channel go and tells onError', async () => {
    const c = start({channels: ['inventory']});
    await c.socket.welcome();
    await c.socket.answer('subscribe', {type: 'error', code: 'forbidden', message: 'not yours'});
    assert.deepEqual(c.hub.channels, []);
    assert.deepEqual(c.errors.map((error) => error.code), ['forbidden']);
});

test('the page\'s own refused subscribe rejects its promise, and onError stays quiet', async () => {
    const c = start();
    await c.socket.welcome();
    const subscribe = track(c.hub.subscribe('secret'));
    await c.socket.answer('subscribe', {type: 'error', code: 'forbidden', message: 'not yours'});
    await settle();
    assert.equal(subscribe.state, 'rejected');
    assert.equal(subscribe.error.code, 'forbidden');
    assert.deepEqual(c.errors, []);
    assert.deepEqual(c.hub.channels, []);
});

test('subscribe after the client closed rejects at once', async () => {
    const c = start();
    await c.socket.welcome();
    c.hub.close();
    const subscribe = track(c.hub.subscribe('inventory'));
    await settle();
    assert.equal(subscribe.state, 'rejected');
    assert.equal(subscribe.error.code, 'closed');
    assert.deepEqual(c.hub.channels, []);
});
