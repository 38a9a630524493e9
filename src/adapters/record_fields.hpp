// Walks a record described with BOOST_DESCRIBE_STRUCT field by field, by name: the one source of
// every mapping of a record across a boundary (JSON, Lua arguments, Redis hashes and streams).
#pragma once

#include <boost/describe/class.hpp>
#include <boost/describe/members.hpp>
#include <boost/mp11/algorithm.hpp>
#include <string_view>
#include <type_traits>

namespace jkjav::adapters {

template <class T>
concept DescribedRecord = boost::describe::has_describe_members<std::remove_cvref_t<T>>::value;

// visit(name, field) for every field in declaration order; a nested record's fields are visited
// as its own, flattened (an event's booking fields sit beside its type).
template <DescribedRecord Record, class Visit>
void forEachField(Record& record, Visit&& visit) {
    using Members =
        boost::describe::describe_members<std::remove_const_t<Record>, boost::describe::mod_public>;
    boost::mp11::mp_for_each<Members>([&](auto member) {
        auto& value = record.*member.pointer;
        if constexpr (DescribedRecord<decltype(value)>) {
            forEachField(value, visit);
        } else {
            visit(std::string_view(member.name), value);
        }
    });
}

}  // namespace jkjav::adapters
