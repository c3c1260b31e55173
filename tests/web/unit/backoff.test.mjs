// The waits between reconnects, as pure functions of the attempt, the close code and the jitter.

import {test} from 'node:test';
import assert from 'node:assert/strict';
import {Backoff, CloseCode, backoffDelay, reconnectDelay} from '../../../resources/web/client/kucun-hub.js';

const low = () => 0;
const middle = () => 0.5;
const high = () => 1;

test('backoffDelay doubles from 0.5 s and stops at 30 s', () => {
    const waits = Array.from({length: 9}, (_, attempt) => backoffDelay(attempt, middle));
    assert.deepEqual(waits, [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
});

test('backoffDelay stays at 30 s however many attempts failed', () => {
    for (const attempt of [10, 16, 17, 100, 1e6])
        assert.equal(backoffDelay(attempt, middle), 30000, `attempt ${attempt}`);
});

test('backoffDelay jitters by 20 % either way', () => {
    assert.equal(backoffDelay(0, low), 400);
    assert.equal(backoffDelay(0, high), 600);
    assert.equal(backoffDelay(3, low), 3200);
    assert.equal(backoffDelay(3, high), 4800);
    assert.equal(backoffDelay(20, low), 24000);
    assert.equal(backoffDelay(20, high), 36000);
});

test('backoffDelay with the default random stays within the jitter', () => {
    for (let i = 0; i < 200; ++i) {
        const wait = backoffDelay(2);
        assert.ok(wait >= 1600 && wait <= 2400, `${wait} outside 2000 ± 20 %`);
    }
});

test('reconnectDelay: no reconnect after an administrator disconnected the client', () => {
    assert.equal(reconnectDelay(CloseCode.DISCONNECTED_BY_ADMIN, 0, middle), null);
    assert.equal(reconnectDelay(4003, 5, low), null);
});

test('reconnectDelay: a full hub means at least 5 s, jittered', () => {
    assert.equal(reconnectDelay(CloseCode.HUB_FULL, 0, middle), Backoff.HUB_FULL_MIN_MS);
    assert.equal(reconnectDelay(4029, 0, low), 4000);
    assert.equal(reconnectDelay(4029, 0, high), 6000);
    // Past the floor the ordinary backoff takes over.
    assert.equal(reconnectDelay(4029, 4, middle), 8000);
    assert.equal(reconnectDelay(4029, 9, middle), 30000);
});

test('reconnectDelay: going away, abnormal and slow-consumer closes use the ordinary backoff', () => {
    for (const code of [CloseCode.GOING_AWAY, CloseCode.ABNORMAL, CloseCode.SLOW_CONSUMER]) {
        for (const attempt of [0, 1, 2, 6, 7]) {
            for (const random of [low, middle, high])
                assert.equal(reconnectDelay(code, attempt, random), backoffDelay(attempt, random), `${code} #${attempt}`);
        }
        assert.equal(reconnectDelay(code, 0, middle), 500);
        assert.equal(reconnectDelay(code, 2, middle), 2000);
    }
});
