// X-Request-Id values: which a trusted proxy's are kept, and the ids the server makes.
#include "adapters/http/request_id.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <thread>

#include "case_names.hpp"

namespace jkjav::http {
namespace {

using jkjav::testing::ByLabel;

struct HeaderCase {
    std::string label;
    std::string value;
    bool kept;
};

void PrintTo(const HeaderCase& c, std::ostream* out) { *out << "'" << c.value << "'"; }

class FromHeader : public ::testing::TestWithParam<HeaderCase> {};

TEST_P(FromHeader, KeepsOnlySaneValues) {
    const auto id = RequestId::fromHeader(GetParam().value);
    ASSERT_EQ(id.has_value(), GetParam().kept);
    if (id) EXPECT_EQ(id->view(), GetParam().value);
}

INSTANTIATE_TEST_SUITE_P(Values, FromHeader,
                         ::testing::Values(HeaderCase{"Uuid", "3f2b8c1e-9d4a-4f6b-8e2a-1c5d7e9f0a3b", true},
                                           HeaderCase{"DotsAndUnderscores", "edge.1_A", true},
                                           HeaderCase{"SixtyFour", std::string(64, 'a'), true},
                                           HeaderCase{"SixtyFive", std::string(65, 'a'), false},
                                           HeaderCase{"Empty", "", false}, HeaderCase{"Space", "a b", false},
                                           HeaderCase{"LineBreak", "a\r\nSet-Cookie: x", false},
                                           HeaderCase{"NonAscii", "caf\xC3\xA9", false}),
                         ByLabel());

TEST(RequestIdFor, KeepsTheHeaderOnlyFromATrustedProxy) {
    EXPECT_EQ(requestIdFor("edge-1", true).view(), "edge-1");
    EXPECT_NE(requestIdFor("edge-1", false).view(), "edge-1");
    EXPECT_NE(requestIdFor("a b", true).view(), "a b");
}

TEST(Generate, MakesSaneIdsUniqueAcrossThreads) {
    std::vector<std::string> ids[2];
    auto make = [](std::vector<std::string>& out) {
        for (int i = 0; i < 1000; ++i) out.emplace_back(RequestId::generate().view());
    };
    std::thread other(make, std::ref(ids[1]));
    make(ids[0]);
    other.join();
    std::set<std::string> seen;
    for (const auto& list : ids) {
        for (const auto& id : list) {
            EXPECT_TRUE(std::regex_match(id, std::regex("[0-9a-f]{12}-[0-9a-f]{1,16}"))) << id;
            EXPECT_TRUE(seen.insert(id).second) << id;
        }
    }
}

}  // namespace
}  // namespace jkjav::http
