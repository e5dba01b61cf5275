// SPDX-License-Identifier: MIT
#include "replaydialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace Inspector {

ReplayDialog::ReplayDialog(QWidget *parent)
    : QDialog(parent)
    , m_file(new QLineEdit(this))
    , m_url(new QLineEdit(this))
    , m_timing(new QComboBox(this))
    , m_ignore(new QPlainTextEdit(this))
    , m_run(new QPushButton(tr("&Replay"), this))
    , m_status(new QLabel(this))
    , m_table(new QTableWidget(0, 5, this))
{
    setWindowTitle(tr("Replay recording"));
    m_file->setPlaceholderText(tr("A recording (.jsonl) or a JSON Lines export of one client"));
    m_url->setPlaceholderText(tr("http://localhost:3000 (empty: the recording's)"));
    m_timing->addItem(tr("As fast as the acks allow"), int(FlowReplayTiming::Fast));
    m_timing->addItem(tr("With the recorded timing"), int(FlowReplayTiming::Recorded));
    m_ignore->setPlaceholderText(
        tr("JSON paths to ignore, one a line: order.args[0].id, *.args[1].updatedAt"));
    m_ignore->setToolTip(
        tr("Ids and timestamps (id, sid, socketId, timestamp, time, ts, createdAt, updatedAt, "
           "date) and the socket's own ids are always ignored."));
    m_ignore->setFixedHeight(m_ignore->fontMetrics().lineSpacing() * 4);

    auto *browseButton = new QPushButton(tr("&Browse\u2026"), this);
    connect(browseButton, &QPushButton::clicked, this, &ReplayDialog::browse);
    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_file, 1);
    fileRow->addWidget(browseButton);

    auto *form = new QFormLayout;
    form->addRow(tr("Recording:"), fileRow);
    form->addRow(tr("Server URL:"), m_url);
    form->addRow(tr("Timing:"), m_timing);
    form->addRow(tr("Ignore:"), m_ignore);

    m_table->setHorizontalHeaderLabels(
        { tr("Kind"), tr("Event"), tr("Path"), tr("Recorded"), tr("Replayed") });
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setMinimumSectionSize(60);
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);

    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_run, QDialogButtonBox::ActionRole);
    m_run->setDefault(true);
    connect(m_run, &QPushButton::clicked, this, &ReplayDialog::startReplay);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_status);
    layout->addWidget(m_table, 1);
    layout->addWidget(buttons);
    resize(900, 560);
}

ReplayDialog::~ReplayDialog() = default;

void ReplayDialog::setFile(const QString &fileName)
{
    m_file->setText(fileName);
}

void ReplayDialog::setUrl(const QString &url)
{
    m_url->setText(url);
}

void ReplayDialog::setIgnorePaths(const QStringList &paths)
{
    m_ignore->setPlainText(paths.join(QLatin1Char('\n')));
}

void ReplayDialog::setTiming(FlowReplayTiming timing)
{
    m_timing->setCurrentIndex(m_timing->findData(int(timing)));
}

bool ReplayDialog::isRunning() const
{
    return m_replayer && !m_replayer->isFinished();
}

void ReplayDialog::browse()
{
    const QString file = QFileDialog::getOpenFileName(this, tr("Replay recording"), m_file->text(),
                                                      tr("Recordings (*.jsonl *.json);;All files (*)"));
    if (file.isEmpty())
        return;
    m_file->setText(file);
    QString error;
    if (const auto recording = FlowRecording::load(file, &error); !recording)
        m_status->setText(tr("Cannot replay: %1").arg(error));
    else if (m_url->text().trimmed().isEmpty())
        m_url->setText(recording->url.toString());
}

bool ReplayDialog::startReplay()
{
    if (isRunning())
        return false;
    const auto fail = [this](const QString &why) {
        m_status->setText(why);
        return false;
    };
    QString error;
    const auto recording = FlowRecording::load(m_file->text(), &error);
    if (!recording)
        return fail(tr("Cannot replay: %1").arg(error));
    const QStringList ignore = m_ignore->toPlainText().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    for (const QString &path : ignore) {
        if (!FlowDiff::isValidIgnorePath(path.trimmed(), &error))
            return fail(tr("Ignore path \u201c%1\u201d: %2").arg(path.trimmed(), error));
    }
    const QUrl url = m_url->text().trimmed().isEmpty() ? recording->url : QUrl(m_url->text().trimmed());
    FlowReplayOptions options;
    options.timing = FlowReplayTiming(m_timing->currentData().toInt());
    m_table->setRowCount(0);
    m_replayer = std::make_unique<FlowReplayer>(*recording, url, options);
    connect(m_replayer.get(), &FlowReplayer::rowObserved, this, &ReplayDialog::rowObserved);
    connect(m_replayer.get(), &FlowReplayer::progressed, this, [this](int sent, int total) {
        m_status->setText(tr("Replaying: %1 of %2 emits sent\u2026").arg(sent).arg(total));
    });
    connect(m_replayer.get(), &FlowReplayer::finished, this, &ReplayDialog::onFinished);
    m_run->setEnabled(false);
    m_status->setText(tr("Connecting to %1\u2026").arg(url.toString()));
    m_replayer->start();
    return true;
}

void ReplayDialog::onFinished(bool ok)
{
    m_run->setEnabled(true);
    if (!ok) {
        m_status->setText(tr("The replay could not run: %1").arg(m_replayer->errorString()));
        Q_EMIT replayFinished(false);
        return;
    }
    FlowDiff::Options options;
    for (const QString &path : m_ignore->toPlainText().split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        options.ignorePaths.append(path.trimmed());
    m_diff = m_replayer->diff(options);
    showDiff();
    Q_EMIT replayFinished(true);
}

void ReplayDialog::showDiff()
{
    const QList<FlowDifference> &list = m_diff.differences();
    m_status->setText(list.isEmpty()
                          ? tr("No differences: %1 emits replayed, %2 items received as recorded.")
                                .arg(m_replayer->emitsSent())
                                .arg(m_diff.recordedCount())
                          : tr("%n difference(s): %1 emits replayed; recorded %2 items, replayed %3.",
                               nullptr, int(list.size()))
                                .arg(m_replayer->emitsSent())
                                .arg(m_diff.recordedCount())
                                .arg(m_diff.replayedCount()));
    m_table->setRowCount(int(list.size()));
    for (int i = 0; i < list.size(); ++i) {
        const FlowDifference &d = list.at(i);
        QString kind;
        switch (d.kind) {
        case FlowDifference::Kind::Missing:
            kind = tr("missing");
            break;
        case FlowDifference::Kind::Extra:
            kind = tr("extra");
            break;
        case FlowDifference::Kind::Changed:
            kind = tr("changed");
            break;
        case FlowDifference::Kind::Order:
            kind = tr("order");
            break;
        }
        QString path = d.path;
        QString recorded = d.recorded.isUndefined() ? QString() : formatDiffValue(d.recorded);
        QString replayed = d.replayed.isUndefined() ? QString() : formatDiffValue(d.replayed);
        if (d.kind == FlowDifference::Kind::Order) {
            recorded = d.nowBefore ? tr("after %1").arg(d.relativeTo) : tr("before %1").arg(d.relativeTo);
            replayed = d.nowBefore ? tr("before %1").arg(d.relativeTo) : tr("after %1").arg(d.relativeTo);
        }
        const QStringList cells{ kind, d.itemLabel(), path, recorded, replayed };
        for (int c = 0; c < cells.size(); ++c) {
            auto *item = new QTableWidgetItem(cells.at(c));
            item->setToolTip(d.toText());
            m_table->setItem(i, c, item);
        }
    }
    m_table->resizeColumnsToContents();
    m_table->horizontalHeader()->setStretchLastSection(true);
}

} // namespace Inspector
