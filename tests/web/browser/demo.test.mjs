// The demo page the hub serves at `/`, in headless Chromium against a real hub.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, test} from 'node:test';

import {launchBrowser, watchForErrors} from '../support/browser.mjs';
import {publish, startHub} from '../support/hub.mjs';

let hub;
let browser;

before(async () => {
    hub = await startHub();
    browser = await launchBrowser();
});

after(async () => {
    await browser?.close();
    await hub?.stop();
});

async function openDemo(options = {}, query = '') {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    const errors = watchForErrors(page);
    await page.goto(`${hub.httpUrl}/${query}`);
    await page.waitForSelector('#state[data-state=open]', {timeout: 30000});
    // The page subscribes to inventory on its own; the log says when the hub confirmed it.
    await page.waitForSelector('#subscriptions li[data-channel=inventory]');
    await page.waitForFunction(() => document.querySelector('#log').textContent.includes('inventory'),
                               null, {timeout: 30000});
    return {context, page, errors};
}

test('the page connects, shows a message published to its channel, and reports no error', async () => {
    const {context, page, errors} = await openDemo();
    const markup = '<img src=x onerror="window.injected=1">';
    const [published] = await publish(hub, [{channel: 'inventory', data: {productId: '42', note: markup}}]);
    const row = page.locator(`#message-rows tr[data-channel=inventory][data-offset="${published.offset}"]`);
    await row.waitFor({timeout: 30000});
    const cells = await row.locator('td').allTextContents();
    assert.equal(cells[1], 'inventory');
    assert.equal(cells[2], String(published.offset));
    assert.deepEqual(JSON.parse(cells[3]), {productId: '42', note: markup});
    // The message is shown as text: its markup never became an element.
    assert.equal(await page.evaluate(() => window.injected), undefined);
    assert.equal(await page.locator('#message-rows img').count(), 0);
    assert.notEqual(await page.locator('#client-id').textContent(), '–');
    assert.deepEqual(errors, []);
    await context.close();
});

test('the publish form publishes from the page and shows the offset', async () => {
    const {context, page, errors} = await openDemo();
    await page.fill('#publish-channel', 'inventory');
    await page.fill('#publish-data', '{"productId": "7", "quantity": 3}');
    await page.click('#publish-form button[type=submit]');
    await page.waitForFunction(() => /offset \d+/.test(document.querySelector('#publish-result').textContent));
    const offset = Number(/offset (\d+)/.exec(await page.textContent('#publish-result'))[1]);
    // The page is subscribed to the channel it published to: the message comes back to it.
    await page.locator(`#message-rows tr[data-offset="${offset}"]`).waitFor();
    await page.fill('#publish-data', '{not json');
    await page.click('#publish-form button[type=submit]');
    assert.match(await page.textContent('#publish-result'), /not JSON/);
    assert.deepEqual(errors, []);
    await context.close();
});

test('channels are added and removed', async () => {
    const {context, page} = await openDemo();
    await page.fill('#channel', 'orders');
    await page.click('#subscribe-form button[type=submit]');
    await page.waitForFunction(() => document.querySelector('#log').textContent.includes('Subscribed to orders'));
    await page.click('#subscriptions li[data-channel=inventory] button');
    await publish(hub, [{channel: 'inventory', data: {n: 'gone'}}, {channel: 'orders', data: {n: 'kept'}}]);
    await page.locator('#message-rows tr[data-channel=orders]').waitFor();
    assert.equal(await page.locator('#message-rows tr[data-channel=inventory]').count(), 0);
    await context.close();
});

const chinese = {
    title: 'Kucun Hub 实时演示',
    state: '已连接',
    subscribe: '订阅',
};

test('a Chinese browser gets the page in Chinese', async () => {
    const {context, page, errors} = await openDemo({locale: 'zh-CN'});
    assert.equal(await page.title(), chinese.title);
    assert.equal(await page.textContent('#state'), chinese.state);
    assert.equal(await page.textContent('#subscribe-form button'), chinese.subscribe);
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    assert.deepEqual(errors, []);
    await context.close();
});

test('the language can be switched, and the choice is kept', async () => {
    const {context, page} = await openDemo({locale: 'en-US'});
    assert.equal(await page.textContent('#state'), 'connected');
    await page.selectOption('#language', 'zh');
    assert.equal(await page.textContent('#state'), chinese.state);
    await page.reload();
    await page.waitForSelector('#state[data-state=open]');
    assert.equal(await page.title(), chinese.title);
    await context.close();
});

test('the files carry validators, and an unchanged one is answered 304', async () => {
    const first = await fetch(`${hub.httpUrl}/client/kucun-hub.js`);
    assert.equal(first.status, 200);
    assert.match(first.headers.get('content-type'), /^text\/javascript/);
    const etag = first.headers.get('etag');
    assert.ok(etag);
    const again = await fetch(`${hub.httpUrl}/client/kucun-hub.js`, {headers: {'If-None-Match': etag}});
    assert.equal(again.status, 304);
    assert.equal((await again.text()).length, 0);
    const page = await fetch(`${hub.httpUrl}/`);
    assert.match(page.headers.get('content-security-policy'), /default-src 'self'/);
    assert.match(await page.text(), new RegExp(`content="${hub.wsPort}"`));
});

test('served over https, the page connects with wss', async () => {
    // A throwaway self-signed pair; the browser is told to accept it, as a user who trusted it would.
    const folder = mkdtempSync(join(tmpdir(), 'kucun-tls-'));
    const [certificate, key] = [join(folder, 'hub.crt'), join(folder, 'hub.key')];
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
                             '-nodes', '-days', '2', '-subj', '/CN=localhost', '-addext',
                             'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', key, '-out', certificate],
                 {stdio: 'ignore'});
    const secure = await startHub({HUB_TLS_CERT: certificate, HUB_TLS_KEY: key});
    try {
        assert.match(secure.httpUrl, /^https:/);
        const context = await browser.newContext({ignoreHTTPSErrors: true});
        const page = await context.newPage();
        await page.goto(`${secure.httpUrl}/`);
        assert.match(await page.inputValue('#url'), /^wss:\/\/127\.0\.0\.1:\d+\/$/);
        await page.waitForSelector('#state[data-state=open]', {timeout: 30000});
        await context.close();
    } finally {
        await secure.stop();
        rmSync(folder, {recursive: true, force: true});
    }
});
