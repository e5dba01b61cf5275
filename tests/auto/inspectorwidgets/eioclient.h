// SPDX-License-Identifier: MIT
#pragma once

// A test-only Engine.IO v4 client over QWebSocket that speaks Socket.IO by hand, for the
// inspector's widget and headless tests: it keeps the open packet, answers pings, and queues
// every other frame (text as is, binary as "<binary:HEX>") so a test can wait for one.
// Waiting uses QTest::qWaitFor, never a blind sleep.

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QTest>
#include <QUrl>
#include <QWebSocket>

class EioClient
{
public:
    explicit EioClient(quint16 port, const QString &path = QStringLiteral("/socket.io/"))
    {
        QWebSocket *ws = &m_socket;
        QObject::connect(ws, &QWebSocket::disconnected, ws, [this] { m_closed = true; });
        QObject::connect(ws, &QWebSocket::textMessageReceived, ws, [this](const QString &message) {
            const QByteArray utf8 = message.toUtf8();
            if (!m_opened && utf8.startsWith('0')) {
                m_opened = true;
                m_open = QJsonDocument::fromJson(utf8.mid(1)).object();
                return;
            }
            if (utf8 == "2") {
                ++m_pings;
                m_socket.sendTextMessage(QStringLiteral("3"));
                return;
            }
            m_frames.append(utf8);
        });
        QObject::connect(ws, &QWebSocket::binaryMessageReceived, ws, [this](const QByteArray &data) {
            m_frames.append("<binary:" + data.toHex() + '>');
        });
        m_socket.open(
            QUrl(QStringLiteral("ws://127.0.0.1:%1%2?EIO=4&transport=websocket").arg(port).arg(path)));
    }
    ~EioClient()
    {
        m_socket.disconnect();
        m_socket.abort();
    }
    EioClient(const EioClient &) = delete;
    EioClient &operator=(const EioClient &) = delete;

    bool waitForOpen(int timeoutMs = 5000)
    {
        return QTest::qWaitFor([this] { return m_opened || m_closed; }, timeoutMs) && m_opened;
    }
    QString engineSid() const { return m_open.value(QLatin1String("sid")).toString(); }
    QJsonObject openPacket() const { return m_open; }

    // Joins a namespace and returns the socket id from the CONNECT reply (empty on failure).
    QString connectTo(const QString &nsp = QStringLiteral("/"), const QByteArray &auth = {})
    {
        const QByteArray prefix = nsp == QLatin1String("/") ? QByteArray() : nsp.toUtf8() + ',';
        send("40" + prefix + auth);
        const QByteArray expected = QByteArray("40" + prefix + '{');
        const QByteArray reply = takeFirst([&](const QByteArray &f) { return f.startsWith(expected); });
        if (reply.isEmpty())
            return {};
        return QJsonDocument::fromJson(reply.mid(2 + prefix.size()))
            .object()
            .value(QLatin1String("sid"))
            .toString();
    }

    void send(const QByteArray &text) { m_socket.sendTextMessage(QString::fromUtf8(text)); }
    void sendBinary(const QByteArray &data) { m_socket.sendBinaryMessage(data); }
    void close() { m_socket.close(); }
    bool isClosed() const { return m_closed; }
    bool waitForClosed(int timeoutMs = 5000)
    {
        return QTest::qWaitFor([this] { return m_closed; }, timeoutMs);
    }
    int pingCount() const { return m_pings; }

    // The first queued frame for which pred holds, removed from the queue; waits for it.
    template<typename Pred> QByteArray takeFirst(Pred pred, int timeoutMs = 5000)
    {
        QByteArray found;
        (void)QTest::qWaitFor(
            [&] {
                for (qsizetype i = 0; i < m_frames.size(); ++i) {
                    if (pred(m_frames.at(i))) {
                        found = m_frames.takeAt(i);
                        return true;
                    }
                }
                return m_closed;
            },
            timeoutMs);
        return found;
    }
    QByteArray takeStartingWith(const QByteArray &prefix, int timeoutMs = 5000)
    {
        return takeFirst([&](const QByteArray &f) { return f.startsWith(prefix); }, timeoutMs);
    }
    const QList<QByteArray> &frames() const { return m_frames; }

private:
    QWebSocket m_socket;
    QJsonObject m_open;
    bool m_opened = false;
    bool m_closed = false;
    int m_pings = 0;
    QList<QByteArray> m_frames;
};
