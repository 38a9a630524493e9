// The outcome of checking one input field: the normalised value, or what is wrong with it.
#pragma once

#include <string>
#include <variant>

namespace jkjav::domain {

struct Problem {
    std::string message;
};

template <class T>
using FieldResult = std::variant<T, Problem>;

}  // namespace jkjav::domain
