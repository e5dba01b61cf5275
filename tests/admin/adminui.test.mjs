// SPDX-License-Identifier: MIT
// The official Admin UI page (npm @socket.io/admin-ui 0.5, ui/dist) served by our echo server
// (--admin-ui) and driven in Debian's headless chromium through the DevTools protocol
// (puppeteer-core, no browser download): log in, see a connected client on the sockets page,
// disconnect it from the page. CHROMIUM overrides /usr/bin/chromium; ADMIN_UI_SCREENSHOT=FILE
// keeps a screenshot of the sockets page.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { HASH, PASSWORD, connectClient, require, startServer } from './helpers.mjs';

const puppeteer = require('puppeteer-core');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const SAFETY_MS = 15000;

test('the official Admin UI logs in to our server, lists a client and disconnects it', async () => {
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} not found: run scripts/install-deps (Debian chromium)`);
    const server = await startServer('qt', ['--admin-ui', '--admin-auth', `admin:${HASH}`]);
    const browser = await puppeteer.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
    });
    try {
        const client = await connectClient(server, '/', { transports: ['websocket'] });
        const clientId = client.id;
        const disconnected = new Promise((resolve) => client.once('disconnect', resolve));

        const page = await browser.newPage();
        page.setDefaultTimeout(SAFETY_MS);
        // The page links web fonts on CDNs; the test stays on loopback.
        await page.setRequestInterception(true);
        page.on('request', (request) =>
            request.url().startsWith(server.url) ? request.continue() : request.abort());
        await page.setViewport({ width: 1280, height: 800 });
        await page.goto(`${server.url}/admin-ui/`, { waitUntil: 'load' });

        // The connection dialog: its fields by their labels.
        await page.waitForSelector('input');
        const typeInto = async (label, text) => {
            const id = await page.$$eval('input', (inputs, wanted) => inputs.find(
                (input) => input.closest('.v-input')?.querySelector('label')?.textContent === wanted)?.id, label);
            assert.ok(id, `no "${label}" field`);
            await page.type(`#${id}`, text);
        };
        await typeInto('Server URL', server.url);
        await typeInto('Username', 'admin');
        await typeInto('Password', PASSWORD);
        const [connect] = await page.$$('xpath/.//button[normalize-space(.)="Connect"]');
        await connect.click();
        await page.waitForFunction(() => /Status:\s*CONNECTED/.test(document.body.innerText));

        // The sockets page lists the client.
        const [sockets] = await page.$$('xpath/.//a[normalize-space(.)="Sockets"]');
        await sockets.click();
        await page.waitForFunction((id) => [...document.querySelectorAll('tbody tr')]
            .some((row) => row.innerText.includes(id)), {}, clientId);
        // The connection dialog has faded out and no ripple is left (a clean screenshot).
        await page.waitForFunction(() => [...document.querySelectorAll('.v-dialog')]
            .every((dialog) => getComputedStyle(dialog).display === 'none')
            && !document.querySelector('.v-ripple__container'));
        const screenshot = process.env.ADMIN_UI_SCREENSHOT || path.join(os.tmpdir(), 'socketio-admin-ui.png');
        await page.screenshot({ path: screenshot });
        console.log(`screenshot: ${screenshot}`);

        // Its row's action button disconnects it (the admin's "_disconnect" command); the page
        // then shows the socket's details.
        const row = await page.waitForFunction((id) => [...document.querySelectorAll('tbody tr')]
            .find((r) => r.innerText.includes(id)), {}, clientId);
        const button = await row.$('button');
        assert.ok(button, 'no action button in the socket row');
        await button.click();
        assert.equal(await disconnected, 'io server disconnect');
        // The page marks it disconnected, and the sockets page no longer lists it.
        await page.waitForFunction(() => /Status:\s*CONNECTED/.test(document.body.innerText)
            && document.body.innerText.includes('DISCONNECTED'));
        const [again] = await page.$$('xpath/.//a[normalize-space(.)="Sockets"]');
        await again.click();
        await page.waitForFunction((id) => document.querySelector('tbody tr')
            && ![...document.querySelectorAll('tbody tr')].some((r) => r.innerText.includes(id)), {}, clientId);
        client.close();
    } finally {
        await browser.close();
        await server.stop();
    }
});
