// SPDX-License-Identifier: MIT
#pragma once

#include <QColor>
#include <QList>
#include <QWidget>

namespace Inspector {

// A small line chart drawn with QPainter: a title, one or more series over the same x axis
// (seconds, newest on the right), a y axis scaled to the data with a few labelled grid lines,
// and a legend with each series' latest value.
class ChartWidget : public QWidget
{
    Q_OBJECT
public:
    struct Series
    {
        QString name;
        QColor color;
        QList<double> values; // oldest first, one per second
    };

    explicit ChartWidget(const QString &title, QWidget *parent = nullptr);

    void setTitle(const QString &title);
    QString title() const { return m_title; }
    // How y values are written on the axis and in the legend ("%1/s", "%1 ms", bytes...).
    enum class Unit { Count, PerSecond, BytesPerSecond, Milliseconds };
    void setUnit(Unit unit);
    void setSeries(const QList<Series> &series);
    const QList<Series> &series() const { return m_series; }
    void setVisibleSeconds(int seconds);

    QSize sizeHint() const override { return { 360, 160 }; }
    QSize minimumSizeHint() const override { return { 200, 110 }; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QString formatValue(double value) const;

    QString m_title;
    Unit m_unit = Unit::Count;
    QList<Series> m_series;
    int m_visibleSeconds = 120;
};

} // namespace Inspector
