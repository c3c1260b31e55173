// The client module in Chromium against a real hub: subscribe, receive in order, publish with
// its reply, unsubscribe; and the origin policy as a browser meets it.
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';

import {connectInPage, launchBrowser, startSite, waitForState, watchForErrors} from '../support/browser.mjs';
import {publish, startHub} from '../support/hub.mjs';

let hub;
let site;
let browser;

before(async () => {
    site = await startSite();
    // The test site may open the hub's WebSocket; a site on another port may not.
    hub = await startHub({WS_ALLOWED_ORIGINS: site.origin});
    browser = await launchBrowser();
});

after(async () => {
    await browser?.close();
    await hub?.stop();
    await site?.close();
});

async function sitePage(origin = site.origin) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = watchForErrors(page);
    await page.goto(origin);
    return {context, page, errors};
}

test('subscribe, receive in order, publish with a reply, unsubscribe', async () => {
    const {context, page, errors} = await sitePage();
    await connectInPage(page, hub, hub.wsUrl);
    await waitForState(page, 'open');
    const subscribed = await page.evaluate(() => window.hub.subscribe('inventory'));
    assert.equal(subscribed.type, 'subscribed');
    assert.equal(subscribed.channel, 'inventory');
    assert.equal(typeof subscribed.epoch, 'string');

    const sent = Array.from({length: 30}, (_, n) => ({channel: 'inventory', data: {n}}));
    const offsets = (await publish(hub, sent)).map((reply) => reply.offset);
    await page.waitForFunction(() => window.seen.messages.length >= 30);
    const received = await page.evaluate(() => window.seen.messages);
    assert.deepEqual(received.map((message) => message.data.n), sent.map((message) => message.data.n));
    assert.deepEqual(received.map((message) => message.offset), offsets);

    // A publish from the page resolves with the hub's reply and comes back to it as a message.
    const reply = await page.evaluate(() => window.hub.publish('inventory', {from: 'page'}));
    assert.equal(reply.type, 'published');
    assert.equal(reply.offset, offsets.at(-1) + 1);
    await page.waitForFunction((offset) => window.seen.messages.some((message) => message.offset === offset),
                               reply.offset);

    // A refused request rejects its promise with the hub's code; the connection stays.
    const refused = await page.evaluate(() => window.hub.publish('bad channel!', {}).catch((error) => error.code));
    assert.equal(refused, 'bad_channel');
    assert.equal(await page.evaluate(() => window.hub.state), 'open');

    await page.evaluate(() => window.hub.unsubscribe('inventory'));
    await publish(hub, [{channel: 'inventory', data: {n: 'after'}}]);
    // Proof that the message above had its chance to arrive: one on another channel, published
    // after it, arrives first.
    await page.evaluate(() => window.hub.subscribe('orders'));
    await publish(hub, [{channel: 'orders', data: {n: 'marker'}}]);
    await page.waitForFunction(() => window.seen.messages.some((message) => message.channel === 'orders'));
    const late = await page.evaluate(() => window.seen.messages.filter((message) => message.data.n === 'after'));
    assert.deepEqual(late, []);
    assert.deepEqual(errors, []);
    await page.evaluate(() => window.hub.close());
    await context.close();
});

test('a page from an origin the hub does not allow cannot connect; the hub\'s own page can', async () => {
    const stranger = await startSite();
    try {
        const {context, page} = await sitePage(stranger.origin);
        await connectInPage(page, hub, hub.wsUrl);
        // Refused at the handshake (403): the client keeps trying with backoff, never open.
        await waitForState(page, 'reconnecting', 2);
        const states = await page.evaluate(() => window.seen.states);
        assert.equal(states.some((entry) => entry.state === 'open'), false);
        assert.equal(states.find((entry) => entry.state === 'reconnecting').code, 1006);
        await page.evaluate(() => window.hub.close());
        await context.close();
    } finally {
        await stranger.close();
    }
    const {context, page} = await sitePage(hub.httpUrl);
    await connectInPage(page, hub, hub.wsUrl);
    await waitForState(page, 'open');
    await page.evaluate(() => window.hub.close());
    await context.close();
});
