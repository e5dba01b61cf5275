// SPDX-License-Identifier: MIT
#pragma once

#include "flowdiff.h"
#include "flowrecorder.h"
#include "flowreplayer.h"

#include <SocketIo/client.h>

#include <QObject>
#include <QSocketNotifier>
#include <QUrl>

#include <cstdio>
#include <memory>

namespace Inspector {

class HeadlessPrinter;

// The command line's record and replay (app/main.cpp, docs/record-replay.md).

// --replay FILE --connect URL: replays, prints the differences (one line each, or JSON) on
// stdout and a summary on stderr; done() carries the exit code: 0 no difference, 1 differences,
// 2 the replay could not run (bad file, cannot connect).
class HeadlessReplay : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        QString file;
        QString source; // which client's rows of an exported log
        QUrl url; // empty: the recording's
        FlowReplayOptions replay;
        FlowDiffOptions diff;
        bool json = false; // print the diff's JSON form
    };
    HeadlessReplay(const Options &options, HeadlessPrinter *traffic, QObject *parent = nullptr);
    ~HeadlessReplay() override;

    // False when it cannot start (the error is printed; exit code 2).
    bool start();

Q_SIGNALS:
    void done(int exitCode);

private:
    void onFinished(bool ok);

    Options m_options;
    HeadlessPrinter *m_traffic;
    std::unique_ptr<FlowReplayer> m_replayer;
};

// --connect URL (headless): a client connection to the URL's namespace whose traffic is printed,
// recorded to a file with --record FILE, and driven by --client-script FILE ("-": stdin), JSON
// Lines of commands as socketio-client --json takes them:
//   {"cmd":"emit","nsp":"/","event":"order","args":[1,{"$binary":"AQI="}],"ack":true,"timeoutMs":5000}
//   {"cmd":"connect","nsp":"/admin","auth":{"token":"x"}}   {"cmd":"ack","ackId":3,"args":[]}
//   {"cmd":"disconnect","nsp":"/admin"}   {"cmd":"close"}   (close ends the program, exit 0)
// One command at a time: an emit that asks for an ack waits for the reply (or its timeout).
class HeadlessClient : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        QUrl url; // its path names the namespace ("/" when empty)
        SocketIo::ManagerOptions manager;
        QJsonValue auth;
        QString recordFile;
        QString scriptFile;
        QString source = QStringLiteral("client");
    };
    HeadlessClient(const Options &options, HeadlessPrinter *traffic, QObject *parent = nullptr);
    ~HeadlessClient() override;

    // False when the record or script file cannot be opened (the error is printed).
    bool start();
    // Stops recording and closes the file (the recording is complete); disconnects.
    void stop();

Q_SIGNALS:
    void done(int exitCode);

private:
    void readScript();
    void runCommands();
    void error(const QString &message);

    Options m_options;
    HeadlessPrinter *m_traffic;
    std::unique_ptr<SocketIo::Manager> m_manager;
    FlowRecorder *m_recorder;
    int m_scriptFd = -1;
    bool m_ownScriptFd = false;
    std::unique_ptr<QSocketNotifier> m_scriptNotifier;
    QByteArray m_scriptBuffer;
    QList<QByteArray> m_commands;
    bool m_waiting = false;
};

// SIGINT and SIGTERM quit the application's event loop (so the code after exec() closes files)
// instead of killing the process. Idempotent.
void quitOnTerminationSignals();

} // namespace Inspector
