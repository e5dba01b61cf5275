// SPDX-License-Identifier: MIT
// A small shop on socket.io 4.8 for the record/replay test (record-replay.test.mjs): orders with
// acks, a server event per order, binary uploads. With `changed` (or --changed) the total of the
// second order is one more, the only difference a replay against it must report.
//
//   node replay-server.mjs [--changed] [--port N]      prints "listening on port N"
import http from 'node:http';
import { Server } from 'socket.io';

export async function startShop({ changed = false, port = 0 } = {}) {
    const httpServer = http.createServer();
    const io = new Server(httpServer);
    io.on('connection', (socket) => {
        let orders = 0; // per connection: each replay is a new client
        socket.emit('welcome', { id: socket.id, motd: 'hello', at: Date.now() });
        socket.on('order', (order, ack) => {
            orders += 1;
            let total = order.qty * order.price;
            if (changed && orders === 2)
                total += 1;
            const id = `o-${Math.random().toString(36).slice(2)}`;
            ack({ id, status: 'accepted' });
            socket.emit('order', { id, item: order.item, total, createdAt: new Date().toISOString() });
        });
        socket.on('upload', (name, data, ack) => {
            ack({ name, size: data.length, echo: data });
        });
        socket.on('note', (text) => socket.emit('noted', text.toUpperCase()));
    });
    await new Promise((resolve) => httpServer.listen(port, '127.0.0.1', resolve));
    return { io, httpServer, port: httpServer.address().port, url: `http://127.0.0.1:${httpServer.address().port}` };
}

if (import.meta.url === `file://${process.argv[1]}`) {
    const changed = process.argv.includes('--changed');
    const portIndex = process.argv.indexOf('--port');
    const shop = await startShop({ changed, port: portIndex > 0 ? Number(process.argv[portIndex + 1]) : 0 });
    console.log(`listening on port ${shop.port}`);
}
