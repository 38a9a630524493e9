#include "adapters/config/campaign_file.hpp"

#include <gtest/gtest.h>

#include "case_names.hpp"

namespace jkjav::config {
namespace {

TEST(CampaignFile, ReadsBothDateForms) {
    const auto result = parseCampaign(R"({
      "name": "round 2", "eligibility": {"minAgeYears": 60, "referenceDate": "20210526"},
      "states": [{"key": "kl", "name": "W.P. Kuala Lumpur"}],
      "locations": [
        {"code": "PWTC", "name": "PWTC", "state": "kl", "dates": {"from": "20210516", "to": "20210614"},
         "capacityPerDay": 1000},
        {"code": "UM", "name": "UM", "state": "kl",
         "dates": [{"date": "20210607", "capacity": 2500}, {"date": "2021-06-08"}], "capacityPerDay": 7}]})");
    ASSERT_TRUE(std::holds_alternative<domain::Campaign>(result))
        << std::get<CampaignFileError>(result).message;
    const auto& campaign = std::get<domain::Campaign>(result);
    EXPECT_EQ(campaign.findLocation("PWTC")->offers.size(), 30u);
    EXPECT_EQ(campaign.findOffer("UM", {2021, 6, 7})->capacity, 2500);
    EXPECT_EQ(campaign.findOffer("UM", {2021, 6, 8})->capacity, 7);
    EXPECT_EQ(campaign.eligibility()->minAgeYears, 60);
    EXPECT_EQ(campaign.totalCapacity(), 30'000 + 2507);
}

TEST(CampaignFile, StatesAndEligibilityAreOptional) {
    const auto result =
        parseCampaign(R"({"locations": [{"code": "A", "dates": ["20210101"], "capacityPerDay": 1}]})");
    ASSERT_TRUE(std::holds_alternative<domain::Campaign>(result));
    EXPECT_FALSE(std::get<domain::Campaign>(result).eligibility().has_value());
}

struct BadFile {
    const char* label;
    const char* json;
    const char* mentions;  // the message must name the problem
};

void PrintTo(const BadFile& c, std::ostream* os) {
    *os << c.label << ": " << c.json << " refused mentioning \"" << c.mentions << "\"";
}

class BadCampaignFile : public ::testing::TestWithParam<BadFile> {};

TEST_P(BadCampaignFile, IsRefusedWithAClearMessage) {
    const auto result = parseCampaign(GetParam().json);
    ASSERT_TRUE(std::holds_alternative<CampaignFileError>(result));
    EXPECT_NE(std::get<CampaignFileError>(result).message.find(GetParam().mentions), std::string::npos)
        << std::get<CampaignFileError>(result).message;
}

INSTANTIATE_TEST_SUITE_P(
    BadFiles, BadCampaignFile,
    ::testing::Values(
        BadFile{"NotJson", "{", "not valid JSON"}, BadFile{"NotAnObject", "[]", "JSON object"},
        BadFile{"NoLocationsKey", "{}", "'locations'"},
        BadFile{"UnknownKey", R"({"locations": [], "colour": 1})", "unknown key 'colour'"},
        BadFile{"EmptyLocations", R"({"locations": []})", "no locations"},
        BadFile{
            "ImpossibleFromDate",
            R"({"locations": [{"code": "A", "dates": {"from": "20210230", "to": "20210301"}, "capacityPerDay": 1}]})",
            "20210230"},
        BadFile{
            "RangeBackwards",
            R"({"locations": [{"code": "A", "dates": {"from": "20210302", "to": "20210301"}, "capacityPerDay": 1}]})",
            "before"},
        BadFile{"NoCapacity", R"({"locations": [{"code": "A", "dates": ["20210301"]}]})", "no capacity"},
        // Seen writing fuzz_campaign_file (UBSan in its replay): the total capacity overflowed int64.
        BadFile{
            "TotalCapacityOverflows",
            R"({"locations": [{"code": "A", "dates": ["20210607", "20210608"], "capacityPerDay": 9223372036854775807}]})",
            "capacity above"},
        BadFile{"AgeAboveInt", R"({"eligibility": {"minAgeYears": 4294967314, "referenceDate": "20210601"},
                    "locations": [{"code": "A", "dates": ["20210607"], "capacityPerDay": 1}]})",
                "minAgeYears"},
        BadFile{"CapacityNotANumber",
                R"({"locations": [{"code": "A", "dates": ["20210301"], "capacityPerDay": "many"}]})",
                "whole number"},
        BadFile{"CodeWithSpace",
                R"({"locations": [{"code": "A B", "dates": ["20210301"], "capacityPerDay": 1}]})",
                "a code is"},
        BadFile{
            "UnknownState",
            R"({"states": [{"key": "kl", "name": "KL"}], "locations": [{"code": "A", "state": "sel", "dates": ["20210301"], "capacityPerDay": 1}]})",
            "unknown state"},
        BadFile{"QueueWithoutOpensAt",
                R"({"queue": {}, "locations": [{"code": "A", "dates": ["20210301"], "capacityPerDay": 1}]})",
                "'opensAt' is required"},
        BadFile{
            "QueueOpensAtNotRfc3339",
            R"({"queue": {"opensAt": "2021-05-26 12:00"}, "locations": [{"code": "A", "dates": ["20210301"], "capacityPerDay": 1}]})",
            "RFC 3339"},
        BadFile{
            "QueueOpensAtWithoutOffset",
            R"({"queue": {"opensAt": "2021-05-26T12:00:00"}, "locations": [{"code": "A", "dates": ["20210301"], "capacityPerDay": 1}]})",
            "RFC 3339"},
        BadFile{
            "QueueFactorBelowOne",
            R"({"queue": {"opensAt": "2021-05-26T12:00:00Z", "overAdmitFactor": 0.5}, "locations": [{"code": "A", "dates": ["20210301"], "capacityPerDay": 1}]})",
            "queue.overAdmitFactor"},
        BadFile{
            "QueueRateZero",
            R"({"queue": {"opensAt": "2021-05-26T12:00:00Z", "admitPerSecond": 0}, "locations": [{"code": "A", "dates": ["20210301"], "capacityPerDay": 1}]})",
            "queue.admitPerSecond"},
        BadFile{
            "QueueAdmissionFraction",
            R"({"queue": {"opensAt": "2021-05-26T12:00:00Z", "admissionSeconds": 1.5}, "locations": [{"code": "A", "dates": ["20210301"], "capacityPerDay": 1}]})",
            "whole number of seconds"},
        BadFile{
            "QueuePreQueueAfterOpening",
            R"({"queue": {"opensAt": "2021-05-26T12:00:00Z", "preQueueOpensAt": "2021-05-26T13:00:00Z"}, "locations": [{"code": "A", "dates": ["20210301"], "capacityPerDay": 1}]})",
            "after opensAt"},
        BadFile{
            "QueueUnknownKey",
            R"({"queue": {"opensAt": "2021-05-26T12:00:00Z", "rate": 5}, "locations": [{"code": "A", "dates": ["20210301"], "capacityPerDay": 1}]})",
            "unknown key 'rate'"},
        BadFile{
            "QueueOfferWaitlistNotABool",
            R"({"queue": {"opensAt": "2021-05-26T12:00:00Z", "offerWaitlist": "yes"}, "locations": [{"code": "A", "dates": ["20210301"], "capacityPerDay": 1}]})",
            "queue.offerWaitlist"},
        BadFile{"DateTwice",
                R"({"locations": [{"code": "A", "dates": ["20210301", "20210301"], "capacityPerDay": 1}]})",
                "twice"}),
    jkjav::testing::ByLabel());

TEST(CampaignFile, NoQueueSectionMeansNoQueue) {
    const auto result =
        parseCampaign(R"({"locations": [{"code": "A", "dates": ["20210301"], "capacityPerDay": 1}]})");
    ASSERT_TRUE(std::holds_alternative<domain::Campaign>(result));
    EXPECT_FALSE(std::get<domain::Campaign>(result).queue().has_value());
}

TEST(CampaignFile, ReadsTheQueueWithItsDefaults) {
    const auto result = parseCampaign(
        R"({"queue": {"opensAt": "2021-05-26T12:00:00+08:00"},
            "locations": [{"code": "A", "dates": ["20210301"], "capacityPerDay": 1}]})");
    ASSERT_TRUE(std::holds_alternative<domain::Campaign>(result))
        << std::get<CampaignFileError>(result).message;
    const auto& queue = std::get<domain::Campaign>(result).queue();
    ASSERT_TRUE(queue.has_value());
    EXPECT_EQ(queue->opensAtMs, 1622001600000);  // 2021-05-26T04:00:00Z
    EXPECT_EQ(queue->preQueueOpensAtMs, queue->opensAtMs - domain::kDefaultPreQueueLeadMs);
    EXPECT_EQ(queue->admitPerSecond, domain::kDefaultAdmitPerSecond);
    EXPECT_EQ(queue->admissionSeconds, domain::kDefaultAdmissionSeconds);
    EXPECT_EQ(queue->overAdmitFactor, domain::kDefaultOverAdmitFactor);
    EXPECT_TRUE(queue->offerWaitlist);
}

TEST(CampaignFile, ReadsEveryQueueField) {
    const auto result = parseCampaign(
        R"({"queue": {"opensAt": "2021-05-26T12:00:00.250Z", "preQueueOpensAt": "2021-05-26T13:00:00+01:30",
                      "admitPerSecond": 150.5, "admissionSeconds": 60, "overAdmitFactor": 1.5,
                      "offerWaitlist": false},
            "locations": [{"code": "A", "dates": ["20210301"], "capacityPerDay": 1}]})");
    ASSERT_TRUE(std::holds_alternative<domain::Campaign>(result))
        << std::get<CampaignFileError>(result).message;
    const auto& queue = *std::get<domain::Campaign>(result).queue();
    EXPECT_EQ(queue.opensAtMs, 1622030400250);
    EXPECT_EQ(queue.preQueueOpensAtMs, 1622028600000);  // 11:30Z
    EXPECT_EQ(queue.admitPerSecond, 150.5);
    EXPECT_EQ(queue.admissionSeconds, 60);
    EXPECT_EQ(queue.overAdmitFactor, 1.5);
    EXPECT_FALSE(queue.offerWaitlist);
}

TEST(CampaignFile, NamesAMissingFile) {
    const auto result = loadCampaignFile("/nonexistent/campaign.json");
    ASSERT_TRUE(std::holds_alternative<CampaignFileError>(result));
    EXPECT_NE(std::get<CampaignFileError>(result).message.find("/nonexistent/campaign.json"),
              std::string::npos);
}

}  // namespace
}  // namespace jkjav::config

namespace jkjav::config {
namespace {

TEST(CampaignFile, EveryShippedCampaignLoads) {
    for (const char* name : {"campaign.json", "campaign-az-2021.json"}) {
        const auto result = loadCampaignFile(std::string(JKJAV_SOURCE_DIR) + "/data/" + name);
        ASSERT_TRUE(std::holds_alternative<domain::Campaign>(result))
            << name << ": " << std::get<CampaignFileError>(result).message;
    }
    const auto round2 = std::get<domain::Campaign>(
        loadCampaignFile(std::string(JKJAV_SOURCE_DIR) + "/data/campaign-az-2021.json"));
    EXPECT_EQ(round2.locations().size(), 8u);
    EXPECT_EQ(round2.slotCount(), 409u);
    EXPECT_EQ(round2.eligibility()->minAgeYears, 60);
}

}  // namespace
}  // namespace jkjav::config
