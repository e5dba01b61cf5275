// SPDX-License-Identifier: MIT
#include "trafficrow.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

using namespace SocketIo;

namespace Inspector {

namespace {

// Compact JSON writer with a character budget, so a summary of a megabyte payload costs what
// the summary shows and not the whole document.
class CompactWriter
{
public:
    explicit CompactWriter(int budget)
        : m_budget(budget)
    { }

    // Also records that something was cut, for the ellipsis.
    bool full() const
    {
        if (m_out.size() < m_budget)
            return false;
        m_truncated = true;
        return true;
    }
    QString result() const
    {
        if (!m_truncated && m_out.size() <= m_budget)
            return m_out;
        return m_out.left(m_budget - 1) + QChar(0x2026);
    }

    void write(const QJsonValue &value)
    {
        if (full())
            return;
        switch (value.type()) {
        case QJsonValue::Null:
            m_out += QLatin1String("null");
            break;
        case QJsonValue::Bool:
            m_out += value.toBool() ? QLatin1String("true") : QLatin1String("false");
            break;
        case QJsonValue::Double: {
            const double d = value.toDouble();
            if (d == double(qint64(d)) && qAbs(d) < 1e15)
                m_out += QString::number(qint64(d));
            else
                m_out += QString::number(d, 'g', 15);
            break;
        }
        case QJsonValue::String:
            writeString(value.toString());
            break;
        case QJsonValue::Array: {
            m_out += QLatin1Char('[');
            const QJsonArray array = value.toArray();
            bool first = true;
            for (const QJsonValue &item : array) {
                if (full())
                    return;
                if (!first)
                    m_out += QLatin1Char(',');
                first = false;
                write(item);
            }
            m_out += QLatin1Char(']');
            break;
        }
        case QJsonValue::Object: {
            const QJsonObject object = value.toObject();
            if (object.value(QLatin1String("_placeholder")) == QJsonValue(true)) {
                m_out += QLatin1String("<binary #")
                    + QString::number(object.value(QLatin1String("num")).toInteger()) + QLatin1Char('>');
                break;
            }
            m_out += QLatin1Char('{');
            bool first = true;
            for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
                if (full())
                    return;
                if (!first)
                    m_out += QLatin1Char(',');
                first = false;
                writeString(it.key());
                m_out += QLatin1Char(':');
                write(it.value());
            }
            m_out += QLatin1Char('}');
            break;
        }
        case QJsonValue::Undefined:
            break;
        }
    }

    void separator() { m_out += QLatin1String(", "); }

private:
    void writeString(const QString &s)
    {
        m_out += QLatin1Char('"');
        for (const QChar c : s) {
            if (full())
                return;
            switch (c.unicode()) {
            case '"':
                m_out += QLatin1String("\\\"");
                break;
            case '\\':
                m_out += QLatin1String("\\\\");
                break;
            case '\n':
                m_out += QLatin1String("\\n");
                break;
            case '\r':
                m_out += QLatin1String("\\r");
                break;
            case '\t':
                m_out += QLatin1String("\\t");
                break;
            default:
                if (c.unicode() < 0x20)
                    m_out += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
                else
                    m_out += c;
            }
        }
        m_out += QLatin1Char('"');
    }

    QString m_out;
    int m_budget;
    mutable bool m_truncated = false;
};

} // namespace

TrafficRow TrafficRow::fromEvent(const TrafficEvent &event)
{
    TrafficRow row;
    row.timestampMs = event.timestampMs;
    row.direction = event.direction;
    row.transport = event.transport;
    row.engineType = event.type;
    row.socketIoType = event.socketIoType;
    row.binary = event.binary;
    row.size = event.size;
    row.sessionId = event.sessionId;
    row.nsp = event.nsp;
    row.socketId = event.socketId;
    row.event = event.event;
    row.ackId = event.ackId;
    row.expectedAttachments = event.attachments;
    row.payload = event.payload;
    row.data = event.data;
    // The msgpack parser carries binaries inline: they are this packet's, as attachments are.
    row.attachments = event.binaries;
    row.finish();
    return row;
}

TrafficRow TrafficRow::fromWire(const QByteArray &frame, bool binary, Direction direction, qint64 timestampMs,
                                Transport transport)
{
    TrafficRow row;
    row.timestampMs = timestampMs;
    row.direction = direction;
    row.transport = transport;
    row.binary = binary;
    row.size = frame.size();
    if (binary) {
        row.engineType = EnginePacketType::Message;
        row.data = frame;
    } else if (!frame.isEmpty() && frame.at(0) >= '0' && frame.at(0) <= '6') {
        row.engineType = EnginePacketType(frame.at(0) - '0');
        row.data = frame.mid(1);
        if (row.engineType == EnginePacketType::Message) {
            // The library's decoder describes the packet (the same one the server uses).
            TrafficEvent event;
            event.type = EnginePacketType::Message;
            event.data = row.data;
            if (decodeSocketIoFields(event)) {
                row.socketIoType = event.socketIoType;
                row.nsp = event.nsp;
                row.event = event.event;
                row.ackId = event.ackId;
                row.expectedAttachments = event.attachments;
                row.payload = event.payload;
            }
        }
    } else {
        row.data = frame;
    }
    row.finish();
    return row;
}

QByteArray TrafficRow::wire() const
{
    if (binary)
        return data;
    return QByteArray::number(int(engineType)) + data;
}

QJsonArray TrafficRow::arguments() const
{
    switch (socketIoType) {
    case SocketIoPacketType::Event:
    case SocketIoPacketType::BinaryEvent: {
        QJsonArray args = payload.toArray();
        if (!args.isEmpty())
            args.removeFirst();
        return args;
    }
    case SocketIoPacketType::Ack:
    case SocketIoPacketType::BinaryAck:
        return payload.toArray();
    case SocketIoPacketType::Connect:
    case SocketIoPacketType::ConnectError:
        if (payload.isUndefined() || payload.isNull())
            return {};
        return QJsonArray{ payload };
    case SocketIoPacketType::Disconnect:
        return {};
    case SocketIoPacketType::None:
        break;
    }
    if (engineType == EnginePacketType::Open) {
        const QJsonDocument doc = QJsonDocument::fromJson(data);
        if (doc.isObject())
            return QJsonArray{ doc.object() };
    }
    return {};
}

bool TrafficRow::isMsgpack() const
{
    return binary && isSocketIo();
}

QString TrafficRow::typeName() const
{
    if (isSocketIo())
        return socketIoTypeName(socketIoType);
    if (engineType == EnginePacketType::Message)
        return binary ? tr("attachment") : tr("message");
    return enginePacketTypeName(engineType);
}

QString TrafficRow::levelName() const
{
    return isSocketIo() ? QStringLiteral("Socket.IO") : QStringLiteral("Engine.IO");
}

QString TrafficRow::searchText() const
{
    if (isMsgpack())
        return event + QLatin1Char(' ') + socketId + QLatin1Char(' ') + summary
            + (note.isEmpty() ? QString() : QLatin1Char(' ') + note);
    if (binary)
        return summary;
    QString text = event + QLatin1Char(' ') + socketId + QLatin1Char(' ') + QString::fromUtf8(data);
    if (!note.isEmpty())
        text += QLatin1Char(' ') + note;
    return text;
}

void TrafficRow::finish()
{
    switch (engineType) {
    case EnginePacketType::Ping:
    case EnginePacketType::Pong:
    case EnginePacketType::Noop:
        kind = PacketKind::Control;
        break;
    case EnginePacketType::Message:
        if (binary && socketIoType == SocketIoPacketType::None) {
            kind = PacketKind::Attachment;
            break;
        }
        switch (socketIoType) {
        case SocketIoPacketType::None:
            kind = PacketKind::EngineOther;
            break;
        case SocketIoPacketType::Connect:
            kind = PacketKind::Connect;
            break;
        case SocketIoPacketType::Disconnect:
            kind = PacketKind::Disconnect;
            break;
        case SocketIoPacketType::Event:
        case SocketIoPacketType::BinaryEvent:
            kind = PacketKind::Event;
            break;
        case SocketIoPacketType::Ack:
        case SocketIoPacketType::BinaryAck:
            kind = PacketKind::Ack;
            break;
        case SocketIoPacketType::ConnectError:
            kind = PacketKind::ConnectError;
            break;
        }
        break;
    default:
        kind = PacketKind::EngineOther;
    }

    const QJsonArray args = arguments();
    argCount = int(args.size());
    if (kind == PacketKind::Attachment) {
        summary = tr("binary, %n byte(s)", nullptr, int(data.size()));
    } else if (isSocketIo()) {
        summary = summarizeArguments(args);
    } else if (engineType == EnginePacketType::Message || engineType == EnginePacketType::Open
               || !data.isEmpty()) {
        summary = QString::fromUtf8(data.left(400));
        if (summary.size() > 200)
            summary = summary.left(199) + QChar(0x2026);
    } else {
        summary.clear();
    }
}

QString summarizeJson(const QJsonValue &value, int maxChars)
{
    CompactWriter writer(maxChars);
    writer.write(value);
    return writer.result();
}

QString summarizeArguments(const QJsonArray &args, int maxChars)
{
    CompactWriter writer(maxChars);
    bool first = true;
    for (const QJsonValue &arg : args) {
        if (writer.full())
            break;
        if (!first)
            writer.separator();
        first = false;
        writer.write(arg);
    }
    return writer.result();
}

QString socketIoTypeName(SocketIoPacketType type)
{
    switch (type) {
    case SocketIoPacketType::Connect:
        return QStringLiteral("CONNECT");
    case SocketIoPacketType::Disconnect:
        return QStringLiteral("DISCONNECT");
    case SocketIoPacketType::Event:
        return QStringLiteral("EVENT");
    case SocketIoPacketType::Ack:
        return QStringLiteral("ACK");
    case SocketIoPacketType::ConnectError:
        return QStringLiteral("CONNECT_ERROR");
    case SocketIoPacketType::BinaryEvent:
        return QStringLiteral("BINARY_EVENT");
    case SocketIoPacketType::BinaryAck:
        return QStringLiteral("BINARY_ACK");
    case SocketIoPacketType::None:
        break;
    }
    return {};
}

QString enginePacketTypeName(EnginePacketType type)
{
    switch (type) {
    case EnginePacketType::Open:
        return QStringLiteral("open");
    case EnginePacketType::Close:
        return QStringLiteral("close");
    case EnginePacketType::Ping:
        return QStringLiteral("ping");
    case EnginePacketType::Pong:
        return QStringLiteral("pong");
    case EnginePacketType::Message:
        return QStringLiteral("message");
    case EnginePacketType::Upgrade:
        return QStringLiteral("upgrade");
    case EnginePacketType::Noop:
        return QStringLiteral("noop");
    }
    return {};
}

QString formatTime(qint64 timestampMs)
{
    return QDateTime::fromMSecsSinceEpoch(timestampMs).toString(QStringLiteral("HH:mm:ss.zzz"));
}

QString formatAddress(const QHostAddress &address)
{
    bool isV4 = false;
    const quint32 ipv4 = address.toIPv4Address(&isV4);
    return isV4 ? QHostAddress(ipv4).toString() : address.toString();
}

QString formatBytes(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeIecFormat);
}

QRegularExpression wildcardExpression(const QString &pattern)
{
    QString re = QRegularExpression::escape(pattern);
    re.replace(QLatin1String("\\*"), QLatin1String(".*"));
    re.replace(QLatin1String("\\?"), QLatin1String("."));
    return QRegularExpression(QRegularExpression::anchoredPattern(re));
}

QString hexDump(const QByteArray &data, int maxBytes)
{
    QString out;
    const qsizetype n = qMin<qsizetype>(data.size(), maxBytes);
    out.reserve(int(n / 16 + 1) * 80);
    for (qsizetype offset = 0; offset < n; offset += 16) {
        out += QStringLiteral("%1  ").arg(offset, 8, 16, QLatin1Char('0'));
        QString ascii;
        for (int i = 0; i < 16; ++i) {
            if (offset + i < n) {
                const auto byte = uchar(data.at(offset + i));
                out += QStringLiteral("%1 ").arg(byte, 2, 16, QLatin1Char('0'));
                ascii += (byte >= 0x20 && byte < 0x7f) ? QChar(ushort(byte)) : QChar(QLatin1Char('.'));
            } else {
                out += QLatin1String("   ");
            }
            if (i == 7)
                out += QLatin1Char(' ');
        }
        out += QLatin1String(" |") + ascii + QLatin1String("|\n");
    }
    if (n < data.size())
        out += QCoreApplication::translate("Inspector::TrafficRow", "... %n more byte(s)", nullptr,
                                           int(data.size() - n))
            + QLatin1Char('\n');
    return out;
}

} // namespace Inspector
