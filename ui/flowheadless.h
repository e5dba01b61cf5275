// SPDX-License-Identifier: MIT
#pragma once

#include "flowdiff.h"
#include "flowreplayer.h"

#include <QObject>
#include <QUrl>

#include <memory>

namespace Inspector {

class HeadlessPrinter;

// The command line's replay (app/main.cpp, docs/record-replay.md); --record runs on the
// headless client connections (HeadlessClients::record(), clientcommandline.h).

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

// SIGINT and SIGTERM quit the application's event loop (so the code after exec() closes files)
// instead of killing the process. Idempotent.
void quitOnTerminationSignals();

} // namespace Inspector
