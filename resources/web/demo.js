// The demo page (`/`): one connection to this hub through the browser client, the live
// messages of the channels the visitor picks, and a publish form. Everything shown comes from
// the hub as text (textContent only): a message cannot inject markup into the page.
import {connect} from '/client/kucun-hub.js';
import {texts} from '/demo-texts.js';

const MAX_ROWS = 200;
const CHANNEL_NAME = /^[A-Za-z0-9_.:-]{1,64}$/;
const $ = (id) => document.getElementById(id);

// ?lang= first (a link to one language), then the visitor's last choice, then the browser's.
function initialLanguage() {
    const chosen = new URLSearchParams(location.search).get('lang') ?? localStorage.getItem('kucun-hub.language');
    if (chosen in texts)
        return chosen;
    const preferred = navigator.languages ?? [navigator.language];
    return preferred.some((tag) => tag.toLowerCase().startsWith('zh')) ? 'zh' : 'en';
}

let language = initialLanguage();
let hub = null;
let reconnects = 0;
let lastState = 'connecting';
const channels = new Set(['inventory']);

function text(key, values = {}) {
    const template = texts[language][key] ?? texts.en[key] ?? key;
    return template.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ''));
}

function applyLanguage() {
    document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en';
    document.title = text('title');
    for (const element of document.querySelectorAll('[data-text]'))
        element.textContent = text(element.dataset.text);
    $('language').value = language;
    showState(lastState);
    showSubscriptions();
}

function log(message, kind = '') {
    const item = document.createElement('li');
    item.textContent = `${new Date().toLocaleTimeString()} ${message}`;
    item.className = kind;
    $('log').prepend(item);
    while ($('log').children.length > MAX_ROWS)
        $('log').lastChild.remove();
}

function showState(state) {
    lastState = state;
    $('state').dataset.state = state;
    $('state').textContent = text(`state.${state}`);
    $('connect').disabled = state !== 'closed';
    $('disconnect').disabled = state === 'closed';
}

function showSubscriptions() {
    const list = $('subscriptions');
    list.replaceChildren();
    for (const channel of channels) {
        const item = document.createElement('li');
        item.dataset.channel = channel;
        const name = document.createElement('span');
        name.textContent = channel;
        const remove = document.createElement('button');
        remove.type = 'button';
        remove.textContent = '×';
        remove.title = text('unsubscribe', {channel});
        remove.addEventListener('click', () => unsubscribe(channel));
        item.append(name, remove);
        list.append(item);
    }
}

function showMessage(message) {
    const row = document.createElement('tr');
    const cells = [new Date(message.ts).toLocaleTimeString(), message.channel, String(message.offset),
                   JSON.stringify(message.data)];
    for (const value of cells) {
        const cell = document.createElement('td');
        cell.textContent = value;
        row.append(cell);
    }
    row.dataset.channel = message.channel;
    row.dataset.offset = String(message.offset);
    $('message-rows').prepend(row);
    while ($('message-rows').children.length > MAX_ROWS)
        $('message-rows').lastChild.remove();
}

function defaultUrl() {
    const port = document.querySelector('meta[name=kucun-hub-websocket-port]').content;
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const host = location.hostname.includes(':') ? `[${location.hostname}]` : location.hostname;
    return `${scheme}://${host}:${port}/`;
}

function start() {
    hub?.close();
    const token = $('token').value.trim();
    hub = connect($('url').value.trim(), {
        token: token || undefined,
        onMessage: showMessage,
        onState(state, detail) {
            showState(state);
            if (state === 'open') {
                $('client-id').textContent = detail.clientId;
                log(text('log.open', detail));
            } else if (state === 'reconnecting' && detail.delay !== undefined) {
                $('reconnects').textContent = String(++reconnects);
                log(text('log.reconnecting', {code: detail.code, seconds: (detail.delay / 1000).toFixed(1)}), 'lost');
            } else if (state === 'closed') {
                log(text('log.closed', {code: detail.code, reason: detail.reason ? `: ${detail.reason}` : ''}));
            }
        },
        onRecovered(channel, recovered) {
            log(text(recovered ? 'log.recovered' : 'log.lost', {channel}), recovered ? 'recovered' : 'lost');
        },
        onError(error) {
            log(text('log.error', {message: error.message}), 'lost');
        },
    });
    // One by one rather than the channels option: each confirmation shows in the log.
    for (const channel of channels)
        subscribe(channel);
}

async function subscribe(channel) {
    if (!CHANNEL_NAME.test(channel)) {
        log(text('channel.bad'), 'lost');
        return;
    }
    channels.add(channel);
    showSubscriptions();
    try {
        const reply = await hub.subscribe(channel);
        log(text('log.subscribed', reply));
    } catch (error) {
        channels.delete(channel);
        showSubscriptions();
        log(text('log.error', {message: error.message}), 'lost');
    }
}

function unsubscribe(channel) {
    channels.delete(channel);
    showSubscriptions();
    hub.unsubscribe(channel).catch(() => {});
}

async function publish() {
    const result = $('publish-result');
    result.className = '';
    let data;
    try {
        data = JSON.parse($('publish-data').value);
    } catch (error) {
        result.className = 'failed';
        result.textContent = text('publish.badJson', {message: error.message});
        return;
    }
    const channel = $('publish-channel').value.trim();
    try {
        const reply = await hub.publish(channel, data);
        result.textContent = text('publish.done', reply);
    } catch (error) {
        result.className = 'failed';
        result.textContent = text('publish.failed', {message: error.message});
    }
}

$('language').addEventListener('change', () => {
    language = $('language').value;
    localStorage.setItem('kucun-hub.language', language);
    applyLanguage();
});
$('connect-form').addEventListener('submit', (event) => {
    event.preventDefault();
    start();
});
$('disconnect').addEventListener('click', () => hub?.close());
$('subscribe-form').addEventListener('submit', (event) => {
    event.preventDefault();
    subscribe($('channel').value.trim());
});
$('publish-form').addEventListener('submit', (event) => {
    event.preventDefault();
    publish();
});
$('clear').addEventListener('click', () => $('message-rows').replaceChildren());

$('url').value = defaultUrl();
applyLanguage();
start();
