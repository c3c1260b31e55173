// Recovery in a real browser: a TCP proxy between Chromium and the hub is cut while messages
// are published; the client gets exactly what it missed, or is told it cannot.
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';

import {connectInPage, launchBrowser, startSite, waitForState} from '../support/browser.mjs';
import {publish, startHub} from '../support/hub.mjs';
import {startProxy} from '../support/tcpproxy.mjs';

let site;
let hub;
let proxy;
let browser;
// The page is the test site's, which every hub here lets in: the hub is restarted on new ports,
// and a page of its own would then be of a foreign origin.
const settings = () => ({WS_ALLOWED_ORIGINS: site.origin});

before(async () => {
    site = await startSite();
    hub = await startHub(settings());
    proxy = await startProxy(hub.wsPort);
    browser = await launchBrowser();
});

after(async () => {
    await browser?.close();
    await proxy?.close();
    await hub?.stop();
    await site?.close();
});

const numbered = (from, count) =>
    Array.from({length: count}, (_, n) => ({channel: 'inventory', data: {n: from + n}}));

const receivedNumbers = (page) => page.evaluate(() => window.seen.messages.map((message) => message.data.n));

test('missed messages arrive once, in order, after a reconnect; a lost history is reported', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(site.origin);
    await connectInPage(page, hub, `ws://127.0.0.1:${proxy.port}/`, {channels: ['inventory']});
    await waitForState(page, 'open');
    // The hub answers in order: once this reply is in, so is the subscription of `channels`.
    await page.evaluate(() => window.hub.subscribe('inventory'));
    await publish(hub, numbered(1, 3));
    await page.waitForFunction(() => window.seen.messages.length === 3);

    proxy.shut(true);
    proxy.cut();
    await waitForState(page, 'reconnecting');
    const missed = await publish(hub, numbered(4, 20));
    assert.equal(missed.length, 20);
    proxy.shut(false);

    await page.waitForFunction(() => window.seen.recovered.length === 1, null, {timeout: 20000});
    assert.deepEqual(await page.evaluate(() => window.seen.recovered), [['inventory', true]]);
    // The 20 came before the reply that said so: all there, in order, none twice.
    assert.deepEqual(await receivedNumbers(page), Array.from({length: 23}, (_, n) => n + 1));
    const offsets = await page.evaluate(() => window.seen.messages.map((message) => message.offset));
    assert.deepEqual(offsets.slice(3), missed.map((reply) => reply.offset));
    // Live again: the next message comes the ordinary way.
    await publish(hub, numbered(24, 1));
    await page.waitForFunction(() => window.seen.messages.length === 24);

    // A restarted hub (memory engine) has no history: the client learns it must refetch.
    await hub.stop();
    hub = await startHub(settings());
    proxy.retarget(hub.wsPort);
    proxy.cut();
    await page.waitForFunction(() => window.seen.recovered.length === 2, null, {timeout: 20000});
    assert.deepEqual(await page.evaluate(() => window.seen.recovered.at(-1)), ['inventory', false]);
    // The new hub's stream starts over; its messages are delivered although their offsets are
    // lower than the old ones.
    const [fresh] = await publish(hub, numbered(100, 1));
    await page.waitForFunction((offset) => window.seen.messages.at(-1).offset === offset, fresh.offset);
    assert.deepEqual((await receivedNumbers(page)).slice(24), [100]);
    await page.evaluate(() => window.hub.close());
    await context.close();
});
