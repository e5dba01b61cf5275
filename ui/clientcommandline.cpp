// SPDX-License-Identifier: MIT
#include "clientcommandline.h"

#include "flowrecorder.h"
#include "headlessprinter.h"

#include <SocketIo/json.h>

#include <QCborArray>
#include <QCborMap>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>

#include <cerrno>
#include <cstdio>
#include <cstring>
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

// --- ClientCommand -----------------------------------------------------------------------------

namespace {

QString trHeadless(const char *text)
{
    return QCoreApplication::translate("Inspector::HeadlessClients", text);
}

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
            *error = trHeadless("invalid JSON: %1").arg(text);
            return {};
        }
    }
    return args;
}

QString jsonList(const QVariantList &args)
{
    return QString::fromUtf8(toJson(QVariant(args)));
}

// A JSON command's value: {"$binary":"<base64>"} -> bytes (at any depth), objects kept in their
// order.
QCborValue scriptValue(const QCborValue &value)
{
    if (value.isArray()) {
        QCborArray out;
        for (const QCborValue &item : value.toArray())
            out.append(scriptValue(item));
        return out;
    }
    if (!value.isMap())
        return value;
    const QCborMap map = value.toMap();
    if (map.size() == 1 && map.value(QLatin1String("$binary")).isString())
        return QCborValue(QByteArray::fromBase64(map.value(QLatin1String("$binary")).toString().toLatin1()));
    QCborMap out;
    for (auto it = map.cbegin(); it != map.cend(); ++it)
        out.insert(it.key(), scriptValue(it.value()));
    return out;
}

QVariant scriptArgument(const QCborValue &value)
{
    const QCborValue v = scriptValue(value);
    if (v.isByteArray())
        return v.toByteArray();
    if (v.isMap())
        return QVariant::fromValue(v.toMap());
    if (v.isArray()) {
        QVariantList list;
        for (const QCborValue &item : v.toArray())
            list.append(scriptArgument(item));
        return list;
    }
    if (v.isNull())
        return QVariant::fromValue(nullptr);
    return v.toVariant();
}

} // namespace

std::optional<ClientCommand> ClientCommand::fromText(const QString &line, QString *error)
{
    error->clear();
    const QString trimmed = line.trimmed();
    if (trimmed.isEmpty() || trimmed.startsWith(QLatin1Char('#')))
        return std::nullopt;
    const qsizetype space = trimmed.indexOf(QLatin1Char(' '));
    const QString name = trimmed.left(space < 0 ? trimmed.size() : space);
    const QString rest = space < 0 ? QString() : trimmed.mid(space + 1).trimmed();
    QStringList words;
    if (!splitJsonValues(rest, &words)) {
        *error = trHeadless("unbalanced JSON: %1").arg(rest);
        return std::nullopt;
    }
    ClientCommand command;
    // An optional namespace first.
    if (!words.isEmpty() && words.first().startsWith(QLatin1Char('/')))
        command.nsp = words.takeFirst();

    if (name == QLatin1String("quit") || name == QLatin1String("exit")) {
        command.kind = Kind::Quit;
        return command;
    }
    if (name == QLatin1String("emit") || name == QLatin1String("emit-ack")) {
        if (words.isEmpty()) {
            *error = trHeadless("usage: %1 [NSP] EVENT [JSON...]").arg(name);
            return std::nullopt;
        }
        command.kind = Kind::Emit;
        command.event = words.takeFirst();
        if (const auto event = parseClientJson(command.event); event && event->typeId() == QMetaType::QString)
            command.event = event->toString();
        command.args = argumentsOf(words, error);
        command.ack = name == QLatin1String("emit-ack");
        return error->isEmpty() ? std::optional(command) : std::nullopt;
    }
    if (name == QLatin1String("ack-reply")) {
        if (words.isEmpty()) {
            *error = trHeadless("usage: ack-reply EVENT [JSON...]");
            return std::nullopt;
        }
        command.kind = Kind::AckReply;
        command.event = words.takeFirst();
        command.args = argumentsOf(words, error);
        return error->isEmpty() ? std::optional(command) : std::nullopt;
    }
    if (name == QLatin1String("connect")) {
        command.kind = Kind::Connect;
        command.auth = words.join(QLatin1Char(' '));
        return command;
    }
    if (name == QLatin1String("disconnect")) {
        command.kind = Kind::Disconnect;
        command.wholeConnection = space < 0;
        return command;
    }
    if (name == QLatin1String("reconnect")) {
        command.kind = Kind::Reconnect;
        return command;
    }
    *error =
        trHeadless("unknown command %1 (emit, emit-ack, ack-reply, connect, disconnect, reconnect, quit)")
            .arg(name);
    return std::nullopt;
}

std::optional<ClientCommand> ClientCommand::fromJson(const QByteArray &line, QString *error)
{
    error->clear();
    bool ok = false;
    const QVariant parsed = parseJsonArgument(line, &ok);
    if (!ok || parsed.typeId() != qMetaTypeId<QCborMap>()) {
        *error = trHeadless("not a JSON object: %1").arg(QString::fromUtf8(line.left(200)));
        return std::nullopt;
    }
    const QCborMap map = parsed.value<QCborMap>();
    const QString name = map.value(QLatin1String("cmd")).toString();
    ClientCommand command;
    command.nsp = map.value(QLatin1String("nsp")).toString();
    const QCborValue args = map.value(QLatin1String("args"));
    if (!args.isUndefined() && !args.isArray()) {
        *error = trHeadless("args must be an array: %1").arg(QString::fromUtf8(line.left(200)));
        return std::nullopt;
    }
    for (const QCborValue &a : args.toArray())
        command.args.append(scriptArgument(a));
    if (name == QLatin1String("emit") || name == QLatin1String("ack-reply")) {
        const QCborValue event = map.value(QLatin1String("event"));
        if (!event.isString()) {
            *error = trHeadless("%1 needs an event name").arg(name);
            return std::nullopt;
        }
        command.event = event.toString();
        if (name == QLatin1String("ack-reply")) {
            command.kind = Kind::AckReply;
            return command;
        }
        command.kind = Kind::Emit;
        command.ack = map.value(QLatin1String("ack")).isTrue();
        command.wait = command.ack; // one command at a time, as socketio-client --json scripts run
        command.timeoutMs = int(map.value(QLatin1String("timeoutMs")).toInteger(10000));
        return command;
    }
    if (name == QLatin1String("connect")) {
        command.kind = Kind::Connect;
        if (command.nsp.isEmpty())
            command.nsp = QStringLiteral("/");
        const QCborValue auth = map.value(QLatin1String("auth"));
        if (auth.isMap())
            command.auth = QString::fromUtf8(toJson(QVariant::fromValue(auth.toMap())));
        return command;
    }
    if (name == QLatin1String("ack")) {
        const QCborValue ackId = map.value(QLatin1String("ackId"));
        if (!ackId.isInteger() || ackId.toInteger() < 0) {
            *error = trHeadless("ack needs a numeric ackId");
            return std::nullopt;
        }
        command.kind = Kind::Ack;
        command.ackId = ackId.toInteger();
        return command;
    }
    if (name == QLatin1String("disconnect")) {
        command.kind = Kind::Disconnect;
        if (command.nsp.isEmpty())
            command.nsp = QStringLiteral("/");
        return command;
    }
    if (name == QLatin1String("reconnect")) {
        command.kind = Kind::Reconnect;
        return command;
    }
    if (name == QLatin1String("close") || name == QLatin1String("quit")) {
        command.kind = Kind::Quit;
        return command;
    }
    *error = trHeadless("unknown command: %1").arg(name.isEmpty() ? QStringLiteral("(none)") : name);
    return std::nullopt;
}

// --- HeadlessClients ---------------------------------------------------------------------------

namespace {

// Lives for the whole process: a reading thread may post to it at any time, even during exit.
class LineSink : public QObject
{
public:
    QPointer<HeadlessClients> target;
};

LineSink *lineSink()
{
    static LineSink *sink = new LineSink; // never deleted, see LineSink
    return sink;
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

HeadlessClients::~HeadlessClients()
{
    stopRecording();
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

bool HeadlessClients::record(const QString &fileName, QString *error)
{
    ClientConnection *connection = m_connections->connections().value(0);
    if (!connection) {
        *error = tr("no client connection to record");
        return false;
    }
    if (!connection->startRecording(fileName)) {
        *error = connection->lastError();
        return false;
    }
    m_recorded = connection;
    return true;
}

void HeadlessClients::stopRecording()
{
    if (m_recorded)
        m_recorded->stopRecording();
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

void HeadlessClients::fail(const QString &text)
{
    m_printer->printNote(QStringLiteral("--- ") + tr("error: %1").arg(text));
}

bool HeadlessClients::execute(const QString &line)
{
    const QString trimmed = line.trimmed();
    QString error;
    const std::optional<ClientCommand> command = trimmed.startsWith(QLatin1Char('{'))
        ? ClientCommand::fromJson(trimmed.toUtf8(), &error)
        : ClientCommand::fromText(trimmed, &error);
    if (!command) {
        if (error.isEmpty())
            return true; // an empty line or a comment
        // Told in its place among the commands (after those still waiting).
        m_queue.append(error);
        runQueue();
        return false;
    }
    execute(*command);
    return true;
}

void HeadlessClients::execute(const ClientCommand &command)
{
    m_queue.append(command);
    runQueue();
}

void HeadlessClients::runQueue()
{
    while (!m_waiting && !m_queue.isEmpty()) {
        const std::variant<ClientCommand, QString> item = m_queue.takeFirst();
        if (const QString *error = std::get_if<QString>(&item)) {
            fail(*error);
            continue;
        }
        const ClientCommand &command = std::get<ClientCommand>(item);
        if (command.kind == ClientCommand::Kind::Quit) {
            m_queue.clear();
            QCoreApplication::exit(0);
            return;
        }
        run(command);
    }
}

void HeadlessClients::run(const ClientCommand &command)
{
    using Kind = ClientCommand::Kind;
    QString nsp = command.nsp;
    ClientConnection *connection = connectionFor(command.kind == Kind::Connect ? QString() : nsp);
    if (!connection) {
        fail(nsp.isEmpty() ? tr("no client connection") : tr("no client connection has %1").arg(nsp));
        return;
    }
    if (nsp.isEmpty())
        nsp = connection->namespaces().value(0, QStringLiteral("/"));

    switch (command.kind) {
    case Kind::Emit: {
        if (!command.ack) {
            if (!connection->emitEvent(nsp, command.event, command.args))
                fail(tr("cannot emit %1 (a reserved name?)").arg(command.event));
            return;
        }
        QElapsedTimer clock;
        clock.start();
        const QString name = connection->name();
        const QString event = command.event;
        const bool wait = command.wait;
        const bool ok = connection->emitEvent(
            nsp, event, command.args, this,
            [this, name, event, clock, wait](AckStatus status, const QVariantList &reply) {
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
                case AckStatus::Refused: // the server's limit (ServerOptions::maxPendingAcks)
                    text = tr("ack %1: refused, too many acks pending").arg(event);
                    break;
                }
                m_printer->printNote(QStringLiteral("--- ") + text, name);
                if (wait) {
                    m_waiting = false;
                    QMetaObject::invokeMethod(this, &HeadlessClients::runQueue, Qt::QueuedConnection);
                }
            },
            std::chrono::milliseconds(qMax(0, command.timeoutMs)));
        if (!ok)
            fail(tr("cannot emit %1 (a reserved name?)").arg(event));
        else
            m_waiting = wait;
        return;
    }
    case Kind::AckReply:
        connection->setAckReply(command.event, command.args.isEmpty() ? QString() : jsonList(command.args));
        return;
    case Kind::Ack:
        // The connection has answered the server's ack already (ack-reply, else empty); servers
        // ignore a second answer, but the ACK is sent (and recorded) as the script asks.
        if (ClientSocket *socket = connection->socket(nsp))
            socket->sendAck(command.ackId, command.args);
        else
            fail(tr("no client connection has %1").arg(nsp));
        return;
    case Kind::Connect:
        if (!connection->connectNamespace(nsp, command.auth))
            fail(connection->lastError());
        return;
    case Kind::Disconnect:
        if (command.wholeConnection)
            connection->disconnectFromServer();
        else
            connection->disconnectNamespace(nsp);
        return;
    case Kind::Reconnect:
        connection->reconnect();
        return;
    case Kind::Quit:
        return; // runQueue()
    }
}

void HeadlessClients::readStandardInput()
{
#ifdef Q_OS_UNIX
    if (isatty(STDIN_FILENO))
        return;
#endif
    readLines(stdin);
}

bool HeadlessClients::readCommands(const QString &fileName, QString *error)
{
    if (fileName == QLatin1String("-")) {
        readLines(stdin);
        return true;
    }
    FILE *file = std::fopen(QFile::encodeName(fileName).constData(), "r");
    if (!file) {
        *error = tr("cannot read %1: %2").arg(fileName, QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    readLines(file);
    return true;
}

void HeadlessClients::readLines(FILE *file)
{
    LineSink *sink = lineSink();
    sink->target = this;
    std::thread([sink, file] {
        char buffer[64 * 1024];
        QByteArray pending;
        while (std::fgets(buffer, sizeof buffer, file)) {
            pending += buffer;
            if (!pending.endsWith('\n') && !std::feof(file))
                continue;
            const QString line = QString::fromUtf8(pending).trimmed();
            pending.clear();
            QMetaObject::invokeMethod(
                sink,
                [sink, line] {
                    if (sink->target)
                        sink->target->execute(line);
                },
                Qt::QueuedConnection);
        }
        if (file != stdin)
            std::fclose(file);
    }).detach();
}

} // namespace Inspector
