// A region's number types (mobile, fixed line, toll free, ...) told from its national number by
// libphonenumber's own metadata and rules, with the patterns compiled once: GetNumberType's answer
// without its per-match pattern-cache lookups (hashing the pattern under a mutex) and ICU matchers
// built per match. Used by phone_number.cpp for Malaysian numbers, the shape of nearly every booking.
#pragma once

#include <phonenumbers/phonenumberutil.h>
#include <unicode/regex.h>
#include <unicode/unistr.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace jkjav::domain {

class RegionNumberTypes {
  public:
    using Type = i18n::phonenumbers::PhoneNumberUtil::PhoneNumberType;

    // The region's descriptions from libphonenumber's compiled-in metadata, every pattern compiled
    // with ICU as libphonenumber compiles it; nullopt when the region or a pattern can't be had
    // or the region shares its calling code with others (the caller then asks GetNumberType).
    static std::optional<RegionNumberTypes> load(std::string_view regionCode);

    RegionNumberTypes(RegionNumberTypes&&) noexcept;
    RegionNumberTypes& operator=(RegionNumberTypes&&) noexcept;
    ~RegionNumberTypes();

    // What GetNumberType answers for a number of this region whose national significant number is
    // `nationalNumber` (ASCII digits): the same descriptions, checked in the same order.
    Type typeOf(std::string_view nationalNumber) const;

  private:
    struct Description {
        Type type;
        std::vector<int> possibleLengths;            // empty: any length
        std::shared_ptr<icu::RegexPattern> pattern;  // null: libphonenumber's empty pattern, no match
    };

    RegionNumberTypes() = default;
    bool matches(std::size_t index, const icu::UnicodeString& nationalNumber) const;

    // The general description, premium rate ... voicemail, fixed line, mobile: GetNumberType's order.
    std::vector<Description> descriptions_;
    bool sameMobileAndFixedLinePattern_ = false;
    std::uint64_t id_ = 0;  // tells this instance's per-thread matchers from another's
};

}  // namespace jkjav::domain
