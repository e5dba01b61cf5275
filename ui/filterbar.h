// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

QT_BEGIN_NAMESPACE
class QAction;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QToolButton;
QT_END_NAMESPACE

namespace Inspector {

class ServerTreeModel;
class TrafficFilterProxy;

// The traffic log's filter controls, bound to a TrafficFilterProxy: namespace, the scope picked in
// the tree (socket, room or client, with a button to clear it), direction, packet types, control
// frames, event include/exclude, free text or regex, and "N of M".
class TrafficFilterBar : public QWidget
{
    Q_OBJECT
public:
    TrafficFilterBar(TrafficFilterProxy *proxy, ServerTreeModel *tree, QWidget *parent = nullptr);

    // The tree's selection as a filter; what it shows in the scope label.
    void setScopeSocket(const QString &nsp, const QString &socketId, const QString &sessionId);
    void setScopeRoom(const QString &nsp, const QString &room);
    void setScopeSession(const QString &sessionId);
    void setScopeNamespace(const QString &nsp);
    // Only the packets of one source (a client connection), optionally of one namespace.
    void setScopeSource(const QString &source, const QString &nsp = {});
    void clearScope();
    void updateRoomMembers();

    QComboBox *namespaceCombo() const { return m_nsp; }
    QComboBox *directionCombo() const { return m_direction; }
    QCheckBox *controlCheck() const { return m_control; }
    QLineEdit *includeEdit() const { return m_include; }
    QLineEdit *excludeEdit() const { return m_exclude; }
    QLineEdit *searchEdit() const { return m_search; }
    QCheckBox *regexCheck() const { return m_regex; }
    QLabel *countLabel() const { return m_count; }
    QLabel *scopeLabel() const { return m_scope; }

public Q_SLOTS:
    void refreshNamespaces();
    void updateCount();
    void resetAll();

private:
    void applyText();
    void applyKinds();

    TrafficFilterProxy *m_proxy;
    ServerTreeModel *m_tree;
    QComboBox *m_nsp;
    QLabel *m_scope;
    QToolButton *m_clearScope;
    QComboBox *m_direction;
    QToolButton *m_types;
    QList<QAction *> m_typeActions;
    QCheckBox *m_control;
    QLineEdit *m_include;
    QLineEdit *m_exclude;
    QLineEdit *m_search;
    QCheckBox *m_regex;
    QLabel *m_count;
    QString m_scopeNsp;
    QString m_scopeRoom;
};

} // namespace Inspector
