#include "adapters/http/endpoints/person_lookup.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/pct_string_view.hpp>

namespace jkjav::http {

PersonLookup personLookupOf(const RouteRequest& route) {
    PersonLookup lookup{std::string(route.param), {}};
    if (auto escaped = boost::urls::make_pct_string_view(route.param)) lookup.personId = escaped->decode();
    if (auto target = boost::urls::parse_origin_form(route.request.target())) {
        const auto params = target->params(boost::urls::encoding_opts(false, false, false));
        if (auto it = params.find("phoneNumber"); it != params.end() && (*it).has_value)
            lookup.phoneNumber = (*it).value;
    }
    return lookup;
}

}  // namespace jkjav::http
