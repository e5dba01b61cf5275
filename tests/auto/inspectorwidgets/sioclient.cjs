// SPDX-License-Identifier: MIT
// A real npm socket.io-client driven by the inspector's widget test over stdin/stdout, one JSON
// object a line each way.
//
//   node sioclient.cjs <node_modules dir> <server url> [<path>]
//
// Commands (stdin):
//   {"op":"connect","name":"a","nsp":"/chat","auth":{...},"transports":["polling"]}
//                                   a socket; each name is its own connection
//   {"op":"emit","name":"a","event":"e","args":[...],"ack":true,"ref":"r1"}
//   {"op":"disconnect","name":"a"}
//   {"op":"exit"}
// Reports (stdout):
//   {"type":"ready"}
//   {"type":"connect","name":"a","nsp":"/chat","id":"<socket id>","transport":"polling"}
//   {"type":"upgrade","name":"a","transport":"websocket"}
//   {"type":"event","name":"a","event":"e","args":[...],"ack":true}   binaries as {"$hex":"..."}
//   {"type":"acked","name":"a","event":"e","reply":[...]}           the ack this client sent back
//   {"type":"ackReply","name":"a","ref":"r1","args":[...]}           the server's ack to our emit
//   {"type":"disconnect","name":"a","reason":"io server disconnect"}
//   {"type":"connect_error","name":"a","message":"..."}
'use strict';

const path = require('path');
const readline = require('readline');

const [modules, url, ioPath] = process.argv.slice(2);
const { io } = require(path.join(modules, 'socket.io-client'));

function report(object) {
    process.stdout.write(JSON.stringify(object) + '\n');
}

// Buffers and typed arrays as {"$hex": "..."} so the test can compare them as text.
function plain(value) {
    if (Buffer.isBuffer(value) || value instanceof ArrayBuffer || ArrayBuffer.isView(value))
        return { $hex: Buffer.from(value instanceof ArrayBuffer ? new Uint8Array(value) : value).toString('hex') };
    if (Array.isArray(value))
        return value.map(plain);
    if (value && typeof value === 'object') {
        const out = {};
        for (const [k, v] of Object.entries(value))
            out[k] = plain(v);
        return out;
    }
    return value;
}

// {"$hex": "..."} in commands becomes a Buffer (a binary argument).
function revive(value) {
    if (Array.isArray(value))
        return value.map(revive);
    if (value && typeof value === 'object') {
        if (typeof value.$hex === 'string' && Object.keys(value).length === 1)
            return Buffer.from(value.$hex, 'hex');
        const out = {};
        for (const [k, v] of Object.entries(value))
            out[k] = revive(v);
        return out;
    }
    return value;
}

const sockets = new Map();

function connect(command) {
    const name = command.name;
    const nsp = command.nsp || '/';
    const socket = io(url + (nsp === '/' ? '' : nsp), {
        path: ioPath || '/socket.io/',
        forceNew: true,
        reconnection: false,
        auth: command.auth || {},
        transports: command.transports || ['polling', 'websocket'],
        query: command.query || {},
    });
    sockets.set(name, socket);
    socket.on('connect', () => {
        const engine = socket.io.engine;
        report({ type: 'connect', name, nsp, id: socket.id, transport: engine.transport.name });
        engine.on('upgrade', (transport) => report({ type: 'upgrade', name, transport: transport.name }));
    });
    socket.on('connect_error', (error) => report({ type: 'connect_error', name, message: error.message }));
    socket.on('disconnect', (reason) => report({ type: 'disconnect', name, reason }));
    socket.onAny((event, ...args) => {
        const ack = typeof args[args.length - 1] === 'function' ? args.pop() : null;
        report({ type: 'event', name, event, args: plain(args), ack: !!ack });
        if (ack) {
            const reply = ['ok from ' + name, { event, count: args.length }];
            ack(...reply);
            report({ type: 'acked', name, event, reply });
        }
    });
}

function emit(command) {
    const socket = sockets.get(command.name);
    const args = revive(command.args || []);
    if (command.ack) {
        socket.emit(command.event, ...args, (...reply) =>
            report({ type: 'ackReply', name: command.name, ref: command.ref, args: plain(reply) }));
    } else {
        socket.emit(command.event, ...args);
    }
}

readline.createInterface({ input: process.stdin }).on('line', (line) => {
    if (!line.trim())
        return;
    const command = JSON.parse(line);
    switch (command.op) {
    case 'connect':
        connect(command);
        break;
    case 'emit':
        emit(command);
        break;
    case 'disconnect':
        sockets.get(command.name).disconnect();
        break;
    case 'exit':
        for (const socket of sockets.values())
            socket.disconnect();
        process.exit(0);
    }
}).on('close', () => process.exit(0));

report({ type: 'ready' });
