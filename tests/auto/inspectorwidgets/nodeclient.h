// SPDX-License-Identifier: MIT
#pragma once

// The real npm socket.io-client in a `node` process (sioclient.cjs), driven by JSON lines on
// its stdin; what it reports on stdout is collected as JSON objects. Waits are on those lines
// (QTest::qWaitFor with a generous timeout), never on time.

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

#include <functional>

class NodeClient
{
public:
    static constexpr int Timeout = 20000; // generous: node starts slowly on a busy machine

    // Empty when node and the npm packages are there; otherwise what is missing.
    static QString missing()
    {
        const QString node = QStringLiteral(SOCKETIO_NODE_EXECUTABLE);
        if (node.isEmpty() || !QFileInfo(node).isExecutable())
            return QStringLiteral(
                "Node.js was not found when configuring: run scripts/install-deps and reconfigure");
        if (!QFileInfo::exists(modules() + QStringLiteral("/socket.io-client/package.json")))
            return QStringLiteral("%1 has no socket.io-client: run scripts/install-deps").arg(modules());
        return {};
    }
    static QString modules() { return QStringLiteral(SOCKETIO_NODE_MODULES); }

    explicit NodeClient(quint16 port, const QString &path = QStringLiteral("/socket.io/"))
    {
        m_process.setProcessChannelMode(QProcess::SeparateChannels);
        QObject::connect(&m_process, &QProcess::readyReadStandardOutput, &m_process, [this] { readLines(); });
        QObject::connect(&m_process, &QProcess::readyReadStandardError, &m_process,
                         [this] { m_stderr += m_process.readAllStandardError(); });
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("NODE_NO_WARNINGS"), QStringLiteral("1"));
        m_process.setProcessEnvironment(env);
        m_url = QStringLiteral("http://127.0.0.1:%1").arg(port);
        m_process.start(QStringLiteral(SOCKETIO_NODE_EXECUTABLE),
                        { QStringLiteral(SOCKETIO_CLIENT_SCRIPT), modules(), m_url, path });
    }
    ~NodeClient()
    {
        if (m_process.state() != QProcess::NotRunning) {
            command({ { QStringLiteral("op"), QStringLiteral("exit") } });
            m_process.closeWriteChannel();
            if (!m_process.waitForFinished(5000))
                m_process.kill();
            m_process.waitForFinished(5000);
        }
    }
    NodeClient(const NodeClient &) = delete;
    NodeClient &operator=(const NodeClient &) = delete;

    bool waitForReady() { return !waitFor(QStringLiteral("ready")).isEmpty(); }

    // Connects the socket `name` to nsp; returns its id (empty on failure).
    QString connectSocket(const QString &name, const QString &nsp = QStringLiteral("/"),
                          const QJsonObject &auth = {}, const QStringList &transports = {})
    {
        QJsonObject c{ { QStringLiteral("op"), QStringLiteral("connect") },
                       { QStringLiteral("name"), name },
                       { QStringLiteral("nsp"), nsp },
                       { QStringLiteral("auth"), auth } };
        if (!transports.isEmpty())
            c.insert(QStringLiteral("transports"), QJsonArray::fromStringList(transports));
        command(c);
        return waitFor(QStringLiteral("connect"), name).value(QLatin1String("id")).toString();
    }
    void emitEvent(const QString &name, const QString &event, const QJsonArray &args, bool ack = false,
                   const QString &ref = {})
    {
        command({ { QStringLiteral("op"), QStringLiteral("emit") },
                  { QStringLiteral("name"), name },
                  { QStringLiteral("event"), event },
                  { QStringLiteral("args"), args },
                  { QStringLiteral("ack"), ack },
                  { QStringLiteral("ref"), ref } });
    }
    void disconnectSocket(const QString &name)
    {
        command({ { QStringLiteral("op"), QStringLiteral("disconnect") }, { QStringLiteral("name"), name } });
    }

    // The first report matching pred, taken off the list; waits for it. Empty on timeout.
    QJsonObject take(const std::function<bool(const QJsonObject &)> &pred, int timeoutMs = Timeout)
    {
        QJsonObject found;
        (void)QTest::qWaitFor(
            [&] {
                for (int i = 0; i < m_reports.size(); ++i) {
                    if (pred(m_reports.at(i))) {
                        found = m_reports.takeAt(i);
                        return true;
                    }
                }
                return m_process.state() == QProcess::NotRunning;
            },
            timeoutMs);
        if (found.isEmpty())
            qWarning().noquote() << "node client: no such report; stderr:" << m_stderr
                                 << "reports:" << m_reports;
        return found;
    }
    QJsonObject waitFor(const QString &type, const QString &name = {})
    {
        return take([&](const QJsonObject &r) {
            return r.value(QLatin1String("type")).toString() == type
                && (name.isEmpty() || r.value(QLatin1String("name")).toString() == name);
        });
    }
    QJsonObject waitForEvent(const QString &name, const QString &event)
    {
        return take([&](const QJsonObject &r) {
            return r.value(QLatin1String("type")).toString() == QLatin1String("event")
                && r.value(QLatin1String("name")).toString() == name
                && r.value(QLatin1String("event")).toString() == event;
        });
    }
    // Reports so far that were not taken.
    QList<QJsonObject> reports() const { return m_reports; }
    bool hasEvent(const QString &name, const QString &event) const
    {
        for (const QJsonObject &r : m_reports) {
            if (r.value(QLatin1String("type")).toString() == QLatin1String("event")
                && r.value(QLatin1String("name")).toString() == name
                && r.value(QLatin1String("event")).toString() == event)
                return true;
        }
        return false;
    }
    QString errorOutput() const { return QString::fromUtf8(m_stderr); }

private:
    void command(const QJsonObject &object)
    {
        m_process.write(QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n');
    }
    void readLines()
    {
        m_buffer += m_process.readAllStandardOutput();
        qsizetype newline;
        while ((newline = m_buffer.indexOf('\n')) >= 0) {
            const QByteArray line = m_buffer.left(newline);
            m_buffer.remove(0, newline + 1);
            const QJsonDocument doc = QJsonDocument::fromJson(line);
            if (doc.isObject())
                m_reports.append(doc.object());
            else
                qWarning() << "node client:" << line;
        }
    }

    QProcess m_process;
    QByteArray m_buffer;
    QByteArray m_stderr;
    QList<QJsonObject> m_reports;
    QString m_url;
};
