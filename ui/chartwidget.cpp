// SPDX-License-Identifier: MIT
#include "chartwidget.h"

#include <QLocale>
#include <QPainter>
#include <QPainterPath>

#include <cmath>

namespace Inspector {

ChartWidget::ChartWidget(const QString &title, QWidget *parent)
    : QWidget(parent)
    , m_title(title)
{
    setAttribute(Qt::WA_OpaquePaintEvent);
}

void ChartWidget::setTitle(const QString &title)
{
    m_title = title;
    update();
}

void ChartWidget::setUnit(Unit unit)
{
    m_unit = unit;
    update();
}

void ChartWidget::setSeries(const QList<Series> &series)
{
    m_series = series;
    update();
}

void ChartWidget::setVisibleSeconds(int seconds)
{
    m_visibleSeconds = qMax(10, seconds);
    update();
}

QString ChartWidget::formatValue(double value) const
{
    const QLocale locale;
    switch (m_unit) {
    case Unit::Count:
        return locale.toString(qRound64(value));
    case Unit::PerSecond:
        return tr("%1/s").arg(value < 10 && value != std::floor(value) ? locale.toString(value, 'f', 1)
                                                                       : locale.toString(qRound64(value)));
    case Unit::BytesPerSecond:
        return tr("%1/s").arg(locale.formattedDataSize(qRound64(value), 1, QLocale::DataSizeIecFormat));
    case Unit::Milliseconds:
        return tr("%1 ms").arg(locale.toString(value, 'f', value < 10 ? 1 : 0));
    }
    return {};
}

namespace {

// 1, 2, 5 x 10^n at or above value
double niceCeiling(double value)
{
    if (value <= 0)
        return 1;
    const double exponent = std::floor(std::log10(value));
    const double base = std::pow(10.0, exponent);
    for (const double step : { 1.0, 2.0, 5.0, 10.0 }) {
        if (step * base >= value)
            return step * base;
    }
    return 10 * base;
}

} // namespace

void ChartWidget::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    p.fillRect(rect(), pal.color(QPalette::Base));

    const QFontMetrics fm(font());
    const int margin = 6;
    const int titleHeight = fm.height() + 4;

    // Title
    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    p.setPen(pal.color(QPalette::Text));
    p.drawText(QRect(margin, margin, width() - 2 * margin, titleHeight), Qt::AlignLeft | Qt::AlignVCenter,
               m_title);
    p.setFont(font());

    // Legend (right of the title): name and latest value of each series
    int legendX = width() - margin;
    for (auto it = m_series.crbegin(); it != m_series.crend(); ++it) {
        const QString text = it->name + QStringLiteral(": ")
            + formatValue(it->values.isEmpty() ? 0.0 : it->values.constLast());
        const int w = fm.horizontalAdvance(text);
        legendX -= w;
        p.setPen(pal.color(QPalette::Text));
        p.drawText(QRect(legendX, margin, w, titleHeight), Qt::AlignVCenter, text);
        legendX -= 14;
        p.fillRect(QRect(legendX, margin + titleHeight / 2 - 4, 10, 8), it->color);
        legendX -= 10;
    }

    double maxValue = 0;
    for (const Series &s : std::as_const(m_series)) {
        const qsizetype first = qMax<qsizetype>(0, s.values.size() - m_visibleSeconds);
        for (qsizetype i = first; i < s.values.size(); ++i)
            maxValue = qMax(maxValue, s.values.at(i));
    }
    const double top = niceCeiling(maxValue * 1.05);
    const QString topLabel = formatValue(top);
    const int axisWidth =
        qMax(fm.horizontalAdvance(topLabel), fm.horizontalAdvance(formatValue(top / 2))) + 6;
    const QRect plot(margin + axisWidth, margin + titleHeight + 4, width() - 2 * margin - axisWidth,
                     height() - 2 * margin - titleHeight - 4 - fm.height());
    if (plot.width() < 10 || plot.height() < 10)
        return;

    // Grid and y labels
    QColor grid = pal.color(QPalette::Mid);
    grid.setAlpha(90);
    for (int i = 0; i <= 4; ++i) {
        const int y = plot.bottom() - plot.height() * i / 4;
        p.setPen(QPen(grid, 1, i == 0 ? Qt::SolidLine : Qt::DotLine));
        p.drawLine(plot.left(), y, plot.right(), y);
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(QRect(margin, y - fm.height() / 2, axisWidth - 4, fm.height()),
                   Qt::AlignRight | Qt::AlignVCenter, formatValue(top * i / 4));
    }
    // x labels: now and the start of the window
    p.drawText(QRect(plot.left(), plot.bottom() + 2, plot.width(), fm.height()), Qt::AlignLeft,
               tr("-%1 s").arg(m_visibleSeconds));
    p.drawText(QRect(plot.left(), plot.bottom() + 2, plot.width(), fm.height()), Qt::AlignRight, tr("now"));

    // Series
    const double dx = double(plot.width()) / double(m_visibleSeconds - 1);
    p.setClipRect(plot.adjusted(-1, -1, 1, 1));
    for (const Series &s : std::as_const(m_series)) {
        const qsizetype n = qMin<qsizetype>(s.values.size(), m_visibleSeconds);
        if (n == 0)
            continue;
        QPainterPath path;
        for (qsizetype i = 0; i < n; ++i) {
            const double v = s.values.at(s.values.size() - n + i);
            const double x = plot.right() - double(n - 1 - i) * dx;
            const double y = plot.bottom() - v / top * plot.height();
            if (i == 0)
                path.moveTo(x, y);
            else
                path.lineTo(x, y);
        }
        QColor fill = s.color;
        fill.setAlpha(40);
        QPainterPath area = path;
        area.lineTo(plot.right(), plot.bottom());
        area.lineTo(plot.right() - double(n - 1) * dx, plot.bottom());
        area.closeSubpath();
        p.fillPath(area, fill);
        p.setPen(QPen(s.color, 1.6));
        p.drawPath(path);
    }
}

} // namespace Inspector
