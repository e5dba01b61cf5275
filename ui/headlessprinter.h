// SPDX-License-Identifier: MIT
#pragma once

#include "trafficrow.h"

#include <SocketIo/engineserver.h>
#include <SocketIo/server.h>

#include <QHash>
#include <QObject>
#include <QRegularExpression>

#include <cstdio>

namespace Inspector {

// The terminal face of the inspector (--headless): one readable line per packet,
//   12:34:56.789 in  /chat    Zx9aB2cD  EVENT chat  "hello", {"to":"lobby"}
// time with milliseconds, direction, namespace, socket (or "sid:<Engine.IO session>" for
// Engine.IO packets), packet type and event, argument summary. Control frames (ping, pong, noop)
// only with showControl; namespace and event filters as in the window (comma lists, wildcards).
// Rows of another source than the inspector's own server (a client connection, an attached
// server) start with "[source]" after the time; a client's "out" is what that client sent.
class HeadlessPrinter : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        bool showControl = false;
        QStringList namespaces; // empty: all
        QStringList events; // empty: all; otherwise only events (and their acks) that match
    };

    // Prints the traffic of server (none: only what is fed to it).
    HeadlessPrinter(SocketIo::Server *server, const Options &options, FILE *out = stdout,
                    QObject *parent = nullptr);

    bool accepts(const TrafficRow &row) const;
    static QString formatLine(const TrafficRow &row);
    // Feeds one packet (what the server connection does); prints it when accepted.
    void print(const SocketIo::TrafficEvent &event);
    // Feeds one row of any source (acks get their event's name and round trip); prints it when
    // accepted.
    void printRow(TrafficRow row);
    // A line that is not a packet ("--- /chat abc disconnected (transport close)"): the time is
    // prepended; source as in rows.
    void printNote(const QString &text, const QString &source = {});

private:
    void write(const QString &line);

    Options m_options;
    QList<QRegularExpression> m_namespaces;
    QList<QRegularExpression> m_events;
    FILE *m_out;
    QHash<QString, std::pair<QString, qint64>> m_awaitingAck; // key -> (event, emit time)
};

} // namespace Inspector
