// Names and printouts of value-parameterised test cases, so a failure names its input:
// `Ids/NormalisesOrRefuses/Dashed_900127_01_5527`, with the case printed beside it.
#pragma once

#include <gtest/gtest.h>

#include <cctype>
#include <ostream>
#include <string>
#include <string_view>

namespace jkjav::testing {

// A case name from its label: gtest names allow only letters, digits and '_' (an empty label: "Empty").
inline std::string caseName(std::string_view label) {
    if (label.empty()) return "Empty";
    std::string name;
    for (const char c : label) name.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
    return name;
}

// The name generator for a parameter with a `label` (or `name`) member.
struct ByLabel {
    template <class Case>
    std::string operator()(const ::testing::TestParamInfo<Case>& info) const {
        if constexpr (requires { info.param.label; }) {
            return caseName(info.param.label);
        } else {
            return caseName(info.param.name);
        }
    }
};

// A text shown escaped and quoted, as gtest shows strings: control and invalid bytes stay visible.
inline std::string escaped(std::string_view text) { return ::testing::PrintToString(std::string(text)); }

}  // namespace jkjav::testing
