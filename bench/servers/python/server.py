#!/usr/bin/python3
# The benchmark's reference server: python-socketio (Debian's python3-socketio) on aiohttp, with
# the same handlers as bench/servers/qt.
import asyncio
import signal
import sys

import socketio
from aiohttp import web

port = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
sio = socketio.AsyncServer(async_mode='aiohttp', ping_interval=25, ping_timeout=20,
                           max_http_buffer_size=1000000, http_compression=False,
                           cors_allowed_origins='*', logger=False, engineio_logger=False)
app = web.Application()
sio.attach(app)


@sio.on('echo')
async def echo(sid, *args):
    return args if len(args) != 1 else (args[0],)


@sio.on('broadcast')
async def broadcast(sid, room, count, data):
    for _ in range(int(count)):
        if room:
            await sio.emit('msg', data, to=room)
        else:
            await sio.emit('msg', data, skip_sid=sid)


@sio.on('join')
async def join(sid, room):
    sio.enter_room(sid, room)


@sio.on('chat')
async def chat(sid, room, data):
    await sio.emit('chat', data, to=room, skip_sid=sid)


async def main():
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host='0.0.0.0', port=port, backlog=1024)
    await site.start()  # bound: now clients may come
    print(f'listening on port {port}', flush=True)
    await asyncio.Event().wait()


signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
asyncio.run(main())
