// SPDX-License-Identifier: MIT
#pragma once

#include <QVariant>
#include <QWidget>

QT_BEGIN_NAMESPACE
class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
QT_END_NAMESPACE

namespace Inspector {

// One argument of the composer: JSON (validated as you type) or binary given as hex, base64 or a
// file.
class ArgumentEditor : public QWidget
{
    Q_OBJECT
public:
    enum class Kind { Json, Hex, Base64, File };
    Q_ENUM(Kind)

    explicit ArgumentEditor(QWidget *parent = nullptr);

    Kind kind() const;
    void setKind(Kind kind);
    QString text() const;
    void setText(const QString &text);
    bool isValid() const { return m_error.isEmpty(); }
    QString error() const { return m_error; }
    QString status() const;
    // The argument as the library takes it: JSON as QVariant, binaries as QByteArray.
    QVariant value() const;

Q_SIGNALS:
    void changed();
    void removeRequested();

private:
    void validate();

    QComboBox *m_kind;
    QPlainTextEdit *m_edit;
    QPushButton *m_browse;
    QLabel *m_status;
    QString m_error;
    QVariant m_value;
};

} // namespace Inspector
