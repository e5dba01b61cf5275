// SPDX-License-Identifier: MIT
#pragma once

#include "argumenteditor.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QVariantMap>

#include <utility>

namespace Inspector {

// What the composer sends, as a value (history, saved messages).
struct ComposerMessage
{
    // Client: emitted by one of the inspector's client connections (client = its name) on nsp.
    enum class Target { Namespace, Room, Socket, Client };
    Target target = Target::Namespace;
    QString client;
    QString nsp = QStringLiteral("/");
    QString room;
    QString socketId;
    QStringList except;
    QString event;
    QList<std::pair<ArgumentEditor::Kind, QString>> args;
    bool ack = false;
    int timeoutMs = 5000;

    QVariantMap toVariant() const;
    static ComposerMessage fromVariant(const QVariantMap &map);
    QString title() const;
};

} // namespace Inspector
