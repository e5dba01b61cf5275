#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Debian's python3-socketio 5.7 server on aiohttp for the inspector's client tests, in its own
process so that a test can kill it and start it again on the same port:
    python-server.py PORT
Prints "port N" once it listens. The handlers of node-server.mjs."""
import sys

import socketio
from aiohttp import web

sio = socketio.AsyncServer(async_mode='aiohttp', ping_interval=1, ping_timeout=1)
app = web.Application()
sio.attach(app)

for nsp in ('/', '/chat'):
    @sio.on('connect', namespace=nsp)
    async def connect(sid, environ, auth=None, nsp=nsp):
        token = (auth or {}).get('token')
        # After the connect handler returns: the client knows its socket by then.
        sio.start_background_task(sio.emit, 'welcome', (nsp, 42, {'k': 'v'}, token), to=sid, namespace=nsp)

    @sio.on('echo', namespace=nsp)
    async def echo(sid, *args):
        return ('echoed',) + args

    @sio.on('ask', namespace=nsp)
    async def ask(sid, value, nsp=nsp):
        def answered(*reply):
            sio.start_background_task(sio.emit, 'answered', reply, to=sid, namespace=nsp)
        await sio.emit('question', value, to=sid, namespace=nsp, callback=answered)


async def main(port):
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, '127.0.0.1', port)
    await site.start()
    print('port %d' % site._server.sockets[0].getsockname()[1], flush=True)


if __name__ == '__main__':
    import asyncio
    loop = asyncio.new_event_loop()
    loop.run_until_complete(main(int(sys.argv[1]) if len(sys.argv) > 1 else 0))
    loop.run_forever()
