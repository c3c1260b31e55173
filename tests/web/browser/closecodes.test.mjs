// What the client does with the hub's close codes, in Chromium against real hubs: 4003 ends
// it, 4001 fetches a fresh token and reconnects, 4029 waits longer and retries.
import assert from 'node:assert/strict';
import {createHmac} from 'node:crypto';
import {after, before, test} from 'node:test';

import {connectInPage, launchBrowser, startSite, waitForState} from '../support/browser.mjs';
import {startHub} from '../support/hub.mjs';

let site;
let browser;

before(async () => {
    site = await startSite();
    browser = await launchBrowser();
});

after(async () => {
    await browser?.close();
    await site?.close();
});

async function withHub(settings, body) {
    const hub = await startHub({WS_ALLOWED_ORIGINS: site.origin, ...settings});
    const context = await browser.newContext();
    try {
        const page = await context.newPage();
        await page.goto(site.origin);
        await body(hub, page);
        await page.evaluate(() => window.hub?.close());
    } finally {
        await context.close();
        await hub.stop();
    }
}

const clientsOf = async (hub) => (await (await fetch(`${hub.httpUrl}/api/clients`)).json()).clients;

test('4003 from DELETE /api/clients/{id}: closed, no reconnect', async () => {
    await withHub({}, async (hub, page) => {
        await connectInPage(page, hub, hub.wsUrl);
        await waitForState(page, 'open');
        const {clientId} = await page.evaluate(() => window.seen.states.find((entry) => entry.state === 'open'));
        const answer = await fetch(`${hub.httpUrl}/api/clients/${clientId}`, {method: 'DELETE'});
        assert.equal(answer.status, 200);
        await waitForState(page, 'closed');
        const last = await page.evaluate(() => window.seen.states.at(-1));
        assert.equal(last.code, 4003);
        // Several first-backoff periods later the client has not come back.
        await page.waitForTimeout(2000);
        assert.equal(await page.evaluate(() => window.seen.states.at(-1).state), 'closed');
        assert.deepEqual(await clientsOf(hub), []);
    });
});

const secret = 'a-secret-for-the-browser-tests-of-32+bytes';

function token(claims, key = secret) {
    const part = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unsigned = `${part({alg: 'HS256', typ: 'JWT'})}.${part(claims)}`;
    return `${unsigned}.${createHmac('sha256', key).update(unsigned).digest('base64url')}`;
}

test('4001: getToken is asked for a fresh token, and the client reconnects with it', async () => {
    await withHub({HUB_JWT_SECRET: secret}, async (hub, page) => {
        const exp = Math.floor(Date.now() / 1000) + 3600;
        const forged = token({sub: 'picker-1', exp}, 'not-the-hub-secret-not-the-hub-secret');
        const good = token({sub: 'picker-1', exp, channels: ['inventory']});
        await connectInPage(page, hub, hub.wsUrl, {token: forged, tokens: [good], channels: ['inventory']});
        await waitForState(page, 'open');
        const states = await page.evaluate(() => window.seen.states);
        assert.equal(states.find((entry) => entry.code === 4001)?.state, 'reconnecting');
        assert.equal(await page.evaluate(() => window.seen.tokenRequests), 1);
        // The fresh token is the one in use: its channel is subscribed.
        const reply = await page.evaluate(() => window.hub.subscribe('inventory'));
        assert.equal(reply.type, 'subscribed');
        const [client] = await clientsOf(hub);
        assert.equal(client.subject, 'picker-1');
        assert.deepEqual(client.subscriptions, ['inventory']);
    });
});

test('4029: a full hub is retried after a longer wait, and the client gets in once there is room', async () => {
    await withHub({WS_MAX_CLIENTS: '1'}, async (hub, page) => {
        // Someone else holds the only place.
        await page.evaluate((url) => new Promise((resolve) => {
            window.occupant = new WebSocket(url);
            window.occupant.onmessage = resolve;
        }), hub.wsUrl);
        await connectInPage(page, hub, hub.wsUrl);
        await page.waitForFunction(() => window.seen.states.some((entry) => entry.code === 4029));
        const refused = await page.evaluate(() => window.seen.states.find((entry) => entry.code === 4029));
        assert.equal(refused.state, 'reconnecting');
        assert.ok(refused.delay >= 4000, `waits ${refused.delay} ms after 4029`);
        await page.evaluate(() => window.occupant.close());
        await waitForState(page, 'open');
    });
});
