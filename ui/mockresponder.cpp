// SPDX-License-Identifier: MIT
#include "mockresponder.h"

#include "trafficrow.h"

#include <SocketIo/namespace.h>
#include <SocketIo/server.h>
#include <SocketIo/socket.h>

#include <QDateTime>
#include <QTimer>

namespace Inspector {

QString MockFiring::text() const
{
    QString line = MockAction::tr("mock: rule \u2018%1\u2019").arg(ruleName);
    if (!actions.isEmpty())
        line += QStringLiteral(" \u2192 ") + actions.join(QLatin1String("; "));
    return line;
}

MockResponder::MockResponder(SocketIo::Server *server, QObject *parent)
    : QObject(parent)
    , m_server(server)
{
    qRegisterMetaType<Inspector::MockFiring>();
    if (!server)
        return;
    connect(server, &SocketIo::Server::namespaceCreated, this, &MockResponder::watchNamespace);
    // A stand-in backend: clients may connect to the namespaces the rules name. Wildcards other
    // than a bare "*" (any namespace that exists) make matching namespaces dynamic ones.
    server->addDynamicNamespace(
        [guard = QPointer<MockResponder>(this)](const QString &name, const QJsonObject &) {
            if (!guard)
                return false;
            for (const MockRule &rule : std::as_const(guard->m_rules)) {
                if (rule.enabled && rule.nsp != QLatin1String("*")
                    && wildcardExpression(rule.nsp).match(name).hasMatch())
                    return true;
            }
            return false;
        });
    const QList<SocketIo::Namespace *> namespaces = server->namespaces();
    for (SocketIo::Namespace *nsp : namespaces) {
        watchNamespace(nsp);
        const QList<SocketIo::Socket *> sockets = nsp->sockets();
        for (SocketIo::Socket *socket : sockets)
            watchSocket(socket);
    }
}

MockResponder::~MockResponder()
{
    for (const QList<QTimer *> &timers : std::as_const(m_pending))
        qDeleteAll(timers);
}

void MockResponder::setRules(const QList<MockRule> &rules)
{
    m_rules = rules;
    m_hits.clear();
    createNamespaces();
    Q_EMIT rulesChanged();
}

void MockResponder::setRuleEnabled(int index, bool enabled)
{
    if (index < 0 || index >= m_rules.size() || m_rules[index].enabled == enabled)
        return;
    m_rules[index].enabled = enabled;
    createNamespaces();
    Q_EMIT rulesChanged();
}

void MockResponder::setAllEnabled(bool enabled)
{
    for (MockRule &rule : m_rules)
        rule.enabled = enabled;
    createNamespaces();
    Q_EMIT rulesChanged();
}

bool MockResponder::loadFile(const QString &fileName, QString *error)
{
    std::optional<QList<MockRule>> rules = MockRuleFile::load(fileName, error);
    if (!rules)
        return false;
    m_fileName = fileName;
    setRules(*rules);
    return true;
}

bool MockResponder::saveFile(const QString &fileName, QString *error) const
{
    if (!MockRuleFile::save(fileName, m_rules, error))
        return false;
    const_cast<MockResponder *>(this)->m_fileName = fileName;
    return true;
}

void MockResponder::createNamespaces()
{
    if (!m_server)
        return;
    for (const MockRule &rule : std::as_const(m_rules)) {
        if (rule.enabled && !rule.nsp.contains(QLatin1Char('*')) && !rule.nsp.contains(QLatin1Char('?')))
            m_server->of(rule.nsp);
    }
}

QList<int> MockResponder::hitCounts() const
{
    QList<int> hits;
    for (int i = 0; i < m_rules.size(); ++i)
        hits.append(m_hits.value(i));
    return hits;
}

void MockResponder::setHitCounts(const QList<int> &hits)
{
    m_hits.clear();
    for (int i = 0; i < qMin(hits.size(), m_rules.size()); ++i) {
        if (hits.at(i) > 0)
            m_hits.insert(i, hits.at(i));
        Q_EMIT hitCountChanged(i, hits.at(i));
    }
}

void MockResponder::resetHits()
{
    m_hits.clear();
    for (int i = 0; i < m_rules.size(); ++i)
        Q_EMIT hitCountChanged(i, 0);
}

int MockResponder::pendingCount() const
{
    int count = 0;
    for (const QList<QTimer *> &timers : m_pending)
        count += int(timers.size());
    return count;
}

void MockResponder::watchNamespace(SocketIo::Namespace *nsp)
{
    connect(nsp, &SocketIo::Namespace::socketConnected, this, &MockResponder::watchSocket);
}

void MockResponder::watchSocket(SocketIo::Socket *socket)
{
    connect(socket, &SocketIo::Socket::eventReceived, this,
            [this, socket](const QString &event, const QVariantList &args, const SocketIo::Ack &ack) {
                handle(socket, event, args, &ack, false);
            });
    connect(socket, &SocketIo::Socket::disconnecting, this,
            [this, socket](SocketIo::DisconnectReason reason) {
                cancelPending(socket);
                handle(socket, QStringLiteral("disconnect"), { SocketIo::disconnectReasonString(reason) },
                       nullptr, true);
            });
    connect(socket, &SocketIo::Socket::disconnected, this, [this, socket] { cancelPending(socket); });
    handle(socket, QStringLiteral("connection"), { QVariant(socket->handshake().auth.toVariantMap()) },
           nullptr, false);
}

void MockResponder::cancelPending(SocketIo::Socket *socket)
{
    const QList<QTimer *> timers = m_pending.take(socket);
    qDeleteAll(timers);
}

void MockResponder::handle(SocketIo::Socket *socket, const QString &event, const QVariantList &args,
                           const SocketIo::Ack *ack, bool leaving)
{
    if (m_rules.isEmpty())
        return;
    const QString nspName = socket->nsp()->name();
    const Incoming incoming{ event, QJsonArray::fromVariantList(args) };
    for (int index = 0; index < m_rules.size(); ++index) {
        const MockRule rule = m_rules.at(index); // a copy: a slot may change the rules
        if (!rule.enabled || !rule.matches(nspName, event, incoming.args))
            continue;
        const int hits = ++m_hits[index];
        MockFiring firing;
        firing.ruleIndex = index;
        firing.ruleName = rule.displayName(index);
        firing.nsp = nspName;
        firing.socketId = socket->id();
        firing.sessionId = socket->engineSessionId();
        firing.event = event;
        firing.ackId = ack && ack->isRequested() ? ack->id() : -1;
        QList<std::function<void()>> later;
        for (const MockAction &action : rule.actions) {
            const int delay = action.delayMs >= 0 ? action.delayMs : rule.delayMs;
            if (leaving
                && (action.type != MockAction::Type::Emit || action.target == MockAction::Target::Sender)) {
                firing.actions.append(tr("%1 (skipped: the socket is leaving)").arg(action.summary()));
                continue;
            }
            if (delay <= 0 || leaving) {
                firing.actions.append(perform(socket, action, incoming, firing.ruleName, ack));
                continue;
            }
            // Templates are applied when the action runs (socket data set by earlier actions).
            MockAction shown = action;
            shown.args = applyTemplate(action.args, context(socket, incoming, firing.ruleName)).toArray();
            shown.room = applyTemplateText(action.room, context(socket, incoming, firing.ruleName));
            shown.delayMs = -1; // the delay in effect (the action's or the rule's) is said once
            firing.actions.append(tr("%1 after %2 ms").arg(shown.summary()).arg(delay));
            auto *timer = new QTimer;
            timer->setSingleShot(true);
            timer->setInterval(delay);
            const SocketIo::Ack ackCopy = ack ? *ack : SocketIo::Ack();
            QPointer<SocketIo::Socket> guard(socket);
            connect(timer, &QTimer::timeout, this,
                    [this, timer, guard, action, incoming, ackCopy, name = firing.ruleName] {
                        if (guard) {
                            QList<QTimer *> &timers = m_pending[guard.data()];
                            timers.removeOne(timer);
                            if (timers.isEmpty())
                                m_pending.remove(guard.data());
                            perform(guard.data(), action, incoming, name, &ackCopy);
                        }
                        timer->deleteLater();
                    });
            m_pending[socket].append(timer);
            timer->start();
        }
        Q_EMIT hitCountChanged(index, hits);
        Q_EMIT ruleFired(firing);
        if (!rule.continueMatching)
            break;
    }
}

TemplateContext MockResponder::context(SocketIo::Socket *socket, const Incoming &incoming,
                                       const QString &rule) const
{
    TemplateContext context;
    context.args = incoming.args;
    context.event = incoming.event;
    context.nsp = socket->nsp()->name();
    context.socketId = socket->id();
    context.socketData = QJsonObject::fromVariantMap(socket->data());
    context.auth = socket->handshake().auth;
    const auto items = socket->handshake().request.query.queryItems(QUrl::FullyDecoded);
    for (const auto &item : items)
        context.query.insert(item.first, item.second);
    context.rule = rule;
    context.nowMs = QDateTime::currentMSecsSinceEpoch();
    return context;
}

QString MockResponder::perform(SocketIo::Socket *socket, const MockAction &action, const Incoming &incoming,
                               const QString &rule, const SocketIo::Ack *ack)
{
    const TemplateContext ctx = context(socket, incoming, rule);
    MockAction done = action;
    done.delayMs = -1;
    done.args = applyTemplate(action.args, ctx).toArray();
    done.room = applyTemplateText(action.room, ctx);
    const QVariantList args = done.args.toVariantList();
    switch (action.type) {
    case MockAction::Type::Ack:
        if (!ack || !ack->isRequested())
            return tr("%1 (skipped: no ack asked for)").arg(done.summary());
        ack->send(args);
        break;
    case MockAction::Type::Emit:
        switch (action.target) {
        case MockAction::Target::Sender:
            socket->emitEvent(action.event, args);
            break;
        case MockAction::Target::Room:
            if (action.exceptSender)
                socket->to(done.room).emitEvent(action.event, args);
            else
                socket->nsp()->to(done.room).emitEvent(action.event, args);
            break;
        case MockAction::Target::All:
            if (action.exceptSender)
                socket->broadcast().emitEvent(action.event, args);
            else
                socket->nsp()->all().emitEvent(action.event, args);
            break;
        }
        break;
    case MockAction::Type::Join:
        socket->join(done.room);
        break;
    case MockAction::Type::Leave:
        socket->leave(done.room);
        break;
    case MockAction::Type::SetData: {
        done.data = applyTemplate(action.data, ctx).toObject();
        QVariantMap data = socket->data();
        const QVariantMap update = done.data.toVariantMap();
        for (auto it = update.begin(); it != update.end(); ++it)
            data.insert(it.key(), it.value());
        socket->setData(data);
        break;
    }
    }
    return done.summary();
}

} // namespace Inspector
