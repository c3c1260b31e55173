// A real hub (the kucun-hub binary CTest names in KUCUN_HUB_BINARY) started headless on free
// loopback ports, for the browser tests.
import {spawn} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

const READY = /kucun-hub ready ws=(\S+) http=(\S+) resp=(\S+)/;
const START_TIMEOUT_MS = 30000;

/** The hub's settings start from nothing: none of the developer's own may leak in. */
function environment(home, settings) {
    const env = {PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: join(home, 'config'),
                 XDG_DATA_HOME: join(home, 'data'), QT_QPA_PLATFORM: 'offscreen',
                 WS_PORT: '0', HTTP_PORT: '0', RESP_PORT: '0'};
    for (const name of ['ASAN_OPTIONS', 'UBSAN_OPTIONS', 'LSAN_OPTIONS'])
        if (process.env[name])
            env[name] = process.env[name];
    return {...env, ...settings};
}

/**
 * Starts a hub with `settings` (environment variables such as WS_MAX_CLIENTS) and resolves once
 * it printed its ready line: {wsUrl, httpUrl, wsPort, respPort, stop(), output()} (respPort 0
 * when the Redis-protocol front is off).
 */
export function startHub(settings = {}) {
    const binary = process.env.KUCUN_HUB_BINARY;
    if (!binary)
        throw new Error('KUCUN_HUB_BINARY must name the kucun-hub binary (CTest sets it)');
    const home = mkdtempSync(join(tmpdir(), 'kucun-web-'));
    const child = spawn(binary, ['--headless', '--data-dir', join(home, 'hub')],
                        {env: environment(home, settings), stdio: ['ignore', 'pipe', 'pipe']});
    let output = '';
    let ready = false;
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
            child.kill('SIGKILL');
            reject(new Error(`the hub did not say it was ready within ${START_TIMEOUT_MS} ms:\n${output}`));
        }, START_TIMEOUT_MS);
        const read = (chunk) => {
            output += chunk;
            const line = READY.exec(output);
            if (!line || ready)
                return;
            ready = true;
            clearTimeout(timer);
            const wsUrl = line[1];
            resolve({
                wsUrl,
                httpUrl: line[2],
                wsPort: Number(new URL(wsUrl).port),
                respPort: line[3] === 'off' ? 0 : Number(new URL(line[3]).port),
                output: () => output,
                stop: () => stop(child, home, () => output),
            });
        };
        child.stdout.on('data', read);
        child.stderr.on('data', read);
        child.on('exit', (code) => {
            clearTimeout(timer);
            reject(new Error(`the hub exited with ${code} before it was ready:\n${output}`));
        });
    });
}

// Stops the hub as systemd would (SIGTERM). A hub that does not exit cleanly (under ASan, one
// that found a memory error or a leak) fails the test, with what it printed.
function stop(child, home, output) {
    return new Promise((resolve, reject) => {
        const done = () => {
            rmSync(home, {recursive: true, force: true});
            if (child.exitCode === 0)
                resolve();
            else
                reject(new Error(`the hub exited with ${child.exitCode ?? child.signalCode}:\n${output()}`));
        };
        if (child.exitCode !== null) {
            done();
            return;
        }
        const killer = setTimeout(() => child.kill('SIGKILL'), 15000);
        child.on('exit', () => {
            clearTimeout(killer);
            done();
        });
        child.kill('SIGTERM');
    });
}

/** POST /api/publish on `hub` (a loopback caller needs no key): the hub's answer. */
export async function publish(hub, messages) {
    const response = await fetch(`${hub.httpUrl}/api/publish`, {
        method: 'POST',
        headers: {'Content-Type': 'application/json'},
        body: JSON.stringify(messages),
    });
    if (response.status !== 200)
        throw new Error(`publish answered ${response.status}: ${await response.text()}`);
    return response.json();
}
