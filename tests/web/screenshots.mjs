// The demo page in English and Chinese, with some traffic, as PNGs for the README
// (scripts/screenshots runs it): node screenshots.mjs <folder>
import {join} from 'node:path';

import {launchBrowser} from './support/browser.mjs';
import {publish, startHub} from './support/hub.mjs';

const folder = process.argv[2];
const hub = await startHub();
const browser = await launchBrowser();
try {
    for (const [language, file] of [['en', 'demo-page.png'], ['zh', 'demo-page-zh_CN.png']]) {
        const context = await browser.newContext({viewport: {width: 1100, height: 720},
                                                  locale: language === 'zh' ? 'zh-CN' : 'en-US'});
        const page = await context.newPage();
        await page.goto(`${hub.httpUrl}/`);
        await page.waitForSelector('#state[data-state=open]');
        await page.fill('#channel', 'orders');
        await page.click('#subscribe-form button[type=submit]');
        await page.waitForSelector('#subscriptions li[data-channel=orders]');
        const stock = [12, 9, 7, 30, 28];
        await publish(hub, stock.map((quantity, n) => ({
            channel: 'inventory', data: {type: 'inventory:change', productId: String(40 + n), quantity},
        })));
        await publish(hub, [{channel: 'orders', data: {type: 'order:status', orderId: 'SO-1042', status: 'shipped'}}]);
        await page.click('#publish-form button[type=submit]');
        await page.waitForFunction(() => document.querySelectorAll('#message-rows tr').length >= 7);
        await page.screenshot({path: join(folder, file), fullPage: true});
        await context.close();
    }
} finally {
    await browser.close();
    await hub.stop();
}
