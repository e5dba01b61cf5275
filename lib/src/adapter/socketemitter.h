// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/arguments.h"

#include <SocketIo/adapter.h>

#include <QHash>
#include <QList>

namespace SocketIo {

class RecoveryStore;

// What an adapter sees of its namespace (socketioxide's SocketEmitter): the namespace's sockets
// and a way to deliver one packet, encoded once, to some of them. The socketio layer implements
// it (NamespacePrivate); adapters use it and the public Socket API (id(), rooms(), data(),
// handshake(), join(), leave(), disconnect()), never the namespace's or the sockets' internals.
// Everything runs in the server's thread.
class SocketEmitter
{
public:
    virtual ~SocketEmitter() = default;

    // The namespace's sockets by id. A socket that is leaving may still be listed: check
    // Socket::isConnected(). Valid until the namespace changes (a socket connects or leaves).
    virtual const QHash<QString, Socket *> &emitterSockets() const = 0;
    // Encodes packet once and writes it to each of targets (connected sockets of this
    // namespace); with ack set, each target is asked for an acknowledgement that ends in ack.
    virtual void deliver(const QList<Socket *> &targets, const EventPacket &packet, bool isVolatile,
                         Adapter::ClientAckCallback ack = {}) = 0;
    // The same for a packet encoded already in format (without ack): packet is what handlers of
    // outgoing events see, and what is encoded again for a target that speaks another format
    // (an Engine.IO v3 client of a msgpack server).
    virtual void deliverEncoded(const QList<Socket *> &targets, const EventPacket &packet,
                                const Arguments::Encoded &encoded, Arguments::Format format,
                                bool isVolatile) = 0;
    // Connection state recovery's store when it is on for this namespace, else null (the only
    // cost of the feature when it is off). An adapter that stores a broadcast appends
    // nextOffset() to its arguments and the encoded packet to the store, then delivers it.
    virtual RecoveryStore *recoveryStore() const = 0;
    // The format the store's packets are encoded in: the server's parser (the clients that can
    // recover are Engine.IO v4 ones).
    virtual Arguments::Format storeFormat() const = 0;
};

// The emitter of nsp (owned by nsp, valid as long as it); null for a null nsp. Library-internal.
SocketEmitter *socketEmitter(Namespace *nsp);

} // namespace SocketIo
