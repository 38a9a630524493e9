// jkjav-admin's formatting: masking, bars, CSV fields and the status JSON, without Redis.
#include "admin_format.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "case_names.hpp"
#include "status_view.hpp"

namespace jkjav::cmd {
namespace {

using testing::ByLabel;
using testing::escaped;

TEST(AdminPersonal, MasksIdsAndPhoneNumbersUnlessShown) {
    EXPECT_EQ(personal("0123456789", false), "0123****89");
    EXPECT_EQ(personal("900127015527", false), "9001******27");
    EXPECT_EQ(personal("+60123456789", false), "+601******89");
    EXPECT_EQ(personal("900127015527", true), "900127015527");
}

struct CsvCase {
    std::string label;
    std::string value;
    std::string field;
};
void PrintTo(const CsvCase& c, std::ostream* out) {
    *out << c.label << ": " << escaped(c.value) << " -> " << escaped(c.field);
}

class AdminCsvField : public ::testing::TestWithParam<CsvCase> {};

TEST_P(AdminCsvField, QuotesOnlyWhatNeedsIt) { EXPECT_EQ(csvField(GetParam().value), GetParam().field); }

INSTANTIATE_TEST_SUITE_P(Cases, AdminCsvField,
                         ::testing::Values(CsvCase{"plain", "Fadhil", "Fadhil"}, CsvCase{"empty", "", ""},
                                           CsvCase{"comma", "Jalan 1, KL", "\"Jalan 1, KL\""},
                                           CsvCase{"quote", "the \"old\" hall", "\"the \"\"old\"\" hall\""},
                                           CsvCase{"newline", "line1\nline2", "\"line1\nline2\""},
                                           CsvCase{"carriage return", "a\rb", "\"a\rb\""},
                                           CsvCase{"leading space", " KL", "\" KL\""},
                                           CsvCase{"phone", "+60123456789", "+60123456789"},
                                           CsvCase{"utf8", "Đức Nguyễn", "Đức Nguyễn"}),
                         ByLabel());

struct BarCase {
    std::string label;
    long long sold;
    long long capacity;
    std::string bar;
};
void PrintTo(const BarCase& c, std::ostream* out) {
    *out << c.label << ": " << c.sold << " sold of " << c.capacity << " -> " << escaped(c.bar);
}

class AdminSellOutBar : public ::testing::TestWithParam<BarCase> {};

TEST_P(AdminSellOutBar, FillsTheSoldShare) {
    EXPECT_EQ(sellOutBar(GetParam().sold, GetParam().capacity, 10), GetParam().bar);
}

INSTANTIATE_TEST_SUITE_P(Cases, AdminSellOutBar,
                         ::testing::Values(BarCase{"none sold", 0, 1000, "[----------]   0% sold"},
                                           BarCase{"half", 500, 1000, "[#####-----]  50% sold"},
                                           BarCase{"sold out", 1000, 1000, "[##########] 100% sold"},
                                           BarCase{"no capacity", 0, 0, "[##########] 100% sold"},
                                           BarCase{"over capacity", 12, 10, "[##########] 100% sold"},
                                           BarCase{"one in three", 1, 3, "[###-------]  33% sold"}),
                         ByLabel());

TEST(AdminProgressBar, ShowsDoneOfTotal) {
    EXPECT_EQ(progressBar(0, 100, 10), "[>         ] 0/100   0%");
    EXPECT_EQ(progressBar(50, 100, 10), "[=====>    ] 50/100  50%");
    EXPECT_EQ(progressBar(100, 100, 10), "[==========] 100/100 100%");
    EXPECT_EQ(progressBar(42, 0, 10), "42");  // nothing to compare with
}

StatusReport sampleReport() {
    StatusReport report;
    report.campaign = CampaignStatus{"demo", "TP2JVF", "2021-05-26T01:02:03Z"};
    report.slots = {
        {"PWTC", "20210516", 1000, 997, 0}, {"PWTC", "20210517", 1000, 0, 4}, {"UM", "20210607", -1, 5, 0}};
    report.referencesIssued = 1007;
    report.outboxBacklog = 3;
    report.outboxOldestAgeSeconds = 1.5;
    report.relays = {{"host:3000", 2, 120}};
    return report;
}

TEST(AdminStatusJson, HasTheDocumentedShape) {
    const auto json = boost::json::parse(statusJson(sampleReport()));
    EXPECT_EQ(json.at("campaign").at("epoch"), "TP2JVF");
    const auto& slots = json.at("slots").as_array();
    ASSERT_EQ(slots.size(), 3u);
    EXPECT_EQ(slots[1].at("booked"), 1000);
    EXPECT_EQ(slots[1].at("waiting"), 4);
    EXPECT_TRUE(slots[2].at("capacity").is_null());  // seeded before capacities were kept
    const auto& pwtc = json.at("locations").as_array().at(0);
    EXPECT_EQ(pwtc.at("location"), "PWTC");
    EXPECT_EQ(pwtc.at("capacity"), 2000);
    EXPECT_EQ(pwtc.at("booked"), 1003);
    EXPECT_EQ(pwtc.at("remaining"), 997);
    EXPECT_EQ(json.at("totals").at("remaining"), 1002);
    EXPECT_EQ(json.at("referencesIssued"), 1007);
    EXPECT_EQ(json.at("outbox").at("backlog"), 3);
    EXPECT_EQ(json.at("outbox").at("oldestAgeSeconds"), 1.5);
    EXPECT_EQ(json.at("relays").at(0).at("name"), "host:3000");
}

TEST(AdminStatusJson, SaysWhenNotSeeded) {
    StatusReport report;
    const auto json = boost::json::parse(statusJson(report));
    EXPECT_TRUE(json.at("campaign").is_null());
    EXPECT_TRUE(json.at("outbox").at("oldestAgeSeconds").is_null());
}

TEST(AdminStatusText, WatchFrameHasBarsAndTheRate) {
    const std::string text = statusText(sampleReport(), {.perSlot = false, .bookingsPerSecond = 12.5});
    EXPECT_NE(
        text.find("PWTC               2000       1003        997        4  [##########----------]  50% sold"),
        std::string::npos)
        << text;
    EXPECT_NE(text.find("bookings/s: 12.5"), std::string::npos) << text;
    EXPECT_EQ(text.find("20210516"), std::string::npos) << "no per-date rows in a watch frame";
    EXPECT_NE(statusText(sampleReport(), {}).find("20210516"), std::string::npos);
}

}  // namespace
}  // namespace jkjav::cmd
