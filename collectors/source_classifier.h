#pragma once
// Which kind of evidence a file holds: by its path first, then by its content.
#include <optional>
#include <string_view>

#include "analyzer/core/evidence.h"

namespace appdiag {

// By path (inside a bundle, or on disk): the names `az webapp log download`,
// Kudu and our own bundles use. nullopt when the path says nothing.
std::optional<SourceKind> kind_by_path(std::string_view path);

// By the first bytes of the content. nullopt when nothing identifies it.
std::optional<SourceKind> kind_by_content(std::string_view head);

}  // namespace appdiag
