#pragma once

#include <QByteArray>

#include <string_view>

namespace kucun {

// The bytes of a QByteArray as a std::string_view, for the engine's and the globs' interfaces,
// without a copy. Valid as long as the array is neither changed nor destroyed.
inline std::string_view bytesView(const QByteArray &bytes)
{
    return {bytes.constData(), static_cast<size_t>(bytes.size())};
}

}  // namespace kucun
