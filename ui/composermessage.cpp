// SPDX-License-Identifier: MIT
#include "composermessage.h"

#include <QCoreApplication>

namespace Inspector {

QVariantMap ComposerMessage::toVariant() const
{
    QVariantList list;
    for (const auto &[kind, text] : args)
        list.append(QVariantMap{ { QStringLiteral("kind"), int(kind) }, { QStringLiteral("text"), text } });
    return {
        { QStringLiteral("target"), int(target) }, { QStringLiteral("nsp"), nsp },
        { QStringLiteral("room"), room },          { QStringLiteral("socket"), socketId },
        { QStringLiteral("except"), except },      { QStringLiteral("event"), event },
        { QStringLiteral("args"), list },          { QStringLiteral("ack"), ack },
        { QStringLiteral("timeout"), timeoutMs },  { QStringLiteral("client"), client },
    };
}

ComposerMessage ComposerMessage::fromVariant(const QVariantMap &map)
{
    ComposerMessage m;
    m.target = Target(map.value(QStringLiteral("target")).toInt());
    m.nsp = map.value(QStringLiteral("nsp"), QStringLiteral("/")).toString();
    m.room = map.value(QStringLiteral("room")).toString();
    m.socketId = map.value(QStringLiteral("socket")).toString();
    m.except = map.value(QStringLiteral("except")).toStringList();
    m.event = map.value(QStringLiteral("event")).toString();
    const QVariantList list = map.value(QStringLiteral("args")).toList();
    for (const QVariant &arg : list) {
        const QVariantMap a = arg.toMap();
        m.args.append({ ArgumentEditor::Kind(a.value(QStringLiteral("kind")).toInt()),
                        a.value(QStringLiteral("text")).toString() });
    }
    m.ack = map.value(QStringLiteral("ack")).toBool();
    m.timeoutMs = map.value(QStringLiteral("timeout"), 5000).toInt();
    m.client = map.value(QStringLiteral("client")).toString();
    return m;
}

QString ComposerMessage::title() const
{
    QString to;
    switch (target) {
    case Target::Namespace:
        to = nsp;
        break;
    case Target::Room:
        to = QCoreApplication::translate("Inspector::EmitComposer", "%1 room %2").arg(nsp, room);
        break;
    case Target::Socket:
        to = QCoreApplication::translate("Inspector::EmitComposer", "%1 socket %2").arg(nsp, socketId);
        break;
    case Target::Client:
        to = QCoreApplication::translate("Inspector::EmitComposer", "server, as %1 on %2").arg(client, nsp);
        break;
    }
    QStringList parts;
    for (const auto &arg : args)
        parts.append(arg.first == ArgumentEditor::Kind::Json
                         ? arg.second.simplified()
                         : QCoreApplication::translate("Inspector::EmitComposer", "<binary>"));
    QString text = QStringLiteral("%1 \u2192 %2 (%3)").arg(event, to, parts.join(QStringLiteral(", ")));
    if (text.size() > 160)
        text = text.left(159) + QChar(0x2026);
    return text;
}

} // namespace Inspector
