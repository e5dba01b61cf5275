// SPDX-License-Identifier: MIT
// A small Widgets chat client for examples/chat (socketio-chat), on the library's Qt client:
//   socketio-chat --port 3000 &   socketio-qt-chat http://localhost:3000/chat Alice
#include <SocketIo/client.h>

#include <QApplication>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>
#include <QWidget>

using namespace SocketIo;
using namespace std::chrono_literals;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    const QUrl url(args.value(1, QStringLiteral("http://localhost:3000/chat")));
    const QString name = args.value(2, QStringLiteral("Qt user"));

    QWidget window;
    window.setWindowTitle(QStringLiteral("Socket.IO chat - %1").arg(name));
    auto *layout = new QVBoxLayout(&window);
    auto *log = new QListWidget;
    auto *input = new QLineEdit;
    auto *send = new QPushButton(QStringLiteral("Send"));
    input->setPlaceholderText(QStringLiteral("Message"));
    layout->addWidget(log);
    auto *row = new QHBoxLayout;
    row->addWidget(input);
    row->addWidget(send);
    layout->addLayout(row);
    input->setEnabled(false);
    send->setEnabled(false);

    Manager manager(url);
    // As socket.io-client's io(url): the URL's path names the namespace (examples/chat serves
    // "/chat"); the Manager itself ignores it.
    ClientSocket *socket = manager.socket(url.path().isEmpty() ? QStringLiteral("/") : url.path());
    auto say = [log](const QString &line) {
        log->addItem(line);
        log->scrollToBottom();
    };
    QObject::connect(socket, &ClientSocket::connected, &window, [=] {
        say(QStringLiteral("* connected"));
        input->setEnabled(true);
        send->setEnabled(true);
        socket->emitEvent(
            QStringLiteral("hello"), { name }, log,
            [say](AckStatus status, const QVariantList &reply) {
                if (status == AckStatus::Received)
                    say(QStringLiteral("* server: %1").arg(reply.value(0).toString()));
            },
            5000ms);
    });
    QObject::connect(socket, &ClientSocket::disconnected, &window, [=](const QString &reason) {
        say(QStringLiteral("* disconnected (%1)").arg(reason));
        input->setEnabled(false);
        send->setEnabled(false);
    });
    QObject::connect(socket, &ClientSocket::connectErrorOccurred, &window, [=](const QString &message) {
        say(QStringLiteral("* cannot connect: %1").arg(message));
    });
    QObject::connect(&manager, &Manager::reconnectAttempted, &window,
                     [=](int attempt) { say(QStringLiteral("* reconnecting (%1)").arg(attempt)); });
    socket->on(QStringLiteral("chat"), log, [=](const QVariantList &a, const ClientAck &) {
        say(QStringLiteral("%1: %2").arg(a.value(0).toString(), a.value(1).toString()));
    });
    socket->on(QStringLiteral("joined"), log, [=](const QVariantList &a, const ClientAck &) {
        say(QStringLiteral("* %1 joined").arg(a.value(0).toString()));
    });
    socket->on(QStringLiteral("left"), log, [=](const QVariantList &a, const ClientAck &) {
        say(QStringLiteral("* %1 left").arg(a.value(0).toString()));
    });

    auto sendMessage = [=] {
        if (input->text().isEmpty())
            return;
        socket->emitEvent(QStringLiteral("chat"), { input->text() });
        input->clear();
    };
    QObject::connect(send, &QPushButton::clicked, &window, sendMessage);
    QObject::connect(input, &QLineEdit::returnPressed, &window, sendMessage);

    socket->open();
    window.resize(480, 360);
    window.show();
    return app.exec();
}
