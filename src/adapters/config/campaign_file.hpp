// Reads a campaign from its JSON file (format in docs/configuration.md, "The campaign file").
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "domain/campaign.hpp"

namespace jkjav::config {

struct CampaignFileError {
    std::string message;  // names the file and the problem
};

std::variant<domain::Campaign, CampaignFileError> parseCampaign(std::string_view json);
std::variant<domain::Campaign, CampaignFileError> loadCampaignFile(const std::string& path);

}  // namespace jkjav::config
