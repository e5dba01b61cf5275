// SPDX-License-Identifier: MIT
// Our instrumented echo server against node's socket.io 4.8 instrumented by @socket.io/admin-ui
// 0.5: the same client actions, and what the admin receives must be the same events with the
// same fields and values, modulo ids, dates, ports, addresses and pids.
//   ECHO_SERVER=build/examples/echo-server/socketio-echo-server node --test compare.test.mjs
import assert from 'node:assert/strict';
import test from 'node:test';
import { HASH, PASSWORD, connectAdmin, connectClient, startServer } from './helpers.mjs';

// The same sequence on either server; returns the admin's events, normalized.
async function scenario(server) {
    const admin = connectAdmin(server, { auth: { username: 'admin', password: PASSWORD } });
    await admin.connected;
    await admin.until('all_sockets');

    const a = await connectClient(server, '/', { transports: ['websocket'], auth: { token: 'a' } });
    await admin.until('event_sent', (e) => e[2] === a.id && e[3][0] === 'auth');
    const b = await connectClient(server, '/custom', { transports: ['polling', 'websocket'] });
    await admin.until('event_sent', (e) => e[2] === b.id && e[3][0] === 'auth');
    await admin.until('socket_updated', (e) => e[1].id === b.id && e[1].transport === 'websocket');

    a.emit('join', 'room1');
    await admin.until('room_joined', (e) => e[2] === 'room1');
    b.emit('message', 'hello', { x: 1, y: [true, null] });
    await admin.until('event_sent', (e) => e[3][0] === 'message-back');
    assert.equal(await a.emitWithAck('message-with-ack', 1, 'two'), 1);
    await admin.until('event_received', (e) => e[3][0] === 'message-with-ack');
    a.emit('leave', 'room1');
    await admin.until('room_left', (e) => e[2] === 'room1');
    const bId = b.id;
    const bEngineId = b.io.engine.id;
    b.emit('disconnect-me');
    await admin.until('socket_disconnected', (e) => e[2] === bId);
    // A second socket on A's connection keeps it open: the "41" alone ends A (a client namespace
    // disconnect), without a transport close racing it.
    const keep = a.io.socket('/custom');
    await new Promise((resolve) => keep.once('auth', resolve));
    const keepId = keep.id;
    const aId = a.id; // socket.io-client forgets it on disconnect
    const engineIds = [admin.socket.io.engine.id, a.io.engine.id, bEngineId];
    a.disconnect();
    await admin.until('socket_disconnected', (e) => e[2] === aId);
    // One more server_stats, with the aggregated events of all that.
    const stats = admin.events.filter((e) => e[0] === 'server_stats').length;
    await admin.untilCount('server_stats', stats + 1);

    const labels = new Map([
        [admin.socket.id, '<admin>'], [aId, '<a>'], [bId, '<b>'],
        [keepId, '<keep>'], [engineIds[0].slice(0, 12), '<admin-client>'],
        [engineIds[1].slice(0, 12), '<a-client>'], [engineIds[2].slice(0, 12), '<b-client>'],
    ]);
    keep.disconnect();
    admin.socket.disconnect();
    return admin.events.map((e) => normalize(e, labels));
}

const isoDate = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const jsDate = /^\w{3} \w{3} \d\d \d{4} \d\d:\d\d:\d\d GMT[+-]\d{4} \(.+\)$/;

function normalize(value, labels, key) {
    if (typeof value === 'string') {
        if (labels.has(value))
            return labels.get(value);
        if (isoDate.test(value))
            return '<date>';
        if (key === 'time')
            return jsDate.test(value) ? '<js date>' : `bad date ${value}`;
        if (key === 'url')
            return value.replace(/([?&]t=)[^&]*/, '$1<t>');
        if (key === 'address' || key === 'serverId' || key === 'hostname')
            return `<${key}>`;
        if (key === 't')
            return '<t>';
        if (key === 'session')
            return /^[0-9a-f]{16}$/.test(value) ? '<session>' : `bad session ${value}`;
        return value;
    }
    if (Array.isArray(value)) {
        if (value[0] === 'session')
            return ['session', normalize(value[1], labels, 'session')];
        return value.map((v) => normalize(v, labels, key === 'rooms' ? 'room' : undefined));
    }
    if (value && typeof value === 'object') {
        const out = {};
        for (const [k, v] of Object.entries(value)) {
            if (k === 'headers')
                out[k] = Object.keys(v).sort(); // names only: host has the port, keys are random
            else if (k === 'issued' || k === 'pid' || k === 'uptime' || k === 'timestamp')
                out[k] = typeof v === 'number' ? '<number>' : `bad ${k} ${v}`;
            else if (k === 'rooms' && Array.isArray(v))
                out[k] = v.map((r) => normalize(r, labels));
            else
                out[k] = normalize(v, labels, k);
        }
        return out;
    }
    return value;
}

// server_stats: the same fields; the same namespaces with the same counts; aggregated event types.
function statsShape(events) {
    const all = events.filter((e) => e[0] === 'server_stats').map((e) => e[1]);
    const last = all[all.length - 1];
    const types = new Set();
    for (const s of all) {
        for (const agg of s.aggregatedEvents)
            types.add(agg.subType ? `${agg.type}/${agg.subType}` : agg.type);
    }
    return {
        keys: Object.keys(last),
        namespaces: [...last.namespaces].sort((x, y) => x.name.localeCompare(y.name)),
        clientsCount: last.clientsCount,
        pollingClientsCount: last.pollingClientsCount,
        aggregatedKeys: [...new Set(all.flatMap((s) => s.aggregatedEvents.map((agg) => Object.keys(agg).join())))].sort(),
        aggregatedTypes: [...types].sort(),
    };
}

test('the admin sees the same events from our server as from node socket.io + @socket.io/admin-ui', async () => {
    const args = ['--admin-auth', `admin:${HASH}`];
    const results = {};
    for (const kind of ['node', 'qt']) {
        const server = await startServer(kind, args);
        try {
            results[kind] = await scenario(server).catch((err) => { err.message = `${kind}: ${err.message}`; throw err; });
        } finally {
            await server.stop();
        }
    }
    const [ours, theirs] = [results.qt, results.node];

    // The order of the first events: session, then the admin's own room and socket, config, all_sockets.
    const head = (events) => events.filter((e) => e[0] !== 'server_stats').slice(0, 5).map((e) => e[0]);
    assert.deepEqual(head(ours), head(theirs));

    // Every other event, field for field (as multisets: timers may interleave differently).
    const stream = (events) => events.filter((e) => e[0] !== 'server_stats').map((e) => JSON.stringify(e)).sort();
    assert.deepEqual(stream(ours), stream(theirs));
    const names = new Set(ours.map((e) => e[0]));
    for (const name of ['session', 'config', 'all_sockets', 'socket_connected', 'socket_updated',
                        'socket_disconnected', 'room_joined', 'room_left', 'event_received', 'event_sent',
                        'server_stats'])
        assert.ok(names.has(name), `no ${name} compared`);

    assert.deepEqual(statsShape(ours), statsShape(theirs));
});

test('production and read-only: the same config and only server_stats, from ours and from node', async () => {
    const args = ['--admin', '--admin-mode', 'production', '--admin-readonly', '--admin-namespace', '/watch'];
    const results = {};
    for (const kind of ['node', 'qt']) {
        const server = await startServer(kind, args);
        try {
            const admin = connectAdmin(server, { namespace: '/watch' });
            await admin.connected;
            const client = await connectClient(server, '/', { transports: ['websocket'] });
            client.emit('message', 'x');
            await new Promise((resolve) => client.once('message-back', resolve));
            client.close();
            await admin.untilCount('server_stats', 2);
            results[kind] = {
                names: [...new Set(admin.events.map((e) => e[0]))],
                config: admin.events.find((e) => e[0] === 'config')[1],
                stats: statsShape(admin.events),
            };
            admin.socket.close();
        } finally {
            await server.stop();
        }
    }
    assert.deepEqual(results.qt.names, ['config', 'server_stats']);
    assert.deepEqual(results.qt.names, results.node.names);
    assert.deepEqual(results.qt.config, { supportedFeatures: ['AGGREGATED_EVENTS'] });
    assert.deepEqual(results.qt.config, results.node.config);
    assert.deepEqual(results.qt.stats.keys, results.node.stats.keys);
    assert.deepEqual(results.qt.stats.namespaces.map((n) => n.name), results.node.stats.namespaces.map((n) => n.name));
});
