// SPDX-License-Identifier: MIT
#pragma once

#include <SocketIo/engineserver.h>
#include <SocketIo/server.h>

#include <QList>
#include <QObject>
#include <QPointer>

#include <memory>

namespace Inspector {

// The demo server behind --demo: "/" greets, echoes ("message" -> "message-back"), answers
// every ack and sends a "tick" every few seconds; "/chat" is a chat with a "lobby" room, the
// protocol of examples/chat ("hello" name -> "hello_ack" and the ack "hello <name>", "chat"
// text -> "chat" name, text to the lobby, "joined", "left") plus "typing", "join"/"leave" a
// room and binary "upload" answered with its size; any namespace called "/dyn-..." is created
// on demand.
void installDemo(SocketIo::Server *server);

class DemoClient;

// A few simulated browsers for the demo, so there is something to watch without opening a page:
// raw Engine.IO v4 clients over WebSocket that join "/" and "/chat", chat, ping with acks, join
// rooms, upload binaries, answer the server's acks, and now and then reconnect.
class DemoClients : public QObject
{
    Q_OBJECT
public:
    DemoClients(quint16 port, const QString &path, int count, QObject *parent = nullptr);
    ~DemoClients() override;

    int count() const { return int(m_clients.size()); }

private:
    std::vector<std::unique_ptr<DemoClient>> m_clients;
};

} // namespace Inspector
