// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/enginepacket.h"

#include <SocketIo/socketioglobal.h>

#include <QObject>

namespace SocketIo {

// Bytes <-> Engine.IO packets over one kind of connection (engine.io's Transport). A transport
// reports upward through its Listener, which the session implements.
class EngineTransport : public QObject
{
    Q_OBJECT
public:
    class Listener
    {
    public:
        virtual ~Listener() = default;
        virtual void transportPacket(EngineTransport *transport, Protocol::EnginePacket packet) = 0;
        // The transport can take packets now (a poll arrived).
        virtual void transportWritable(EngineTransport *transport) = 0;
        // Bytes that do not decode.
        virtual void transportParseError(EngineTransport *transport, const QString &description) = 0;
        virtual void transportError(EngineTransport *transport, const QString &description) = 0;
        // The connection is gone (peer closed, or our close() completed).
        virtual void transportClosed(EngineTransport *transport, const QString &description) = 0;
        // Every packet written (for the traffic observer); encodedSize is its share of the wire.
        virtual void transportSent(EngineTransport *transport, const Protocol::EnginePacket &packet,
                                   qint64 encodedSize) = 0;
    };

    EngineTransport(int protocol, Listener *listener, QObject *parent);

    // A listener that ignores everything, for transports whose owner has let go of them.
    static Listener *nullListener();

    virtual SocketIo::Transport type() const = 0;
    int protocol() const { return m_protocol; }
    void setListener(Listener *listener) { m_listener = listener ? listener : nullListener(); }

    virtual bool isWritable() const = 0;
    // Writes packets; only when isWritable().
    virtual void send(const QList<Protocol::EnginePacket> &packets) = 0;
    // Writes one packet (the hot path of a WebSocket session: no list is built).
    virtual void send(const Protocol::EnginePacket &packet) { send(QList<Protocol::EnginePacket>{ packet }); }
    // Bytes written but not yet handed to the network (the socket's write buffer); 0 for a
    // transport that keeps nothing (polling answers a parked GET at once).
    virtual qint64 bufferedBytes() const { return 0; }
    // Bytes handed to the network so far, for transports that buffer (progress of a slow reader).
    virtual qint64 writtenBytes() const { return 0; }
    // Hands buffered bytes to the network now, as far as it takes them without blocking.
    virtual void flush() { }
    // Closes the connection. The owner must not use the transport afterwards; a WebSocket
    // transport detaches from its parent and deletes itself once the close handshake is done.
    virtual void close() = 0;
    // Closes at once, dropping what is buffered (a client that does not read). The owner must not
    // use the transport afterwards.
    virtual void abort() { close(); }
    bool isClosed() const { return m_closed; }

protected:
    int m_protocol;
    Listener *m_listener;
    bool m_closed = false;
};

} // namespace SocketIo
