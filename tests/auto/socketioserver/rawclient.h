// SPDX-License-Identifier: MIT
#pragma once

// Test-only raw clients that speak Engine.IO v4 by hand so tests can assert exact wire strings:
//  - RawClient: Engine.IO over a QWebSocket. It skips (and keeps) the open packet, answers pings
//    "2" with "3", and queues every other text and binary frame in arrival order, one entry per
//    frame, so no frame is lost however many arrive in one read.
//  - PollingClient: Engine.IO over HTTP long-polling (raw GET/POST through HttpTestClient).
// No QObject: waiting is done with QTest::qWaitFor (never a blind sleep).

#include "../engineserver/httptestclient.h"

#include <QByteArray>
#include <QByteArrayList>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QTest>
#include <QUrl>
#include <QWebSocket>

#include <functional>
#include <memory>
#include <vector>

struct RawFrame
{
    bool binary = false;
    QByteArray data;
};

class RawClient
{
public:
    explicit RawClient(quint16 port, const QByteArray &query = QByteArrayLiteral("EIO=4&transport=websocket"),
                       const QByteArray &path = QByteArrayLiteral("/socket.io/"))
    {
        QWebSocket *ws = &m_socket;
        QObject::connect(ws, &QWebSocket::connected, ws, [this] { m_connected = true; });
        QObject::connect(ws, &QWebSocket::disconnected, ws, [this] { m_closed = true; });
        QObject::connect(ws, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), ws,
                         [this](QAbstractSocket::SocketError) { m_closed = true; });
        QObject::connect(ws, &QWebSocket::textMessageReceived, ws, [this](const QString &message) {
            const QByteArray utf8 = message.toUtf8();
            if (!m_opened && utf8.startsWith('0')) {
                m_opened = true;
                m_open = QJsonDocument::fromJson(utf8.mid(1)).object();
                return;
            }
            if (utf8 == "2") {
                ++m_pings;
                if (m_autoPong)
                    m_socket.sendTextMessage(QStringLiteral("3"));
                if (!m_queuePings)
                    return;
            }
            m_frames.append({ false, utf8 });
        });
        QObject::connect(ws, &QWebSocket::binaryMessageReceived, ws, [this](const QByteArray &message) {
            m_frames.append({ true, message });
        });
        m_socket.open(QUrl(QStringLiteral("ws://127.0.0.1:%1%2?%3")
                               .arg(port)
                               .arg(QString::fromLatin1(path), QString::fromLatin1(query))));
    }
    ~RawClient()
    {
        m_socket.disconnect();
        m_socket.abort();
    }
    RawClient(const RawClient &) = delete;
    RawClient &operator=(const RawClient &) = delete;

    // The open packet arrived (the Engine.IO session exists).
    bool waitForOpen(int timeoutMs = 5000)
    {
        return QTest::qWaitFor([this] { return m_opened || m_closed; }, timeoutMs) && m_opened;
    }
    // The WebSocket handshake completed (for upgrades, where no open packet comes).
    bool waitForConnected(int timeoutMs = 5000)
    {
        return QTest::qWaitFor([this] { return m_connected || m_closed; }, timeoutMs) && m_connected;
    }
    QString engineSid() const { return m_open.value(QLatin1String("sid")).toString(); }
    QJsonObject openPacket() const { return m_open; }

    // Engine.IO text as is: "40", "42[\"message\",1]", ...
    void send(const QByteArray &text) { m_socket.sendTextMessage(QString::fromUtf8(text)); }
    void sendBinary(const QByteArray &data) { m_socket.sendBinaryMessage(data); }
    void close() { m_socket.close(); }

    // Pings: answered with "3" when autoPong (the default); queued as frames when queuePings.
    void setAutoPong(bool on) { m_autoPong = on; }
    void setQueuePings(bool on) { m_queuePings = on; }
    int pingCount() const { return m_pings; }

    bool isClosed() const { return m_closed; }
    bool waitForClosed(int timeoutMs = 5000)
    {
        return QTest::qWaitFor([this] { return m_closed; }, timeoutMs);
    }

    int pendingFrames() const { return int(m_frames.size()); }
    bool waitForFrames(int count, int timeoutMs = 5000)
    {
        return QTest::qWaitFor([&] { return m_frames.size() >= count; }, timeoutMs);
    }
    const QList<RawFrame> &frames() const { return m_frames; }
    void clearFrames() { m_frames.clear(); }

    // The next frame, waiting for it. Text as is; binary as "<binary:HEX>"; "<timeout>" when no
    // frame came (or "<closed>" when the connection ended first), so a QCOMPARE shows what
    // happened.
    QByteArray nextText(int timeoutMs = 5000)
    {
        (void)QTest::qWaitFor([this] { return !m_frames.isEmpty() || m_closed; }, timeoutMs);
        if (m_frames.isEmpty())
            return m_closed ? QByteArrayLiteral("<closed>") : QByteArrayLiteral("<timeout>");
        const RawFrame frame = m_frames.takeFirst();
        if (frame.binary)
            return QByteArray("<binary:" + frame.data.toHex() + '>');
        return frame.data;
    }
    // The next frame, which must be binary: its bytes; otherwise "<text:...>" / "<timeout>".
    QByteArray nextBinary(int timeoutMs = 5000)
    {
        (void)QTest::qWaitFor([this] { return !m_frames.isEmpty() || m_closed; }, timeoutMs);
        if (m_frames.isEmpty())
            return m_closed ? QByteArrayLiteral("<closed>") : QByteArrayLiteral("<timeout>");
        const RawFrame frame = m_frames.takeFirst();
        if (!frame.binary)
            return QByteArray("<text:" + frame.data + '>');
        return frame.data;
    }
    // Text frames up to (not including) the frame `marker`, which is consumed; a trailing
    // "<timeout>" entry when the marker never came.
    QByteArrayList textsUntil(const QByteArray &marker, int timeoutMs = 5000)
    {
        QByteArrayList texts;
        for (;;) {
            const QByteArray text = nextText(timeoutMs);
            if (text == marker)
                return texts;
            texts.append(text);
            if (text == "<timeout>" || text == "<closed>")
                return texts;
        }
    }

private:
    QWebSocket m_socket;
    QJsonObject m_open;
    bool m_connected = false;
    bool m_opened = false;
    bool m_closed = false;
    bool m_autoPong = true;
    bool m_queuePings = false;
    int m_pings = 0;
    QList<RawFrame> m_frames;
};

// Engine.IO v4 over HTTP long-polling, one request per TCP connection. poll() issues one GET and
// collects its packets; pings are answered with a POST "3" and not collected, noops are skipped.
class PollingClient
{
public:
    explicit PollingClient(quint16 port, const QByteArray &path = QByteArrayLiteral("/socket.io/"))
        : m_port(port)
        , m_path(path)
    { }

    // The handshake GET: true when the open packet came back.
    bool handshake(int timeoutMs = 5000)
    {
        HttpTestClient client(m_port);
        client.get(m_path + "?EIO=4&transport=polling");
        if (!client.waitForResponses(1, timeoutMs))
            return false;
        const HttpTestResponse r = client.response();
        if (r.status != 200 || !r.body.startsWith('0'))
            return false;
        m_open = QJsonDocument::fromJson(r.body.mid(1)).object();
        m_sid = m_open.value(QLatin1String("sid")).toString().toLatin1();
        return !m_sid.isEmpty();
    }
    QByteArray sid() const { return m_sid; }
    QByteArray target() const { return m_path + "?EIO=4&transport=polling&sid=" + m_sid; }

    // POSTs body; returns the status (0 when no response).
    int post(const QByteArray &body, int timeoutMs = 5000)
    {
        HttpTestClient client(m_port);
        client.post(target(), body);
        if (!client.waitForResponses(1, timeoutMs))
            return 0;
        return client.response().status;
    }

    // GETs until a packet satisfying pred arrived (at most `polls` requests). Every packet but
    // pings and noops is appended to packets().
    bool pollUntil(const std::function<bool(const QByteArray &)> &pred, int polls = 20, int timeoutMs = 5000)
    {
        for (int i = 0; i < polls; ++i) {
            for (qsizetype j = m_checked; j < m_packets.size(); ++j) {
                if (pred(m_packets.at(j))) {
                    m_checked = j + 1;
                    return true;
                }
            }
            m_checked = m_packets.size();
            if (!poll(timeoutMs))
                return false;
        }
        return false;
    }
    bool pollUntilPacket(const QByteArray &packet, int polls = 20)
    {
        return pollUntil([&](const QByteArray &p) { return p == packet; }, polls);
    }
    const QByteArrayList &packets() const { return m_packets; }
    int lastStatus() const { return m_lastStatus; }

private:
    bool poll(int timeoutMs)
    {
        HttpTestClient client(m_port);
        client.get(target());
        if (!client.waitForResponses(1, timeoutMs))
            return false;
        const HttpTestResponse r = client.response();
        m_lastStatus = r.status;
        if (r.status != 200)
            return false;
        for (const QByteArray &packet : r.body.split('\x1e')) {
            if (packet == "6")
                continue;
            if (packet == "2") {
                post(QByteArrayLiteral("3"));
                continue;
            }
            m_packets.append(packet);
        }
        return true;
    }

    quint16 m_port = 0;
    QByteArray m_path;
    QByteArray m_sid;
    QJsonObject m_open;
    QByteArrayList m_packets;
    qsizetype m_checked = 0;
    int m_lastStatus = 0;
};
