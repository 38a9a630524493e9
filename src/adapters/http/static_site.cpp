#include "adapters/http/static_site.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>
#include <system_error>

#include "adapters/http/etag.hpp"
#include "adapters/http/wire_bytes.hpp"

namespace jkjav::http {
namespace {

constexpr std::string_view kAssetsDir = "assets/";
constexpr std::string_view kGzipSuffix = ".gz";

// Hashed names never change content, so a browser or CDN may keep them a year without asking; a
// page must be asked for again (a 304 when unchanged), so that a new build reaches everyone at once.
constexpr std::string_view kImmutableCacheLine = "Cache-Control: public, max-age=31536000, immutable\r\n";
constexpr std::string_view kRevalidateCacheLine = "Cache-Control: no-cache\r\n";
constexpr std::string_view kGzipLine = "Content-Encoding: gzip\r\n";
constexpr std::string_view kVaryLine = "Vary: Accept-Encoding\r\n";
// Nothing but this server: no third-party origin can be contacted, no inline script can run.
// Swagger UI's icons are data: images; its styles come from its own stylesheet.
constexpr std::string_view kPagePolicyLines =
    "Content-Security-Policy: default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'\r\n"
    "Referrer-Policy: no-referrer\r\n";

std::string_view contentTypeOf(std::string_view path) {
    const auto dot = path.rfind('.');
    const std::string_view extension = dot == std::string_view::npos ? "" : path.substr(dot + 1);
    if (extension == "html") return "text/html; charset=utf-8";
    if (extension == "css") return "text/css; charset=utf-8";
    if (extension == "js" || extension == "mjs") return "text/javascript; charset=utf-8";
    if (extension == "json" || extension == "map") return "application/json";
    if (extension == "svg") return "image/svg+xml";
    if (extension == "png") return "image/png";
    if (extension == "ico") return "image/x-icon";
    if (extension == "woff2") return "font/woff2";
    return "application/octet-stream";
}

// The URL path a built file is served at; nullopt: not served.
std::optional<std::string> urlPathOf(std::string_view relativePath) {
    if (relativePath.starts_with(kAssetsDir) && relativePath.size() > kAssetsDir.size() &&
        relativePath.find('/', kAssetsDir.size()) == std::string_view::npos) {
        return "/" + std::string(relativePath);
    }
    if (relativePath.find('/') != std::string_view::npos || !relativePath.ends_with(".html"))
        return std::nullopt;
    if (relativePath == "index.html") return "/";
    return "/" + std::string(relativePath.substr(0, relativePath.size() - 5));
}

struct Variant {
    std::string_view contentType;
    bool page;     // HTML: short cache and the security policy
    bool gzip;     // this body is the gzip twin
    bool hasTwin;  // the file exists in two encodings: caches must key on Accept-Encoding
};

PreparedBody prepare(std::string body, const Variant& variant) {
    PreparedBody prepared;
    prepared.etag = strongEtagOf(body);
    std::string common;
    common.append(wire::kServerLine).append(wire::kNoSniffLine);
    common.append(variant.page ? kRevalidateCacheLine : kImmutableCacheLine);
    common.append(wire::kETagName).append(prepared.etag).append(wire::kLineEnd);
    if (variant.hasTwin) common.append(kVaryLine);

    prepared.head200.append(wire::kStatus200);
    prepared.head200.append("Content-Type: ").append(variant.contentType).append(wire::kLineEnd);
    prepared.head200.append(common);
    if (variant.gzip) prepared.head200.append(kGzipLine);
    if (variant.page) prepared.head200.append(kPagePolicyLines);
    prepared.head200.append(wire::kContentLengthName)
        .append(std::to_string(body.size()))
        .append(wire::kLineEnd);
    prepared.head304 = std::string(wire::kStatus304) + common;
    prepared.body = std::move(body);
    return prepared;
}

std::string_view trimmed(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
    return std::ranges::equal(
        a, b, [](unsigned char x, unsigned char y) { return std::tolower(x) == std::tolower(y); });
}

}  // namespace

const StaticSite& StaticSite::empty() {
    static const StaticSite site;
    return site;
}

StaticSite StaticSite::fromFiles(std::vector<SiteFile> files) {
    StaticSite site;
    for (SiteFile& file : files) {
        auto urlPath = urlPathOf(file.relativePath);
        if (!urlPath) continue;
        Variant variant{contentTypeOf(file.relativePath), file.relativePath.ends_with(".html"), false,
                        file.gzip.has_value()};
        Served served{prepare(std::move(file.body), variant), std::nullopt};
        if (file.gzip) {
            variant.gzip = true;
            served.gzip = prepare(std::move(*file.gzip), variant);
        }
        site.files_.insert_or_assign(std::move(*urlPath), std::move(served));
    }
    return site;
}

const PreparedBody* StaticSite::find(std::string_view path, bool gzipAccepted) const {
    const auto found = files_.find(path);
    if (found == files_.end()) return nullptr;
    if (gzipAccepted && found->second.gzip) return &*found->second.gzip;
    return &found->second.identity;
}

std::size_t StaticSite::byteCount() const {
    std::size_t bytes = 0;
    for (const auto& [path, served] : files_) {
        bytes += served.identity.body.size() + (served.gzip ? served.gzip->body.size() : 0);
    }
    return bytes;
}

std::variant<StaticSite, std::string> loadStaticSite(const std::filesystem::path& root) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::is_directory(root, ec)) return "WEB_ROOT '" + root.string() + "' is not a directory";
    const auto readAll = [](const fs::path& path) -> std::optional<std::string> {
        std::ifstream in(path, std::ios::binary);
        if (!in) return std::nullopt;
        std::ostringstream bytes;
        bytes << in.rdbuf();
        return std::move(bytes).str();
    };
    std::vector<SiteFile> files;
    for (auto it = fs::recursive_directory_iterator(root, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (!it->is_regular_file(ec)) continue;
        std::string relative = fs::relative(it->path(), root, ec).generic_string();
        if (relative.ends_with(kGzipSuffix)) continue;  // read as its file's twin
        auto body = readAll(it->path());
        if (!body) return "cannot read '" + it->path().string() + "'";
        SiteFile file{std::move(relative), std::move(*body), std::nullopt};
        fs::path twin = it->path();
        twin += kGzipSuffix;
        if (fs::is_regular_file(twin, ec)) file.gzip = readAll(twin);
        files.push_back(std::move(file));
    }
    if (ec) return "cannot list WEB_ROOT '" + root.string() + "': " + ec.message();
    return StaticSite::fromFiles(std::move(files));
}

bool acceptsGzip(std::string_view acceptEncoding) {
    while (!acceptEncoding.empty()) {
        const auto comma = acceptEncoding.find(',');
        std::string_view item = acceptEncoding.substr(0, comma);
        acceptEncoding =
            comma == std::string_view::npos ? std::string_view() : acceptEncoding.substr(comma + 1);
        const auto semicolon = item.find(';');
        const std::string_view coding = trimmed(item.substr(0, semicolon));
        if (!equalsIgnoringCase(coding, "gzip") && !equalsIgnoringCase(coding, "x-gzip") && coding != "*")
            continue;
        if (semicolon == std::string_view::npos) return true;
        // q=0, q=0.0, q=0.000: refused; any other weight accepts.
        std::string_view param = trimmed(item.substr(semicolon + 1));
        if (param.size() < 2 || (param[0] != 'q' && param[0] != 'Q') || param[1] != '=') return true;
        param.remove_prefix(2);
        return param.find_first_not_of("0.") != std::string_view::npos;
    }
    return false;
}

}  // namespace jkjav::http
