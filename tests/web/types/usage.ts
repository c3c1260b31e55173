// Compiled with `tsc --strict --noEmit` (CTest web_client_types): kucun-hub.d.ts must describe
// the module as a TypeScript page uses it, and refuse what the protocol does not allow.
import {
    type ChannelMessage,
    CloseCode,
    connect,
    type HubError,
    reconnectDelay,
    type ServerMessage,
    type SubscribedReply,
} from '../../../resources/web/client/kucun-hub.js';

interface StockChange {
    productId: string;
    quantity: number;
}

const hub = connect<StockChange>('ws://127.0.0.1:3002/', {
    channels: ['inventory'],
    getToken: async () => 'a.b.c',
    onMessage(message: ChannelMessage<StockChange>) {
        const quantity: number = message.data.quantity;
        const offset: number = message.offset;
        void quantity;
        void offset;
    },
    onState(state, detail) {
        if (state === 'reconnecting' && detail.delay !== undefined && detail.code === CloseCode.HUB_FULL)
            void detail.delay.toFixed(0);
    },
    onRecovered(channel: string, recovered: boolean) {
        void channel;
        void recovered;
    },
    onError(error: HubError) {
        if (error.code === 'forbidden' || error.code === 'not_connected')
            void error.message;
    },
});

async function use(): Promise<void> {
    const subscribed: SubscribedReply = await hub.subscribe('orders');
    const epoch: string = subscribed.epoch;
    const published = await hub.publish('orders', {orderId: 'SO-1', lines: [1, 2]});
    const offset: number = published.offset;
    void epoch;
    void offset;
    const wait: number | null = reconnectDelay(CloseCode.DISCONNECTED_BY_ADMIN, 0);
    void wait;
    hub.close();
}
void use;

// Every server message is told apart by its fields, as a page switching on them would.
function describe(message: ServerMessage): string {
    if ('type' in message) {
        switch (message.type) {
        case 'welcome':
            return message.clientId;
        case 'subscribed':
            return `${message.channel}@${message.offset} ${message.recovered}`;
        case 'error':
            return message.code;
        default:
            return message.type;
        }
    }
    return `${message.channel}#${message.offset}`;
}
void describe;

// What the types must refuse.
// @ts-expect-error: publish data is JSON, not a function
void hub.publish('orders', () => 1);
// @ts-expect-error: there is no such state
const state: import('../../../resources/web/client/kucun-hub.js').ConnectionState = 'paused';
void state;
// @ts-expect-error: an error code the hub never sends
const code: import('../../../resources/web/client/kucun-hub.js').ErrorCode = 'teapot';
void code;
