// SPDX-License-Identifier: MIT
#pragma once

#include "httpconnection.h"
#include "transport.h"

#include <QPointer>

namespace SocketIo {

// Engine.IO over HTTP long-polling: a GET waits (is "parked") until there is something to send;
// a POST carries a payload of packets. One GET at a time: a second one is an error.
class PollingTransport final : public EngineTransport
{
    Q_OBJECT
public:
    struct Settings
    {
        bool compression = true;
        qint64 compressionThreshold = 1024;
    };

    PollingTransport(int protocol, const Settings &settings, Listener *listener, QObject *parent);
    ~PollingTransport() override;

    SocketIo::Transport type() const override { return SocketIo::Transport::Polling; }
    bool isWritable() const override { return !m_closed && m_poll; }
    void send(const QList<Protocol::EnginePacket> &packets) override;
    // Closes now: a parked GET gets the close packet. No transportClosed() follows.
    void close() override;

    // A GET for this session. responseHeaders go on its answer (CORS, cookie).
    void handlePoll(HttpConnection *connection, const Protocol::HttpRequestHead &head,
                    Protocol::HttpHeaders responseHeaders);
    // A POST for this session.
    void handleData(HttpConnection *connection, const Protocol::HttpRequestHead &head, const QByteArray &body,
                    Protocol::HttpHeaders responseHeaders);
    // After an upgrade: answers a parked GET with noop; the transport takes no more requests.
    void discard();

private:
    void respondPoll(QByteArray body, const QByteArray &contentType);
    void onPollAborted();
    void clientClosed();

    Settings m_settings;
    QPointer<HttpConnection> m_poll; // the parked GET
    Protocol::HttpHeaders m_pollHeaders;
    QByteArray m_pollEncoding; // "gzip", "deflate" or empty
    bool m_supportsBinary = true; // v3: false when the client asked for b64
};

} // namespace SocketIo
