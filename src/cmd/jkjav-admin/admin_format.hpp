// How jkjav-admin writes things down: masked personal data, bars, CSV fields. Pure functions, so
// their unit tests need no Redis.
#pragma once

#include <string>
#include <string_view>

namespace jkjav::cmd {

// An identity or phone number as an operator's screen shows it: masked ("0123****89") unless
// `show` (--show-personal-data).
std::string personal(std::string_view value, bool show);

// `width` cells of which the sold share is filled, then the percentage: "[#####-----]  50% sold".
// A capacity of 0 shows as sold out.
std::string sellOutBar(long long sold, long long capacity, int width);

// "[=====>    ] 512000/1000000  51%" for an export's progress; an unknown total (0) shows the count.
std::string progressBar(long long done, long long total, int width);

// One CSV field (RFC 4180): quoted, inner quotes doubled, when it holds a comma, quote, CR or LF or
// starts or ends with a space; as it is otherwise.
std::string csvField(std::string_view value);

}  // namespace jkjav::cmd
