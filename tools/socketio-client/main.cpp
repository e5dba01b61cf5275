// SPDX-License-Identifier: MIT
// socketio-client: a command-line Socket.IO client on the library's Qt client (the Socket.IO
// counterpart of wscat). The --json contract is in docs (PROTOCOL.md, "socketio-client").
#include "protocol/arguments.h"
#include "protocol/json.h"

#include <SocketIo/client.h>

#include <QCborArray>
#include <QCborMap>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QSet>
#include <QSocketNotifier>
#include <QTimer>

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <unistd.h>

#ifdef SOCKETIO_CLIENT_LIBEDIT
#include <editline/readline.h>
#endif

using namespace SocketIo;

namespace {

// --- JSON <-> arguments with {"$binary":"<base64>"} ---------------------------------------------

QCborValue binaryToJson(const QByteArray &bytes)
{
    QCborMap map;
    map.insert(QStringLiteral("$binary"), QString::fromLatin1(bytes.toBase64()));
    return map;
}

QCborValue cborForOutput(const QCborValue &value)
{
    if (value.isByteArray())
        return binaryToJson(value.toByteArray());
    if (value.isArray()) {
        QCborArray out;
        for (const QCborValue &item : value.toArray())
            out.append(cborForOutput(item));
        return out;
    }
    if (value.isMap()) {
        QCborMap out;
        const QCborMap map = value.toMap();
        for (auto it = map.cbegin(); it != map.cend(); ++it)
            out.insert(it.key(), cborForOutput(it.value()));
        return out;
    }
    return value;
}

QCborValue argToJson(const QVariant &arg)
{
    if (arg.typeId() == QMetaType::QByteArray)
        return binaryToJson(arg.toByteArray());
    if (arg.typeId() == QMetaType::QVariantList) {
        QCborArray out;
        for (const QVariant &item : arg.toList())
            out.append(argToJson(item));
        return out;
    }
    if (arg.typeId() == qMetaTypeId<QCborMap>())
        return cborForOutput(arg.value<QCborMap>());
    return cborForOutput(Arguments::toCbor(arg));
}

QCborArray argsToJson(const QVariantList &args)
{
    QCborArray out;
    for (const QVariant &arg : args)
        out.append(argToJson(arg));
    return out;
}

bool isBinaryObject(const QCborMap &map)
{
    return map.size() == 1 && map.value(QStringLiteral("$binary")).isString();
}

QCborValue jsonToCbor(const QCborValue &value)
{
    if (value.isMap()) {
        const QCborMap map = value.toMap();
        if (isBinaryObject(map))
            return QCborValue(
                QByteArray::fromBase64(map.value(QStringLiteral("$binary")).toString().toLatin1()));
        QCborMap out;
        for (auto it = map.cbegin(); it != map.cend(); ++it)
            out.insert(it.key(), jsonToCbor(it.value()));
        return out;
    }
    if (value.isArray()) {
        QCborArray out;
        for (const QCborValue &item : value.toArray())
            out.append(jsonToCbor(item));
        return out;
    }
    return value;
}

QVariant jsonToArg(const QCborValue &value)
{
    if (value.isMap()) {
        const QCborValue converted = jsonToCbor(value);
        if (converted.isByteArray())
            return converted.toByteArray();
        return QVariant::fromValue(converted.toMap());
    }
    if (value.isArray()) {
        QVariantList list;
        for (const QCborValue &item : value.toArray())
            list.append(jsonToArg(item));
        return list;
    }
    return Arguments::fromCbor(value, {});
}

QVariantList jsonToArgs(const QCborValue &array)
{
    QVariantList args;
    for (const QCborValue &item : array.toArray())
        args.append(jsonToArg(item));
    return args;
}

QByteArray toJson(const QCborValue &value)
{
    QByteArray out;
    Protocol::Json::Writer writer(out);
    writer.value(value);
    return out;
}

// --- the program -------------------------------------------------------------------------------

// --- line editing (interactive mode on a terminal, with libedit) ------------------------------

// The interactive mode's line editor: libedit's readline interface in callback mode, so the event
// loop keeps running while a line is typed; incoming events are printed above the line being
// edited. History in ~/.socketio_client_history. Without libedit or a terminal: plain lines.
class LineEditor
{
public:
    using LineHandler = std::function<void(const QByteArray &line)>;
    using EndHandler = std::function<void()>;

    static bool available()
    {
#ifdef SOCKETIO_CLIENT_LIBEDIT
        return true;
#else
        return false;
#endif
    }

    static void start(LineHandler onLine, EndHandler onEnd)
    {
#ifdef SOCKETIO_CLIENT_LIBEDIT
        s_onLine = std::move(onLine);
        s_onEnd = std::move(onEnd);
        s_historyFile = QDir::home().filePath(QStringLiteral(".socketio_client_history")).toLocal8Bit();
        rl_getc_function = &LineEditor::getChar; // before libedit initialises (using_history())
        using_history();
        stifle_history(1000);
        read_history(s_historyFile.constData());
        s_active = true;
        rl_callback_handler_install(s_prompt.constData(), &LineEditor::lineRead);
#else
        Q_UNUSED(onLine);
        Q_UNUSED(onEnd);
#endif
    }

    // stdin is readable: one character (or more) for the editor.
    static void readInput()
    {
#ifdef SOCKETIO_CLIENT_LIBEDIT
        if (s_active) {
            s_lineDone = false;
            rl_callback_read_char();
            if (s_eof && s_active) // libedit's callback mode drops Ctrl-D: see getChar()
                lineRead(nullptr);
        }
#endif
    }

    static void setPrompt(const QString &prompt)
    {
#ifdef SOCKETIO_CLIENT_LIBEDIT
        s_prompt = prompt.toUtf8();
        if (s_active)
            rl_set_prompt(s_prompt.constData());
#else
        Q_UNUSED(prompt);
#endif
    }

    // Prints \a text (lines) above the line being edited, which is then drawn again.
    static bool print(const QByteArray &text)
    {
#ifdef SOCKETIO_CLIENT_LIBEDIT
        if (!s_active)
            return false;
        std::fputs("\r\x1b[K", stdout);
        std::fwrite(text.constData(), 1, size_t(text.size()), stdout);
        if (s_lineDone) {
            // Between a finished line and the next key libedit still holds the old line: draw
            // the prompt alone.
            std::fputs(s_prompt.constData(), stdout);
            std::fflush(stdout);
        } else {
            std::fflush(stdout);
            rl_forced_update_display();
        }
        return true;
#else
        Q_UNUSED(text);
        return false;
#endif
    }

    // Restores the terminal and saves the history.
    static void stop()
    {
#ifdef SOCKETIO_CLIENT_LIBEDIT
        if (!s_active)
            return;
        s_active = false;
        rl_callback_handler_remove();
        write_history(s_historyFile.constData());
        std::fputc('\n', stdout);
        std::fflush(stdout);
#endif
    }

private:
#ifdef SOCKETIO_CLIENT_LIBEDIT
    // Reads stdin for libedit, noting the end of input (Ctrl-D on an empty line, or a closed
    // terminal), which libedit's callback mode does not pass on.
    static int getChar(FILE *)
    {
        unsigned char c = 0;
        if (::read(STDIN_FILENO, &c, 1) != 1) {
            s_eof = true;
            return EOF;
        }
        // libedit's rl_end is stale in callback mode: "empty" is "nothing typed since the last
        // line". Ctrl-D may arrive as 0 from some terminals in libedit's raw mode.
        if ((c == 4 || c == 0) && s_fresh) {
            s_eof = true;
            return EOF;
        }
        s_fresh = false;
        return c;
    }

    static void lineRead(char *line)
    {
        if (!line) { // Ctrl-D on an empty line
            stop();
            if (s_onEnd)
                s_onEnd();
            return;
        }
        const QByteArray text(line);
        std::free(line);
        s_lineDone = true;
        s_fresh = true;
        if (!text.trimmed().isEmpty()) {
            const HIST_ENTRY *last =
                history_length > 0 ? history_get(history_base + history_length - 1) : nullptr;
            if (!last || text != last->line)
                add_history(text.constData());
        }
        if (s_onLine)
            s_onLine(text);
    }
    static inline LineHandler s_onLine;
    static inline EndHandler s_onEnd;
    static inline QByteArray s_historyFile;
    static inline QByteArray s_prompt = QByteArrayLiteral("> ");
    static inline bool s_active = false;
    static inline bool s_lineDone = false;
    static inline bool s_eof = false;
    static inline bool s_fresh = true;
#endif
};

class Cli : public QObject
{
public:
    Cli(Manager *manager, bool json, bool color)
        : m_manager(manager)
        , m_json(json)
        , m_color(color)
    {
        connect(manager, &Manager::reconnectAttempted, this, [this](int attempt) {
            QCborMap m;
            m.insert(QStringLiteral("type"), QStringLiteral("reconnect_attempt"));
            m.insert(QStringLiteral("attempt"), attempt);
            output(m, QStringLiteral("reconnecting (attempt %1)").arg(attempt));
        });
        connect(manager, &Manager::reconnected, this, [this](int attempt) {
            QCborMap m;
            m.insert(QStringLiteral("type"), QStringLiteral("reconnect"));
            m.insert(QStringLiteral("attempt"), attempt);
            output(m, QStringLiteral("reconnected after %1 attempt(s)").arg(attempt));
        });
        connect(manager, &Manager::reconnectFailed, this, [this] {
            if (!m_json)
                output({}, QStringLiteral("reconnection failed, giving up"));
        });
        connect(manager, &Manager::transportUpgraded, this, [this](Transport transport) {
            QCborMap m;
            m.insert(QStringLiteral("type"), QStringLiteral("upgrade"));
            m.insert(QStringLiteral("transport"), transportName(transport));
            output(m, QStringLiteral("upgraded to %1").arg(transportName(transport)));
        });
    }

    ClientSocket *socket(const QString &nsp)
    {
        ClientSocket *socket = m_manager->socket(nsp);
        if (m_wired.contains(socket))
            return socket;
        m_wired.insert(socket);
        const QString name = socket->nsp();
        connect(socket, &ClientSocket::connected, this, [this, socket, name] {
            QCborMap m;
            m.insert(QStringLiteral("type"), QStringLiteral("connect"));
            m.insert(QStringLiteral("nsp"), name);
            m.insert(QStringLiteral("id"), socket->id());
            // Only when true: a server without connection state recovery sees the line as before.
            if (socket->isRecovered())
                m.insert(QStringLiteral("recovered"), true);
            output(m,
                   socket->isRecovered()
                       ? QStringLiteral("connected to %1 as %2 (recovered)").arg(name, socket->id())
                       : QStringLiteral("connected to %1 as %2").arg(name, socket->id()),
                   Green);
        });
        connect(socket, &ClientSocket::connectErrorOccurred, this,
                [this, name](const QString &message, const QVariant &data) {
                    QCborMap m;
                    m.insert(QStringLiteral("type"), QStringLiteral("connect_error"));
                    m.insert(QStringLiteral("nsp"), name);
                    m.insert(QStringLiteral("message"), message);
                    if (data.isValid())
                        m.insert(QStringLiteral("data"), argToJson(data));
                    output(m,
                           QStringLiteral("connect error on %1: %2%3")
                               .arg(name, message,
                                    data.isValid()
                                        ? QStringLiteral(" ") + QString::fromUtf8(toJson(argToJson(data)))
                                        : QString()),
                           Red);
                });
        connect(socket, &ClientSocket::disconnected, this, [this, name](const QString &reason) {
            QCborMap m;
            m.insert(QStringLiteral("type"), QStringLiteral("disconnect"));
            m.insert(QStringLiteral("nsp"), name);
            m.insert(QStringLiteral("reason"), reason);
            output(m, QStringLiteral("disconnected from %1: %2").arg(name, reason), Red);
        });
        connect(socket, &ClientSocket::eventReceived, this,
                [this, name](const QString &event, const QVariantList &args, qint64 ackId) {
                    QCborMap m;
                    m.insert(QStringLiteral("type"), QStringLiteral("event"));
                    m.insert(QStringLiteral("nsp"), name);
                    m.insert(QStringLiteral("event"), event);
                    m.insert(QStringLiteral("args"), argsToJson(args));
                    if (ackId >= 0)
                        m.insert(QStringLiteral("ackId"), ackId);
                    QString text = QStringLiteral("< %1%2").arg(
                        name == QLatin1String("/") ? QString() : name + QLatin1Char(' '), event);
                    for (const QVariant &arg : args)
                        text += QLatin1Char(' ') + QString::fromUtf8(toJson(argToJson(arg)));
                    if (ackId >= 0)
                        text += QStringLiteral("   (asks for ack %1: ack %1 ARGS...)").arg(ackId);
                    output(m, text, Cyan);
                });
        return socket;
    }

    void command(const QByteArray &line)
    {
        if (line.trimmed().isEmpty())
            return;
        if (m_json)
            jsonCommand(line);
        else
            textCommand(QString::fromUtf8(line).trimmed());
    }

    void closeAll() { m_manager->close(); }

    void error(const QString &message)
    {
        QCborMap m;
        m.insert(QStringLiteral("type"), QStringLiteral("error"));
        m.insert(QStringLiteral("message"), message);
        output(m, QStringLiteral("error: ") + message, Red);
    }

private:
    enum Color { None, Red, Green, Cyan };

    void output(const QCborMap &json, const QString &text, Color color = None)
    {
        QByteArray line;
        if (m_json) {
            if (json.isEmpty())
                return;
            line = toJson(json);
        } else {
            static const char *codes[] = { "", "\x1b[31m", "\x1b[32m", "\x1b[36m" };
            if (m_color && color != None)
                line = QByteArray(codes[color]) + text.toUtf8() + "\x1b[0m";
            else
                line = text.toUtf8();
        }
        line.append('\n');
        if (!m_json && LineEditor::print(line))
            return;
        std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
        std::fflush(stdout);
    }

    void emitWithOptionalAck(ClientSocket *socket, const QString &event, const QVariantList &args, bool ack,
                             const QCborValue &id, qint64 timeoutMs)
    {
        if (!ack) {
            if (!socket->emitEvent(event, args))
                error(QStringLiteral("reserved event name: ") + event);
            return;
        }
        const bool ok = socket->emitEvent(
            event, args, this,
            [this, id](AckStatus status, const QVariantList &reply) {
                QCborMap m;
                m.insert(QStringLiteral("type"), QStringLiteral("ack"));
                if (!id.isUndefined())
                    m.insert(QStringLiteral("id"), id);
                QString text = QStringLiteral("ack");
                if (!id.isUndefined())
                    text += QLatin1Char(' ') + QString::fromUtf8(toJson(id));
                if (status == AckStatus::Received) {
                    m.insert(QStringLiteral("args"), argsToJson(reply));
                    text += QStringLiteral(": ") + QString::fromUtf8(toJson(argsToJson(reply)));
                } else {
                    const QString why = status == AckStatus::TimedOut ? QStringLiteral("timeout")
                                                                      : QStringLiteral("disconnected");
                    m.insert(QStringLiteral("error"), why);
                    text += QStringLiteral(": ") + why;
                }
                output(m, text);
            },
            std::chrono::milliseconds(qMax<qint64>(0, timeoutMs)));
        if (!ok)
            error(QStringLiteral("reserved event name: ") + event);
    }

    void jsonCommand(const QByteArray &line)
    {
        const auto parsed = Protocol::Json::parse(line);
        if (!parsed || !parsed->isMap()) {
            error(QStringLiteral("not a JSON object: ") + QString::fromUtf8(line.left(200)));
            return;
        }
        const QCborMap cmd = parsed->toMap();
        const QString name = cmd.value(QStringLiteral("cmd")).toString();
        const QString nsp = cmd.value(QStringLiteral("nsp")).toString(QStringLiteral("/"));
        const QCborValue argsValue = cmd.value(QStringLiteral("args"));
        if (!argsValue.isUndefined() && !argsValue.isArray()) {
            error(QStringLiteral("args must be an array"));
            return;
        }
        const QVariantList args = jsonToArgs(argsValue);
        if (name == QLatin1String("emit")) {
            const QCborValue event = cmd.value(QStringLiteral("event"));
            if (!event.isString()) {
                error(QStringLiteral("emit needs an event name"));
                return;
            }
            emitWithOptionalAck(socket(nsp), event.toString(), args,
                                cmd.value(QStringLiteral("ack")).toBool(), cmd.value(QStringLiteral("id")),
                                cmd.value(QStringLiteral("timeoutMs")).toInteger(0));
        } else if (name == QLatin1String("connect")) {
            ClientSocket *s = socket(nsp);
            const QCborValue auth = cmd.value(QStringLiteral("auth"));
            if (auth.isMap())
                s->setAuth(QVariant::fromValue(jsonToCbor(auth).toMap()));
            s->open();
        } else if (name == QLatin1String("ack")) {
            const QCborValue ackId = cmd.value(QStringLiteral("ackId"));
            if (!ackId.isInteger() || ackId.toInteger() < 0) {
                error(QStringLiteral("ack needs a numeric ackId"));
                return;
            }
            socket(nsp)->sendAck(ackId.toInteger(), args);
        } else if (name == QLatin1String("disconnect")) {
            socket(nsp)->close();
        } else if (name == QLatin1String("close")) {
            finish();
        } else {
            error(QStringLiteral("unknown command: ") + (name.isEmpty() ? QStringLiteral("(none)") : name));
        }
    }

    // Splits `chat "hi there" {"a": 1}` into top-level JSON-ish tokens.
    static QStringList tokens(const QString &line)
    {
        QStringList out;
        QString current;
        int depth = 0;
        bool inString = false;
        bool escape = false;
        for (QChar c : line) {
            if (inString) {
                current += c;
                if (escape)
                    escape = false;
                else if (c == QLatin1Char('\\'))
                    escape = true;
                else if (c == QLatin1Char('"'))
                    inString = false;
                continue;
            }
            if (c == QLatin1Char('"'))
                inString = true;
            else if (c == QLatin1Char('{') || c == QLatin1Char('['))
                ++depth;
            else if (c == QLatin1Char('}') || c == QLatin1Char(']'))
                --depth;
            if (c.isSpace() && depth <= 0) {
                if (!current.isEmpty())
                    out << std::exchange(current, {});
                continue;
            }
            current += c;
        }
        if (!current.isEmpty())
            out << current;
        return out;
    }

    static QVariant textArg(const QString &token)
    {
        const auto parsed = Protocol::Json::parse(token.toUtf8());
        return parsed ? jsonToArg(*parsed) : QVariant(token); // a bare word is a string
    }

    void textCommand(const QString &line)
    {
        const QStringList t = tokens(line);
        const QString verb = t.value(0);
        if (verb == QLatin1String("emit") && t.size() >= 2) {
            QVariantList args;
            for (qsizetype i = 2; i < t.size(); ++i)
                args << textArg(t.at(i));
            QString event = t.at(1);
            if (event.startsWith(QLatin1Char('"')))
                event = textArg(event).toString();
            emitWithOptionalAck(socket(m_current), event, args, false, {}, 0);
        } else if (verb == QLatin1String("emit-ack") && t.size() >= 2) {
            QVariantList args;
            for (qsizetype i = 2; i < t.size(); ++i)
                args << textArg(t.at(i));
            emitWithOptionalAck(socket(m_current), t.at(1), args, true, QCborValue(t.at(1)), 10000);
        } else if (verb == QLatin1String("connect") && t.size() >= 2) {
            ClientSocket *s = socket(t.at(1));
            if (t.size() >= 3) {
                const auto auth = Protocol::Json::parse(t.at(2).toUtf8());
                if (auth && auth->isMap())
                    s->setAuth(QVariant::fromValue(jsonToCbor(*auth).toMap()));
            }
            setCurrent(s->nsp());
            s->open();
        } else if (verb == QLatin1String("use") && t.size() == 2) {
            setCurrent(socket(t.at(1))->nsp());
        } else if (verb == QLatin1String("ack") && t.size() >= 2) {
            QVariantList args;
            for (qsizetype i = 2; i < t.size(); ++i)
                args << textArg(t.at(i));
            socket(m_current)->sendAck(t.at(1).toLongLong(), args);
        } else if (verb == QLatin1String("disconnect")) {
            socket(t.size() >= 2 ? t.at(1) : m_current)->close();
        } else if (verb == QLatin1String("close") || verb == QLatin1String("quit")
                   || verb == QLatin1String("exit")) {
            finish();
        } else {
            output(
                {},
                QStringLiteral(
                    "commands:\n"
                    "  emit EVENT [JSON...]      e.g. emit chat \"hi\" {\"a\":1}  (bare words are strings)\n"
                    "  emit-ack EVENT [JSON...]  the same, asking for an ack (10 s timeout)\n"
                    "  ack ID [JSON...]          answer an event that asked for an ack\n"
                    "  connect /NSP [AUTHJSON]   connect another namespace and make it current\n"
                    "  use /NSP                  make a namespace current for emit and ack\n"
                    "  disconnect [/NSP]         leave a namespace\n"
                    "  close                     close everything and quit (also: end of input, Ctrl-D)\n"
                    "Line editing and history (Up/Down, Ctrl-R) when built with libedit."));
        }
    }

public:
    void setCurrent(const QString &nsp)
    {
        m_current = nsp;
        LineEditor::setPrompt(nsp == QLatin1String("/") ? QStringLiteral("> ") : nsp + QStringLiteral("> "));
    }

    void finish()
    {
        if (m_finishing)
            return;
        m_finishing = true;
        LineEditor::stop();
        closeAll();
        // Let the sockets write the DISCONNECT and close packets before the process ends.
        QTimer::singleShot(200, qApp, [] { QCoreApplication::exit(0); });
    }
    QString m_current = QStringLiteral("/");

private:
    Manager *m_manager;
    bool m_json;
    bool m_color;
    bool m_finishing = false;
    QSet<ClientSocket *> m_wired;
};

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("socketio-client"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "A command-line Socket.IO client (socket.io 3/4 servers; 2.x with --eio3).\n\n"
        "Examples:\n"
        "  socketio-client http://localhost:3000\n"
        "      > emit chat \"hi\" {\"a\":1}\n"
        "      > connect /admin {\"token\":\"abc\"}\n"
        "      /admin> emit-ack status\n"
        "      /admin> use /\n"
        "      > ack 3 \"ok\"\n"
        "  socketio-client https://example.com/admin --auth '{\"token\":\"abc\"}' --transports websocket\n"
        "  socketio-client http://localhost:3000 --header 'Authorization: Bearer T' --query room=1\n"
        "  socketio-client http://localhost:3000 --eio3 --transports polling     (socket.io 2.x)\n"
        "  echo '{\"cmd\":\"emit\",\"event\":\"chat\",\"args\":[\"hi\"],\"ack\":true,\"id\":\"1\"}' |\n"
        "      socketio-client --json http://localhost:3000\n\n"
        "Interactive commands: emit EVENT [JSON...], emit-ack EVENT [JSON...], ack ID [JSON...],\n"
        "connect /NSP [AUTHJSON], use /NSP, disconnect [/NSP], close (bare words are strings;\n"
        "any other line prints this list). On a terminal: line editing and history (Up/Down,\n"
        "Ctrl-R; ~/.socketio_client_history) when built with libedit; Ctrl-D quits.\n\n"
        "--json reads one command a line on stdin and writes one JSON object a line on stdout:\n"
        "  "
        "{\"cmd\":\"emit\",\"nsp\":\"/"
        "\",\"event\":\"e\",\"args\":[...],\"ack\":true,\"timeoutMs\":5000,\"id\":\"x\"}\n"
        "  {\"cmd\":\"connect\",\"nsp\":\"/custom\",\"auth\":{...}}   "
        "{\"cmd\":\"ack\",\"nsp\":\"/\",\"ackId\":N,\"args\":[...]}\n"
        "  {\"cmd\":\"disconnect\",\"nsp\":\"/custom\"}   {\"cmd\":\"close\"}\n"
        "Output types: connect, connect_error, event, ack, disconnect, reconnect_attempt, reconnect,\n"
        "upgrade, error. Binary anywhere in args, both ways: {\"$binary\":\"<base64>\"}.\n"
        "End of input closes every namespace and exits 0."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("URL"), QStringLiteral("http[s]://host:port[/namespace]"));
    const QCommandLineOption pathOption(QStringLiteral("path"),
                                        QStringLiteral("Server path (default /socket.io/)."),
                                        QStringLiteral("PATH"), QStringLiteral("/socket.io/"));
    const QCommandLineOption transportsOption(
        QStringLiteral("transports"),
        QStringLiteral("polling,websocket (default: polling, then upgrade) | websocket | polling."),
        QStringLiteral("LIST"));
    const QCommandLineOption authOption(QStringLiteral("auth"),
                                        QStringLiteral("Auth payload (JSON object) of the URL's namespace."),
                                        QStringLiteral("JSON"));
    const QCommandLineOption headerOption(QStringLiteral("header"),
                                          QStringLiteral("Extra HTTP header 'Name: value' (repeatable)."),
                                          QStringLiteral("HEADER"));
    const QCommandLineOption queryOption(
        QStringLiteral("query"), QStringLiteral("Query parameter K=V (repeatable)."), QStringLiteral("K=V"));
    const QCommandLineOption eio3Option(QStringLiteral("eio3"),
                                        QStringLiteral("Engine.IO v3, for socket.io 2.x servers."));
    const QCommandLineOption noReconnectOption(QStringLiteral("no-reconnect"),
                                               QStringLiteral("Do not reconnect."));
    const QCommandLineOption caOption(QStringLiteral("ca"),
                                      QStringLiteral("Trust this CA (PEM file) for https/wss."),
                                      QStringLiteral("FILE"));
    const QCommandLineOption insecureOption(QStringLiteral("insecure"),
                                            QStringLiteral("Do not check certificates (dangerous)."));
    const QCommandLineOption jsonOption(QStringLiteral("json"),
                                        QStringLiteral("Machine mode: JSON lines in and out."));
    parser.addOptions({ pathOption, transportsOption, authOption, headerOption, queryOption, eio3Option,
                        noReconnectOption, caOption, insecureOption, jsonOption });
    const QCommandLineOption parserOption(
        QStringLiteral("parser"),
        QStringLiteral(
            "Packet encoding: json (default) or msgpack (servers using npm socket.io-msgpack-parser)."),
        QStringLiteral("NAME"), QStringLiteral("json"));
    parser.addOption(parserOption);
    parser.process(app);

    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1) {
        std::fprintf(stderr, "socketio-client: one URL expected (see --help)\n");
        return 2;
    }
    QUrl url(positional.first());
    if (!url.isValid() || url.host().isEmpty()
        || !QStringList{ QStringLiteral("http"), QStringLiteral("https"), QStringLiteral("ws"),
                         QStringLiteral("wss") }
                .contains(url.scheme())) {
        std::fprintf(stderr, "socketio-client: invalid URL %s (http[s]://host:port[/namespace])\n",
                     qPrintable(positional.first()));
        return 2;
    }
    const QString nsp = url.path().isEmpty() ? QStringLiteral("/") : url.path();
    url.setPath(QString());

    ManagerOptions options;
    options.path = parser.value(pathOption);
    if (parser.isSet(transportsOption)) {
        Transports transports;
        const QStringList names = parser.value(transportsOption).split(QLatin1Char(','), Qt::SkipEmptyParts);
        for (const QString &name : names) {
            if (name.trimmed() == QLatin1String("polling")) {
                transports |= Transport::Polling;
            } else if (name.trimmed() == QLatin1String("websocket")) {
                transports |= Transport::WebSocket;
            } else {
                std::fprintf(stderr, "socketio-client: unknown transport %s\n", qPrintable(name));
                return 2;
            }
        }
        options.transports = transports;
    }
    for (const QString &header : parser.values(headerOption)) {
        const qsizetype colon = header.indexOf(QLatin1Char(':'));
        if (colon <= 0) {
            std::fprintf(stderr, "socketio-client: --header expects 'Name: value'\n");
            return 2;
        }
        options.extraHeaders.append(
            { header.left(colon).trimmed().toUtf8(), header.mid(colon + 1).trimmed().toUtf8() });
    }
    for (const QString &item : parser.values(queryOption)) {
        const qsizetype eq = item.indexOf(QLatin1Char('='));
        options.query.addQueryItem(eq < 0 ? item : item.left(eq), eq < 0 ? QString() : item.mid(eq + 1));
    }
    if (parser.isSet(eio3Option))
        options.engineIoProtocol = 3;
    if (parser.value(parserOption) == QLatin1String("msgpack")) {
        options.parser = Parser::MsgPack;
    } else if (parser.value(parserOption) != QLatin1String("json")) {
        std::fprintf(stderr, "socketio-client: --parser must be json or msgpack\n");
        return 2;
    }
    if (parser.isSet(noReconnectOption))
        options.reconnection = false;
    options.caFile = parser.value(caOption);
    if (parser.isSet(insecureOption)) {
        std::fprintf(stderr,
                     "socketio-client: WARNING: --insecure: certificates are not checked, the server is not "
                     "authenticated\n");
        options.ignoreSslErrors = true;
    }
    const bool json = parser.isSet(jsonOption);

    Manager manager(url, options);
    Cli cli(&manager, json, !json && isatty(STDOUT_FILENO));
    ClientSocket *socket = cli.socket(nsp);
    cli.setCurrent(socket->nsp());
    if (parser.isSet(authOption)) {
        const auto auth = Protocol::Json::parse(parser.value(authOption).toUtf8());
        if (!auth || !auth->isMap()) {
            std::fprintf(stderr, "socketio-client: --auth expects a JSON object\n");
            return 2;
        }
        socket->setAuth(QVariant::fromValue(jsonToCbor(*auth).toMap()));
    }
    socket->open();

    // stdin: one command a line; end of input closes and exits 0.
    QByteArray pending;
    QSocketNotifier notifier(STDIN_FILENO, QSocketNotifier::Read);
    if (!json && LineEditor::available() && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) {
        // A person at a terminal: line editing and history.
        LineEditor::start([&cli](const QByteArray &line) { cli.command(line); },
                          [&cli, &notifier] {
                              notifier.setEnabled(false);
                              cli.finish();
                          });
        QObject::connect(&notifier, &QSocketNotifier::activated, &app, [] { LineEditor::readInput(); });
        const int rc = app.exec();
        LineEditor::stop();
        return rc;
    }
    QObject::connect(&notifier, &QSocketNotifier::activated, &app, [&] {
        char buffer[65536];
        const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
        if (n <= 0) {
            notifier.setEnabled(false);
            if (!pending.isEmpty())
                cli.command(std::exchange(pending, {}));
            cli.finish();
            return;
        }
        pending.append(buffer, n);
        qsizetype newline;
        while ((newline = pending.indexOf('\n')) >= 0) {
            const QByteArray line = pending.left(newline);
            pending.remove(0, newline + 1);
            cli.command(line);
        }
        if (pending.size() > 64 * 1024 * 1024) {
            cli.error(QStringLiteral("line longer than 64 MiB, dropped"));
            pending.clear();
        }
    });
    return app.exec();
}
