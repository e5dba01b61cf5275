// SPDX-License-Identifier: MIT
// The reference for the Admin UI tests: npm socket.io 4.8 instrumented by npm @socket.io/admin-ui
// 0.5, with the echo behaviour of socketio-echo-server that the tests use (docs/echo-server.md:
// auth a few ms after connecting, message -> message-back, message-with-ack, join, leave,
// disconnect-me) and its admin flags:
//   node node-admin-server.mjs --port 0 [--admin-auth USER:HASH] [--admin-readonly]
//        [--admin-mode development|production] [--admin-namespace NAME]
// Prints "listening on port N" once it listens.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Server } = require('socket.io');
const { instrument } = require('@socket.io/admin-ui');

const argv = process.argv.slice(2);
const value = (name, fallback) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : fallback;
};

const httpServer = createServer();
const io = new Server(httpServer, { cors: { origin: '*' } });

function serveEcho(nsp) {
    nsp.on('connection', (socket) => {
        setTimeout(() => socket.emit('auth', socket.handshake.auth), 5);
        socket.on('message', (...args) => socket.emit('message-back', ...args));
        socket.on('message-with-ack', (...args) => {
            const ack = args.pop();
            if (typeof ack === 'function')
                ack(...args);
        });
        socket.on('join', (room) => socket.join(room));
        socket.on('leave', (room) => socket.leave(room));
        socket.on('disconnect-me', (mode) => socket.disconnect(mode === 'close'));
        socket.on('whoami', (ack) => typeof ack === 'function' && ack(socket.id));
    });
}
serveEcho(io.of('/'));
serveEcho(io.of('/custom'));

const auth = value('--admin-auth');
let authOption = false;
if (auth) {
    const colon = auth.indexOf(':');
    authOption = { type: 'basic', username: auth.slice(0, colon), password: auth.slice(colon + 1) };
}
instrument(io, {
    auth: authOption,
    readonly: argv.includes('--admin-readonly'),
    mode: value('--admin-mode', 'development'),
    namespaceName: value('--admin-namespace', '/admin'),
});

httpServer.listen(Number(value('--port', '3000')), '127.0.0.1', () => {
    console.log(`listening on port ${httpServer.address().port}`);
});
process.on('SIGTERM', () => process.exit(0));
