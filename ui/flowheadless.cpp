// SPDX-License-Identifier: MIT
#include "flowheadless.h"

#include "headlessprinter.h"

#include <SocketIo/json.h>

#include <QCborArray>
#include <QCborMap>
#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>

#include <csignal>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace SocketIo;

namespace Inspector {

namespace {

void printLine(FILE *out, const QString &text)
{
    const QByteArray line = text.toUtf8() + '\n';
    std::fwrite(line.constData(), 1, size_t(line.size()), out);
    std::fflush(out);
}

// {"$binary":"<base64>"} -> bytes, objects kept in their order.
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

int signalFds[2] = { -1, -1 };

void onSignal(int)
{
    const char c = 1;
    [[maybe_unused]] const auto written = ::write(signalFds[0], &c, 1);
}

} // namespace

void quitOnTerminationSignals()
{
    if (signalFds[0] >= 0)
        return;
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, signalFds) != 0)
        return;
    auto *notifier = new QSocketNotifier(signalFds[1], QSocketNotifier::Read, QCoreApplication::instance());
    QObject::connect(notifier, &QSocketNotifier::activated, notifier, [] {
        char c;
        [[maybe_unused]] const auto got = ::read(signalFds[1], &c, 1);
        QCoreApplication::quit();
    });
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

// --- replay ---------------------------------------------------------------------------------

HeadlessReplay::HeadlessReplay(const Options &options, HeadlessPrinter *traffic, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_traffic(traffic)
{ }

HeadlessReplay::~HeadlessReplay() = default;

bool HeadlessReplay::start()
{
    for (const QString &pattern : std::as_const(m_options.diff.ignorePaths)) {
        QString why;
        if (!FlowDiff::isValidIgnorePath(pattern, &why)) {
            printLine(stderr, tr("socketio-inspector: --ignore %1: %2").arg(pattern, why));
            return false;
        }
    }
    QString error;
    const std::optional<FlowRecording> recording =
        FlowRecording::load(m_options.file, &error, m_options.source);
    if (!recording) {
        printLine(stderr, tr("socketio-inspector: %1: %2").arg(m_options.file, error));
        return false;
    }
    const QUrl url = m_options.url.isEmpty() ? recording->url : m_options.url;
    m_replayer = std::make_unique<FlowReplayer>(*recording, url, m_options.replay);
    if (m_traffic)
        connect(m_replayer.get(), &FlowReplayer::rowObserved, m_traffic, &HeadlessPrinter::printRow);
    connect(m_replayer.get(), &FlowReplayer::finished, this, &HeadlessReplay::onFinished);
    printLine(stderr,
              tr("Replaying %1 (%n emit(s)) against %2", nullptr, int(recording->emits().size()))
                  .arg(m_options.file, url.toString()));
    m_replayer->start();
    return true;
}

void HeadlessReplay::onFinished(bool ok)
{
    if (!ok) {
        printLine(stderr, tr("socketio-inspector: %1").arg(m_replayer->errorString()));
        Q_EMIT done(2);
        return;
    }
    const FlowDiff diff = m_replayer->diff(m_options.diff);
    if (m_options.json)
        printLine(stdout,
                  QString::fromUtf8(QJsonDocument(diff.toJson()).toJson(QJsonDocument::Indented)).trimmed());
    else if (!diff.isEmpty())
        std::fputs(diff.toText().toUtf8().constData(), stdout);
    std::fflush(stdout);
    printLine(stderr,
              diff.isEmpty() ? tr("No differences (%1 emits replayed, %2 items received as recorded).")
                                   .arg(m_replayer->emitsSent())
                                   .arg(diff.recordedCount())
                             : tr("%n difference(s) (%1 emits replayed; recorded %2 items, replayed %3).",
                                  nullptr, int(diff.differences().size()))
                                   .arg(m_replayer->emitsSent())
                                   .arg(diff.recordedCount())
                                   .arg(diff.replayedCount()));
    Q_EMIT done(diff.isEmpty() ? 0 : 1);
}

// --- client session -------------------------------------------------------------------------

HeadlessClient::HeadlessClient(const Options &options, HeadlessPrinter *traffic, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_traffic(traffic)
    , m_recorder(new FlowRecorder(this))
{ }

HeadlessClient::~HeadlessClient()
{
    stop();
    if (m_ownScriptFd && m_scriptFd >= 0)
        ::close(m_scriptFd);
}

bool HeadlessClient::start()
{
    QString nsp = m_options.url.path();
    if (nsp.isEmpty())
        nsp = QStringLiteral("/");
    QUrl base = m_options.url;
    base.setPath(QString());
    m_manager = std::make_unique<Manager>(base, m_options.manager);
    FlowRecorderHeader header;
    header.namespaces = QStringList{ nsp };
    header.auth = m_options.auth;
    header.source = m_options.source;
    // Always through the recorder (the printer gets complete rows from it); to a file with --record.
    m_recorder->setKeepInMemory(false);
    if (!m_recorder->start(m_manager.get(), header, m_options.recordFile)) {
        printLine(stderr, tr("socketio-inspector: %1").arg(m_recorder->errorString()));
        return false;
    }
    if (m_traffic)
        connect(m_recorder, &FlowRecorder::rowRecorded, m_traffic, &HeadlessPrinter::printRow);
    connect(m_manager.get(), &Manager::errorOccurred, this,
            [this](const QString &message) { error(tr("connection failed: %1").arg(message)); });

    if (!m_options.scriptFile.isEmpty()) {
        if (m_options.scriptFile == QLatin1String("-")) {
            m_scriptFd = STDIN_FILENO;
        } else {
            m_scriptFd = ::open(QFile::encodeName(m_options.scriptFile).constData(), O_RDONLY | O_CLOEXEC);
            m_ownScriptFd = true;
            if (m_scriptFd < 0) {
                printLine(stderr, tr("socketio-inspector: cannot read %1").arg(m_options.scriptFile));
                return false;
            }
        }
        struct stat st = {};
        if (::fstat(m_scriptFd, &st) == 0 && S_ISREG(st.st_mode)) {
            readScript(); // a file: all of it now (epoll does not watch regular files)
        } else {
            m_scriptNotifier = std::make_unique<QSocketNotifier>(m_scriptFd, QSocketNotifier::Read);
            connect(m_scriptNotifier.get(), &QSocketNotifier::activated, this, &HeadlessClient::readScript);
        }
    }

    ClientSocket *socket = m_manager->socket(nsp);
    if (m_options.auth.isObject())
        socket->setAuth(QVariant::fromValue(m_options.auth.toObject()));
    socket->open();
    return true;
}

void HeadlessClient::stop()
{
    m_recorder->stop();
    m_scriptNotifier.reset();
    if (m_manager)
        m_manager->close();
}

void HeadlessClient::error(const QString &message)
{
    if (m_traffic)
        m_traffic->printNote(tr("error: %1").arg(message), m_options.source);
    else
        printLine(stderr, message);
}

void HeadlessClient::readScript()
{
    for (;;) {
        char buffer[8192];
        const ssize_t n = ::read(m_scriptFd, buffer, sizeof buffer);
        if (n > 0) {
            m_scriptBuffer.append(buffer, n);
            if (m_scriptNotifier)
                break; // more when the notifier says so
            continue;
        }
        if (n == 0 || (n < 0 && errno != EINTR)) {
            m_scriptNotifier.reset(); // end of the script: the session goes on until a signal
            if (!m_scriptBuffer.isEmpty())
                m_scriptBuffer.append('\n');
            break;
        }
    }
    qsizetype newline;
    while ((newline = m_scriptBuffer.indexOf('\n')) >= 0) {
        const QByteArray line = m_scriptBuffer.left(newline).trimmed();
        m_scriptBuffer.remove(0, newline + 1);
        if (!line.isEmpty())
            m_commands.append(line);
    }
    runCommands();
}

void HeadlessClient::runCommands()
{
    while (!m_waiting && !m_commands.isEmpty()) {
        const QByteArray line = m_commands.takeFirst();
        bool ok = false;
        const QVariant parsed = parseJsonArgument(line, &ok);
        if (!ok || parsed.typeId() != qMetaTypeId<QCborMap>()) {
            error(tr("not a JSON object: %1").arg(QString::fromUtf8(line.left(200))));
            continue;
        }
        const QCborMap cmd = parsed.value<QCborMap>();
        const QString name = cmd.value(QLatin1String("cmd")).toString();
        const QString nsp = cmd.value(QLatin1String("nsp")).toString(QStringLiteral("/"));
        QVariantList args;
        for (const QCborValue &a : cmd.value(QLatin1String("args")).toArray())
            args.append(scriptArgument(a));
        if (name == QLatin1String("emit")) {
            const QString event = cmd.value(QLatin1String("event")).toString();
            ClientSocket *socket = m_manager->socket(nsp);
            if (!cmd.value(QLatin1String("ack")).isTrue()) {
                if (!socket->emitEvent(event, args))
                    error(tr("cannot emit \u201c%1\u201d").arg(event));
                continue;
            }
            m_waiting = socket->emitEvent(
                event, args, this,
                [this](AckStatus, const QVariantList &) {
                    m_waiting = false;
                    QMetaObject::invokeMethod(this, &HeadlessClient::runCommands, Qt::QueuedConnection);
                },
                std::chrono::milliseconds(cmd.value(QLatin1String("timeoutMs")).toInteger(10000)));
            if (!m_waiting)
                error(tr("cannot emit \u201c%1\u201d").arg(event));
        } else if (name == QLatin1String("connect")) {
            ClientSocket *socket = m_manager->socket(nsp);
            const QCborValue auth = cmd.value(QLatin1String("auth"));
            if (auth.isMap())
                socket->setAuth(QVariant::fromValue(auth.toMap()));
            socket->open();
        } else if (name == QLatin1String("ack")) {
            m_manager->socket(nsp)->sendAck(cmd.value(QLatin1String("ackId")).toInteger(-1), args);
        } else if (name == QLatin1String("disconnect")) {
            m_manager->socket(nsp)->close();
        } else if (name == QLatin1String("close")) {
            stop();
            Q_EMIT done(0);
            return;
        } else {
            error(tr("unknown command: %1").arg(name));
        }
    }
}

} // namespace Inspector
