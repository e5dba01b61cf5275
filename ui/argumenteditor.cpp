// SPDX-License-Identifier: MIT
#include "argumenteditor.h"

#include "icons.h"
#include "jsonview.h"
#include "trafficrow.h"

#include <SocketIo/json.h>

#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QToolButton>
#include <QVBoxLayout>

namespace Inspector {

namespace {
constexpr qint64 maxFileBytes = 16 * 1024 * 1024;
} // namespace

ArgumentEditor::ArgumentEditor(QWidget *parent)
    : QWidget(parent)
    , m_kind(new QComboBox(this))
    , m_edit(new QPlainTextEdit(this))
    , m_browse(new QPushButton(tr("Browse\u2026"), this))
    , m_status(new QLabel(this))
{
    m_kind->addItem(tr("JSON"), int(Kind::Json));
    m_kind->addItem(tr("Binary (hex)"), int(Kind::Hex));
    m_kind->addItem(tr("Binary (base64)"), int(Kind::Base64));
    m_kind->addItem(tr("Binary (file)"), int(Kind::File));
    m_edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_edit->setTabChangesFocus(true);
    m_edit->setFixedHeight(m_edit->fontMetrics().lineSpacing() * 3 + 12);
    m_edit->setPlaceholderText(tr("any JSON value: \"text\", 42, {\"key\": [1, 2]}"));
    auto *remove = new QToolButton(this);
    remove->setText(QStringLiteral("\u2715"));
    remove->setToolTip(tr("Remove this argument"));
    m_status->setWordWrap(true);

    auto *top = new QHBoxLayout;
    top->setContentsMargins(0, 0, 0, 0);
    top->addWidget(m_kind);
    top->addStretch();
    top->addWidget(m_browse);
    top->addWidget(remove);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 4);
    layout->setSpacing(2);
    layout->addLayout(top);
    layout->addWidget(m_edit);
    layout->addWidget(m_status);

    connect(m_kind, &QComboBox::currentIndexChanged, this, [this] {
        m_browse->setVisible(kind() == Kind::File);
        switch (kind()) {
        case Kind::Json:
            m_edit->setPlaceholderText(tr("any JSON value: \"text\", 42, {\"key\": [1, 2]}"));
            break;
        case Kind::Hex:
            m_edit->setPlaceholderText(tr("hex bytes, e.g. de ad be ef"));
            break;
        case Kind::Base64:
            m_edit->setPlaceholderText(tr("base64, e.g. 3q2+7w=="));
            break;
        case Kind::File:
            m_edit->setPlaceholderText(tr("path of a file to send as binary"));
            break;
        }
        validate();
    });
    connect(m_edit, &QPlainTextEdit::textChanged, this, &ArgumentEditor::validate);
    connect(remove, &QToolButton::clicked, this, &ArgumentEditor::removeRequested);
    connect(m_browse, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("Binary argument"));
        if (!file.isEmpty())
            setText(file);
    });
    m_browse->setVisible(false);
    validate();
}

ArgumentEditor::Kind ArgumentEditor::kind() const
{
    return Kind(m_kind->currentData().toInt());
}

void ArgumentEditor::setKind(Kind kind)
{
    m_kind->setCurrentIndex(m_kind->findData(int(kind)));
}

QString ArgumentEditor::text() const
{
    return m_edit->toPlainText();
}

void ArgumentEditor::setText(const QString &text)
{
    m_edit->setPlainText(text);
}

QString ArgumentEditor::status() const
{
    return m_status->text();
}

QVariant ArgumentEditor::value() const
{
    if (kind() == Kind::File) {
        // Read at send time: the file may have changed since it was chosen.
        QFile file(text().trimmed());
        if (file.open(QIODevice::ReadOnly))
            return file.read(maxFileBytes);
        return {};
    }
    return m_value;
}

void ArgumentEditor::validate()
{
    const QString input = text();
    m_error.clear();
    m_value = QVariant();
    QString ok;
    switch (kind()) {
    case Kind::Json: {
        if (input.trimmed().isEmpty()) {
            m_error = tr("Empty: write a JSON value (\"\" for an empty string, null for null).");
            break;
        }
        QJsonParseError error{};
        // Wrapped in an array so that strings, numbers, true, false and null parse as well.
        const QByteArray wrapped = QByteArrayLiteral("[\n") + input.toUtf8() + QByteArrayLiteral("\n]");
        const QJsonDocument doc = QJsonDocument::fromJson(wrapped, &error);
        if (error.error != QJsonParseError::NoError) {
            const int offset = qMax(0, error.offset - 2);
            m_error = tr("Invalid JSON at character %1: %2").arg(offset + 1).arg(error.errorString());
        } else if (doc.array().size() != 1) {
            m_error = tr("One value per argument: use another argument or an array.");
        } else {
            const QJsonValue value = doc.array().first();
            // Read again the way the library reads arguments: objects keep their members'
            // order (QJsonDocument sorts them), so the event goes out as it was written.
            bool valid = false;
            m_value = SocketIo::parseJsonArgument(input.toUtf8(), &valid);
            if (valid)
                ok = tr("Valid JSON (%1)").arg(JsonView::typeName(value));
            else
                m_error = tr("Invalid JSON (as JSON.parse reads it).");
        }
        break;
    }
    case Kind::Hex: {
        QString digits = input;
        digits.remove(QRegularExpression(QStringLiteral("\\s|0x|,")));
        static const QRegularExpression hex(QStringLiteral("^[0-9A-Fa-f]*$"));
        if (!hex.match(digits).hasMatch())
            m_error = tr("Not hexadecimal: only 0-9, a-f and spaces.");
        else if (digits.size() % 2)
            m_error = tr("An odd number of hex digits.");
        else {
            m_value = QByteArray::fromHex(digits.toLatin1());
            ok = tr("%n byte(s)", nullptr, int(m_value.toByteArray().size()));
        }
        break;
    }
    case Kind::Base64: {
        const auto decoded = QByteArray::fromBase64Encoding(input.trimmed().toLatin1(),
                                                            QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded) {
            m_error = tr("Not valid base64.");
        } else {
            m_value = *decoded;
            ok = tr("%n byte(s)", nullptr, int(decoded.decoded.size()));
        }
        break;
    }
    case Kind::File: {
        const QFileInfo info(input.trimmed());
        if (input.trimmed().isEmpty())
            m_error = tr("Choose a file.");
        else if (!info.isFile() || !info.isReadable())
            m_error = tr("Cannot read %1.").arg(input.trimmed());
        else if (info.size() > maxFileBytes)
            m_error = tr("Too large: at most %1.").arg(formatBytes(maxFileBytes));
        else
            ok = tr("%1, read when sending").arg(formatBytes(info.size()));
        break;
    }
    }
    if (m_error.isEmpty()) {
        m_status->setText(ok);
        m_status->setStyleSheet(QStringLiteral("color: #2e7d32;"));
        m_edit->setStyleSheet(QString());
    } else {
        m_status->setText(m_error);
        m_status->setStyleSheet(QStringLiteral("color: #c0392b;"));
        m_edit->setStyleSheet(QStringLiteral("QPlainTextEdit { border: 1px solid #c0392b; }"));
    }
    Q_EMIT changed();
}

} // namespace Inspector
