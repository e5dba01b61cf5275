// SPDX-License-Identifier: MIT
#include "headlessprinter.h"

#include <SocketIo/server.h>

#include <QDateTime>

using namespace SocketIo;

namespace Inspector {

namespace {

QList<QRegularExpression> patterns(const QStringList &values)
{
    QList<QRegularExpression> result;
    for (const QString &value : values) {
        const QStringList parts = value.split(QLatin1Char(','), Qt::SkipEmptyParts);
        for (const QString &part : parts) {
            result.append(wildcardExpression(part.trimmed()));
        }
    }
    return result;
}

bool matchesAny(const QList<QRegularExpression> &list, const QString &text)
{
    for (const QRegularExpression &re : list) {
        if (re.match(text).hasMatch())
            return true;
    }
    return false;
}

QString ackKey(const TrafficRow &row, TrafficEvent::Direction emitDirection)
{
    return row.source + QLatin1Char('\n') + row.sessionId + QLatin1Char('\n') + row.nsp + QLatin1Char('\n')
        + QString::number(row.ackId) + QLatin1Char('\n') + QString::number(int(emitDirection));
}

} // namespace

HeadlessPrinter::HeadlessPrinter(Server *server, const Options &options, FILE *out, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_namespaces(patterns(options.namespaces))
    , m_events(patterns(options.events))
    , m_out(out)
{
    if (!server)
        return;
    connect(server, &Server::trafficObserved, this, &HeadlessPrinter::print);
    // Sockets that leave without a DISCONNECT packet (transport close, ping timeout) get a line too.
    auto watch = [this](Namespace *nsp) {
        const QString name = nsp->name();
        connect(nsp, &Namespace::socketDisconnected, this,
                [this, name](const QString &id, DisconnectReason reason) {
                    if (!m_namespaces.isEmpty() && !matchesAny(m_namespaces, name))
                        return;
                    if (!m_events.isEmpty())
                        return;
                    printNote(QStringLiteral("--- %1 %2 disconnected (%3)")
                                  .arg(name.leftJustified(8), id, disconnectReasonString(reason)));
                });
    };
    connect(server, &Server::namespaceCreated, this, watch);
    const auto namespaces = server->namespaces();
    for (Namespace *nsp : namespaces)
        watch(nsp);
}

bool HeadlessPrinter::accepts(const TrafficRow &row) const
{
    if (row.isControl() && !m_options.showControl)
        return false;
    if (!m_namespaces.isEmpty() && !matchesAny(m_namespaces, row.nsp))
        return false;
    if (!m_events.isEmpty() && (row.event.isEmpty() || !matchesAny(m_events, row.event)))
        return false;
    return true;
}

QString HeadlessPrinter::formatLine(const TrafficRow &row)
{
    const bool in = row.direction == TrafficEvent::Direction::Incoming;
    QString socket = row.socketId;
    if (socket.isEmpty())
        socket = QStringLiteral("sid:") + row.sessionId;
    QString what = row.typeName();
    switch (row.kind) {
    case PacketKind::Event:
        what += QLatin1Char(' ') + row.event;
        if (row.ackId >= 0)
            what += QStringLiteral(" [ack %1]").arg(row.ackId);
        break;
    case PacketKind::Ack:
        what += QStringLiteral(" %1").arg(row.ackId);
        if (!row.event.isEmpty())
            what += QLatin1Char(' ') + row.event;
        if (row.roundTripMs >= 0)
            what += QStringLiteral(" (%1 ms)").arg(row.roundTripMs);
        break;
    default:
        break;
    }
    QString line =
        QStringLiteral("%1 %2 %3 %4 %5")
            .arg(formatTime(row.timestampMs), in ? QStringLiteral("in ") : QStringLiteral("out"),
                 (row.nsp.isEmpty() ? QStringLiteral("-") : row.nsp).leftJustified(8), socket, what);
    if (!row.source.isEmpty())
        line.insert(12, QStringLiteral(" [%1]").arg(row.source));
    if (!row.summary.isEmpty())
        line += QStringLiteral("  ") + row.summary;
    return line;
}

void HeadlessPrinter::print(const TrafficEvent &event)
{
    printRow(TrafficRow::fromEvent(event));
}

void HeadlessPrinter::printNote(const QString &text, const QString &source)
{
    QString line = formatTime(QDateTime::currentMSecsSinceEpoch());
    if (!source.isEmpty())
        line += QStringLiteral(" [%1]").arg(source);
    write(line + QLatin1Char(' ') + text);
}

void HeadlessPrinter::printRow(TrafficRow row)
{
    // Acks name the event they answer, with the round trip.
    if (row.ackId >= 0 && row.kind == PacketKind::Event) {
        m_awaitingAck.insert(ackKey(row, row.direction), { row.event, row.timestampMs });
        if (m_awaitingAck.size() > 100000)
            m_awaitingAck.clear();
    } else if (row.ackId >= 0 && row.kind == PacketKind::Ack) {
        const auto emitDirection = row.direction == TrafficEvent::Direction::Incoming
            ? TrafficEvent::Direction::Outgoing
            : TrafficEvent::Direction::Incoming;
        const auto it = m_awaitingAck.constFind(ackKey(row, emitDirection));
        if (it != m_awaitingAck.cend()) {
            row.event = it->first;
            row.roundTripMs = row.timestampMs - it->second;
            m_awaitingAck.erase(it);
        }
    }
    if (accepts(row))
        write(formatLine(row));
}

void HeadlessPrinter::write(const QString &line)
{
    const QByteArray bytes = line.toUtf8();
    std::fwrite(bytes.constData(), 1, std::size_t(bytes.size()), m_out);
    std::fputc('\n', m_out);
    std::fflush(m_out);
}

} // namespace Inspector
