#include "web_root.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <system_error>

namespace jkjav::cmd {
namespace {

// build/bin/jkjav-server -> build/web (and /usr/local/bin/jkjav-server -> /usr/local/web).
std::filesystem::path defaultWebRoot() {
    std::error_code ec;
    const auto executable = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec) return {};
    return executable.parent_path().parent_path() / "web";
}

}  // namespace

std::variant<http::StaticSite, std::string> loadWebRoot(const std::string& configured) {
    std::filesystem::path root = configured;
    if (configured.empty()) {
        root = defaultWebRoot();
        std::error_code ec;
        if (root.empty() || !std::filesystem::is_directory(root, ec)) {
            spdlog::warn("no built page at {} (run `make build`, or set WEB_ROOT): / and /docs answer 404",
                         root.string());
            return http::StaticSite::fromFiles({});
        }
    }
    auto loaded = http::loadStaticSite(root);
    if (auto* site = std::get_if<http::StaticSite>(&loaded)) {
        spdlog::info("page: {} files, {} bytes from {}", site->fileCount(), site->byteCount(), root.string());
    }
    return loaded;
}

}  // namespace jkjav::cmd
