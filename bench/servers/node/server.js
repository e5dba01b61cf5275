// The benchmark's reference server: socket.io 4.8 with the same handlers as bench/servers/qt.
'use strict';
const http = require('http');
const { Server } = require('socket.io');

const port = Number(process.argv[2] || process.env.PORT || 3000);
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

io.on('connection', (socket) => {
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
httpServer.listen(port, '0.0.0.0', 1024, () => {
  console.log(`listening on port ${httpServer.address().port}`);
});
