// StaticSite (the built page in memory) and ApiHandler serving it: which path answers which file,
// the heads (cache, ETag, gzip, security policy), 304s, and what is not there.
#include "adapters/http/static_site.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/beast/http/field.hpp>
#include <boost/json/parse.hpp>
#include <filesystem>
#include <fstream>

#include "adapters/http/api_handler.hpp"
#include "case_names.hpp"
#include "mocks.hpp"
#include "run_awaitable.hpp"

namespace jkjav::http {
namespace {

using boost::beast::http::field;
using boost::beast::http::verb;

StaticSite sampleSite() {
    return StaticSite::fromFiles({
        {"index.html", "<!doctype html><title>page</title>", "GZ-INDEX"},
        {"docs.html", "<!doctype html><title>docs</title>", std::nullopt},
        {"assets/app.0123456789ab.js", "console.log(1)", "GZ-JS"},
        {"assets/app.0123456789ab.css", "body{}", std::nullopt},
        {"notes.txt", "not served", std::nullopt},
        {"assets/deeper/x.js", "not served", std::nullopt},
    });
}

TEST(StaticSite, ServesPagesAtTheirNamesAndAssetsUnderAssets) {
    const StaticSite site = sampleSite();
    EXPECT_EQ(site.fileCount(), 4u);
    ASSERT_NE(site.find("/", false), nullptr);
    EXPECT_EQ(site.find("/", false)->body, "<!doctype html><title>page</title>");
    ASSERT_NE(site.find("/docs", false), nullptr);
    EXPECT_EQ(site.find("/docs", false)->body, "<!doctype html><title>docs</title>");
    EXPECT_NE(site.find("/assets/app.0123456789ab.js", false), nullptr);
    EXPECT_EQ(site.find("/index.html", false), nullptr);
    EXPECT_EQ(site.find("/notes.txt", false), nullptr);
    EXPECT_EQ(site.find("/assets/deeper/x.js", false), nullptr);
    EXPECT_EQ(site.find("/assets/app.ffffffffffff.js", false), nullptr);
}

TEST(StaticSite, GivesTheGzipTwinOnlyWhenAcceptedAndBuilt) {
    const StaticSite site = sampleSite();
    EXPECT_EQ(site.find("/assets/app.0123456789ab.js", true)->body, "GZ-JS");
    EXPECT_EQ(site.find("/assets/app.0123456789ab.js", false)->body, "console.log(1)");
    EXPECT_EQ(site.find("/assets/app.0123456789ab.css", true)->body, "body{}");  // no twin built
    const PreparedBody& gzip = *site.find("/", true);
    EXPECT_NE(gzip.head200.find("Content-Encoding: gzip\r\n"), std::string::npos);
    EXPECT_NE(gzip.head200.find("Vary: Accept-Encoding\r\n"), std::string::npos);
    EXPECT_NE(gzip.etag, site.find("/", false)->etag) << "each encoding has its own tag";
    EXPECT_EQ(site.find("/", false)->head200.find("Content-Encoding"), std::string::npos);
}

TEST(StaticSite, HashedAssetsAreImmutableAndPagesRevalidatedUnderAPolicy) {
    const StaticSite site = sampleSite();
    const PreparedBody& asset = *site.find("/assets/app.0123456789ab.js", false);
    EXPECT_NE(asset.head200.find("Cache-Control: public, max-age=31536000, immutable\r\n"),
              std::string::npos);
    EXPECT_NE(asset.head200.find("Content-Type: text/javascript; charset=utf-8\r\n"), std::string::npos);
    EXPECT_NE(asset.head200.find("Content-Length: 14\r\n"), std::string::npos);
    EXPECT_EQ(asset.head200.find("Content-Security-Policy"), std::string::npos);

    const PreparedBody& page = *site.find("/", false);
    EXPECT_NE(page.head200.find("Cache-Control: no-cache\r\n"), std::string::npos);
    EXPECT_NE(page.head200.find("Content-Type: text/html; charset=utf-8\r\n"), std::string::npos);
    EXPECT_NE(page.head200.find("Content-Security-Policy: default-src 'self'; script-src 'self';"),
              std::string::npos);
    EXPECT_TRUE(page.head304.starts_with("HTTP/1.1 304 Not Modified\r\n"));
    EXPECT_NE(page.head304.find("ETag: " + page.etag + "\r\n"), std::string::npos);
}

TEST(StaticSite, LoadsADirectoryWithGzipTwinsBesideTheirFiles) {
    namespace fs = std::filesystem;
    const fs::path root = fs::temp_directory_path() / ("jkjav-site-" + std::to_string(::getpid()));
    fs::create_directories(root / "assets");
    const auto write = [](const fs::path& path, std::string_view bytes) {
        std::ofstream(path, std::ios::binary) << bytes;
    };
    write(root / "index.html", "<p>page</p>");
    write(root / "index.html.gz", "GZ");
    write(root / "assets" / "app.0123456789ab.css", "p{}");
    const auto loaded = loadStaticSite(root);
    fs::remove_all(root);

    ASSERT_TRUE(std::holds_alternative<StaticSite>(loaded)) << std::get<std::string>(loaded);
    const StaticSite& site = std::get<StaticSite>(loaded);
    EXPECT_EQ(site.fileCount(), 2u) << "a .gz file is its file's twin, not a file of its own";
    EXPECT_EQ(site.find("/", true)->body, "GZ");
    EXPECT_EQ(site.find("/", false)->body, "<p>page</p>");
    EXPECT_EQ(site.find("/assets/app.0123456789ab.css", true)->body, "p{}");
    EXPECT_EQ(site.find("/index.html.gz", false), nullptr);
}

TEST(StaticSite, LoadingAMissingDirectoryNamesIt) {
    const auto loaded = loadStaticSite("/nonexistent/jkjav-web");
    ASSERT_TRUE(std::holds_alternative<std::string>(loaded));
    EXPECT_NE(std::get<std::string>(loaded).find("/nonexistent/jkjav-web"), std::string::npos);
}

struct EncodingCase {
    std::string label;
    std::string acceptEncoding;
    bool gzip;
};
void PrintTo(const EncodingCase& c, std::ostream* out) {
    *out << c.label << ": Accept-Encoding " << testing::escaped(c.acceptEncoding) << " -> "
         << (c.gzip ? "gzip" : "not gzip");
}

class AcceptEncoding : public ::testing::TestWithParam<EncodingCase> {};

TEST_P(AcceptEncoding, TakesGzipOnlyWhenOffered) {
    EXPECT_EQ(acceptsGzip(GetParam().acceptEncoding), GetParam().gzip) << GetParam().acceptEncoding;
}

INSTANTIATE_TEST_SUITE_P(
    Values, AcceptEncoding,
    ::testing::Values(EncodingCase{"Browser", "gzip, deflate, br, zstd", true},
                      EncodingCase{"Upper", "GZIP", true}, EncodingCase{"XGzip", "x-gzip", true},
                      EncodingCase{"Star", "*", true}, EncodingCase{"Weighted", "br;q=1.0, gzip;q=0.5", true},
                      EncodingCase{"Refused", "gzip;q=0", false},
                      EncodingCase{"RefusedDecimals", "gzip; q=0.000", false},
                      EncodingCase{"Identity", "identity", false}, EncodingCase{"Empty", "", false},
                      EncodingCase{"OnlyBr", "br", false}, EncodingCase{"Lookalike", "gzipx", false}),
    testing::ByLabel{});

// ApiHandler with the site: answered from memory, like the snapshot.
struct SiteHarness {
    domain::Campaign campaign = testing::pwtcCampaign();
    ::testing::NiceMock<testing::MockBookingStore> store;
    testing::FixedClock clock{testing::kMay26()};
    app::BookingService bookings{campaign, store, clock};
    ::testing::NiceMock<testing::MockLookupFailures> failures;
    app::LookupGuard lookups{bookings, failures, {}};
    ClientRateLimits rateLimits{{}, {}};
    SnapshotSlot snapshots;
    ServiceHealth health;
    StaticSite site = sampleSite();
    ApiHandler api{campaign, bookings, lookups, rateLimits, snapshots, health, std::chrono::seconds(2), site};
};

Request get(std::string_view target, verb method = verb::get) {
    Request request{method, target, 11};
    request.set(field::host, "localhost");
    return request;
}

TEST(SiteRoutes, AnswerFromMemoryWith304AndGzip) {
    SiteHarness h;
    auto plain = h.api.answerFromSnapshot(get("/?utm=x"));
    ASSERT_TRUE(plain);
    EXPECT_EQ(plain->prepared, h.site.find("/", false));
    EXPECT_FALSE(plain->notModified);

    Request zipped = get("/");
    zipped.set(field::accept_encoding, "gzip, br");
    EXPECT_EQ(h.api.answerFromSnapshot(zipped)->prepared, h.site.find("/", true));

    Request again = get("/assets/app.0123456789ab.js");
    again.set(field::if_none_match, h.site.find("/assets/app.0123456789ab.js", false)->etag);
    EXPECT_TRUE(h.api.answerFromSnapshot(again)->notModified);
    EXPECT_TRUE(h.api.answerFromSnapshot(get("/docs", verb::head)));
}

TEST(SiteRoutes, AMissingFileOrAWrongMethodIsAJsonError) {
    SiteHarness h;
    EXPECT_FALSE(h.api.answerFromSnapshot(get("/assets/gone.js")));
    const Response missing = testing::runAwaitable(h.api.handle(get("/assets/gone.js"), {}));
    EXPECT_EQ(missing.result_int(), 404);
    EXPECT_EQ(boost::json::parse(missing.body()).at("code"), "NOT_FOUND");

    EXPECT_FALSE(h.api.answerFromSnapshot(get("/", verb::post)));
    const Response post = testing::runAwaitable(h.api.handle(get("/", verb::post), {}));
    EXPECT_EQ(post.result_int(), 405);
    EXPECT_EQ(post[field::allow], "GET, HEAD");
}

TEST(SiteRoutes, WithoutABuiltSiteThePageIsNotFound) {
    SiteHarness h;
    ApiHandler bare{
        h.campaign, h.bookings, h.lookups, h.rateLimits, h.snapshots, h.health, std::chrono::seconds(2)};
    EXPECT_FALSE(bare.answerFromSnapshot(get("/")));
    EXPECT_EQ(testing::runAwaitable(bare.handle(get("/"), {})).result_int(), 404);
}

}  // namespace
}  // namespace jkjav::http
