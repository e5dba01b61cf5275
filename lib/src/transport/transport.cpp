// SPDX-License-Identifier: MIT
#include "transport.h"

namespace SocketIo {

namespace {
class NullListener final : public EngineTransport::Listener
{
public:
    void transportPacket(EngineTransport *, Protocol::EnginePacket) override { }
    void transportWritable(EngineTransport *) override { }
    void transportParseError(EngineTransport *, const QString &) override { }
    void transportError(EngineTransport *, const QString &) override { }
    void transportClosed(EngineTransport *, const QString &) override { }
    void transportSent(EngineTransport *, const Protocol::EnginePacket &, qint64) override { }
};
} // namespace

EngineTransport::Listener *EngineTransport::nullListener()
{
    static NullListener listener;
    return &listener;
}

EngineTransport::EngineTransport(int protocol, Listener *listener, QObject *parent)
    : QObject(parent)
    , m_protocol(protocol)
    , m_listener(listener ? listener : nullListener())
{ }

} // namespace SocketIo
