// SPDX-License-Identifier: MIT
#pragma once

#include "mockrules.h"

#include <SocketIo/server.h>

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QVariant>

namespace SocketIo {
class Ack;
class Namespace;
class Socket;
} // namespace SocketIo

QT_BEGIN_NAMESPACE
class QTimer;
QT_END_NAMESPACE

namespace Inspector {

// One rule that fired, as a value: which rule, for which socket and event, what it does.
struct MockFiring
{
    int ruleIndex = -1;
    QString ruleName; // MockRule::displayName()
    QString nsp;
    QString socketId;
    QString sessionId; // the socket's Engine.IO session
    QString event; // or "connection" / "disconnect"
    qint64 ackId = -1; // the incoming event's ack id, -1 when it asked for none
    QStringList actions; // MockAction::summary() of each action, templates applied
    // "mock: rule 'login' → ack "hello", emit welcome → sender" (the headless note line)
    QString text() const;
};

// Applies MockRules to the sockets of a SocketIo::Server (not owned; through its public API):
// every namespace, those created later (dynamic ones included), every socket's events. For each
// event the enabled rules are tried in order; the first that matches fires (and, when it says
// "continue", the following ones are tried too). Acks are answered only by an "ack" action, so
// other handlers may answer the rest. The namespaces the enabled rules name are created (a
// literal name at once, a wildcard such as "/room-*" as a dynamic namespace), so the server
// stands in for a backend that has them. Delayed actions run on timers that are cancelled when
// their socket disconnects.
class MockResponder : public QObject
{
    Q_OBJECT
public:
    explicit MockResponder(SocketIo::Server *server, QObject *parent = nullptr);
    ~MockResponder() override;

    SocketIo::Server *server() const { return m_server; }

    QList<MockRule> rules() const { return m_rules; }
    // Replaces the rules; the hit counts start again from 0.
    void setRules(const QList<MockRule> &rules);
    void setRuleEnabled(int index, bool enabled);
    void setAllEnabled(bool enabled);
    // Loads a rules file (MockRuleFile); on failure the rules stay and error says why.
    bool loadFile(const QString &fileName, QString *error);
    bool saveFile(const QString &fileName, QString *error) const;
    QString fileName() const { return m_fileName; }

    int hitCount(int index) const { return m_hits.value(index); }
    // Every rule's hit count, in rule order; setHitCounts() puts them back after an edit that
    // kept the rules (the panel's move, edit, remove).
    QList<int> hitCounts() const;
    void setHitCounts(const QList<int> &hits);
    void resetHits();
    // Delayed actions waiting for their timer.
    int pendingCount() const;

Q_SIGNALS:
    void rulesChanged();
    // A rule fired (emitted when it matched, before its delayed actions run).
    void ruleFired(const Inspector::MockFiring &firing);
    void hitCountChanged(int index, int hits);

private:
    struct Incoming
    {
        QString event;
        QJsonArray args;
    };
    void watchNamespace(SocketIo::Namespace *nsp);
    void watchSocket(SocketIo::Socket *socket);
    void handle(SocketIo::Socket *socket, const QString &event, const QVariantList &args,
                const SocketIo::Ack *ack, bool leaving);
    TemplateContext context(SocketIo::Socket *socket, const Incoming &incoming, const QString &rule) const;
    QString perform(SocketIo::Socket *socket, const MockAction &action, const Incoming &incoming,
                    const QString &rule, const SocketIo::Ack *ack);
    void cancelPending(SocketIo::Socket *socket);
    void createNamespaces();

    QPointer<SocketIo::Server> m_server;
    QList<MockRule> m_rules;
    QHash<int, int> m_hits;
    QString m_fileName;
    QHash<SocketIo::Socket *, QList<QTimer *>> m_pending;
};

} // namespace Inspector

Q_DECLARE_METATYPE(Inspector::MockFiring)
