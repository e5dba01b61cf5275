// SPDX-License-Identifier: MIT
#include "clientcommandline.h"

#include "headlessprinter.h"

#include <SocketIo/json.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QPointer>

#include <cstdio>
#include <thread>

#ifdef Q_OS_UNIX
#include <unistd.h>
#endif

using namespace SocketIo;

namespace Inspector {

// --- ClientCommandLine -------------------------------------------------------------------------

ClientCommandLine::ClientCommandLine()
    : m_connect(QStringLiteral("connect"),
                tr("Connect a client to URL (e.g. http://localhost:3000/chat: the path is the namespace); "
                   "may be repeated, URLs of one server share one connection."),
                tr("URL"))
    , m_auth(QStringLiteral("auth"), tr("Client: the auth payload (a JSON object) of every namespace."),
             tr("JSON"))
    , m_header(QStringLiteral("header"), tr("Client: an extra HTTP header \"Name: value\"; may be repeated."),
               tr("HEADER"))
    , m_transports(QStringLiteral("transports"),
                   tr("Client transports: polling, websocket or polling,websocket (the default)."),
                   tr("LIST"))
    , m_eio3(QStringLiteral("eio3"), tr("Client: speak Engine.IO v3, for socket.io 2.x servers."))
    , m_ca(QStringLiteral("ca"), tr("Client: trust the PEM certificates of FILE (https, wss)."), tr("FILE"))
    , m_path(QStringLiteral("client-path"),
             tr("Client: the Engine.IO path of the server (default /socket.io/)."), tr("PATH"))
    , m_attempts(
          QStringLiteral("reconnection-attempts"),
          tr("Client: reconnection attempts before giving up (0: no reconnection; default: unlimited)."),
          tr("N"))
{ }

void ClientCommandLine::addTo(QCommandLineParser &parser) const
{
    parser.addOptions({ m_connect, m_auth, m_header, m_transports, m_eio3, m_ca, m_path, m_attempts });
}

bool ClientCommandLine::isRequested(const QCommandLineParser &parser) const
{
    return parser.isSet(m_connect);
}

std::optional<QList<ClientConnectionOptions>> ClientCommandLine::connections(const QCommandLineParser &parser,
                                                                             QString *error) const
{
    ClientConnectionOptions base;
    const QString auth = parser.value(m_auth);
    const QStringList headers = parser.values(m_header);
    for (const QString &text : headers) {
        QPair<QByteArray, QByteArray> header;
        if (!ClientConnectionOptions::parseHeader(text, &header)) {
            *error = tr("invalid header \"%1\" (expected \"Name: value\")").arg(text);
            return std::nullopt;
        }
        base.headers.append(header);
    }
    if (parser.isSet(m_transports)) {
        const auto transports = ClientConnectionOptions::parseTransports(parser.value(m_transports));
        if (!transports) {
            *error = tr("invalid transports \"%1\" (polling, websocket or polling,websocket)")
                         .arg(parser.value(m_transports));
            return std::nullopt;
        }
        base.transports = *transports;
    }
    base.eio3 = parser.isSet(m_eio3);
    if (parser.isSet(m_ca))
        base.caFile = QFileInfo(parser.value(m_ca)).absoluteFilePath();
    if (parser.isSet(m_path))
        base.path = parser.value(m_path);
    if (parser.isSet(m_attempts)) {
        bool ok = false;
        const int attempts = parser.value(m_attempts).toInt(&ok);
        if (!ok || attempts < 0) {
            *error = tr("invalid number of reconnection attempts \"%1\"").arg(parser.value(m_attempts));
            return std::nullopt;
        }
        base.reconnection = attempts > 0;
        base.reconnectionAttempts = attempts;
    }

    QList<ClientConnectionOptions> list;
    const QStringList urls = parser.values(m_connect);
    for (const QString &text : urls) {
        const QUrl url = QUrl::fromUserInput(text);
        const QUrl origin = ClientConnectionOptions::originOf(url);
        const QString nsp = ClientConnectionOptions::namespaceOfUrl(url);
        ClientConnectionOptions *target = nullptr;
        for (ClientConnectionOptions &o : list) {
            if (o.url == origin)
                target = &o;
        }
        if (!target) {
            list.append(base);
            target = &list.last();
            target->url = origin;
            target->query = url.query(QUrl::FullyEncoded);
        }
        bool known = false;
        for (const ClientNamespaceOptions &n : std::as_const(target->namespaces))
            known = known || n.nsp == nsp;
        if (!known)
            target->namespaces.append({ nsp, auth });
        const QString problem = target->validate();
        if (!problem.isEmpty()) {
            *error = tr("--connect %1: %2").arg(text, problem);
            return std::nullopt;
        }
    }
    return list;
}

// --- JSON values on a line ---------------------------------------------------------------------

bool splitJsonValues(const QString &text, QStringList *values)
{
    qsizetype i = 0;
    const qsizetype n = text.size();
    while (i < n) {
        while (i < n && text.at(i).isSpace())
            ++i;
        if (i >= n)
            break;
        const qsizetype start = i;
        const QChar first = text.at(i);
        if (first == QLatin1Char('{') || first == QLatin1Char('[') || first == QLatin1Char('"')) {
            // A bracketed value or a string: up to where it closes.
            int depth = 0;
            bool inString = false;
            for (; i < n; ++i) {
                const QChar c = text.at(i);
                if (inString) {
                    if (c == QLatin1Char('\\'))
                        ++i;
                    else if (c == QLatin1Char('"'))
                        inString = false;
                } else if (c == QLatin1Char('"')) {
                    inString = true;
                } else if (c == QLatin1Char('{') || c == QLatin1Char('[')) {
                    ++depth;
                } else if (c == QLatin1Char('}') || c == QLatin1Char(']')) {
                    --depth;
                }
                if (!inString && depth <= 0 && i > start) {
                    ++i;
                    break;
                }
            }
            if (inString || depth != 0)
                return false;
        } else {
            while (i < n && !text.at(i).isSpace())
                ++i;
        }
        values->append(text.mid(start, i - start));
    }
    return true;
}

// --- HeadlessClients ---------------------------------------------------------------------------

namespace {

// Lives for the whole process: the stdin thread may post to it at any time, even during exit.
class LineSink : public QObject
{
public:
    QPointer<HeadlessClients> target;
};

QVariantList argumentsOf(const QStringList &texts, QString *error)
{
    QVariantList args;
    for (const QString &text : texts) {
        if (const auto value = parseClientJson(text)) {
            args.append(*value);
        } else if (!text.startsWith(QLatin1Char('{')) && !text.startsWith(QLatin1Char('['))
                   && !text.startsWith(QLatin1Char('"'))) {
            args.append(text); // a bare word is a string
        } else {
            *error = QCoreApplication::translate("Inspector::HeadlessClients", "invalid JSON: %1").arg(text);
            return {};
        }
    }
    return args;
}

QString jsonList(const QVariantList &args)
{
    return QString::fromUtf8(toJson(QVariant(args)));
}

} // namespace

HeadlessClients::HeadlessClients(ClientConnectionList *connections, HeadlessPrinter *printer, bool ownServer,
                                 QObject *parent)
    : QObject(parent)
    , m_connections(connections)
    , m_printer(printer)
    , m_ownServer(ownServer)
{
    connect(m_connections, &ClientConnectionList::rowObserved, m_printer, &HeadlessPrinter::printRow);
    const QList<ClientConnection *> list = m_connections->connections();
    for (ClientConnection *c : list)
        watch(c);
    connect(m_connections, &ClientConnectionList::added, this, &HeadlessClients::watch);
}

void HeadlessClients::watch(ClientConnection *connection)
{
    const QString name = connection->name();
    connect(connection, &ClientConnection::noteAdded, this,
            [this, name](const QString &text) { m_printer->printNote(QStringLiteral("--- ") + text, name); });
    connect(connection, &ClientConnection::gaveUp, this, [this] {
        if (m_ownServer)
            return;
        const QList<ClientConnection *> list = m_connections->connections();
        for (ClientConnection *c : list) {
            if (!c->hasGivenUp())
                return;
        }
        QCoreApplication::exit(1);
    });
}

ClientConnection *HeadlessClients::connectionFor(const QString &nsp) const
{
    const QList<ClientConnection *> list = m_connections->connections();
    for (ClientConnection *c : list) {
        if (nsp.isEmpty() || c->namespaces().contains(nsp))
            return c;
    }
    return nullptr;
}

bool HeadlessClients::execute(const QString &line)
{
    const QString trimmed = line.trimmed();
    if (trimmed.isEmpty() || trimmed.startsWith(QLatin1Char('#')))
        return true;
    const qsizetype space = trimmed.indexOf(QLatin1Char(' '));
    const QString command = trimmed.left(space < 0 ? trimmed.size() : space);
    QString rest = space < 0 ? QString() : trimmed.mid(space + 1).trimmed();
    auto fail = [this](const QString &text) {
        m_printer->printNote(QStringLiteral("--- ") + tr("error: %1").arg(text));
        return false;
    };
    QStringList words;
    if (!splitJsonValues(rest, &words))
        return fail(tr("unbalanced JSON: %1").arg(rest));
    // An optional namespace first.
    QString nsp;
    if (!words.isEmpty() && words.first().startsWith(QLatin1Char('/')))
        nsp = words.takeFirst();

    if (command == QLatin1String("quit") || command == QLatin1String("exit")) {
        QCoreApplication::exit(0);
        return true;
    }
    ClientConnection *connection = connectionFor(nsp);
    if (!connection)
        return fail(nsp.isEmpty() ? tr("no client connection") : tr("no client connection has %1").arg(nsp));
    if (nsp.isEmpty())
        nsp = connection->namespaces().value(0, QStringLiteral("/"));

    if (command == QLatin1String("emit") || command == QLatin1String("emit-ack")) {
        if (words.isEmpty())
            return fail(tr("usage: %1 [NSP] EVENT [JSON...]").arg(command));
        QString event = words.takeFirst();
        if (const auto name = parseClientJson(event); name && name->typeId() == QMetaType::QString)
            event = name->toString();
        QString error;
        const QVariantList args = argumentsOf(words, &error);
        if (!error.isEmpty())
            return fail(error);
        if (command == QLatin1String("emit")) {
            if (!connection->emitEvent(nsp, event, args))
                return fail(tr("cannot emit %1 (a reserved name?)").arg(event));
            return true;
        }
        QElapsedTimer clock;
        clock.start();
        const QString name = connection->name();
        const bool ok = connection->emitEvent(
            nsp, event, args, this,
            [this, name, event, clock](AckStatus status, const QVariantList &reply) {
                QString text;
                switch (status) {
                case AckStatus::Received:
                    text = tr("ack %1 (%2 ms): %3").arg(event).arg(clock.elapsed()).arg(jsonList(reply));
                    break;
                case AckStatus::TimedOut:
                    text = tr("ack %1 timed out after %2 ms").arg(event).arg(clock.elapsed());
                    break;
                case AckStatus::Disconnected:
                    text = tr("ack %1: disconnected before the reply").arg(event);
                    break;
                }
                m_printer->printNote(QStringLiteral("--- ") + text, name);
            },
            std::chrono::milliseconds(10000));
        if (!ok)
            return fail(tr("cannot emit %1 (a reserved name?)").arg(event));
        return true;
    }
    if (command == QLatin1String("ack-reply")) {
        if (words.isEmpty())
            return fail(tr("usage: ack-reply EVENT [JSON...]"));
        const QString event = words.takeFirst();
        QString error;
        const QVariantList args = argumentsOf(words, &error);
        if (!error.isEmpty())
            return fail(error);
        connection->setAckReply(event, args.isEmpty() ? QString() : jsonList(args));
        return true;
    }
    if (command == QLatin1String("connect")) {
        if (!connection->connectNamespace(nsp, words.join(QLatin1Char(' '))))
            return fail(connection->lastError());
        return true;
    }
    if (command == QLatin1String("disconnect")) {
        if (space < 0)
            connection->disconnectFromServer();
        else
            connection->disconnectNamespace(nsp);
        return true;
    }
    if (command == QLatin1String("reconnect")) {
        connection->reconnect();
        return true;
    }
    return fail(tr("unknown command %1 (emit, emit-ack, ack-reply, connect, disconnect, reconnect, quit)")
                    .arg(command));
}

void HeadlessClients::readStandardInput()
{
#ifdef Q_OS_UNIX
    if (isatty(STDIN_FILENO))
        return;
#endif
    static LineSink *sink = new LineSink; // never deleted, see LineSink
    sink->target = this;
    std::thread([] {
        char buffer[64 * 1024];
        QByteArray pending;
        while (std::fgets(buffer, sizeof buffer, stdin)) {
            pending += buffer;
            if (!pending.endsWith('\n') && !std::feof(stdin))
                continue;
            const QString line = QString::fromUtf8(pending).trimmed();
            pending.clear();
            QMetaObject::invokeMethod(
                sink,
                [line] {
                    if (sink->target)
                        sink->target->execute(line);
                },
                Qt::QueuedConnection);
        }
    }).detach();
}

} // namespace Inspector
