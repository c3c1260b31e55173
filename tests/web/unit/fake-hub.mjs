// A stand-in for the browser's WebSocket and for the hub at its other end, so that the client's
// behaviour can be driven frame by frame under node's fake timers.

import {afterEach, beforeEach, mock} from 'node:test';
import {connect} from '../../../resources/web/client/kucun-hub.js';

export const HUB_URL = 'ws://hub.test:3002/';

/** A WebSocket class of its own per connection, so that tests never see each other's sockets. */
export function fakeWebSocketClass() {
    const sockets = [];
    class FakeWebSocket {
        constructor(url) {
            this.url = url;
            this.sent = [];
            this.closedWith = null;
            this.onmessage = this.onclose = this.onerror = null;
            sockets.push(this);
        }

        send(text) {
            this.sent.push(JSON.parse(text));
        }

        close(code, reason) {
            this.closedWith = {code, reason};
        }

        // --- the hub's side --------------------------------------------------------------
        // A browser dispatches each event as a task of its own, with the promise reactions of
        // one run before the next: so do these, hence an await on each.

        receive(message) {
            this.onmessage({data: typeof message === 'string' ? message : JSON.stringify(message)});
            return settle();
        }

        drop(code, reason = '') {
            this.onclose({code, reason});
            return settle();
        }

        welcome(clientId = 'client-1') {
            return this.receive({type: 'welcome', clientId, protocol: 1, heartbeat: 25});
        }

        requests(type) {
            return this.sent.filter((frame) => frame.type === type);
        }

        lastRequest(type, channel) {
            const frames = this.requests(type).filter((frame) => channel === undefined || frame.channel === channel);
            if (frames.length === 0)
                throw new Error(`the client sent no ${type}${channel ? ` for ${channel}` : ''}`);
            return frames.at(-1);
        }

        /** Answers the last request of `type` (on `channel`) with `reply`, echoing its id. */
        async answer(type, reply, channel) {
            const request = this.lastRequest(type, channel);
            await this.receive({...reply, id: request.id});
            return request;
        }

        subscribed(channel, offset, epoch, recovered = false) {
            return this.answer('subscribe', {type: 'subscribed', channel, offset, epoch, recovered}, channel);
        }

        message(channel, offset, data = {n: offset}) {
            return this.receive({channel, data, ts: 1700000000000 + offset, offset});
        }
    }
    return {FakeWebSocket, sockets};
}

/**
 * A connection to the fake hub with every callback recorded. Jitter is zero (random 0.5), so
 * waits are exact. Must be called with the fake timers on: the client reads the clock at once.
 */
export function start(options = {}) {
    const {FakeWebSocket, sockets} = fakeWebSocketClass();
    const seen = {states: [], details: [], messages: [], recovered: [], errors: []};
    const hub = connect(HUB_URL, {
        WebSocket: FakeWebSocket,
        random: () => 0.5,
        onState: (state, detail) => {
            seen.states.push(state);
            seen.details.push(detail);
        },
        onMessage: (message) => seen.messages.push(message),
        onRecovered: (channel, recovered) => seen.recovered.push([channel, recovered]),
        onError: (error) => seen.errors.push(error),
        ...options,
    });
    return {
        hub,
        sockets,
        ...seen,
        get socket() {
            return sockets.at(-1);
        },
        get state() {
            return seen.states.at(-1);
        },
        offsets(channel) {
            return seen.messages.filter((m) => channel === undefined || m.channel === channel).map((m) => m.offset);
        },
    };
}

/** Follows a promise without letting a rejection go unhandled. */
export function track(promise) {
    const tracked = {state: 'pending', value: undefined, error: undefined};
    promise.then((value) => Object.assign(tracked, {state: 'resolved', value}),
                 (error) => Object.assign(tracked, {state: 'rejected', error}));
    return tracked;
}

/** Lets every promise reaction run (setImmediate is not faked). */
export function settle() {
    return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Checks that the connection makes its next socket exactly `ms` from now, not earlier. Ticks
 * land on the moment a timer is due: node 20's fake clock is already at the end of a tick when
 * its callbacks run, so a timer one of them sets would count from there.
 */
export function assertReconnectsAfter(assert, connection, ms) {
    const before = connection.sockets.length;
    mock.timers.tick(ms - 1);
    assert.equal(connection.sockets.length, before, `a new socket before ${ms} ms`);
    mock.timers.tick(1);
    assert.equal(connection.sockets.length, before + 1, `no new socket after ${ms} ms`);
}

/**
 * Fake timers around every test of the file, and a start() whose connections are closed after
 * each test, so that no timer outlives it and the runner exits by itself.
 */
export function useFakeTimers() {
    const connections = [];
    beforeEach(() => mock.timers.enable({apis: ['setTimeout', 'Date']}));
    afterEach(() => {
        for (const connection of connections.splice(0))
            connection.hub.close();
        mock.timers.reset();
    });
    return (options) => {
        const connection = start(options);
        connections.push(connection);
        return connection;
    };
}
