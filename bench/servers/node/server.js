// The benchmark's reference server: socket.io 4.8 with the same handlers as bench/servers/qt.
//   node server.js [PORT] [--redis URL]   (--redis: @socket.io/redis-adapter from tests/redis)
'use strict';
const http = require('http');
const path = require('path');
const { Server } = require('socket.io');

const args = process.argv.slice(2);
const redisAt = args.indexOf('--redis');
const redisUrl = redisAt >= 0 ? args.splice(redisAt, 2)[1] : null;
const port = Number(args[0] || process.env.PORT || 3000);
const httpServer = http.createServer();
const io = new Server(httpServer, {
  pingInterval: 25000,
  pingTimeout: 20000,
  maxHttpBufferSize: 1e6,
  perMessageDeflate: false,
  httpCompression: false,
  cors: undefined,
  // The msgpack parser when bench/run.py asks for it (its msgpack echo row).
  ...(process.env.SOCKETIO_BENCH_PARSER === 'msgpack' ? { parser: require('socket.io-msgpack-parser') } : {}),
});

let ready = Promise.resolve();
if (redisUrl) {
  const fromRedisTests = (name) => require(path.join(__dirname, '../../../tests/redis/node_modules', name));
  const { createClient } = fromRedisTests('redis');
  const { createAdapter } = fromRedisTests('@socket.io/redis-adapter');
  const pub = createClient({ url: redisUrl });
  const sub = pub.duplicate();
  for (const c of [pub, sub]) c.on('error', () => {}); // reconnects by itself
  // Commands in flight when Redis goes away are rejected (SocketClosedUnexpectedlyError) and the
  // adapter does not catch its publish() promises: without this, node exits on a Redis restart
  // under load (scripts/soak --only mixed). Counted and reported once.
  let rejections = 0;
  process.on('unhandledRejection', (reason) => {
    if (rejections++ === 0) console.error(`unhandled rejection (counted from now on): ${reason && reason.stack}`);
  });
  process.on('exit', () => { if (rejections) console.error(`${rejections} unhandled rejections`); });
  ready = Promise.all([pub.connect(), sub.connect()]).then(() => io.adapter(createAdapter(pub, sub)));
}

// Event-loop lateness: how late a 20 ms timer fires, worst since the last "stats" event.
let lastTick = performance.now();
let worstLateness = 0;
setInterval(() => {
  const now = performance.now();
  worstLateness = Math.max(worstLateness, now - lastTick - 20);
  lastTick = now;
}, 20);

io.on('connection', (socket) => {
  socket.on('stats', (ack) => {
    if (typeof ack === 'function') ack({ latenessMs: Math.round(worstLateness), sockets: io.of('/').sockets.size });
    worstLateness = 0;
  });
  socket.on('echo', (...args) => {
    const ack = typeof args[args.length - 1] === 'function' ? args.pop() : null;
    if (ack) ack(...args);
  });
  socket.on('broadcast', (room, count, data, ack) => {
    for (let i = 0; i < count; ++i) {
      if (room) io.to(room).emit('msg', data);
      else socket.broadcast.emit('msg', data);
    }
    if (typeof ack === 'function') ack();
  });
  socket.on('join', (room, ack) => {
    socket.join(room);
    if (typeof ack === 'function') ack();
  });
  socket.on('chat', (room, data, ack) => {
    socket.to(room).emit('chat', data);
    if (typeof ack === 'function') ack();
  });
});

process.on('SIGTERM', () => process.exit(0));
ready.then(() => httpServer.listen(port, '0.0.0.0', 1024, () => {
  console.log(`listening on port ${httpServer.address().port}`);
}));
