// SPDX-License-Identifier: MIT
#include "trafficdetails.h"

#include "jsonview.h"

#include <QDateTime>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace SocketIo;

namespace Inspector {

TrafficDetails::TrafficDetails(QWidget *parent)
    : QWidget(parent)
    , m_header(new QLabel(this))
    , m_tabs(new QTabWidget(this))
    , m_arguments(new QTreeWidget(this))
    , m_raw(new QPlainTextEdit(this))
    , m_hex(new QPlainTextEdit(this))
    , m_handshake(new QTreeWidget(this))
    , m_ack(new QLabel(this))
    , m_goToPair(new QPushButton(tr("Select the paired row"), this))
    , m_edit(new QPushButton(tr("Edit in composer"), this))
{
    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_header->setWordWrap(true);
    JsonView::setupTree(m_arguments);
    JsonView::setupTree(m_handshake);
    m_raw->setReadOnly(true);
    m_raw->setFont(fixed);
    m_raw->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_hex->setReadOnly(true);
    m_hex->setFont(fixed);
    m_hex->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_ack->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_ack->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_ack->setWordWrap(true);

    auto *ackPage = new QWidget(this);
    auto *ackLayout = new QVBoxLayout(ackPage);
    ackLayout->addWidget(m_ack);
    auto *ackButtons = new QHBoxLayout;
    ackButtons->addWidget(m_goToPair);
    ackButtons->addStretch();
    ackLayout->addLayout(ackButtons);
    ackLayout->addStretch();

    m_tabs->addTab(m_arguments, tr("Arguments"));
    m_tabs->addTab(m_raw, tr("Raw"));
    m_tabs->addTab(m_hex, tr("Binary"));
    m_tabs->addTab(m_handshake, tr("Handshake"));
    m_tabs->addTab(ackPage, tr("Ack"));

    auto *top = new QHBoxLayout;
    top->addWidget(m_header, 1);
    top->addWidget(m_edit);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_tabs, 1);

    connect(m_goToPair, &QPushButton::clicked, this, [this] {
        if (m_pairSeq >= 0)
            Q_EMIT pairedRowRequested(m_pairSeq);
    });
    connect(m_edit, &QPushButton::clicked, this, &TrafficDetails::editInComposerRequested);
    clear();
}

void TrafficDetails::clear()
{
    m_header->setText(tr("Select a packet to see its details."));
    m_arguments->clear();
    m_raw->clear();
    m_hex->clear();
    m_handshake->clear();
    m_ack->setText(tr("No acknowledgement."));
    m_goToPair->setEnabled(false);
    m_edit->setEnabled(false);
    m_pairSeq = -1;
}

void TrafficDetails::setRow(const TrafficRow &row, const std::optional<TrafficRow> &paired,
                            const std::optional<SessionInfo> &session)
{
    const bool in = row.direction == TrafficEvent::Direction::Incoming;
    QString who =
        row.socketId.isEmpty() ? tr("session %1").arg(row.sessionId) : tr("socket %1").arg(row.socketId);
    QString header = in
        ? tr("<b>%1</b> from %2").arg(row.levelName() + QLatin1Char(' ') + row.typeName(), who)
        : tr("<b>%1</b> to %2").arg(row.levelName() + QLatin1Char(' ') + row.typeName(), who);
    if (!row.event.isEmpty())
        header += tr(", event <b>%1</b>").arg(row.event.toHtmlEscaped());
    if (!row.nsp.isEmpty())
        header += tr(" in %1").arg(row.nsp.toHtmlEscaped());
    header +=
        tr(" \u2014 %1, %2 via %3")
            .arg(QDateTime::fromMSecsSinceEpoch(row.timestampMs).toString(QStringLiteral("HH:mm:ss.zzz")),
                 formatBytes(row.size), transportName(row.transport));
    if (!row.note.isEmpty())
        header += QLatin1String("<br><i>") + row.note.toHtmlEscaped() + QLatin1String("</i>");
    m_header->setText(header);
    m_edit->setEnabled(row.kind == PacketKind::Event);

    // One tree per argument.
    m_arguments->clear();
    const QJsonArray args = row.arguments();
    for (qsizetype i = 0; i < args.size(); ++i)
        JsonView::addValue(m_arguments, tr("Argument %1").arg(i + 1), args.at(i), row.attachments);
    if (args.isEmpty()) {
        auto *none = new QTreeWidgetItem(m_arguments);
        none->setText(0, tr("(no arguments)"));
    }

    // The wire form, with the attachment frames that followed.
    QString raw;
    if (row.isMsgpack())
        raw = tr("msgpack packet (binary frame), %n byte(s):", nullptr, int(row.data.size()))
            + QLatin1Char('\n') + QString::fromLatin1(row.data.toHex(' '));
    else if (row.binary)
        raw = tr("Binary frame, %n byte(s):", nullptr, int(row.data.size())) + QLatin1Char('\n')
            + QString::fromLatin1(row.data.toHex(' '));
    else
        raw = QString::fromUtf8(row.wire());
    for (qsizetype i = 0; i < row.attachments.size() && !row.isMsgpack(); ++i) {
        raw += QLatin1Char('\n')
            + tr("<binary frame %1, %n byte(s)>", nullptr, int(row.attachments.at(i).size())).arg(i);
    }
    m_raw->setPlainText(raw);

    QString hex;
    if (row.binary) {
        hex = hexDump(row.data);
    }
    for (qsizetype i = 0; i < row.attachments.size(); ++i) {
        hex += (row.isMsgpack()
                    ? tr("Binary #%1 (inline, %n byte(s))", nullptr, int(row.attachments.at(i).size()))
                    : tr("Attachment #%1 (%n byte(s))", nullptr, int(row.attachments.at(i).size())))
                   .arg(i)
            + QLatin1Char('\n') + hexDump(row.attachments.at(i)) + QLatin1Char('\n');
    }
    if (hex.isEmpty())
        hex = row.expectedAttachments > 0 ? tr("The binary attachments have not arrived.")
                                          : tr("No binary attachments.");
    m_hex->setPlainText(hex);

    // Handshake: the connect payload and the HTTP request that opened the session.
    m_handshake->clear();
    if (row.socketIoType == SocketIoPacketType::Connect || row.engineType == EnginePacketType::Open
        || row.socketIoType == SocketIoPacketType::ConnectError) {
        if (!row.payload.isUndefined())
            JsonView::addValue(m_handshake, in ? tr("auth") : tr("reply"), row.payload);
        else if (row.engineType == EnginePacketType::Open)
            JsonView::addValue(m_handshake, tr("open"), QJsonDocument::fromJson(row.data).object());
    }
    if (session) {
        const HttpRequest &request = session->handshake;
        auto *req = new QTreeWidgetItem(m_handshake);
        req->setText(0, tr("request"));
        req->setText(1, QString::fromLatin1(request.method + ' ' + request.target));
        auto *address = new QTreeWidgetItem(req);
        address->setText(0, tr("remote address"));
        address->setText(
            1, QStringLiteral("%1:%2").arg(formatAddress(request.remoteAddress)).arg(request.remotePort));
        auto *headers = new QTreeWidgetItem(req);
        headers->setText(0, tr("headers"));
        for (const auto &[name, value] : request.headers) {
            auto *h = new QTreeWidgetItem(headers);
            h->setText(0, QString::fromLatin1(name));
            h->setText(1, QString::fromUtf8(value));
        }
        auto *query = new QTreeWidgetItem(req);
        query->setText(0, tr("query"));
        const auto items = request.query.queryItems(QUrl::FullyDecoded);
        for (const auto &[name, value] : items) {
            auto *q = new QTreeWidgetItem(query);
            q->setText(0, name);
            q->setText(1, value);
        }
        m_handshake->expandAll();
    }

    // Ack pairing
    m_pairSeq = row.pairSeq;
    if (row.pairSeq >= 0) {
        const bool isAck = row.kind == PacketKind::Ack;
        QString text = isAck ? tr("Acknowledges the emit #%1 (ack id %2).").arg(row.pairSeq).arg(row.ackId)
                             : tr("Acknowledged by packet #%1 (ack id %2).").arg(row.pairSeq).arg(row.ackId);
        text += QLatin1Char('\n') + tr("Round trip: %1 ms").arg(row.roundTripMs);
        if (paired) {
            text += QLatin1Char('\n')
                + (isAck ? tr("Emit: %1 %2").arg(paired->event, paired->summary)
                         : tr("Reply: %1")
                               .arg(paired->summary.isEmpty() ? tr("(no arguments)") : paired->summary));
        } else {
            text += QLatin1Char('\n') + tr("The paired row is no longer in the buffer.");
        }
        m_ack->setText(text);
        m_goToPair->setEnabled(paired.has_value());
    } else if (row.ackId >= 0 && row.kind == PacketKind::Event) {
        m_ack->setText(tr("Asks for an acknowledgement (ack id %1); none has arrived yet.").arg(row.ackId));
        m_goToPair->setEnabled(false);
    } else if (row.ackId >= 0) {
        m_ack->setText(tr("Acknowledgement %1; its emit was not captured.").arg(row.ackId));
        m_goToPair->setEnabled(false);
    } else {
        m_ack->setText(tr("No acknowledgement."));
        m_goToPair->setEnabled(false);
    }
}

QString TrafficDetails::rawText() const
{
    return m_raw->toPlainText();
}

QString TrafficDetails::hexText() const
{
    return m_hex->toPlainText();
}

QString TrafficDetails::ackText() const
{
    return m_ack->text();
}

} // namespace Inspector
