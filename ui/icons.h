// SPDX-License-Identifier: MIT
#pragma once

#include <QIcon>
#include <QString>

namespace Inspector::Icons {

// One of our own SVG icons from resources/icons (":/icons/<name>.svg"), rendered with QtSvg at
// the usual sizes, so no image format plugin is needed at run time. Cached.
QIcon icon(const QString &name);

} // namespace Inspector::Icons
