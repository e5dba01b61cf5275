// SPDX-License-Identifier: MIT
#pragma once

#include <QSet>
#include <QStringList>

#include <algorithm>

namespace SocketIo {

// The rooms of one socket: a set of strings that is small and cheap while it holds a few entries
// (almost every socket is in its own id room and one or two more) and stays amortised O(1) per
// insert, remove and lookup when it grows. Up to SmallLimit entries live in a flat list (a
// one-entry QSet costs a kilobyte or more, and idle memory per client is a benchmarked figure);
// past it they move to a QSet, and back to the list once the set is empty.
class RoomSet
{
public:
    static constexpr qsizetype SmallLimit = 8;

    qsizetype size() const { return m_large.isEmpty() ? m_small.size() : m_large.size(); }
    bool isEmpty() const { return size() == 0; }
    bool contains(const QString &room) const
    {
        return m_large.isEmpty() ? m_small.contains(room) : m_large.contains(room);
    }

    // Returns whether room was added (false: it was there).
    bool insert(const QString &room)
    {
        if (!m_large.isEmpty()) {
            const qsizetype before = m_large.size();
            m_large.insert(room);
            return m_large.size() != before;
        }
        if (m_small.contains(room))
            return false;
        if (m_small.size() < SmallLimit) {
            m_small.append(room);
            return true;
        }
        m_large = QSet<QString>(m_small.cbegin(), m_small.cend());
        m_large.insert(room);
        m_small = QStringList();
        return true;
    }

    // Returns whether room was there.
    bool remove(const QString &room)
    {
        if (m_large.isEmpty())
            return m_small.removeOne(room);
        if (!m_large.remove(room))
            return false;
        if (m_large.isEmpty())
            m_large = QSet<QString>(); // give the buckets back
        return true;
    }

    void clear()
    {
        m_small = QStringList();
        m_large = QSet<QString>();
    }

    template<typename F> void forEach(F f) const
    {
        if (m_large.isEmpty()) {
            for (const QString &room : m_small)
                f(room);
        } else {
            for (const QString &room : m_large)
                f(room);
        }
    }

    QSet<QString> toSet() const
    {
        return m_large.isEmpty() ? QSet<QString>(m_small.cbegin(), m_small.cend()) : m_large;
    }
    QStringList toList() const
    {
        return m_large.isEmpty() ? m_small : QStringList(m_large.cbegin(), m_large.cend());
    }

private:
    QStringList m_small; // while size() <= SmallLimit
    QSet<QString> m_large; // past it (a default QSet is one null pointer)
};

} // namespace SocketIo
