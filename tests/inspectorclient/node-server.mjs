// SPDX-License-Identifier: MIT
// A real npm socket.io server for the inspector's client tests, in its own process so that a
// test can kill it and start it again on the same port:
//   node node-server.mjs 4|2 PORT      (4: socket.io 4.8, 2: socket.io 2.x, Engine.IO v3)
// Prints "port N" once it listens. Handlers (the same in python-server.py):
//   connection  emits welcome(nsp, 42, {"k":"v"}, auth or query.token)
//   echo        acks ("echoed", ...args)
//   ask(v)      emits question(v) asking for an ack, then answered(...the ack's arguments)
//   header(n)   acks the value of request header n (node only)
import http from 'node:http';
import { createRequire } from 'node:module';

// The packages installed for tests/interop (scripts/install-deps).
const require = createRequire(new URL('../interop/package.json', import.meta.url));
const [version, portText] = process.argv.slice(2);
const port = Number(portText || 0);
const httpServer = http.createServer();
const options = { pingInterval: 500, pingTimeout: 500 };
const io = version === '2' ? require('socket.io-v2')(httpServer, options)
    : new (require('socket.io').Server)(httpServer, options);

for (const name of ['/', '/chat']) {
    io.of(name).on('connection', (socket) => {
        const token = (socket.handshake.auth && socket.handshake.auth.token) || socket.handshake.query.token || null;
        socket.emit('welcome', name, 42, { k: 'v' }, token);
        socket.on('echo', (...args) => {
            const ack = args.pop();
            ack('echoed', ...args);
        });
        socket.on('header', (name, ack) => ack(socket.handshake.headers[name] ?? null));
        socket.on('ask', (value) => {
            socket.emit('question', value, (...reply) => socket.emit('answered', ...reply));
        });
    });
}
httpServer.listen(port, '127.0.0.1', () => console.log(`port ${httpServer.address().port}`));
