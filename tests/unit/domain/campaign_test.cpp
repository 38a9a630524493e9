#include "domain/campaign.hpp"

#include <gtest/gtest.h>

#include "case_names.hpp"

namespace jkjav::domain {
namespace {

Location location(std::string code, std::vector<SlotOffer> offers, std::string state = "kl") {
    return {std::move(code), "A venue", std::move(state), std::move(offers)};
}

TEST(Campaign, OrdersOffersByDateAndFindsThem) {
    const Campaign campaign("c", {{"kl", "KL"}}, {location("PWTC", {{{2021, 5, 18}, 5}, {{2021, 5, 16}, 7}})},
                            std::nullopt);
    ASSERT_TRUE(campaign.validate().empty());
    const auto& offers = campaign.findLocation("PWTC")->offers;
    EXPECT_EQ(offers.front().date, (CalendarDate{2021, 5, 16}));
    ASSERT_NE(campaign.findOffer("PWTC", {2021, 5, 18}), nullptr);
    EXPECT_EQ(campaign.findOffer("PWTC", {2021, 5, 18})->capacity, 5);
    EXPECT_EQ(campaign.findOffer("PWTC", {2021, 5, 17}), nullptr);
    EXPECT_EQ(campaign.findOffer("UM", {2021, 5, 16}), nullptr);
    EXPECT_EQ(campaign.totalCapacity(), 12);
    EXPECT_EQ(campaign.slotCount(), 2u);
    EXPECT_EQ(slotKey("PWTC", {2021, 5, 16}), "PWTC:20210516");
}

struct BadCampaign {
    const char* why;
    Campaign campaign;
};

void PrintTo(const BadCampaign& c, std::ostream* os) {
    *os << "a campaign with " << c.why << ": " << c.campaign.locations().size() << " location(s)";
    for (const auto& location : c.campaign.locations()) {
        *os << " " << jkjav::testing::escaped(location.code) << " (" << location.offers.size()
            << " date(s), state " << jkjav::testing::escaped(location.stateKey) << ")";
    }
}

class CampaignValidation : public ::testing::TestWithParam<BadCampaign> {};

TEST_P(CampaignValidation, ReportsTheProblem) {
    EXPECT_FALSE(GetParam().campaign.validate().empty()) << GetParam().why;
}

INSTANTIATE_TEST_SUITE_P(
    BadCampaigns, CampaignValidation,
    ::testing::Values(
        BadCampaign{"no locations", Campaign("c", {}, {}, std::nullopt)},
        BadCampaign{
            "duplicate code",
            Campaign("c", {}, {location("A", {{{2021, 1, 1}, 1}}), location("A", {{{2021, 1, 2}, 1}})},
                     std::nullopt)},
        BadCampaign{"bad code", Campaign("c", {}, {location("A B", {{{2021, 1, 1}, 1}})}, std::nullopt)},
        BadCampaign{"no dates", Campaign("c", {}, {location("A", {})}, std::nullopt)},
        BadCampaign{"date twice",
                    Campaign("c", {}, {location("A", {{{2021, 1, 1}, 1}, {{2021, 1, 1}, 2}})}, std::nullopt)},
        BadCampaign{"negative capacity",
                    Campaign("c", {}, {location("A", {{{2021, 1, 1}, -1}})}, std::nullopt)},
        BadCampaign{"capacity above the bound (a total could overflow)",
                    Campaign("c", {}, {location("A", {{{2021, 1, 1}, kMaxSlotCapacity + 1}})}, std::nullopt)},
        BadCampaign{"minimum age above the bound",
                    Campaign("c", {}, {location("A", {{{2021, 1, 1}, 1}})},
                             Eligibility{kMaxMinAgeYears + 1, {2021, 1, 1}, std::nullopt})},
        BadCampaign{"unknown state", Campaign("c", {{"kl", "KL"}},
                                              {location("A", {{{2021, 1, 1}, 1}}, "sel")}, std::nullopt)}),
    [](const auto& info) { return jkjav::testing::caseName(info.param.why); });

}  // namespace
}  // namespace jkjav::domain
