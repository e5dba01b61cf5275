// SPDX-License-Identifier: MIT
// What every interop test file needs: the server's URL (from run-with-echo-server.mjs) and
// promises that fail with a clear message instead of hanging.
import { io } from 'socket.io-client';

export const url = process.env.ECHO_URL;
if (!url) {
    throw new Error('ECHO_URL is not set; run this file through run-with-echo-server.mjs');
}

// A safety net against a hang, not a timing assertion: generous on a slow machine.
export const SAFETY_MS = 10000;

export function withTimeout(promise, what) {
    let timer;
    const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), SAFETY_MS);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// Resolves with the arguments of the next `event`.
export function once(socket, event) {
    return withTimeout(new Promise((resolve) => socket.once(event, (...args) => resolve(args))), event);
}

// Connects a socket.io-client 4.8 socket and waits for the echo server's `auth` event,
// registered before connecting so no frame can be missed.
export async function connect(nsp = '/', options = {}) {
    const socket = io(url + (nsp === '/' ? '' : nsp), { forceNew: true, reconnection: false, ...options });
    const auth = once(socket, 'auth');
    await once(socket, 'connect');
    return { socket, auth: (await auth)[0] };
}
