// Types of the Kucun Hub browser client (kucun-hub.js) and of every message of the WebSocket
// protocol v1 (SPEC §6, docs/protocol.md).

// --- What the hub sends --------------------------------------------------------------------

/** A JSON value as the hub carries it: `data` arrives exactly as it was published. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Any request may carry an id; the reply to it echoes the id. */
export type RequestId = Json;

export interface WelcomeMessage {
    type: 'welcome';
    clientId: string;
    protocol: 1;
    /** Seconds between the hub's WebSocket pings. */
    heartbeat: number;
}

/** A message on a channel: a routed event, a `ws:<channel>` message or a client publish. */
export interface ChannelMessage<T = Json> {
    channel: string;
    data: T;
    /** When the hub stamped it, milliseconds since 1970. */
    ts: number;
    /** Rises by one per message on the channel, within its epoch. */
    offset: number;
}

/**
 * The answer to a subscribe; or, unasked and without an id, the hub saying that the channel's
 * stream changed under the subscription (`recovered: false`; docs/protocol.md).
 */
export interface SubscribedReply {
    type: 'subscribed';
    channel: string;
    /** The channel's latest offset (0 before its first message). */
    offset: number;
    /** Names the channel's stream; a new epoch means the history was lost. */
    epoch: string;
    /** With `since`: whether every missed message was sent before this reply. */
    recovered: boolean;
    id?: RequestId;
}

export interface UnsubscribedReply {
    type: 'unsubscribed';
    channel: string;
    /** Absent when the hub ended the subscription itself (a narrower token). */
    id?: RequestId;
}

export interface PublishedReply {
    type: 'published';
    channel: string;
    offset: number;
    id?: RequestId;
}

export interface PongReply {
    type: 'pong';
    ts: number;
    id?: RequestId;
}

export interface AuthedReply {
    type: 'authed';
    /** The token's `sub`; empty on a hub without a JWT secret. */
    sub: string;
    id?: RequestId;
}

export type ErrorCode =
    | 'bad_json'
    | 'unknown_type'
    | 'bad_channel'
    | 'forbidden'
    | 'rate_limited'
    | 'too_large'
    | 'unauthorized'
    | 'unavailable';

export interface ErrorReply {
    type: 'error';
    code: ErrorCode;
    message: string;
    id?: RequestId;
}

export type ServerMessage =
    | WelcomeMessage
    | ChannelMessage
    | SubscribedReply
    | UnsubscribedReply
    | PublishedReply
    | PongReply
    | AuthedReply
    | ErrorReply;

// --- What a client sends ---------------------------------------------------------------------

export interface Since {
    offset: number;
    epoch: string;
}

export interface SubscribeRequest {
    type: 'subscribe';
    channel: string;
    since?: Since;
    id?: RequestId;
}

export interface UnsubscribeRequest {
    type: 'unsubscribe';
    channel: string;
    id?: RequestId;
}

export interface PublishRequest {
    type: 'publish';
    channel: string;
    data: Json;
    id?: RequestId;
}

export interface PingRequest {
    type: 'ping';
    id?: RequestId;
}

export interface AuthRequest {
    type: 'auth';
    token: string;
    id?: RequestId;
}

export type ClientRequest =
    | SubscribeRequest
    | UnsubscribeRequest
    | PublishRequest
    | PingRequest
    | AuthRequest;

// --- Close codes and waits -------------------------------------------------------------------

export declare const CloseCode: Readonly<{
    NORMAL: 1000;
    /** The hub is stopping: reconnects with backoff. */
    GOING_AWAY: 1001;
    PROTOCOL_ERROR: 1002;
    UNSUPPORTED_DATA: 1003;
    /** No close frame: the network went, or the handshake was refused (origin, busy hub). */
    ABNORMAL: 1006;
    /** The client fell 4 MiB behind: reconnects and recovers. */
    SLOW_CONSUMER: 1008;
    TOO_LARGE: 1009;
    /** Token refused or expired: asks getToken() for a fresh one, else stays closed. */
    TOKEN_REFUSED: 4001;
    /** An administrator disconnected the client: stays closed. */
    DISCONNECTED_BY_ADMIN: 4003;
    /** The hub is full: waits at least 5 s. */
    HUB_FULL: 4029;
}>;

export declare const Backoff: Readonly<{
    FIRST_MS: 500;
    MAX_MS: 30000;
    JITTER: 0.2;
    RESET_AFTER_MS: 30000;
    HUB_FULL_MIN_MS: 5000;
}>;

/** The wait before reconnect number `attempt` (0 for the first): 0.5 s doubling to 30 s, ±20 %. */
export declare function backoffDelay(attempt: number, random?: () => number): number;

/** The wait after close `code`; null when the client does not reconnect (4003). */
export declare function reconnectDelay(code: number, attempt: number, random?: () => number): number | null;

/** The `exp` of a JSON Web Token in milliseconds since 1970, or undefined. */
export declare function tokenExpiry(token: string): number | undefined;

// --- The client --------------------------------------------------------------------------------

/** The hub's error code, or the client's own: not_connected, timeout, closed, unsubscribed. */
export declare class HubError extends Error {
    readonly code: ErrorCode | 'not_connected' | 'timeout' | 'closed' | 'unsubscribed';
}

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface StateDetail {
    /** The close code that led here. */
    code?: number;
    reason?: string;
    /** How many reconnects came before this one. */
    attempt?: number;
    /** With 'reconnecting': milliseconds until the next try. */
    delay?: number;
    /** With 'open'. */
    clientId?: string;
    /** With 'open': true when this is not the first connection. */
    reconnected?: boolean;
}

export interface ConnectOptions<T = Json> {
    /** A JWT for a hub with HUB_JWT_SECRET; sent in an `auth` request, never in the URL. */
    token?: string;
    /** Asked for a fresh token after a 4001 close and before the current token expires. */
    getToken?: () => string | Promise<string>;
    /** Channels to subscribe to at once and after every reconnect. */
    channels?: string[];
    /** Every channel message, once, in offset order per channel; missed ones after a recovery too. */
    onMessage?: (message: ChannelMessage<T>) => void;
    onState?: (state: ConnectionState, detail: StateDetail) => void;
    /**
     * After a reconnect: true when the missed messages came; false: refetch the channel's data.
     * Also false when the hub says the channel's stream changed under the subscription.
     */
    onRecovered?: (channel: string, recovered: boolean) => void;
    /**
     * Errors no promise of the page's reports: a resubscribe after a reconnect refused for good
     * (the channel is let go), a channel a new token no longer allows, a failed token refresh.
     */
    onError?: (error: HubError) => void;
    /** How long a request waits for its reply (default 10 000 ms). */
    requestTimeout?: number;
    /** From a new socket to `open` (welcome, and authed with a token), else the attempt failed (default 15 000 ms). */
    connectTimeout?: number;
    /** How long before the token's `exp` getToken() is asked (default 30 000 ms). */
    tokenRefreshMs?: number;
    /** Silence before the client pings (default 30 000 ms), and how long it waits for the pong. */
    idleMs?: number;
    pongTimeout?: number;
    /** The WebSocket class (default the browser's); Node tests pass their own. */
    WebSocket?: typeof WebSocket;
    /** For tests: the source of jitter (default Math.random). */
    random?: () => number;
}

export interface HubConnection {
    readonly state: ConnectionState;
    /** The hub's name for this connection (from its welcome). */
    readonly clientId: string | undefined;
    /** The channels kept subscribed across reconnects. */
    readonly channels: string[];
    /**
     * Resolves with the hub's reply; while away, with the reply after the next connect. A refusal
     * (forbidden, bad_channel) rejects and the channel is not kept; after close(), `closed`.
     */
    subscribe(channel: string): Promise<SubscribedReply>;
    unsubscribe(channel: string): Promise<UnsubscribedReply>;
    /** Rejects with `not_connected` while the client is away: a publish is never sent twice. */
    publish(channel: string, data: Json): Promise<PublishedReply>;
    /** For good: no reconnect; pending requests reject with `closed`. */
    close(): void;
}

export declare function connect<T = Json>(url: string, options?: ConnectOptions<T>): HubConnection;
