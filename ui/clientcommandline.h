// SPDX-License-Identifier: MIT
#pragma once

#include "clientconnection.h"

#include <QCommandLineOption>
#include <QObject>
#include <QPointer>

#include <cstdio>
#include <optional>
#include <variant>

QT_BEGIN_NAMESPACE
class QCommandLineParser;
QT_END_NAMESPACE

namespace Inspector {

class HeadlessPrinter;

// The client options of socketio-inspector's command line: --connect URL (repeatable; the URL's
// path is the namespace, connections to one origin share one Engine.IO connection), --auth JSON,
// --header "Name: value", --transports, --eio3, --ca FILE, --client-path PATH,
// --reconnection-attempts N.
class ClientCommandLine
{
    Q_DECLARE_TR_FUNCTIONS(Inspector::ClientCommandLine)

public:
    ClientCommandLine();
    void addTo(QCommandLineParser &parser) const;
    // Whether --connect was given.
    bool isRequested(const QCommandLineParser &parser) const;
    // The connections asked for (empty without --connect); nullopt with *error on a bad value.
    std::optional<QList<ClientConnectionOptions>> connections(const QCommandLineParser &parser,
                                                              QString *error) const;

private:
    QCommandLineOption m_connect;
    QCommandLineOption m_auth;
    QCommandLineOption m_header;
    QCommandLineOption m_transports;
    QCommandLineOption m_eio3;
    QCommandLineOption m_ca;
    QCommandLineOption m_path;
    QCommandLineOption m_attempts;
};

// One operation of the headless client connections, whichever parser made it (the text commands
// or the JSON Lines of socketio-client --json, see HeadlessClients).
struct ClientCommand
{
    enum class Kind { Emit, AckReply, Ack, Connect, Disconnect, Reconnect, Quit };
    Kind kind = Kind::Emit;
    QString nsp; // empty: the first connection's first namespace
    QString event; // Emit, AckReply
    QVariantList args; // Emit, AckReply, Ack
    bool ack = false; // Emit: ask for an ack (its reply is printed as a note)
    bool wait = false; // Emit with ack: the next commands wait for the reply (or the timeout)
    int timeoutMs = 10000; // Emit with ack
    QString auth; // Connect: JSON text of an object, or empty
    qint64 ackId = -1; // Ack: the id of the server's ack to answer
    bool wholeConnection = false; // Disconnect: the connection, not one namespace

    // A text command line (`emit [NSP] EVENT [JSON...]`, ...); nullopt with *error when it is
    // not one (an empty or comment line is neither: nullopt, *error empty).
    static std::optional<ClientCommand> fromText(const QString &line, QString *error);
    // A JSON Lines command ({"cmd":"emit",...}); nullopt with *error when it is not one.
    static std::optional<ClientCommand> fromJson(const QByteArray &line, QString *error);
};

// The headless face of the client connections: rows and state notes go to a HeadlessPrinter
// ("[client 1]" prefixes), and commands are read one a line from stdin when it is not a terminal,
// or from a script (--client-script FILE, "-": stdin) (see docs/inspector-client.md). A line is a
// text command:
//   emit [NSP] EVENT [JSON...]        emit-ack [NSP] EVENT [JSON...]     ack-reply EVENT [JSON...]
//   connect NSP [AUTH_JSON]           disconnect [NSP]                   reconnect      quit
// or, when it starts with "{", a JSON command as socketio-client --json takes them
// (docs/record-replay.md):
//   {"cmd":"emit","nsp":"/","event":"order","args":[1,{"$binary":"AQI="}],"ack":true,"timeoutMs":5000}
//   {"cmd":"connect","nsp":"/admin","auth":{"token":"x"}}   {"cmd":"ack","ackId":3,"args":[]}
//   {"cmd":"disconnect","nsp":"/admin"}   {"cmd":"close"}
// Both become ClientCommands run by one executor, in order; a JSON emit asking for an ack holds
// the commands after it until the reply (or its timeout). With record(), the first connection's
// session is written to a recording file (docs/record-replay.md) until this object is destroyed.
// When every connection has given up (reconnection exhausted) and the inspector's own server is
// not running, the application exits with code 1.
class HeadlessClients : public QObject
{
    Q_OBJECT
public:
    HeadlessClients(ClientConnectionList *connections, HeadlessPrinter *printer, bool ownServer,
                    QObject *parent = nullptr);
    ~HeadlessClients() override;

    // Reads commands from stdin in a thread of its own when stdin is not a terminal.
    void readStandardInput();
    // Reads commands from fileName ("-": stdin, even a terminal) in a thread of its own; false
    // with *error when it cannot be opened.
    bool readCommands(const QString &fileName, QString *error);
    // Records the first connection's traffic to fileName (call before opening it); false with
    // *error when there is no connection or the file cannot be written.
    bool record(const QString &fileName, QString *error);
    // Stops recording: the file is complete and closed. Safe to call twice.
    void stopRecording();

    // Parses one command line (text or JSON) and runs it, or queues it behind a command that
    // waits; false when it is not a command (an error note, in its place among the commands).
    bool execute(const QString &line);
    // Runs a command (or queues it behind one that waits).
    void execute(const ClientCommand &command);

private:
    void watch(ClientConnection *connection);
    ClientConnection *connectionFor(const QString &nsp) const;
    void runQueue();
    void run(const ClientCommand &command);
    void fail(const QString &text);
    void readLines(FILE *file);

    ClientConnectionList *m_connections;
    HeadlessPrinter *m_printer;
    bool m_ownServer;
    QPointer<ClientConnection> m_recorded; // record()
    QList<std::variant<ClientCommand, QString>> m_queue; // commands, and parse errors in order
    bool m_waiting = false;
};

// Splits "a {"b": 1} [2, 3] "x y"" into JSON texts ("a" is a bare word: a string). False when a
// bracket or a string is left open.
bool splitJsonValues(const QString &text, QStringList *values);

} // namespace Inspector
