// SPDX-License-Identifier: MIT
#include "harformat.h"

#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QUrl>
#include <QUrlQuery>

#include <algorithm>

using namespace SocketIo;

namespace Inspector {

namespace {

QString isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

QJsonArray headerArray(const HttpHeaderList &headers)
{
    QJsonArray array;
    for (const auto &[name, value] : headers)
        array.append(QJsonObject{ { QStringLiteral("name"), QString::fromLatin1(name) },
                                  { QStringLiteral("value"), QString::fromUtf8(value) } });
    return array;
}

QJsonArray queryArray(const QUrlQuery &query)
{
    QJsonArray array;
    const auto items = query.queryItems(QUrl::FullyDecoded);
    for (const auto &[name, value] : items)
        array.append(QJsonObject{ { QStringLiteral("name"), name }, { QStringLiteral("value"), value } });
    return array;
}

// Socket ids: a CONNECT reply carries {"sid": ...} for its namespace; the CONNECT that asked for
// it and later packets of the same session and namespace belong to that socket.
void assignSocketIds(QList<TrafficRow> &rows)
{
    QHash<QString, QString> ids;
    QHash<QString, qsizetype> pendingConnect; // the client's CONNECT waiting for its reply
    for (qsizetype i = 0; i < rows.size(); ++i) {
        TrafficRow &row = rows[i];
        if (!row.isSocketIo())
            continue;
        const QString key = row.sessionId + QLatin1Char('\n') + row.nsp;
        const bool connect = row.socketIoType == SocketIoPacketType::Connect;
        if (connect && row.direction == TrafficEvent::Direction::Incoming) {
            ids.remove(key); // a new socket for this namespace
            if (row.socketId.isEmpty())
                pendingConnect.insert(key, i);
            continue;
        }
        if (connect && row.direction == TrafficEvent::Direction::Outgoing) {
            const QString sid = row.payload.toObject().value(QLatin1String("sid")).toString();
            if (!sid.isEmpty())
                ids.insert(key, sid);
            if (const auto it = pendingConnect.constFind(key); it != pendingConnect.cend()) {
                if (rows[*it].socketId.isEmpty())
                    rows[*it].socketId = row.socketId.isEmpty() ? sid : row.socketId;
                pendingConnect.erase(it);
            }
        }
        if (row.socketId.isEmpty())
            row.socketId = ids.value(key);
    }
}

} // namespace

QJsonObject HarFormat::toJson(const TrafficRow &row)
{
    QJsonObject o;
    o.insert(QStringLiteral("time"), isoTime(row.timestampMs));
    o.insert(QStringLiteral("timestampMs"), row.timestampMs);
    o.insert(QStringLiteral("direction"),
             row.direction == TrafficEvent::Direction::Incoming ? QStringLiteral("in")
                                                                : QStringLiteral("out"));
    if (!row.source.isEmpty())
        o.insert(QStringLiteral("source"), row.source);
    if (row.clientSide)
        o.insert(QStringLiteral("seenBy"), QStringLiteral("client"));
    o.insert(QStringLiteral("sessionId"), row.sessionId);
    o.insert(QStringLiteral("transport"), transportName(row.transport));
    o.insert(QStringLiteral("engineType"), enginePacketTypeName(row.engineType));
    if (row.isSocketIo()) {
        o.insert(QStringLiteral("socketIoType"), socketIoTypeName(row.socketIoType));
        o.insert(QStringLiteral("nsp"), row.nsp);
        if (!row.socketId.isEmpty())
            o.insert(QStringLiteral("socketId"), row.socketId);
        if (!row.event.isEmpty())
            o.insert(QStringLiteral("event"), row.event);
        if (row.ackId >= 0)
            o.insert(QStringLiteral("ackId"), row.ackId);
        o.insert(QStringLiteral("args"), row.arguments());
    }
    if (row.roundTripMs >= 0)
        o.insert(QStringLiteral("roundTripMs"), row.roundTripMs);
    o.insert(QStringLiteral("size"), row.size);
    o.insert(QStringLiteral("binary"), row.binary);
    if (row.binary)
        o.insert(QStringLiteral("data"), QString::fromLatin1(row.data.toBase64()));
    else
        o.insert(QStringLiteral("wire"), QString::fromUtf8(row.wire()));
    if (!row.attachments.isEmpty()) {
        QJsonArray attachments;
        for (const QByteArray &a : row.attachments)
            attachments.append(QString::fromLatin1(a.toBase64()));
        o.insert(QStringLiteral("attachments"), attachments);
    }
    return o;
}

QByteArray HarFormat::toJsonLines(const QList<TrafficRow> &rows)
{
    QByteArray out;
    for (const TrafficRow &row : rows) {
        out += QJsonDocument(toJson(row)).toJson(QJsonDocument::Compact);
        out += '\n';
    }
    return out;
}

QJsonObject HarFormat::toHar(const QList<TrafficRow> &rows, const SessionLookup &sessions,
                             const QString &defaultHost)
{
    // One entry per session and source (the server's and a client connection's view of one
    // session are two entries), in order of first appearance.
    QStringList order;
    QHash<QString, QList<const TrafficRow *>> bySession;
    for (const TrafficRow &row : rows) {
        const QString key = row.source + QLatin1Char('\n') + row.sessionId;
        auto it = bySession.find(key);
        if (it == bySession.end()) {
            order.append(key);
            it = bySession.insert(key, {});
        }
        it->append(&row);
    }

    QJsonArray entries;
    for (const QString &key : std::as_const(order)) {
        const QList<const TrafficRow *> &list = bySession[key];
        const QString sid = list.constFirst()->sessionId;
        const std::optional<SessionInfo> info =
            sessions && list.constFirst()->source.isEmpty() ? sessions(sid) : std::nullopt;
        const bool websocket = info ? info->transport == Transport::WebSocket
                                    : list.constLast()->transport == Transport::WebSocket;
        QString host = defaultHost;
        QString target = QStringLiteral("/socket.io/?EIO=4&transport=%1&sid=%2")
                             .arg(websocket ? QStringLiteral("websocket") : QStringLiteral("polling"), sid);
        HttpHeaderList headers;
        QUrlQuery query(QUrl(target).query());
        if (info) {
            const QByteArray hostHeader = info->handshake.header("host");
            if (!hostHeader.isEmpty())
                host = QString::fromLatin1(hostHeader);
            headers = info->handshake.headers;
            QUrlQuery handshakeQuery = info->handshake.query;
            handshakeQuery.removeAllQueryItems(QStringLiteral("transport"));
            handshakeQuery.addQueryItem(QStringLiteral("transport"),
                                        websocket ? QStringLiteral("websocket") : QStringLiteral("polling"));
            handshakeQuery.removeAllQueryItems(QStringLiteral("sid"));
            handshakeQuery.addQueryItem(QStringLiteral("sid"), sid);
            query = handshakeQuery;
            target = info->handshake.path + QLatin1Char('?') + query.toString(QUrl::FullyEncoded);
        }
        const qint64 started =
            info ? qMin(info->openedMs, list.constFirst()->timestampMs) : list.constFirst()->timestampMs;
        const qint64 ended = list.constLast()->timestampMs;

        QJsonArray messages;
        for (const TrafficRow *row : list) {
            QJsonObject m;
            // HAR's "send"/"receive" are the browser's (the client's) point of view.
            const bool clientSent = (row->direction == TrafficEvent::Direction::Incoming) != row->clientSide;
            m.insert(QStringLiteral("type"), clientSent ? QStringLiteral("send") : QStringLiteral("receive"));
            m.insert(QStringLiteral("time"), double(row->timestampMs) / 1000.0);
            m.insert(QStringLiteral("opcode"), row->binary ? 2 : 1);
            m.insert(QStringLiteral("data"),
                     row->binary ? QString::fromLatin1(row->data.toBase64())
                                 : QString::fromUtf8(row->wire()));
            // Ours, for a faithful import (other readers ignore fields starting with '_').
            m.insert(QStringLiteral("_transport"), transportName(row->transport));
            if (!row->socketId.isEmpty())
                m.insert(QStringLiteral("_socketId"), row->socketId);
            if (!row->source.isEmpty())
                m.insert(QStringLiteral("_source"), row->source);
            if (row->clientSide)
                m.insert(QStringLiteral("_seenBy"), QStringLiteral("client"));
            messages.append(m);
        }

        QJsonObject request{
            { QStringLiteral("method"), QStringLiteral("GET") },
            { QStringLiteral("url"),
              QString((websocket ? QStringLiteral("ws://") : QStringLiteral("http://")) + host + target) },
            { QStringLiteral("httpVersion"), QStringLiteral("HTTP/1.1") },
            { QStringLiteral("headers"), headerArray(headers) },
            { QStringLiteral("queryString"), queryArray(query) },
            { QStringLiteral("cookies"), QJsonArray() },
            { QStringLiteral("headersSize"), -1 },
            { QStringLiteral("bodySize"), 0 },
        };
        QJsonObject response{
            { QStringLiteral("status"), websocket ? 101 : 200 },
            { QStringLiteral("statusText"),
              websocket ? QStringLiteral("Switching Protocols") : QStringLiteral("OK") },
            { QStringLiteral("httpVersion"), QStringLiteral("HTTP/1.1") },
            { QStringLiteral("headers"), QJsonArray() },
            { QStringLiteral("cookies"), QJsonArray() },
            { QStringLiteral("content"),
              QJsonObject{ { QStringLiteral("size"), 0 },
                           { QStringLiteral("mimeType"), QStringLiteral("x-unknown") } } },
            { QStringLiteral("redirectURL"), QString() },
            { QStringLiteral("headersSize"), -1 },
            { QStringLiteral("bodySize"), -1 },
        };
        QJsonObject entry{
            { QStringLiteral("startedDateTime"), isoTime(started) },
            { QStringLiteral("time"), double(ended - started) },
            { QStringLiteral("request"), request },
            { QStringLiteral("response"), response },
            { QStringLiteral("cache"), QJsonObject() },
            { QStringLiteral("timings"),
              QJsonObject{ { QStringLiteral("send"), 0 },
                           { QStringLiteral("wait"), double(ended - started) },
                           { QStringLiteral("receive"), 0 } } },
            { QStringLiteral("_resourceType"), QStringLiteral("websocket") },
            { QStringLiteral("_webSocketMessages"), messages },
        };
        entries.append(entry);
    }

    QJsonObject log{
        { QStringLiteral("version"), QStringLiteral("1.2") },
        { QStringLiteral("creator"),
          QJsonObject{ { QStringLiteral("name"), QStringLiteral("socketio-inspector") },
                       { QStringLiteral("version"), QCoreApplication::applicationVersion() } } },
        { QStringLiteral("pages"), QJsonArray() },
        { QStringLiteral("entries"), entries },
    };
    return QJsonObject{ { QStringLiteral("log"), log } };
}

HarFormat::ImportResult HarFormat::fromHar(const QByteArray &json)
{
    ImportResult result;
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError) {
        result.error = tr("Not a JSON document: %1 at offset %2").arg(error.errorString()).arg(error.offset);
        return result;
    }
    const QJsonValue entriesValue =
        doc.object().value(QLatin1String("log")).toObject().value(QLatin1String("entries"));
    if (!entriesValue.isArray()) {
        result.error = tr("Not a HAR file: log.entries is missing");
        return result;
    }
    const QJsonArray entries = entriesValue.toArray();
    int anonymous = 0;
    for (const QJsonValue &entryValue : entries) {
        const QJsonObject entry = entryValue.toObject();
        const QJsonObject request = entry.value(QLatin1String("request")).toObject();
        const QUrl url(request.value(QLatin1String("url")).toString());
        const QUrlQuery query(url);
        const bool isEngineIo = query.hasQueryItem(QStringLiteral("EIO"));
        QString sid = query.queryItemValue(QStringLiteral("sid"));
        const QJsonValue messages = entry.value(QLatin1String("_webSocketMessages"));

        if (messages.isArray()) {
            // A WebSocket opened without polling first (no sid in its URL) has it in its open packet.
            for (qsizetype i = 0; sid.isEmpty() && i < messages.toArray().size(); ++i) {
                const QString data =
                    messages.toArray().at(i).toObject().value(QLatin1String("data")).toString();
                if (data.startsWith(QLatin1Char('0')))
                    sid = QJsonDocument::fromJson(data.mid(1).toUtf8())
                              .object()
                              .value(QLatin1String("sid"))
                              .toString();
            }
            if (sid.isEmpty())
                sid = QStringLiteral("har-%1").arg(++anonymous);
            ++result.sessions;
            for (const QJsonValue &mv : messages.toArray()) {
                const QJsonObject m = mv.toObject();
                const bool binary = m.value(QLatin1String("opcode")).toInt(1) == 2;
                const QString data = m.value(QLatin1String("data")).toString();
                const QByteArray frame = binary ? QByteArray::fromBase64(data.toLatin1()) : data.toUtf8();
                const bool clientSide =
                    m.value(QLatin1String("_seenBy")).toString() == QLatin1String("client");
                const bool clientSent = m.value(QLatin1String("type")).toString() == QLatin1String("send");
                const auto direction = clientSent != clientSide ? TrafficEvent::Direction::Incoming
                                                                : TrafficEvent::Direction::Outgoing;
                const Transport transport =
                    m.value(QLatin1String("_transport")).toString() == QLatin1String("polling")
                    ? Transport::Polling
                    : Transport::WebSocket;
                TrafficRow row = TrafficRow::fromWire(
                    frame, binary, direction, qRound64(m.value(QLatin1String("time")).toDouble() * 1000.0),
                    transport);
                row.sessionId = sid;
                row.socketId = m.value(QLatin1String("_socketId")).toString();
                row.source = m.value(QLatin1String("_source")).toString();
                row.clientSide = clientSide;
                result.rows.append(row);
            }
            continue;
        }
        if (!isEngineIo || query.queryItemValue(QStringLiteral("transport")) != QLatin1String("polling"))
            continue;
        // Long-polling as browsers record it: packets separated by \x1e in request and response bodies.
        const qint64 when =
            QDateTime::fromString(entry.value(QLatin1String("startedDateTime")).toString(), Qt::ISODateWithMs)
                .toMSecsSinceEpoch();
        const QString method = request.value(QLatin1String("method")).toString();
        const QString body = method == QLatin1String("POST")
            ? request.value(QLatin1String("postData")).toObject().value(QLatin1String("text")).toString()
            : entry.value(QLatin1String("response"))
                  .toObject()
                  .value(QLatin1String("content"))
                  .toObject()
                  .value(QLatin1String("text"))
                  .toString();
        if (body.isEmpty())
            continue;
        const auto direction = method == QLatin1String("POST") ? TrafficEvent::Direction::Incoming
                                                               : TrafficEvent::Direction::Outgoing;
        const QStringList packets = body.split(QChar(0x1e));
        for (const QString &packet : packets) {
            if (packet.isEmpty())
                continue;
            const bool binary = packet.startsWith(QLatin1Char('b'));
            const QByteArray frame =
                binary ? QByteArray::fromBase64(packet.mid(1).toLatin1()) : packet.toUtf8();
            TrafficRow row = TrafficRow::fromWire(frame, binary, direction, when, Transport::Polling);
            if (sid.isEmpty() && row.engineType == EnginePacketType::Open)
                sid = QJsonDocument::fromJson(row.data).object().value(QLatin1String("sid")).toString();
            row.sessionId = sid;
            result.rows.append(row);
        }
    }
    std::stable_sort(result.rows.begin(), result.rows.end(),
                     [](const TrafficRow &a, const TrafficRow &b) { return a.timestampMs < b.timestampMs; });
    assignSocketIds(result.rows);
    // Polling entries were counted per session id.
    QSet<QString> sids;
    for (const TrafficRow &row : std::as_const(result.rows))
        sids.insert(row.sessionId);
    result.sessions = int(sids.size());
    return result;
}

} // namespace Inspector
