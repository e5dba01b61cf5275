// SPDX-License-Identifier: MIT
#include "demo.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>

using namespace SocketIo;

namespace Inspector {

namespace {

const QString lobby = QStringLiteral("lobby");

QString nameOf(Socket *socket)
{
    return socket->data().value(QStringLiteral("name"), socket->id()).toString();
}

void serveMain(Namespace *nsp)
{
    QObject::connect(nsp, &Namespace::socketConnected, nsp, [](Socket *socket) {
        socket->emitEvent(
            QStringLiteral("welcome"),
            { QVariantMap{ { QStringLiteral("id"), socket->id() },
                           { QStringLiteral("message"), QStringLiteral("Welcome to the demo server") } } });
        QObject::connect(socket, &Socket::eventReceived, socket,
                         [socket](const QString &event, const QVariantList &args, const Ack &ack) {
                             if (event == QLatin1String("ping") && ack.isRequested()) {
                                 ack.send({ QVariantMap{
                                     { QStringLiteral("pong"), QDateTime::currentMSecsSinceEpoch() } } });
                             } else if (ack.isRequested()) {
                                 ack.send({ QVariantMap{ { QStringLiteral("ok"), true },
                                                         { QStringLiteral("event"), event },
                                                         { QStringLiteral("echo"), args } } });
                             } else if (event == QLatin1String("message")) {
                                 socket->emitEvent(QStringLiteral("message-back"), args);
                             }
                         });
    });
    auto *tick = new QTimer(nsp);
    tick->setInterval(5000);
    QObject::connect(tick, &QTimer::timeout, nsp, [nsp] {
        if (nsp->socketCount() == 0)
            return;
        nsp->emitEvent(
            QStringLiteral("tick"),
            { QVariantMap{ { QStringLiteral("time"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate) },
                           { QStringLiteral("sockets"), nsp->socketCount() } } });
    });
    tick->start();
}

void serveChat(Namespace *nsp)
{
    QObject::connect(nsp, &Namespace::socketConnected, nsp, [](Socket *socket) {
        const QString name = socket->handshake().auth.value(QLatin1String("name")).toString();
        socket->setData(
            { { QStringLiteral("name"), name.isEmpty() ? socket->id() : name },
              { QStringLiteral("joinedAt"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate) } });
        socket->join(lobby);
        socket->to(lobby).emitEvent(QStringLiteral("joined"), { nameOf(socket) });
        QObject::connect(
            socket, &Socket::eventReceived, socket,
            [socket](const QString &event, const QVariantList &args, const Ack &ack) {
                const QString arg0 = args.value(0).toString();
                if (event == QLatin1String("hello") && !arg0.isEmpty()) {
                    // As examples/chat, whose page (--static examples/chat/public) runs here.
                    QVariantMap data = socket->data();
                    data.insert(QStringLiteral("name"), arg0);
                    socket->setData(data);
                    socket->emitEvent(QStringLiteral("hello_ack"),
                                      { QStringLiteral("Welcome, %1!").arg(arg0) });
                    socket->to(lobby).emitEvent(QStringLiteral("joined"), { arg0 });
                    ack.send({ QStringLiteral("hello %1").arg(arg0) });
                } else if (event == QLatin1String("chat")) {
                    socket->nsp()->to(lobby).emitEvent(QStringLiteral("chat"), { nameOf(socket), arg0 });
                    if (ack.isRequested())
                        ack.send({ QStringLiteral("delivered") });
                } else if (event == QLatin1String("typing")) {
                    socket->to(lobby).emitEvent(QStringLiteral("typing"), { nameOf(socket), args.value(0) });
                } else if (event == QLatin1String("join") && !arg0.isEmpty()) {
                    socket->join(arg0);
                    ack.send({ arg0 });
                } else if (event == QLatin1String("leave") && !arg0.isEmpty()) {
                    socket->leave(arg0);
                    ack.send({ arg0 });
                } else if (event == QLatin1String("upload")) {
                    qint64 bytes = 0;
                    for (const QVariant &arg : args) {
                        if (arg.typeId() == QMetaType::QByteArray)
                            bytes += arg.toByteArray().size();
                    }
                    ack.send({ QVariantMap{ { QStringLiteral("bytes"), bytes } } });
                } else if (ack.isRequested()) {
                    ack.send({ QVariantMap{ { QStringLiteral("ok"), true } } });
                }
            });
        QObject::connect(socket, &Socket::disconnecting, socket, [socket](DisconnectReason reason) {
            socket->broadcast().emitEvent(QStringLiteral("left"),
                                          { nameOf(socket), disconnectReasonString(reason) });
        });
    });
}

const char *const names[] = { "alice", "bob",   "carol", "dave", "erin",
                              "frank", "grace", "heidi", "ivan", "judy" };
const char *const phrases[] = {
    "hi all", "anyone here?",     "shipping the build now", "lunch?",
    "LGTM",   "see you tomorrow", "the tests are green",    "can you review my PR?"
};

} // namespace

void installDemo(Server *server)
{
    serveMain(server->mainNamespace());
    serveChat(server->of(QStringLiteral("/chat")));
    server->addDynamicNamespace(QRegularExpression(QStringLiteral("^/dyn-[A-Za-z0-9_-]+$")));
}

// --- DemoClient ------------------------------------------------------------------------------

class DemoClient : public QObject
{
public:
    DemoClient(quint16 port, const QString &path, int index)
        : m_url(QStringLiteral("ws://127.0.0.1:%1%2?EIO=4&transport=websocket").arg(port).arg(path))
        , m_name(QString::fromLatin1(names[index % 10])
                 + (index >= 10 ? QString::number(index / 10) : QString()))
        , m_index(index)
    {
        connect(&m_socket, &QWebSocket::textMessageReceived, this, &DemoClient::onText);
        connect(&m_socket, &QWebSocket::disconnected, this, [this] {
            m_activity.stop();
            if (!m_stopping)
                QTimer::singleShot(3000, this, &DemoClient::open);
        });
        m_activity.setSingleShot(true);
        connect(&m_activity, &QTimer::timeout, this, &DemoClient::act);
        // Start one after the other.
        QTimer::singleShot(150 * index, this, &DemoClient::open);
    }
    ~DemoClient() override
    {
        m_stopping = true;
        m_socket.disconnect(this);
        m_socket.abort();
    }

private:
    void open() { m_socket.open(QUrl(m_url)); }

    void send(const QString &text) { m_socket.sendTextMessage(text); }

    static QString json(const QJsonValue &value)
    {
        return QString::fromUtf8(QJsonDocument(QJsonArray{ value }).toJson(QJsonDocument::Compact))
            .mid(1)
            .chopped(1);
    }

    void onText(const QString &text)
    {
        if (text.startsWith(QLatin1Char('0'))) {
            const QString auth = json(QJsonObject{ { QStringLiteral("name"), m_name } });
            send(QStringLiteral("40") + auth);
            send(QStringLiteral("40/chat,") + auth);
            scheduleActivity();
            return;
        }
        if (text == QLatin1String("2")) {
            send(QStringLiteral("3"));
            return;
        }
        // An event from the server that asks for an ack: 42[/nsp,]<id>[...]
        if (text.startsWith(QLatin1String("42"))) {
            qsizetype i = 2;
            QString nsp;
            if (i < text.size() && text.at(i) == QLatin1Char('/')) {
                const qsizetype comma = text.indexOf(QLatin1Char(','), i);
                if (comma < 0)
                    return;
                nsp = text.mid(i, comma - i);
                i = comma + 1;
            }
            const qsizetype start = i;
            while (i < text.size() && text.at(i).isDigit())
                ++i;
            if (i == start)
                return;
            const QString id = text.mid(start, i - start);
            const QString reply =
                json(QJsonObject{ { QStringLiteral("received"), true }, { QStringLiteral("by"), m_name } });
            send(QStringLiteral("43") + (nsp.isEmpty() ? QString() : nsp + QLatin1Char(',')) + id
                 + QLatin1Char('[') + reply + QLatin1Char(']'));
        }
    }

    void scheduleActivity() { m_activity.start(1500 + int(QRandomGenerator::global()->bounded(3500))); }

    void act()
    {
        auto *rng = QRandomGenerator::global();
        const int dice = int(rng->bounded(100));
        if (dice < 40) {
            const QString phrase = QString::fromLatin1(phrases[rng->bounded(int(std::size(phrases)))]);
            send(QStringLiteral("42/chat,%1[\"chat\",%2]").arg(++m_ackId).arg(json(phrase)));
        } else if (dice < 60) {
            send(QStringLiteral("42%1[\"ping\",%2]")
                     .arg(++m_ackId)
                     .arg(json(QJsonObject{ { QStringLiteral("t"), QDateTime::currentMSecsSinceEpoch() } })));
        } else if (dice < 70) {
            send(QStringLiteral("42/chat,[\"typing\",true]"));
        } else if (dice < 80) {
            const QString room =
                QStringLiteral("room-%1").arg(QChar(QLatin1Char('a' + char(rng->bounded(3)))));
            const bool join = !m_rooms.contains(room);
            if (join)
                m_rooms.append(room);
            else
                m_rooms.removeAll(room);
            send(QStringLiteral("42/chat,%1[\"%2\",%3]")
                     .arg(++m_ackId)
                     .arg(join ? QStringLiteral("join") : QStringLiteral("leave"), json(room)));
        } else if (dice < 90) {
            QByteArray blob(16 + int(rng->bounded(200)), Qt::Uninitialized);
            for (char &c : blob)
                c = char(rng->bounded(256));
            const int id = ++m_ackId;
            send(QStringLiteral(
                     "451-/chat,%1[\"upload\",{\"name\":\"blob-%1.bin\"},{\"_placeholder\":true,\"num\":0}]")
                     .arg(id));
            m_socket.sendBinaryMessage(blob);
        } else if (dice < 96) {
            send(QStringLiteral("42[\"message\",%1]")
                     .arg(json(QJsonObject{ { QStringLiteral("from"), m_name } })));
        } else if (m_index % 3 == 0) {
            // Leave for a moment; the disconnected handler reconnects.
            m_socket.close();
            return;
        }
        scheduleActivity();
    }

    QWebSocket m_socket;
    QString m_url;
    QString m_name;
    int m_index = 0;
    int m_ackId = 0;
    bool m_stopping = false;
    QStringList m_rooms;
    QTimer m_activity;
};

DemoClients::DemoClients(quint16 port, const QString &path, int count, QObject *parent)
    : QObject(parent)
{
    for (int i = 0; i < count; ++i)
        m_clients.push_back(std::make_unique<DemoClient>(port, path, i));
}

DemoClients::~DemoClients() = default;

} // namespace Inspector
