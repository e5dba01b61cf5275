// SPDX-License-Identifier: MIT
#pragma once

#include "clientconnection.h"

#include <QCommandLineOption>
#include <QObject>

#include <optional>

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

// The headless face of the client connections: rows and state notes go to a HeadlessPrinter
// ("[client 1]" prefixes), and, when stdin is not a terminal, one command per line is read from
// it (see docs/inspector-client.md):
//   emit [NSP] EVENT [JSON...]        emit-ack [NSP] EVENT [JSON...]     ack-reply EVENT [JSON...]
//   connect NSP [AUTH_JSON]           disconnect [NSP]                   reconnect      quit
// When every connection has given up (reconnection exhausted) and the inspector's own server is
// not running, the application exits with code 1.
class HeadlessClients : public QObject
{
    Q_OBJECT
public:
    HeadlessClients(ClientConnectionList *connections, HeadlessPrinter *printer, bool ownServer,
                    QObject *parent = nullptr);

    // Reads commands from stdin in a thread of its own when stdin is not a terminal.
    void readStandardInput();
    // Runs one command line; false (with a note) when it cannot.
    bool execute(const QString &line);

private:
    void watch(ClientConnection *connection);
    ClientConnection *connectionFor(const QString &nsp) const;

    ClientConnectionList *m_connections;
    HeadlessPrinter *m_printer;
    bool m_ownServer;
};

// Splits "a {"b": 1} [2, 3] "x y"" into JSON texts ("a" is a bare word: a string). False when a
// bracket or a string is left open.
bool splitJsonValues(const QString &text, QStringList *values);

} // namespace Inspector
