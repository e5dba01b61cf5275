#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Our Qt client (socketio-client --json) against Debian's python3-socketio server on aiohttp.

Usage: qtclient_python_test.py <socketio-client>
The server runs in this process on a free loopback port; the client is driven through its
--json contract (PROTOCOL.md, "socketio-client"). Timeouts are safety nets only.
"""
import asyncio
import json
import os
import sys

import socketio
from aiohttp import web

SAFETY = 15


class Client:
    def __init__(self, proc):
        self.proc = proc
        self.lines = []
        self.new_line = asyncio.Event()
        self.reader = asyncio.ensure_future(self._read())

    @classmethod
    async def start(cls, binary, url, *args):
        env = dict(os.environ, QT_LOGGING_RULES='socketio.*.debug=false')
        proc = await asyncio.create_subprocess_exec(
            binary, '--json', url, *args, stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE, env=env)
        return cls(proc)

    async def _read(self):
        while True:
            line = await self.proc.stdout.readline()
            if not line:
                break
            message = json.loads(line)
            message['raw'] = line.decode().rstrip('\n')
            self.lines.append(message)
            self.new_line.set()

    def send(self, command):
        self.proc.stdin.write((json.dumps(command) + '\n').encode())

    def send_raw(self, line):
        self.proc.stdin.write((line + '\n').encode())

    async def next(self, predicate, what):
        async def wait():
            while True:
                for message in self.lines:
                    if not message.get('taken') and predicate(message):
                        message['taken'] = True
                        return message
                self.new_line.clear()
                await self.new_line.wait()
        try:
            return await asyncio.wait_for(wait(), SAFETY)
        except asyncio.TimeoutError:
            raise AssertionError('timed out waiting for %s; output: %s'
                                 % (what, [m['raw'] for m in self.lines]))

    async def type(self, kind, nsp=None):
        return await self.next(lambda m: m['type'] == kind and (nsp is None or m.get('nsp') == nsp),
                               '%s %s' % (kind, nsp))

    async def event(self, name, nsp='/'):
        return await self.next(lambda m: m['type'] == 'event' and m['event'] == name
                               and m['nsp'] == nsp, 'event ' + name)

    async def end(self):
        self.proc.stdin.close()
        code = await asyncio.wait_for(self.proc.wait(), SAFETY)
        await self.reader
        return code


async def start_server():
    sio = socketio.AsyncServer(async_mode='aiohttp', ping_interval=1, ping_timeout=1)
    app = web.Application()
    sio.attach(app)

    for nsp in ('/', '/custom'):
        @sio.on('connect', namespace=nsp)
        async def connect(sid, environ, auth=None, nsp=nsp):
            if nsp == '/custom' and (auth or {}).get('token') != 'ok':
                raise socketio.exceptions.ConnectionRefusedError({'reason': 'bad token', 'code': 7})
            await sio.emit('auth', auth or {}, to=sid, namespace=nsp)

        @sio.on('message', namespace=nsp)
        async def message(sid, *args, nsp=nsp):
            await sio.emit('message-back', args if len(args) != 1 else args[0], to=sid, namespace=nsp)

        @sio.on('message-with-ack', namespace=nsp)
        async def message_with_ack(sid, *args):
            return args

        @sio.on('kick', namespace=nsp)
        async def kick(sid, nsp=nsp):
            await sio.disconnect(sid, namespace=nsp)

        @sio.on('ask', namespace=nsp)
        async def ask(sid, value, nsp=nsp):
            async def question():
                reply = await sio.call('question', value, to=sid, namespace=nsp, timeout=10)
                await sio.emit('answered', reply, to=sid, namespace=nsp)
            sio.start_background_task(question)

    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, '127.0.0.1', 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    return runner, 'http://127.0.0.1:%d' % port


async def check(binary, url, transports):
    client = await Client.start(binary, url, *transports)
    await client.type('connect', '/')
    auth = await client.event('auth')
    assert auth['args'] == [{}], auth['raw']
    # Key order kept through python's dicts (insertion ordered) and our client; binary anywhere.
    client.send_raw('{"cmd":"emit","event":"message","args":[{"zeta":1,"alpha":{"y":2,"b":3}}]}')
    back = await client.event('message-back')
    assert '"args":[{"zeta":1,"alpha":{"y":2,"b":3}}]' in back['raw'], back['raw']
    client.send({'cmd': 'emit', 'event': 'message', 'args': [{'$binary': 'AQID'}]})
    back = await client.event('message-back')
    assert back['args'] == [{'$binary': 'AQID'}], back['raw']
    client.send({'cmd': 'emit', 'event': 'message-with-ack', 'args': ['a', 1], 'ack': True, 'id': 'k'})
    ack = await client.next(lambda m: m['type'] == 'ack' and m['id'] == 'k', 'ack k')
    assert ack['args'] == ['a', 1], ack['raw']
    # A server call (an event asking for an ack) answered through the contract.
    client.send({'cmd': 'emit', 'event': 'ask', 'args': [5]})
    question = await client.event('question')
    assert question['args'] == [5] and isinstance(question.get('ackId'), int), question['raw']
    client.send({'cmd': 'ack', 'nsp': '/', 'ackId': question['ackId'], 'args': [10]})
    answered = await client.event('answered')
    assert answered['args'] == [10], answered['raw']
    # A refused namespace: python-socketio's ConnectionRefusedError message and data.
    client.send({'cmd': 'connect', 'nsp': '/custom', 'auth': {'token': 'bad'}})
    refused = await client.type('connect_error', '/custom')
    assert 'bad token' in refused['message'], refused['raw']  # python-socketio 5.7 formats the data in
    client.send({'cmd': 'connect', 'nsp': '/custom', 'auth': {'token': 'ok'}})
    await client.type('connect', '/custom')
    custom_auth = await client.event('auth', '/custom')
    assert custom_auth['args'] == [{'token': 'ok'}], custom_auth['raw']
    if not transports:
        upgrade = await client.type('upgrade')
        assert upgrade['transport'] == 'websocket'
    # The server disconnects the socket: "io server disconnect", no reconnection.
    client.send({'cmd': 'emit', 'event': 'kick'})
    disconnect = await client.type('disconnect', '/')
    assert disconnect['reason'] == 'io server disconnect', disconnect['raw']
    client.send({'cmd': 'emit', 'nsp': '/custom', 'event': 'message', 'args': ['after']})
    await client.event('message-back', '/custom')
    assert not [m for m in client.lines if m['type'] == 'reconnect_attempt'], client.lines
    code = await client.end()
    assert code == 0, code


async def main(binary):
    runner, url = await start_server()
    try:
        for transports in ([], ['--transports', 'polling'], ['--transports', 'websocket']):
            await check(binary, url, transports)
            print('ok: python-socketio server, transports %s' % (transports or 'default'))
    finally:
        await runner.cleanup()


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit('usage: qtclient_python_test.py <socketio-client>')
    asyncio.run(main(sys.argv[1]))
