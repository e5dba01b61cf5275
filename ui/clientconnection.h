// SPDX-License-Identifier: MIT
#pragma once

#include "trafficrow.h"

#include <SocketIo/client.h>

#include <QHash>
#include <QList>
#include <QObject>
#include <QPair>
#include <QPointer>
#include <QUrl>
#include <QVariant>

#include <deque>
#include <optional>

namespace Inspector {

class FlowRecorder;

// One namespace a client connection joins, with the auth payload of its CONNECT packet (JSON
// text of an object; empty: none).
struct ClientNamespaceOptions
{
    QString nsp = QStringLiteral("/");
    QString auth;
};

// Everything a client connection is made of, as a value: what the "New client connection"
// dialog edits, the command line builds and saved connections keep (QSettings).
struct ClientConnectionOptions
{
    Q_DECLARE_TR_FUNCTIONS(Inspector::ClientConnectionOptions)

public:
    QString name; // "client 1" when empty
    QUrl url; // the server's origin: http(s)://host:port (a path is ignored, see path)
    QString path = QStringLiteral("/socket.io/"); // the server's Engine.IO path
    QList<ClientNamespaceOptions> namespaces; // connected at open(); "/" when empty
    QList<QPair<QByteArray, QByteArray>> headers; // extra HTTP headers
    QString query; // "a=1&b=2", added to every request
    SocketIo::Transports transports = SocketIo::Transport::Polling | SocketIo::Transport::WebSocket;
    bool eio3 = false; // Engine.IO v3: socket.io 2.x servers
    QString caFile; // PEM certificates to trust for https/wss
    bool reconnection = true;
    int reconnectionAttempts = -1; // -1: unlimited
    int reconnectionDelayMs = 1000;
    int reconnectionDelayMaxMs = 5000;
    int timeoutMs = 20000;
    // Listeners: events whose latest arguments are shown; the event list may show only those.
    QStringList pinned;
    bool onlyPinned = false;
    // Server-initiated acks: the reply for an event (JSON text: an array of arguments, or one
    // value). "*" is the reply of any other event; without one, the ack is answered empty.
    QHash<QString, QString> ackReplies;

    SocketIo::ManagerOptions managerOptions() const;
    QVariantMap toVariant() const;
    static ClientConnectionOptions fromVariant(const QVariantMap &map);
    // An empty string when the options can be used, else what is wrong (translated).
    QString validate() const;
    // "Name: value" -> header; false when there is no colon or no name.
    static bool parseHeader(const QString &text, QPair<QByteArray, QByteArray> *header);
    // The transports from "polling", "websocket", "polling,websocket" (or "both"); nullopt when
    // the text names none or something else.
    static std::optional<SocketIo::Transports> parseTransports(const QString &text);
    static QString transportsText(SocketIo::Transports transports);
    // "/chat" from http://host:3000/chat (the namespace of a --connect URL; "/" without a path).
    static QString namespaceOfUrl(const QUrl &url);
    // The URL without path, query and fragment: what identifies one Engine.IO server.
    static QUrl originOf(const QUrl &url);
};

// JSON text as the library takes arguments (objects keep their key order); a top-level
// {"$binary":"<base64>"} becomes binary data. nullopt when it is not valid JSON.
std::optional<QVariant> parseClientJson(const QString &text);
// A reply text (JSON array of arguments, or one value) as arguments; nullopt when invalid.
std::optional<QVariantList> parseClientReply(const QString &text);

// One interactive Socket.IO client of the inspector: a SocketIo::Manager for one server with one
// ClientSocket per namespace. Its packets become TrafficRows (source = name(), clientSide =
// true) through rowObserved(); incoming events are kept (a bounded list) and the latest arguments
// of pinned events are shown; acks the server asks for are always answered (ackReplies, else
// empty) so that no server waits for a client that cannot answer.
class ClientConnection : public QObject
{
    Q_OBJECT
public:
    enum class State { Disconnected, Connecting, Connected, Reconnecting };
    Q_ENUM(State)

    struct NamespaceInfo
    {
        QString nsp;
        QString socketId; // empty while not connected
        bool connected = false;
        bool active = false; // wants to be connected
        QString lastError; // the last connect_error message
        QString lastReason; // the last disconnect reason
    };
    struct EventEntry
    {
        qint64 timestampMs = 0;
        QString nsp;
        QString event;
        QVariantList args;
        bool outgoing = false; // sent by this client (the composer, a script)
        qint64 ackId = -1; // the server asked for an ack (answered automatically)
        QVariantList ackReply; // what this client answered (ackId >= 0)
    };
    struct PinnedValue
    {
        QString event;
        QString nsp;
        QVariantList args;
        qint64 timestampMs = 0;
        int count = 0; // how often it arrived since pinned
    };

    explicit ClientConnection(const ClientConnectionOptions &options, QObject *parent = nullptr);
    ~ClientConnection() override;

    QString name() const { return m_options.name; }
    ClientConnectionOptions options() const;
    SocketIo::Manager *manager() const { return m_manager; }

    State state() const { return m_state; }
    int reconnectAttempt() const { return m_attempt; }
    // "connected", "reconnecting (attempt 3)", ...
    QString stateText() const;
    SocketIo::Transport transport() const;
    QString engineId() const;
    QString lastError() const { return m_lastError; }
    // The server gave up on us or we on it: reconnection attempts exhausted.
    bool hasGivenUp() const { return m_gaveUp; }

    QStringList namespaces() const; // in the order they were added
    NamespaceInfo namespaceInfo(const QString &nsp) const;
    SocketIo::ClientSocket *socket(const QString &nsp) const;

    // Ping figures. Engine.IO v4: the server pings the client, so the only round trip a client
    // can measure is the upgrade probe's (ping "probe" -> pong "probe"); lastServerPingMs() tells
    // when the server last pinged (proof it is alive). Engine.IO v3: the client pings, and
    // roundTripMs() is the latest ping -> pong round trip. -1: not known (yet).
    qint64 probeRoundTripMs() const { return m_probeRtt; }
    qint64 roundTripMs() const { return m_rtt; }
    qint64 lastServerPingMs() const { return m_lastServerPing; }
    qint64 pingIntervalMs() const { return m_pingInterval; }
    // One line for the tree: "RTT 3 ms" (v3) or "probe 3 ms · ping 4 s ago" (v4).
    QString pingText() const;

    // Opens every namespace of the options (and the connection).
    void open();
    // Connects one more namespace (auth: JSON text of an object, or empty); false with
    // lastError() when the namespace or the auth is invalid.
    bool connectNamespace(const QString &nsp, const QString &auth = {});
    void disconnectNamespace(const QString &nsp);
    // Closes the connection and opens it again with every namespace.
    void reconnect();
    // Closes the connection ("io client disconnect"); no reconnection until open().
    void disconnectFromServer();

    // Emits from namespace nsp (false when it is unknown or the event name is reserved).
    bool emitEvent(const QString &nsp, const QString &event, const QVariantList &args);
    bool emitEvent(const QString &nsp, const QString &event, const QVariantList &args, QObject *context,
                   SocketIo::AckCallback callback, std::chrono::milliseconds timeout);

    // Listeners
    QStringList pinnedEvents() const { return m_options.pinned; }
    void pinEvent(const QString &event);
    void unpinEvent(const QString &event);
    // The latest arguments of a pinned event (nullopt while it has not arrived).
    std::optional<PinnedValue> pinnedValue(const QString &event) const;
    bool onlyPinned() const { return m_options.onlyPinned; }
    void setOnlyPinned(bool on);
    // Incoming events (and this client's emits), oldest first, at most maxEvents(); with
    // onlyPinned() only the pinned ones.
    QList<EventEntry> events() const;
    static int maxEvents() { return 500; }
    void clearEvents();

    // Recording (docs/record-replay.md): everything this connection sends and receives, from
    // now on, into fileName (a recording file FlowReplayer and --replay read). False with
    // lastError() when the file cannot be written. One recording at a time; stopRecording()
    // closes the file (also done when the connection goes).
    bool startRecording(const QString &fileName);
    void stopRecording();
    bool isRecording() const;
    QString recordingFile() const;

    // Server-initiated acks
    QHash<QString, QString> ackReplies() const { return m_options.ackReplies; }
    // Sets (or with an empty text removes) the fixed reply for event; false when invalid JSON.
    bool setAckReply(const QString &event, const QString &json);

Q_SIGNALS:
    // State, transport, sid, a namespace or a ping figure changed.
    void changed();
    // Namespaces were added.
    void namespacesChanged();
    void pinnedChanged();
    void ackRepliesChanged();
    void eventsChanged();
    void recordingChanged(bool recording);
    // Every packet, as a row of the traffic log (source and clientSide set).
    void rowObserved(const Inspector::TrafficRow &row);
    // A state change worth a line in a log: "connected (sid ...)", "/chat disconnected (...)".
    void noteAdded(const QString &text);
    // The server asked for an ack and got reply.
    void ackAnswered(const QString &nsp, const QString &event, qint64 ackId, const QVariantList &reply);
    // Reconnection attempts exhausted (or no reconnection after a failure): given up.
    void gaveUp();

private:
    SocketIo::ClientSocket *addSocket(const QString &nsp, const QString &auth);
    void onTraffic(const SocketIo::TrafficEvent &event);
    void onEvent(const QString &nsp, const QString &event, const QVariantList &args, qint64 ackId);
    void addEvent(const EventEntry &entry);
    void setState(State state);
    void note(const QString &text);
    void updateState();

    ClientConnectionOptions m_options;
    SocketIo::Manager *m_manager = nullptr;
    FlowRecorder *m_recorder = nullptr; // startRecording()
    QStringList m_order;
    QHash<QString, NamespaceInfo> m_info;
    State m_state = State::Disconnected;
    int m_attempt = 0;
    bool m_started = false;
    bool m_lost = false;
    bool m_gaveUp = false;
    QString m_lastError;
    std::deque<EventEntry> m_events;
    QHash<QString, PinnedValue> m_pinned;
    qint64 m_probeSent = -1;
    qint64 m_probeRtt = -1;
    qint64 m_pingSent = -1;
    qint64 m_rtt = -1;
    qint64 m_lastServerPing = -1;
    qint64 m_pingInterval = -1;
};

// The client connections of a window (or of a headless run): creates, names ("client N") and
// owns them; saved connections live in QSettings ("clients/saved").
class ClientConnectionList : public QObject
{
    Q_OBJECT
public:
    explicit ClientConnectionList(QObject *parent = nullptr);
    ~ClientConnectionList() override;

    // A new connection (named "client N" when options.name is empty or taken); not opened.
    ClientConnection *add(ClientConnectionOptions options);
    // Closes and deletes it (removed() first).
    void remove(ClientConnection *connection);
    QList<ClientConnection *> connections() const { return m_connections; }
    ClientConnection *find(const QString &name) const;
    QString uniqueName(const QString &wanted) const;

    static QList<ClientConnectionOptions> savedConnections();
    // Keeps options under options.name (replacing one of that name).
    static void saveConnection(const ClientConnectionOptions &options);
    static void removeSavedConnection(const QString &name);

Q_SIGNALS:
    void added(Inspector::ClientConnection *connection);
    void removed(Inspector::ClientConnection *connection);
    // Every row of every connection (forward to TrafficModel::addRow or HeadlessPrinter).
    void rowObserved(const Inspector::TrafficRow &row);

private:
    QList<ClientConnection *> m_connections;
    int m_counter = 0;
};

} // namespace Inspector
