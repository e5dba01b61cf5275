// SPDX-License-Identifier: MIT
#include "flowheadless.h"

#include "headlessprinter.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QSocketNotifier>

#include <csignal>
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

namespace Inspector {

namespace {

void printLine(FILE *out, const QString &text)
{
    const QByteArray line = text.toUtf8() + '\n';
    std::fwrite(line.constData(), 1, size_t(line.size()), out);
    std::fflush(out);
}

int signalFds[2] = { -1, -1 };

void onSignal(int)
{
    const char c = 1;
    [[maybe_unused]] const auto written = ::write(signalFds[0], &c, 1);
}

} // namespace

void quitOnTerminationSignals()
{
    if (signalFds[0] >= 0)
        return;
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, signalFds) != 0)
        return;
    auto *notifier = new QSocketNotifier(signalFds[1], QSocketNotifier::Read, QCoreApplication::instance());
    QObject::connect(notifier, &QSocketNotifier::activated, notifier, [] {
        char c;
        [[maybe_unused]] const auto got = ::read(signalFds[1], &c, 1);
        QCoreApplication::quit();
    });
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

// --- replay ---------------------------------------------------------------------------------

HeadlessReplay::HeadlessReplay(const Options &options, HeadlessPrinter *traffic, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_traffic(traffic)
{ }

HeadlessReplay::~HeadlessReplay() = default;

bool HeadlessReplay::start()
{
    for (const QString &pattern : std::as_const(m_options.diff.ignorePaths)) {
        QString why;
        if (!FlowDiff::isValidIgnorePath(pattern, &why)) {
            printLine(stderr, tr("socketio-inspector: --ignore %1: %2").arg(pattern, why));
            return false;
        }
    }
    QString error;
    const std::optional<FlowRecording> recording =
        FlowRecording::load(m_options.file, &error, m_options.source);
    if (!recording) {
        printLine(stderr, tr("socketio-inspector: %1: %2").arg(m_options.file, error));
        return false;
    }
    const QUrl url = m_options.url.isEmpty() ? recording->url : m_options.url;
    m_replayer = std::make_unique<FlowReplayer>(*recording, url, m_options.replay);
    if (m_traffic)
        connect(m_replayer.get(), &FlowReplayer::rowObserved, m_traffic, &HeadlessPrinter::printRow);
    connect(m_replayer.get(), &FlowReplayer::finished, this, &HeadlessReplay::onFinished);
    printLine(stderr,
              tr("Replaying %1 (%n emit(s)) against %2", nullptr, int(recording->emits().size()))
                  .arg(m_options.file, url.toString()));
    m_replayer->start();
    return true;
}

void HeadlessReplay::onFinished(bool ok)
{
    if (!ok) {
        printLine(stderr, tr("socketio-inspector: %1").arg(m_replayer->errorString()));
        Q_EMIT done(2);
        return;
    }
    const FlowDiff diff = m_replayer->diff(m_options.diff);
    if (m_options.json)
        printLine(stdout,
                  QString::fromUtf8(QJsonDocument(diff.toJson()).toJson(QJsonDocument::Indented)).trimmed());
    else if (!diff.isEmpty())
        std::fputs(diff.toText().toUtf8().constData(), stdout);
    std::fflush(stdout);
    printLine(stderr,
              diff.isEmpty() ? tr("No differences (%1 emits replayed, %2 items received as recorded).")
                                   .arg(m_replayer->emitsSent())
                                   .arg(diff.recordedCount())
                             : tr("%n difference(s) (%1 emits replayed; recorded %2 items, replayed %3).",
                                  nullptr, int(diff.differences().size()))
                                   .arg(m_replayer->emitsSent())
                                   .arg(diff.recordedCount())
                                   .arg(diff.replayedCount()));
    Q_EMIT done(diff.isEmpty() ? 0 : 1);
}

} // namespace Inspector
