// Debian's Chromium, headless, driven by playwright-core; and a page to run the client in.
import {createServer} from 'node:http';
import {chromium} from 'playwright-core';

// Without the background-networking switches Chromium keeps trying to reach Google's hosts,
// which a closed test network refuses; as root it needs --no-sandbox.
const SWITCHES = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function launchBrowser() {
    return chromium.launch({executablePath: process.env.KUCUN_CHROMIUM ?? '/usr/bin/chromium',
                            args: SWITCHES});
}

/** Collects what a page reports as broken: console errors and uncaught exceptions. */
export function watchForErrors(page) {
    const errors = [];
    page.on('console', (message) => {
        if (message.type() === 'error')
            errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(String(error)));
    return errors;
}

/**
 * A site of its own on a loopback port (another origin than the hub's), serving one empty page;
 * {origin, close()}.
 */
export function startSite() {
    const server = createServer((request, response) => {
        response.writeHead(200, {'Content-Type': 'text/html; charset=utf-8'});
        response.end('<!doctype html><meta charset="utf-8"><title>a site</title><body></body>');
    });
    return new Promise((resolve) => {
        server.listen(0, '127.0.0.1', () => {
            resolve({origin: `http://127.0.0.1:${server.address().port}`,
                     close: () => new Promise((done) => server.close(done))});
        });
    });
}

/**
 * Loads the client from `hub` into `page` and connects to `wsUrl` with `options` (plus
 * `tokens`: what getToken() hands out, in turn). What the client reports collects in
 * window.seen: messages, recoveries, states.
 */
export async function connectInPage(page, hub, wsUrl, options = {}) {
    await page.evaluate(async ({clientUrl, wsUrl, options}) => {
        const {connect} = await import(clientUrl);
        const seen = {messages: [], recovered: [], states: [], errors: [], tokenRequests: 0};
        window.seen = seen;
        const {tokens, ...rest} = options;
        window.hub = connect(wsUrl, {
            ...rest,
            getToken: tokens ? async () => tokens[seen.tokenRequests++] : undefined,
            onMessage: (message) => seen.messages.push(message),
            onRecovered: (channel, recovered) => seen.recovered.push([channel, recovered]),
            onState: (state, detail) => seen.states.push({state, ...detail}),
            onError: (error) => seen.errors.push(error.code),
        });
    }, {clientUrl: `${hub.httpUrl}/client/kucun-hub.js`, wsUrl, options});
}

/** Waits until the page's client has had `count` states called `state`. */
export function waitForState(page, state, count = 1) {
    return page.waitForFunction(({state, count}) =>
        window.seen.states.filter((entry) => entry.state === state).length >= count, {state, count},
    {timeout: 30000});
}
