// Kucun Hub browser client: the WebSocket protocol v1 of docs/protocol.md as an ES module with
// no dependencies. connect() keeps one connection to a hub alive: it reconnects with backoff,
// subscribes again with `since` so that nothing is missed (or tells the page to refetch), and
// answers each close code the way docs/browser.md describes.

/** Close codes the hub sends (SPEC §6). */
export const CloseCode = Object.freeze({
    NORMAL: 1000,
    GOING_AWAY: 1001, // the hub is stopping
    PROTOCOL_ERROR: 1002,
    UNSUPPORTED_DATA: 1003,
    ABNORMAL: 1006, // no close frame: the network went, or the handshake was refused
    SLOW_CONSUMER: 1008,
    TOO_LARGE: 1009,
    TOKEN_REFUSED: 4001,
    DISCONNECTED_BY_ADMIN: 4003,
    HUB_FULL: 4029,
});

/** How long reconnects wait (SPEC §7). */
export const Backoff = Object.freeze({
    FIRST_MS: 500,
    MAX_MS: 30000,
    JITTER: 0.2,
    // A connection that lived this long was a good one: the next wait starts at FIRST_MS again.
    RESET_AFTER_MS: 30000,
    // A full hub is not helped by a quick retry from every client it turned away.
    HUB_FULL_MIN_MS: 5000,
});

/** The wait before reconnect number `attempt` (0 for the first), jitter included. */
export function backoffDelay(attempt, random = Math.random) {
    const base = Math.min(Backoff.MAX_MS, Backoff.FIRST_MS * 2 ** Math.min(attempt, 16));
    return Math.round(base * (1 + (random() * 2 - 1) * Backoff.JITTER));
}

/** The wait after close `code` before reconnect number `attempt`; null: do not reconnect. */
export function reconnectDelay(code, attempt, random = Math.random) {
    if (code === CloseCode.DISCONNECTED_BY_ADMIN)
        return null;
    const delay = backoffDelay(attempt, random);
    if (code === CloseCode.HUB_FULL) {
        const floor = Backoff.HUB_FULL_MIN_MS * (1 + (random() * 2 - 1) * Backoff.JITTER);
        return Math.round(Math.max(delay, floor));
    }
    return delay;
}

/** An error a request's promise rejects with: `code` is the hub's error code or one of ours. */
export class HubError extends Error {
    constructor(code, message) {
        super(message);
        this.name = 'HubError';
        this.code = code;
    }
}

/**
 * Per channel, where the page is: the epoch of its stream and the last offset delivered.
 * Decides which messages are new and what a `subscribed` reply means for recovery.
 */
export class ChannelPositions {
    constructor() {
        this.positions = new Map();
    }

    /** `since` for a subscribe, or undefined when nothing was delivered on `channel` yet. */
    since(channel) {
        const position = this.positions.get(channel);
        return position && position.epoch !== undefined ? {offset: position.offset, epoch: position.epoch}
                                                        : undefined;
    }

    /** True when `message` is new (delivered once); its offset becomes the channel's. */
    accept(message) {
        const position = this.positions.get(message.channel);
        if (!position) {
            this.positions.set(message.channel, {offset: message.offset, epoch: undefined});
            return true;
        }
        if (typeof message.offset === 'number' && message.offset <= position.offset)
            return false;
        position.offset = message.offset;
        return true;
    }

    /**
     * A `subscribed` reply: the channel's stream is `reply.epoch` at `reply.offset`. Returns
     * whether what was missed came back (true), could not (false: the page should refetch), or
     * undefined for a first subscribe, which has nothing to recover.
     */
    subscribed(reply, asked) {
        const position = this.positions.get(reply.channel);
        if (!asked) {
            // Messages that came before the reply are newer than its offset: keep the later one.
            const offset = position ? Math.max(position.offset, reply.offset) : reply.offset;
            this.positions.set(reply.channel, {offset, epoch: reply.epoch});
            return undefined;
        }
        if (!reply.recovered || !position || position.epoch !== reply.epoch)
            this.positions.set(reply.channel, {offset: reply.offset, epoch: reply.epoch});
        return reply.recovered === true;
    }

    /**
     * A `subscribed` the hub sent unasked: the channel's stream changed under the subscription
     * (Redis went away or came back, docs/protocol.md). The reply's epoch and offset are the
     * position from now on; what came in between may be missing.
     */
    restarted(notice) {
        this.positions.set(notice.channel, {offset: notice.offset, epoch: notice.epoch});
    }

    forget(channel) {
        this.positions.delete(channel);
    }
}

/** The `exp` of a JSON Web Token in milliseconds, or undefined (not a JWT, no exp). */
export function tokenExpiry(token) {
    try {
        const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
        const claims = JSON.parse(atob(part + '='.repeat((4 - (part.length % 4)) % 4)));
        return typeof claims.exp === 'number' ? claims.exp * 1000 : undefined;
    } catch {
        return undefined;
    }
}

const defaults = {
    token: undefined,
    getToken: undefined,
    channels: [],
    onMessage: () => {},
    onState: () => {},
    onRecovered: () => {},
    onError: () => {},
    requestTimeout: 10000,
    // From the socket's creation to `open` (welcome, and authed with a token); beyond it the
    // attempt counts as failed.
    connectTimeout: 15000,
    // How long before a token's `exp` the client asks getToken() for the next one.
    tokenRefreshMs: 30000,
    // After this long with nothing from the hub, a ping; no answer within pongTimeout: the
    // connection is taken for dead (a browser cannot see the hub's own WebSocket pings).
    idleMs: 30000,
    pongTimeout: 10000,
    WebSocket: globalThis.WebSocket,
    random: Math.random,
};

// Consecutive 4001 closes with a fresh token each before the client gives up: the token source
// itself is wrong, and asking it in a loop would only hammer it.
const MAX_TOKEN_REFUSALS = 3;

const MAX_TIMER_MS = 24 * 3600 * 1000;

class HubConnection {
    constructor(url, options) {
        this.url = url;
        this.options = {...defaults, ...options};
        this.token = this.options.token;
        this.state = 'connecting';
        this.clientId = undefined;
        this.everOpened = false;
        this.attempt = 0;
        this.tokenRefusals = 0;
        this.wanted = new Set(this.options.channels);
        this.positions = new ChannelPositions();
        this.pending = new Map(); // request id → {resolve, reject, timer}
        this.waiting = new Map(); // channel → [{resolve, reject}] of subscribes made while away
        this.nextId = 1;
        this.socket = null;
        this.timers = {reconnect: null, connect: null, idle: null, pong: null, refresh: null};
        this.online = () => this.retryNow();
        globalThis.addEventListener?.('online', this.online);
        this.open();
    }

    /** The channels the client keeps subscribed, across reconnects. */
    get channels() {
        return [...this.wanted];
    }

    subscribe(channel) {
        if (this.state === 'closed')
            return Promise.reject(new HubError('closed', 'the connection is closed: connect() again'));
        this.wanted.add(channel);
        if (this.state === 'open')
            return this.subscribeNow(channel);
        return new Promise((resolve, reject) => {
            const waiters = this.waiting.get(channel) ?? [];
            waiters.push({resolve, reject});
            this.waiting.set(channel, waiters);
        });
    }

    unsubscribe(channel) {
        this.wanted.delete(channel);
        this.positions.forget(channel);
        this.settleWaiters(channel, null, new HubError('unsubscribed', `unsubscribed from ${channel}`));
        if (this.state !== 'open')
            return Promise.resolve({type: 'unsubscribed', channel});
        return this.request({type: 'unsubscribe', channel});
    }

    /** Resolves with the hub's `published` reply; rejects while the client is not connected. */
    publish(channel, data) {
        if (this.state !== 'open')
            return Promise.reject(new HubError('not_connected', 'not connected to the hub'));
        return this.request({type: 'publish', channel, data});
    }

    /** Ends the connection for good: no reconnect, pending requests rejected. */
    close() {
        if (this.state === 'closed')
            return;
        this.dropSocket(CloseCode.NORMAL, 'closed by the page');
        this.rejectWaiters(new HubError('closed', 'closed by the page'));
        this.setState('closed', {code: CloseCode.NORMAL, reason: 'closed by the page'});
    }

    // --- the connection -------------------------------------------------------------------

    open() {
        this.clearTimer('reconnect');
        this.setState(this.attempt === 0 && !this.clientId ? 'connecting' : 'reconnecting',
                      {attempt: this.attempt});
        let socket;
        try {
            socket = new this.options.WebSocket(this.url);
        } catch (error) {
            // A malformed URL: no retry can mend it.
            this.setState('closed', {code: CloseCode.ABNORMAL, reason: String(error.message ?? error)});
            return;
        }
        this.socket = socket;
        this.openedAt = Date.now();
        this.welcomed = false;
        // A socket that never opens, a welcome or an authed that never comes: a link as dead as
        // a closed one, whatever the browser's own connect timeout says.
        this.timers.connect = setTimeout(() => {
            this.timers.connect = null;
            this.dropSocket(CloseCode.ABNORMAL, 'no welcome from the hub');
            this.closed(CloseCode.ABNORMAL, 'no welcome from the hub');
        }, this.options.connectTimeout);
        socket.onmessage = (event) => this.received(event.data);
        socket.onclose = (event) => this.closed(event.code, event.reason);
        socket.onerror = () => {}; // a close event follows, with the code
    }

    received(text) {
        this.heardAt = Date.now();
        this.clearTimer('pong');
        if (this.timers.idle === null)
            this.watchIdle(this.options.idleMs);
        let message;
        try {
            message = JSON.parse(text);
        } catch {
            return; // the hub sends JSON; anything else is not ours to act on
        }
        if (message === null || typeof message !== 'object')
            return;
        if (typeof message.channel === 'string' && message.type === undefined) {
            if (this.wanted.has(message.channel) && this.positions.accept(message))
                this.options.onMessage(message);
            return;
        }
        if (message.type === 'welcome') {
            this.welcome(message);
            return;
        }
        if (message.id !== undefined && this.pending.has(message.id)) {
            const request = this.pending.get(message.id);
            this.pending.delete(message.id);
            clearTimeout(request.timer);
            if (message.type === 'error')
                request.reject(new HubError(message.code, message.message));
            else
                request.resolve(message);
            return;
        }
        if (message.type === 'error') {
            this.options.onError(new HubError(message.code, message.message));
        } else if (message.type === 'subscribed' && this.wanted.has(message.channel)) {
            this.positions.restarted(message);
            this.options.onRecovered(message.channel, false);
        } else if (message.type === 'unsubscribed') {
            this.dropChannel(message.channel, new HubError('forbidden', 'the new token does not allow it'), true);
        }
    }

    async welcome(message) {
        this.welcomed = true;
        this.clientId = message.clientId;
        const socket = this.socket;
        if (!this.token && this.options.getToken) {
            // A page that only gave a token source: the first token comes from it too.
            try {
                this.token = await this.options.getToken();
            } catch (error) {
                this.options.onError(new HubError('unauthorized', `getToken failed: ${error?.message ?? error}`));
            }
            if (socket !== this.socket)
                return;
        }
        if (this.token) {
            try {
                await this.request({type: 'auth', token: this.token});
            } catch {
                return; // the hub closes with 4001; closed() takes it from there
            }
            if (socket !== this.socket)
                return;
            this.tokenRefusals = 0;
            this.scheduleRefresh();
        }
        this.clearTimer('connect');
        const resubscribing = this.attempt > 0 || this.everOpened;
        this.everOpened = true;
        this.setState('open', {clientId: this.clientId, reconnected: resubscribing});
        for (const channel of this.wanted)
            this.subscribeNow(channel, true).catch(() => {});
    }

    // `resuming`: after a (re)connect, where the channel's messages may have been missed. A
    // page's own subscribe to a channel it holds asks for nothing back.
    subscribeNow(channel, resuming = false) {
        const since = resuming ? this.positions.since(channel) : undefined;
        const request = since ? {type: 'subscribe', channel, since} : {type: 'subscribe', channel};
        const done = this.request(request).then(
            (reply) => {
                const recovered = this.positions.subscribed(reply, since !== undefined);
                if (recovered !== undefined)
                    this.options.onRecovered(channel, recovered);
                this.settleWaiters(channel, reply, null);
                return reply;
            },
            (error) => {
                if (resuming)
                    this.resubscribeFailed(channel, error);
                else if (!['closed', 'timeout', 'unauthorized'].includes(error.code))
                    this.dropChannel(channel, error, false); // the page's promise says why
                throw error;
            });
        return done;
    }

    // The client's own subscribe after a (re)connect failed: nobody holds its promise, so the
    // page hears of it through onError. A channel refused for good (forbidden, a bad name) is
    // let go; one refused for now is asked again: after a second when rate-limited, with the
    // next connection when closed, timed out or without a token yet.
    resubscribeFailed(channel, error) {
        if (error.code === 'rate_limited') {
            setTimeout(() => {
                if (this.state === 'open' && this.wanted.has(channel))
                    this.subscribeNow(channel, true).catch(() => {});
            }, 1000);
        } else if (!['closed', 'timeout', 'unauthorized'].includes(error.code)) {
            this.dropChannel(channel, error, true);
        }
    }

    dropChannel(channel, error, report) {
        if (!this.wanted.delete(channel))
            return;
        this.positions.forget(channel);
        this.settleWaiters(channel, null, error);
        if (report)
            this.options.onError(error);
    }

    settleWaiters(channel, reply, error) {
        const waiters = this.waiting.get(channel);
        if (!waiters)
            return;
        this.waiting.delete(channel);
        for (const waiter of waiters)
            error ? waiter.reject(error) : waiter.resolve(reply);
    }

    request(body) {
        const id = this.nextId++;
        return new Promise((resolve, reject) => {
            const timer = setTimeout(() => {
                this.pending.delete(id);
                reject(new HubError('timeout', `no answer to ${body.type} within ${this.options.requestTimeout} ms`));
            }, this.options.requestTimeout);
            this.pending.set(id, {resolve, reject, timer});
            this.socket.send(JSON.stringify({...body, id}));
        });
    }

    closed(code, reason) {
        const livedMs = Date.now() - this.openedAt;
        this.socket = null;
        this.clearConnectionTimers();
        this.rejectPending(new HubError('closed', `the connection closed (${code})`));
        if (this.state === 'closed')
            return;
        if (livedMs >= Backoff.RESET_AFTER_MS && this.welcomed)
            this.attempt = 0;
        if (code === CloseCode.TOKEN_REFUSED) {
            this.tokenRefused(reason);
            return;
        }
        const delay = reconnectDelay(code, this.attempt, this.options.random);
        if (delay === null) {
            this.rejectWaiters(new HubError('closed', reason || `closed with ${code}`));
            this.setState('closed', {code, reason});
            return;
        }
        this.scheduleReconnect(delay, code, reason);
    }

    async tokenRefused(reason) {
        const giveUp = (why) => {
            this.rejectWaiters(new HubError('unauthorized', why));
            this.setState('closed', {code: CloseCode.TOKEN_REFUSED, reason: why});
        };
        if (!this.options.getToken || ++this.tokenRefusals > MAX_TOKEN_REFUSALS) {
            giveUp(reason || 'the hub refused the token');
            return;
        }
        this.setState('reconnecting', {code: CloseCode.TOKEN_REFUSED, reason, attempt: this.attempt});
        let fresh;
        try {
            fresh = await this.options.getToken();
        } catch (error) {
            giveUp(`getToken failed: ${error?.message ?? error}`);
            return;
        }
        if (this.state === 'closed')
            return;
        if (!fresh) {
            giveUp('getToken gave no token');
            return;
        }
        this.token = fresh;
        this.scheduleReconnect(backoffDelay(this.attempt, this.options.random), CloseCode.TOKEN_REFUSED, reason);
    }

    scheduleReconnect(delay, code, reason) {
        this.setState('reconnecting', {code, reason, attempt: this.attempt, delay});
        this.attempt += 1;
        this.timers.reconnect = setTimeout(() => this.open(), delay);
    }

    /** The browser says the network is back: no reason to sit out the rest of a wait. */
    retryNow() {
        if (this.state === 'reconnecting' && this.timers.reconnect !== null && !this.socket)
            this.open();
    }

    // --- tokens and liveness ----------------------------------------------------------------

    scheduleRefresh() {
        this.clearTimer('refresh');
        const expiry = tokenExpiry(this.token);
        if (!this.options.getToken || expiry === undefined)
            return;
        const wait = Math.max(1000, expiry - Date.now() - this.options.tokenRefreshMs);
        if (wait > MAX_TIMER_MS) {
            // setTimeout fires at once beyond 2^31 - 1 ms: a token good for a month is looked at
            // again in a day.
            this.timers.refresh = setTimeout(() => this.scheduleRefresh(), MAX_TIMER_MS);
            return;
        }
        this.timers.refresh = setTimeout(async () => {
            this.timers.refresh = null;
            try {
                const fresh = await this.options.getToken();
                if (!fresh || this.state !== 'open')
                    return;
                this.token = fresh;
                await this.request({type: 'auth', token: fresh});
                this.scheduleRefresh();
            } catch (error) {
                this.options.onError(error instanceof HubError ? error : new HubError('unauthorized', String(error)));
            }
        }, wait);
    }

    // One timer per quiet period, not one per message: when it fires it looks at when the hub
    // last spoke, and waits out the rest of the period if it did since.
    watchIdle(delay) {
        this.timers.idle = setTimeout(() => {
            this.timers.idle = null;
            if (!this.socket || this.state !== 'open')
                return;
            const silentMs = Date.now() - this.heardAt;
            if (silentMs < this.options.idleMs) {
                this.watchIdle(this.options.idleMs - silentMs);
                return;
            }
            this.request({type: 'ping'}).catch(() => {});
            this.timers.pong = setTimeout(() => {
                // The hub said nothing for idleMs + pongTimeout: the link is dead without a close.
                const socket = this.socket;
                this.dropSocket(CloseCode.ABNORMAL, 'no answer from the hub');
                if (socket)
                    this.closed(CloseCode.ABNORMAL, 'no answer from the hub');
            }, this.options.pongTimeout);
        }, delay);
    }

    // --- housekeeping -----------------------------------------------------------------------

    dropSocket(code, reason) {
        const socket = this.socket;
        this.socket = null;
        this.clearConnectionTimers();
        this.clearTimer('reconnect');
        if (!socket)
            return;
        socket.onmessage = socket.onclose = socket.onerror = null;
        try {
            socket.close(code === CloseCode.NORMAL ? CloseCode.NORMAL : 4000, reason);
        } catch {
            // already closing
        }
        this.rejectPending(new HubError('closed', reason));
    }

    rejectPending(error) {
        for (const request of this.pending.values()) {
            clearTimeout(request.timer);
            request.reject(error);
        }
        this.pending.clear();
    }

    rejectWaiters(error) {
        for (const channel of [...this.waiting.keys()])
            this.settleWaiters(channel, null, error);
    }

    clearConnectionTimers() {
        this.clearTimer('connect');
        this.clearTimer('idle');
        this.clearTimer('pong');
        this.clearTimer('refresh');
    }

    clearTimer(name) {
        if (this.timers[name] !== null) {
            clearTimeout(this.timers[name]);
            this.timers[name] = null;
        }
    }

    setState(state, detail = {}) {
        this.state = state;
        if (state === 'closed')
            globalThis.removeEventListener?.('online', this.online);
        this.options.onState(state, detail);
    }
}

/**
 * Connects to the hub at `url` (`ws://` or `wss://`) and keeps the connection alive until
 * close(). See kucun-hub.d.ts for the options and docs/browser.md for how a page uses it.
 */
export function connect(url, options = {}) {
    return new HubConnection(url, options);
}
