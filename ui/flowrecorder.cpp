// SPDX-License-Identifier: MIT
#include "flowrecorder.h"

#include "harformat.h"

#include <SocketIo/client.h>
#include <SocketIo/json.h>

#include <QCborArray>
#include <QCborMap>
#include <QDateTime>
#include <QJsonDocument>
#include <QSaveFile>
#include <QSet>

#include <cctype>

using namespace SocketIo;

namespace Inspector {

namespace {

const QLatin1String formatName("socketio-inspector-recording");

bool isOut(const TrafficRow &row)
{
    return row.direction == TrafficEvent::Direction::Outgoing;
}

bool isEventRow(const TrafficRow &row)
{
    return row.socketIoType == SocketIoPacketType::Event
        || row.socketIoType == SocketIoPacketType::BinaryEvent;
}

bool isAckRow(const TrafficRow &row)
{
    return row.socketIoType == SocketIoPacketType::Ack || row.socketIoType == SocketIoPacketType::BinaryAck;
}

// {"_placeholder":true,"num":N} -> {"$binary":"<base64>"}
QJsonValue resolveJson(const QJsonValue &value, const QList<QByteArray> &attachments)
{
    if (value.isArray()) {
        QJsonArray out;
        for (const QJsonValue &item : value.toArray())
            out.append(resolveJson(item, attachments));
        return out;
    }
    if (!value.isObject())
        return value;
    QJsonObject o = value.toObject();
    if (o.value(QLatin1String("_placeholder")) == QJsonValue(true)
        && o.value(QLatin1String("num")).isDouble()) {
        const int num = o.value(QLatin1String("num")).toInt(-1);
        if (num >= 0 && num < attachments.size())
            return QJsonObject{ { QStringLiteral("$binary"),
                                  QString::fromLatin1(attachments.at(num).toBase64()) } };
        return o;
    }
    for (auto it = o.begin(); it != o.end(); ++it)
        it.value() = resolveJson(it.value(), attachments);
    return o;
}

const QByteArray *placeholder(const QCborMap &map, const QList<QByteArray> &attachments)
{
    if (map.size() != 2 || !map.value(QLatin1String("_placeholder")).isTrue())
        return nullptr;
    const QCborValue num = map.value(QLatin1String("num"));
    if (!num.isInteger() || num.toInteger() < 0 || num.toInteger() >= attachments.size())
        return nullptr;
    return &attachments.at(num.toInteger());
}

QCborValue resolveCbor(const QCborValue &value, const QList<QByteArray> &attachments)
{
    if (value.isArray()) {
        QCborArray out;
        for (const QCborValue &item : value.toArray())
            out.append(resolveCbor(item, attachments));
        return out;
    }
    if (!value.isMap())
        return value;
    const QCborMap map = value.toMap();
    if (const QByteArray *bytes = placeholder(map, attachments))
        return QCborValue(*bytes);
    QCborMap out;
    for (auto it = map.cbegin(); it != map.cend(); ++it)
        out.insert(it.key(), resolveCbor(it.value(), attachments));
    return out;
}

QVariant resolveVariant(const QVariant &value, const QList<QByteArray> &attachments)
{
    if (value.typeId() == QMetaType::QVariantList) {
        QVariantList out;
        for (const QVariant &item : value.toList())
            out.append(resolveVariant(item, attachments));
        return out;
    }
    if (value.typeId() == qMetaTypeId<QCborMap>()) {
        const QCborMap map = value.value<QCborMap>();
        if (const QByteArray *bytes = placeholder(map, attachments))
            return *bytes;
        return QVariant::fromValue(resolveCbor(map, attachments).toMap());
    }
    return value;
}

// The JSON payload of a Socket.IO packet's text ("2/chat,12[...]" -> "[...]").
QByteArray jsonPart(const QByteArray &data)
{
    if (data.isEmpty())
        return {};
    qsizetype i = 1;
    const char type = data.at(0);
    if (type == '5' || type == '6') {
        while (i < data.size() && std::isdigit(uchar(data.at(i))))
            ++i;
        if (i < data.size() && data.at(i) == '-')
            ++i;
    }
    if (i < data.size() && data.at(i) == '/') {
        const qsizetype comma = data.indexOf(',', i);
        if (comma < 0)
            return {};
        i = comma + 1;
    }
    while (i < data.size() && std::isdigit(uchar(data.at(i))))
        ++i;
    return data.mid(i);
}

// The payload array as arguments, in the sender's key order and with binaries as QByteArray.
QVariantList payloadArguments(const TrafficRow &row)
{
    bool ok = false;
    const QVariant parsed = parseJsonArgument(jsonPart(row.data), &ok);
    QVariantList list;
    if (ok && parsed.typeId() == QMetaType::QVariantList)
        list = parsed.toList();
    else
        list = row.payload.toArray().toVariantList();
    return resolveVariant(list, row.attachments).toList();
}

QString ackKey(const TrafficRow &row)
{
    return row.sessionId + QLatin1Char('\n') + row.nsp + QLatin1Char('\n') + QString::number(row.ackId);
}

TrafficRow rowFromJson(const QJsonObject &o)
{
    const auto direction = o.value(QLatin1String("direction")).toString() == QLatin1String("out")
        ? TrafficEvent::Direction::Outgoing
        : TrafficEvent::Direction::Incoming;
    const bool binary = o.value(QLatin1String("binary")).toBool();
    const Transport transport = o.value(QLatin1String("transport")).toString() == QLatin1String("polling")
        ? Transport::Polling
        : Transport::WebSocket;
    const QByteArray frame = binary
        ? QByteArray::fromBase64(o.value(QLatin1String("data")).toString().toLatin1())
        : o.value(QLatin1String("wire")).toString().toUtf8();
    TrafficRow row = TrafficRow::fromWire(frame, binary, direction,
                                          o.value(QLatin1String("timestampMs")).toInteger(), transport);
    row.sessionId = o.value(QLatin1String("sessionId")).toString();
    row.socketId = o.value(QLatin1String("socketId")).toString();
    row.source = o.value(QLatin1String("source")).toString();
    row.clientSide = o.value(QLatin1String("seenBy")).toString() == QLatin1String("client");
    const QJsonArray attachments = o.value(QLatin1String("attachments")).toArray();
    for (const QJsonValue &a : attachments)
        row.attachments.append(QByteArray::fromBase64(a.toString().toLatin1()));
    return row;
}

// Walks the rows once: what came back and what was sent, with their numbering.
struct Walk
{
    QList<FlowItem> received;
    QList<FlowRecording::Emit> emits;

    explicit Walk(const QList<TrafficRow> &rows)
    {
        QHash<QString, int> counts; // FlowItem::key() -> items so far
        QHash<QString, int> emitCounts; // nsp + event -> emits so far
        QHash<QString, std::pair<QString, int>> askedAcks; // ackKey -> (event, emit index)
        for (const TrafficRow &row : rows) {
            if (!row.isSocketIo())
                continue;
            if (isOut(row)) {
                if (!isEventRow(row))
                    continue;
                FlowRecording::Emit e;
                e.nsp = row.nsp;
                QVariantList args = payloadArguments(row);
                e.event = args.isEmpty() ? row.event : args.takeFirst().toString();
                e.args = args;
                e.ack = row.ackId >= 0;
                e.timestampMs = row.timestampMs;
                e.index = ++emitCounts[row.nsp + QLatin1Char('\n') + e.event];
                e.receivedBefore = counts;
                if (e.ack)
                    askedAcks.insert(ackKey(row), { e.event, e.index });
                emits.append(e);
                continue;
            }
            FlowItem item;
            item.nsp = row.nsp;
            item.timestampMs = row.timestampMs;
            switch (row.socketIoType) {
            case SocketIoPacketType::Connect:
                item.kind = FlowItem::Kind::Connect;
                item.args = row.arguments();
                break;
            case SocketIoPacketType::ConnectError:
                item.kind = FlowItem::Kind::ConnectError;
                item.args = row.arguments();
                break;
            case SocketIoPacketType::Disconnect:
                item.kind = FlowItem::Kind::Disconnect;
                break;
            case SocketIoPacketType::Event:
            case SocketIoPacketType::BinaryEvent:
                item.kind = FlowItem::Kind::Event;
                item.event = row.event;
                item.args = resolveJson(row.arguments(), row.attachments).toArray();
                break;
            case SocketIoPacketType::Ack:
            case SocketIoPacketType::BinaryAck: {
                const auto it = askedAcks.constFind(ackKey(row));
                if (it == askedAcks.cend())
                    continue; // not an answer to anything we saw asked
                item.kind = FlowItem::Kind::AckReply;
                item.event = it->first;
                item.index = it->second;
                item.args = resolveJson(row.arguments(), row.attachments).toArray();
                askedAcks.erase(it);
                received.append(item);
                ++counts[item.key()];
                continue;
            }
            case SocketIoPacketType::None:
                continue;
            }
            item.index = ++counts[item.key()];
            received.append(item);
        }
    }
};

} // namespace

QJsonObject FlowRecording::header() const
{
    QJsonObject o{
        { QStringLiteral("format"), formatName },
        { QStringLiteral("version"), formatVersion },
        { QStringLiteral("url"), url.toString() },
        { QStringLiteral("namespaces"), QJsonArray::fromStringList(namespaces) },
        { QStringLiteral("startedMs"), startedMs },
    };
    if (!auth.isUndefined() && !auth.isNull())
        o.insert(QStringLiteral("auth"), auth);
    if (!source.isEmpty())
        o.insert(QStringLiteral("source"), source);
    return o;
}

QByteArray FlowRecording::toJsonLines() const
{
    QByteArray out = QJsonDocument(header()).toJson(QJsonDocument::Compact) + '\n';
    out += HarFormat::toJsonLines(rows);
    return out;
}

bool FlowRecording::save(const QString &fileName, QString *error) const
{
    QSaveFile file(fileName);
    if (!file.open(QIODevice::WriteOnly) || file.write(toJsonLines()) < 0 || !file.commit()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

std::optional<FlowRecording> FlowRecording::fromJsonLines(const QByteArray &data, QString *error,
                                                          const QString &source)
{
    const auto fail = [error](const QString &why) -> std::optional<FlowRecording> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    FlowRecording rec;
    bool haveHeader = false;
    QList<TrafficRow> all;
    const QList<QByteArray> lines = data.split('\n');
    int lineNumber = 0;
    for (const QByteArray &line : lines) {
        ++lineNumber;
        if (line.trimmed().isEmpty())
            continue;
        QJsonParseError parseError{};
        const QJsonDocument doc = QJsonDocument::fromJson(line, &parseError);
        if (parseError.error != QJsonParseError::NoError || !doc.isObject())
            return fail(tr("line %1: not a JSON object (%2)").arg(lineNumber).arg(parseError.errorString()));
        const QJsonObject o = doc.object();
        if (o.contains(QLatin1String("format"))) {
            if (o.value(QLatin1String("format")).toString() != formatName)
                return fail(tr("line %1: not a recording (format \u201c%2\u201d)")
                                .arg(lineNumber)
                                .arg(o.value(QLatin1String("format")).toString()));
            const int version = o.value(QLatin1String("version")).toInt();
            if (version < 1 || version > formatVersion)
                return fail(tr("unsupported recording version %1").arg(version));
            haveHeader = true;
            rec.url = QUrl(o.value(QLatin1String("url")).toString());
            for (const QJsonValue &n : o.value(QLatin1String("namespaces")).toArray())
                rec.namespaces.append(n.toString());
            rec.auth = o.value(QLatin1String("auth"));
            rec.startedMs = o.value(QLatin1String("startedMs")).toInteger();
            rec.source = o.value(QLatin1String("source")).toString();
            continue;
        }
        if (!o.contains(QLatin1String("direction")) || !o.contains(QLatin1String("timestampMs")))
            return fail(tr("line %1: not a traffic row").arg(lineNumber));
        all.append(rowFromJson(o));
    }

    // Which client's rows.
    QStringList sources;
    for (const TrafficRow &row : std::as_const(all)) {
        if (row.clientSide && !sources.contains(row.source))
            sources.append(row.source);
    }
    QString chosen = source;
    if (chosen.isEmpty()) {
        if (sources.isEmpty())
            return fail(haveHeader ? tr("the recording has no client traffic")
                                   : tr("no rows seen by a client (export a client connection's rows)"));
        if (sources.size() > 1)
            return fail(
                tr("rows of several clients (%1): choose one").arg(sources.join(QStringLiteral(", "))));
        chosen = sources.constFirst();
    } else if (!sources.contains(chosen)) {
        return fail(tr("no rows of client \u201c%1\u201d").arg(chosen));
    }
    rec.source = chosen;

    std::optional<TrafficRow> awaiting[2];
    for (TrafficRow &row : all) {
        if (!row.clientSide || row.source != chosen)
            continue;
        const int d = int(row.direction);
        if (row.kind == PacketKind::Attachment) {
            // Exports of the window carry the frames as rows of their own as well.
            if (awaiting[d]) {
                rec.rows[awaiting[d]->seq].attachments.append(row.data);
                if (rec.rows[awaiting[d]->seq].attachments.size() >= awaiting[d]->expectedAttachments)
                    awaiting[d].reset();
            }
            continue;
        }
        if (row.expectedAttachments > row.attachments.size()) {
            row.seq = rec.rows.size();
            awaiting[d] = row;
        }
        rec.rows.append(row);
    }
    if (!rec.startedMs && !rec.rows.isEmpty())
        rec.startedMs = rec.rows.constFirst().timestampMs;
    return rec;
}

std::optional<FlowRecording> FlowRecording::load(const QString &fileName, QString *error,
                                                 const QString &source)
{
    QFile file(fileName);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = tr("cannot read %1: %2").arg(fileName, file.errorString());
        return std::nullopt;
    }
    return fromJsonLines(file.readAll(), error, source);
}

QList<FlowItem> FlowRecording::received() const
{
    return Walk(rows).received;
}

QList<FlowRecording::Emit> FlowRecording::emits() const
{
    return Walk(rows).emits;
}

QStringList FlowRecording::allNamespaces() const
{
    QStringList out = namespaces;
    for (const TrafficRow &row : rows) {
        if (isOut(row) && row.socketIoType == SocketIoPacketType::Connect && !out.contains(row.nsp))
            out.append(row.nsp);
    }
    return out;
}

QJsonValue FlowRecording::authFor(const QString &nsp) const
{
    for (const TrafficRow &row : rows) {
        if (isOut(row) && row.socketIoType == SocketIoPacketType::Connect && row.nsp == nsp)
            return row.payload.isObject() ? row.payload : auth;
    }
    return auth;
}

QHash<QString, QVariantList> FlowRecording::clientAckReplies() const
{
    QHash<QString, QVariantList> out;
    QHash<QString, int> counts;
    QHash<QString, QString> asked; // ackKey -> reply key
    for (const TrafficRow &row : rows) {
        if (!isOut(row) && isEventRow(row)) {
            const QString key = row.nsp + QLatin1Char('\n') + row.event;
            const int n = ++counts[key];
            if (row.ackId >= 0)
                asked.insert(ackKey(row), key + QLatin1Char('#') + QString::number(n));
        } else if (isOut(row) && isAckRow(row)) {
            const auto it = asked.constFind(ackKey(row));
            if (it != asked.cend())
                out.insert(*it, payloadArguments(row));
        }
    }
    return out;
}

QStringList FlowRecording::ownIds() const
{
    QSet<QString> ids;
    for (const TrafficRow &row : rows) {
        ids.insert(row.sessionId);
        ids.insert(row.socketId);
        if (row.socketIoType == SocketIoPacketType::Connect && !isOut(row))
            ids.insert(row.payload.toObject().value(QLatin1String("sid")).toString());
    }
    ids.remove(QString());
    return QStringList(ids.cbegin(), ids.cend());
}

FlowRecorder::FlowRecorder(QObject *parent)
    : QObject(parent)
{ }

FlowRecorder::~FlowRecorder()
{
    stop();
}

bool FlowRecorder::start(Manager *manager, const Header &header, const QString &fileName)
{
    stop();
    m_error.clear();
    m_data = FlowRecording();
    m_sequence = 0;
    m_data.url = manager->url();
    m_data.namespaces = header.namespaces;
    m_data.auth = header.auth;
    m_data.source = header.source;
    m_data.startedMs = QDateTime::currentMSecsSinceEpoch();
    if (!fileName.isEmpty()) {
        m_file = std::make_unique<QFile>(fileName);
        if (!m_file->open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            m_error = tr("cannot write %1: %2").arg(fileName, m_file->errorString());
            m_file.reset();
            return false;
        }
        m_file->write(QJsonDocument(m_data.header()).toJson(QJsonDocument::Compact) + '\n');
        m_file->flush();
    }
    m_manager = manager;
    m_connection = connect(manager, &Manager::trafficObserved, this, &FlowRecorder::observe);
    m_recording = true;
    return true;
}

void FlowRecorder::stop()
{
    if (!m_recording)
        return;
    m_recording = false;
    disconnect(m_connection);
    m_manager.clear();
    // A packet whose attachments never came: kept as it is.
    for (auto &awaiting : m_awaiting) {
        if (awaiting) {
            TrafficRow row = *awaiting;
            awaiting.reset();
            append(row);
        }
    }
    if (m_file) {
        m_file->flush();
        m_file->close();
        m_file.reset();
    }
}

void FlowRecorder::observe(const TrafficEvent &event)
{
    if (!m_recording)
        return;
    TrafficRow row = TrafficRow::fromEvent(event);
    if (row.isControl())
        return;
    row.clientSide = true;
    row.source = m_data.source;
    const int d = int(row.direction);
    if (row.kind == PacketKind::Attachment) {
        if (m_awaiting[d]) {
            m_awaiting[d]->attachments.append(row.data);
            if (--m_remaining[d] <= 0) {
                TrafficRow complete = *m_awaiting[d];
                m_awaiting[d].reset();
                complete.finish();
                append(complete);
            }
        }
        return;
    }
    if (row.expectedAttachments > 0) {
        m_awaiting[d] = row;
        m_remaining[d] = row.expectedAttachments;
        return;
    }
    append(row);
}

void FlowRecorder::append(TrafficRow row)
{
    row.seq = m_sequence++;
    if (m_keepInMemory)
        m_data.rows.append(row);
    if (m_file) {
        m_file->write(QJsonDocument(HarFormat::toJson(row)).toJson(QJsonDocument::Compact) + '\n');
        m_file->flush();
    }
    Q_EMIT rowRecorded(row);
}

} // namespace Inspector
