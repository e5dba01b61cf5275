// SPDX-License-Identifier: MIT
// Shared by the Admin UI tests: start our echo server or node's instrumented reference server
// on a free port, an admin client that records what it receives, and waiting without sleeps.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const require = createRequire(path.join(here, 'package.json'));
for (const pkg of ['socket.io', 'socket.io-client', '@socket.io/admin-ui', 'bcryptjs']) {
    try {
        require.resolve(pkg);
    } catch {
        console.error(`the npm package "${pkg}" is not installed in ${here}/node_modules.\n` +
                      '    Run scripts/install-deps (or: cd tests/admin && npm ci) and try again.');
        process.exit(1);
    }
}
export const { io } = require('socket.io-client');
export const bcrypt = require('bcryptjs');

export const PASSWORD = 'admin-secret';
// Cost 4: each login check stays fast in both servers.
export const HASH = bcrypt.hashSync(PASSWORD, 4);
const SAFETY_MS = 15000; // safety nets, never synchronisation

// kind: 'qt' (ECHO_SERVER, our socketio-echo-server) or 'node' (node-admin-server.mjs)
// With { stderr: true } its standard error is collected (server.stderr(), server.untilStderr()).
export async function startServer(kind, args = [], { stderr = false } = {}) {
    const all = ['--port', '0', ...args];
    const stdio = ['ignore', 'pipe', stderr ? 'pipe' : 'inherit'];
    const child = kind === 'qt'
        ? spawn(process.env.ECHO_SERVER, all, { stdio })
        : spawn(process.execPath, [path.join(here, 'node-admin-server.mjs'), ...all], { stdio });
    let errors = '';
    const errorsWait = waiter();
    child.stderr?.on('data', (chunk) => {
        errors += chunk;
        errorsWait.check();
    });
    const port = await new Promise((resolve, reject) => {
        let buffered = '';
        const timer = setTimeout(() => reject(new Error(`${kind} server did not report its port`)), SAFETY_MS);
        child.on('exit', (code) => reject(new Error(`${kind} server exited (${code})`)));
        child.stdout.on('data', (chunk) => {
            buffered += chunk;
            const match = /listening on port (\d+)/.exec(buffered);
            if (match) {
                clearTimeout(timer);
                resolve(Number(match[1]));
            }
        });
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    return {
        kind, port, pid: child.pid, url: `http://127.0.0.1:${port}`,
        stderr: () => errors,
        untilStderr: (pattern) => errorsWait.until(() => pattern.test(errors), `${pattern} on stderr`),
        rssKiB() {
            const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
            return Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
        },
        async stop() {
            child.kill('SIGTERM');
            await exited;
        },
    };
}

// Resolves when predicate() is true, checking on every call of check() (the caller's events).
export function waiter() {
    const pending = new Set();
    return {
        check() {
            for (const p of [...pending]) {
                if (p.predicate()) {
                    pending.delete(p);
                    clearTimeout(p.timer);
                    p.resolve();
                }
            }
        },
        until(predicate, what) {
            if (predicate())
                return Promise.resolve();
            return new Promise((resolve, reject) => {
                const p = { predicate, resolve };
                p.timer = setTimeout(() => {
                    pending.delete(p);
                    reject(new Error(`timed out waiting for ${what}`));
                }, SAFETY_MS);
                pending.add(p);
            });
        },
    };
}

// An admin client: records every event as [name, ...args] in order.
export function connectAdmin(server, { auth, transports = ['websocket'], namespace = '/admin' } = {}) {
    const socket = io(server.url + namespace, { auth, transports, reconnection: false, forceNew: true });
    const events = [];
    const wait = waiter();
    socket.onAny((...args) => {
        events.push(args);
        wait.check();
    });
    const has = (name, test = () => true) => events.some((e) => e[0] === name && test(e));
    return {
        socket, events, has,
        until: (name, test) => wait.until(() => has(name, test), name).catch((err) => {
            if (process.env.ADMIN_TEST_DEBUG)
                console.error(JSON.stringify(events.filter((e) => e[0] !== 'server_stats')));
            throw err;
        }),
        untilCount: (name, n) => wait.until(() => events.filter((e) => e[0] === name).length >= n, `${n} ${name}`),
        connected: new Promise((resolve, reject) => {
            socket.on('connect', resolve);
            socket.on('connect_error', reject);
        }),
    };
}

// A client of the echo behaviour; resolves once its `auth` event arrived (the server's
// connection handler ran and its first emit is done).
export async function connectClient(server, nsp = '/', options = {}) {
    const socket = io(server.url + nsp, { reconnection: false, forceNew: true, ...options });
    await new Promise((resolve, reject) => {
        socket.once('auth', resolve);
        socket.once('connect_error', reject);
    });
    return socket;
}
