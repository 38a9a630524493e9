// The booking page (/), the API docs (/docs) and their assets (/assets/...), built by `make build`
// (web/build-site.sh) and loaded from WEB_ROOT once at start. Answered from memory like the
// availability snapshot: heads rendered once, a strong ETag for If-None-Match, and the gzip twin
// built beside each file when the client accepts gzip, so serving costs a lookup and one write.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "adapters/http/availability_snapshot.hpp"

namespace jkjav::http {

// One file of the built site, as read from disk: where it lies under the root ("index.html",
// "assets/app.3f9a1c2b7d.js") and its bytes; `gzip` is its precompressed twin, when built.
struct SiteFile {
    std::string relativePath;
    std::string body;
    std::optional<std::string> gzip;
};

class StaticSite {
  public:
    // A site with no files: every path of it answers 404 (the page was not built).
    static const StaticSite& empty();

    // index.html is kept for /, any other NAME.html for /NAME (docs.html: /docs), assets/FILE for
    // /assets/FILE (content-hashed names: cached for a year); anything else is left out. Which of
    // these paths are reachable is the route table's say (api_routes.cpp: /, /docs, /assets/{file}).
    static StaticSite fromFiles(std::vector<SiteFile> files);

    // The prepared answer for a path, the gzip twin when `gzipAccepted` and there is one; nullptr:
    // no such file.
    [[nodiscard]] const PreparedBody* find(std::string_view path, bool gzipAccepted) const;

    [[nodiscard]] std::size_t fileCount() const { return files_.size(); }
    [[nodiscard]] std::size_t byteCount() const;

  private:
    struct Served {
        PreparedBody identity;
        std::optional<PreparedBody> gzip;
    };
    struct StringHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
    };
    std::unordered_map<std::string, Served, StringHash, std::equal_to<>> files_;
};

// Reads every file under `root` (FILE.gz beside FILE is FILE's gzip twin). An error names the
// directory and what is wrong with it.
std::variant<StaticSite, std::string> loadStaticSite(const std::filesystem::path& root);

// Whether an Accept-Encoding value takes gzip (`gzip`, `x-gzip` or `*`, with a q above 0).
bool acceptsGzip(std::string_view acceptEncoding);

}  // namespace jkjav::http
