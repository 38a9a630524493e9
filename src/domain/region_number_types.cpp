#include "domain/region_number_types.hpp"

#include <phonenumbers/phonemetadata.pb.h>

#include <algorithm>
#include <atomic>
#include <list>

// libphonenumber's compiled-in metadata (the serialized PhoneMetadataCollection its PhoneNumberUtil
// reads at start): declared in its metadata.h, which Debian doesn't install; the library exports it.
namespace i18n::phonenumbers {
int metadata_size();
const void* metadata_get();
}  // namespace i18n::phonenumbers

namespace jkjav::domain {
namespace {

namespace pn = i18n::phonenumbers;
using Util = pn::PhoneNumberUtil;

std::atomic<std::uint64_t> nextId{1};

// Compiled as libphonenumber's ICU adapter compiles a pattern (no flags); null for an empty pattern,
// which libphonenumber never matches. Sets `failed` when ICU refuses the pattern.
std::shared_ptr<icu::RegexPattern> compile(const std::string& pattern, bool& failed) {
    if (pattern.empty()) return nullptr;
    UParseError parseError;
    UErrorCode status = U_ZERO_ERROR;
    std::shared_ptr<icu::RegexPattern> compiled(
        icu::RegexPattern::compile(icu::UnicodeString::fromUTF8(pattern), 0, parseError, status));
    if (U_FAILURE(status) || !compiled) failed = true;
    return compiled;
}

// One thread's matchers for one RegionNumberTypes: an ICU matcher is reset to each new input
// instead of built per match, and is not shared between threads.
struct ThreadMatchers {
    std::uint64_t owner = 0;
    std::vector<std::unique_ptr<icu::RegexMatcher>> matchers;
};

}  // namespace

RegionNumberTypes::RegionNumberTypes(RegionNumberTypes&&) noexcept = default;
RegionNumberTypes& RegionNumberTypes::operator=(RegionNumberTypes&&) noexcept = default;
RegionNumberTypes::~RegionNumberTypes() = default;

std::optional<RegionNumberTypes> RegionNumberTypes::load(std::string_view regionCode) {
    pn::PhoneMetadataCollection collection;
    if (!collection.ParseFromArray(pn::metadata_get(), pn::metadata_size())) return std::nullopt;
    const auto region = std::find_if(collection.metadata().begin(), collection.metadata().end(),
                                     [&](const pn::PhoneMetadata& m) { return m.id() == regionCode; });
    if (region == collection.metadata().end()) return std::nullopt;
    // GetNumberType reads the metadata of the region it picks for the number's calling code; only
    // when this region is that code's one region is it always this one (+44 is GB, GG, IM and JE).
    std::list<std::string> sharing;
    Util::GetInstance()->GetRegionCodesForCountryCallingCode(region->country_code(), &sharing);
    if (sharing.size() != 1 || sharing.front() != regionCode) return std::nullopt;

    bool failed = false;
    auto describe = [&](Type type, const pn::PhoneNumberDesc& desc) {
        return Description{type,
                           {desc.possible_length().begin(), desc.possible_length().end()},
                           compile(desc.national_number_pattern(), failed)};
    };
    RegionNumberTypes types;
    // GetNumberTypeHelper's order: the general description, then these, then fixed line and mobile.
    types.descriptions_ = {describe(Util::UNKNOWN, region->general_desc()),
                           describe(Util::PREMIUM_RATE, region->premium_rate()),
                           describe(Util::TOLL_FREE, region->toll_free()),
                           describe(Util::SHARED_COST, region->shared_cost()),
                           describe(Util::VOIP, region->voip()),
                           describe(Util::PERSONAL_NUMBER, region->personal_number()),
                           describe(Util::PAGER, region->pager()),
                           describe(Util::UAN, region->uan()),
                           describe(Util::VOICEMAIL, region->voicemail()),
                           describe(Util::FIXED_LINE, region->fixed_line()),
                           describe(Util::MOBILE, region->mobile())};
    types.sameMobileAndFixedLinePattern_ = region->same_mobile_and_fixed_line_pattern();
    types.id_ = nextId.fetch_add(1);
    if (failed) return std::nullopt;
    return types;
}

// IsNumberMatchingDesc: the lengths first (when the description lists any), then a full match of
// the national number pattern.
bool RegionNumberTypes::matches(std::size_t index, const icu::UnicodeString& nationalNumber) const {
    const Description& desc = descriptions_[index];
    const int length = nationalNumber.length();  // ASCII digits: one UTF-16 unit each
    if (!desc.possibleLengths.empty() && std::find(desc.possibleLengths.begin(), desc.possibleLengths.end(),
                                                   length) == desc.possibleLengths.end())
        return false;
    if (!desc.pattern) return false;

    thread_local ThreadMatchers mine;
    if (mine.owner != id_) {
        mine.owner = id_;
        mine.matchers.clear();
        mine.matchers.resize(descriptions_.size());
    }
    auto& matcher = mine.matchers[index];
    UErrorCode status = U_ZERO_ERROR;
    if (!matcher) {
        matcher.reset(desc.pattern->matcher(nationalNumber, status));
        if (U_FAILURE(status) || !matcher) {
            matcher.reset();
            return false;
        }
    } else {
        matcher->reset(nationalNumber);
    }
    const bool matched = matcher->matches(status);
    return U_SUCCESS(status) && matched;
}

RegionNumberTypes::Type RegionNumberTypes::typeOf(std::string_view nationalNumber) const {
    const icu::UnicodeString input = icu::UnicodeString::fromUTF8(
        icu::StringPiece(nationalNumber.data(), static_cast<std::int32_t>(nationalNumber.size())));
    constexpr std::size_t kGeneral = 0, kFixedLine = 9, kMobile = 10;
    if (!matches(kGeneral, input)) return Util::UNKNOWN;
    for (std::size_t i = kGeneral + 1; i < kFixedLine; ++i) {
        if (matches(i, input)) return descriptions_[i].type;
    }
    if (matches(kFixedLine, input)) {
        return sameMobileAndFixedLinePattern_ || matches(kMobile, input) ? Util::FIXED_LINE_OR_MOBILE
                                                                         : Util::FIXED_LINE;
    }
    if (!sameMobileAndFixedLinePattern_ && matches(kMobile, input)) return Util::MOBILE;
    return Util::UNKNOWN;
}

}  // namespace jkjav::domain
